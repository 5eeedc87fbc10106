package medline

import (
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/formatutil/goldentest"
)

// TestGolden pins the normalised fields of every record of testdata/three.nbib.
func TestGolden(t *testing.T) {
	f, err := os.Open("testdata/three.nbib")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res := read(t, f)
	goldentest.Check(t, "testdata/three.nbib.golden.json", res.Recs)
}
