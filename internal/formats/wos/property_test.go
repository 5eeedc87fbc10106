package wos

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"testing/quick"
)

// TestConservation: good records, records without ER and junk between
// records: records + quarantined = records and stretches seen.
func TestConservation(t *testing.T) {
	property := func(seed int64) bool {
		rng := rand.New(rand.NewSource(seed))
		var b strings.Builder
		b.WriteString("FN Clarivate Analytics Web of Science\nVR 1.0\n")
		wantGood, wantBad := 0, 0
		prevGood := false
		for i := 0; i < 1+rng.Intn(30); i++ {
			switch k := rng.Intn(3); {
			case k == 0 || k == 2 && !prevGood:
				fmt.Fprintf(&b, "PT J\nAU A, B\n   C, D\nTI title %d\nER\n\n", i)
				wantGood++
				prevGood = true
				continue
			case k == 1:
				fmt.Fprintf(&b, "PT J\nTI no end %d\n", i)
			case k == 2:
				fmt.Fprintf(&b, "stray text %d\n", i)
			}
			wantBad++
			prevGood = false
		}
		b.WriteString("EF\n")
		res := read(t, strings.NewReader(b.String()))
		if len(res.Recs) != wantGood || len(res.Bad) != wantBad {
			t.Logf("seed %d: %d records, %d bad; want %d, %d", seed, len(res.Recs), len(res.Bad), wantGood, wantBad)
			return false
		}
		return true
	}
	if err := quick.Check(property, &quick.Config{MaxCount: 100}); err != nil {
		t.Error(err)
	}
}
