package bibtex

import (
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/formatutil/goldentest"
)

// TestGolden pins the normalised fields of every record of testdata/sample.bib.
func TestGolden(t *testing.T) {
	f, err := os.Open("testdata/sample.bib")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res := read(t, f)
	goldentest.Check(t, "testdata/sample.bib.golden.json", res.Recs)
}
