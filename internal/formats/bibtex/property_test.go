package bibtex

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"testing/quick"
)

// TestConservation: good entries, @string/@comment (not records), entries
// that lose their closing brace, over-deep nesting and syntax errors:
// records + quarantined = entries seen.
func TestConservation(t *testing.T) {
	property := func(seed int64) bool {
		rng := rand.New(rand.NewSource(seed))
		var b strings.Builder
		b.WriteString("@string{jgs = {J Gambl Stud}}\n")
		wantGood, wantBad := 0, 0
		for i := 0; i < 1+rng.Intn(30); i++ {
			switch rng.Intn(5) {
			case 0:
				fmt.Fprintf(&b, "@article{k%d,\n  title = {T{\\\"u}rk %d},\n  journal = jgs,\n  year = 2020\n}\n", i, i)
				wantGood++
			case 1:
				fmt.Fprintf(&b, "@comment{note %d}\n@string{m%d = \"x\"}\n", i, i)
			case 2:
				fmt.Fprintf(&b, "@article{open%d,\n  title = {never closed},\n", i)
				wantBad++
			case 3:
				fmt.Fprintf(&b, "@article{deep%d, title = %s%s}\n", i, strings.Repeat("{", 70), strings.Repeat("}", 70))
				wantBad++
			case 4:
				fmt.Fprintf(&b, "@article{syntax%d, title = {a} junk}\n", i)
				wantBad++
			}
		}
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
