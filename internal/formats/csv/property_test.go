package csv

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"testing/quick"

	"github.com/realsynth/realsynth/internal/formats"
)

// TestConservation: good rows (some with quoted line breaks), rows with too
// many cells, and empty rows (not records): records + quarantined = rows seen.
func TestConservation(t *testing.T) {
	property := func(seed int64) bool {
		rng := rand.New(rand.NewSource(seed))
		var b strings.Builder
		b.WriteString("title,authors,year\r\n")
		wantGood, wantBad := 0, 0
		for i := 0; i < 1+rng.Intn(30); i++ {
			switch rng.Intn(4) {
			case 0:
				fmt.Fprintf(&b, "Title %d,\"A, B; C, D\",2020\r\n", i)
				wantGood++
			case 1:
				fmt.Fprintf(&b, "\"Title %d\nover \"\"two\"\" lines\",A,2021\n", i)
				wantGood++
			case 2:
				fmt.Fprintf(&b, "T%d,A,2020,extra,cells\n", i)
				wantBad++
			case 3:
				b.WriteString(",,\n")
			}
		}
		res := read(t, strings.NewReader(b.String()), formats.Options{})
		if res.Err != nil || len(res.Recs) != wantGood || len(res.Bad) != wantBad {
			t.Logf("seed %d: %d records, %d bad (err %v); want %d, %d", seed, len(res.Recs), len(res.Bad), res.Err, wantGood, wantBad)
			return false
		}
		return true
	}
	if err := quick.Check(property, &quick.Config{MaxCount: 100}); err != nil {
		t.Error(err)
	}
}
