package dedupe

import (
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// TestCompareStats: three records sharing first author, year, volume and
// first page are three candidate pairs. The two with one DOI and title end
// at doi+title; the third, with another title, is plainly different from
// both, so the pre-filter ends those two pairs.
func TestCompareStats(t *testing.T) {
	res := runDedupe(t, []tables.Record{
		article("a", "doi=10.1000/xyz"),
		article("b", "doi=10.1000/xyz"),
		article("c", "title=Hospital costs of hip fracture surgery among older adults in Norway"),
	}, options{})
	if res.stats.pairs != 3 {
		t.Errorf("%d pairs compared, want 3", res.stats.pairs)
	}
	if got, want := res.stats.String(), "plainly-different=2 doi+title=1"; got != want {
		t.Errorf("ended by %q, want %q", got, want)
	}
}
