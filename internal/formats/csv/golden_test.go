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
		if res.err != nil {
			t.Fatal(res.err)
		}
		goldentest.Check(t, "testdata/"+name+".golden.json", res.recs)
	}
}
