package medline

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"testing/quick"
)

// TestConservation: for any mix of good citations (with or without a blank
// line before the next), citations with an over-long line, and junk
// stretches, records + quarantined = citations and stretches seen.
func TestConservation(t *testing.T) {
	long := strings.Repeat("x", 1<<20+1)
	property := func(seed int64) bool {
		rng := rand.New(rand.NewSource(seed))
		var b strings.Builder
		wantGood, wantBad := 0, 0
		for i := 0; i < 1+rng.Intn(30); i++ {
			eol := []string{"\n", "\r\n"}[rng.Intn(2)]
			switch rng.Intn(3) {
			case 0:
				fmt.Fprintf(&b, "PMID- %d%sTI  - title%s      continued%sFAU - A, B%sAU  - A B%s", 1000+i, eol, eol, eol, eol, eol)
				wantGood++
			case 1:
				fmt.Fprintf(&b, "PMID- %d%sAB  - %s%s", 1000+i, eol, long, eol)
				wantBad++
			case 2:
				fmt.Fprintf(&b, "%sstray text %d%s", eol, i, eol)
				wantBad++
			}
			if rng.Intn(3) > 0 {
				b.WriteString(eol) // a blank line; without it the next PMID still starts a citation
			}
		}
		res := read(t, strings.NewReader(b.String()))
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
