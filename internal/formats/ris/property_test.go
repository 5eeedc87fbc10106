package ris

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"testing/quick"
)

// TestConservation: for any mix of good records, records without ER,
// records with an over-long line, and junk between records, the reader
// returns exactly one record per good record and one bad record per broken
// record or junk stretch: records + quarantined = records seen.
func TestConservation(t *testing.T) {
	long := strings.Repeat("x", 1<<20+1)
	property := func(seed int64) bool {
		rng := rand.New(rand.NewSource(seed))
		var b strings.Builder
		wantGood, wantBad := 0, 0
		prevGood := false
		for i := 0; i < 1+rng.Intn(30); i++ {
			eol := []string{"\n", "\r\n", "\r"}[rng.Intn(3)]
			switch k := rng.Intn(4); {
			case k == 0 || k == 3 && !prevGood:
				fmt.Fprintf(&b, "TY  - JOUR%sTI  - title %d%sAU  - A, B%s  continued%sER  - %s%s", eol, i, eol, eol, eol, eol, eol)
				wantGood++
				prevGood = true
				continue
			case k == 1:
				fmt.Fprintf(&b, "TY  - JOUR%sTI  - no end %d%s", eol, i, eol)
			case k == 2:
				fmt.Fprintf(&b, "TY  - JOUR%sAB  - %s%sER  - %s", eol, long+strings.Repeat("y", rng.Intn(10)), eol, eol)
			case k == 3:
				fmt.Fprintf(&b, "stray text %d%s", i, eol)
			}
			wantBad++
			prevGood = false
		}
		res := read(t, b.String())
		if len(res.Recs) != wantGood || len(res.Bad) != wantBad {
			t.Logf("seed %d: %d records, %d bad; want %d, %d", seed, len(res.Recs), len(res.Bad), wantGood, wantBad)
			return false
		}
		return true
	}
	if err := quick.Check(property, &quick.Config{MaxCount: 50}); err != nil {
		t.Error(err)
	}
}
