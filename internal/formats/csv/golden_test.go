package csv

import (
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/goldentest"
)

// TestGolden pins the normalised fields of every record of the Scopus and
// ASReview samples.
func TestGolden(t *testing.T) {
	for _, name := range []string{"scopus.csv", "asreview.csv"} {
		res := readFile(t, "testdata/"+name, formats.Options{})
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		goldentest.Check(t, "testdata/"+name+".golden.json", res.Recs)
	}
}
