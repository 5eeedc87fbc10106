package endnote

import (
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/formatutil/goldentest"
)

// TestGolden pins the normalised fields of every record of testdata/library.xml.
func TestGolden(t *testing.T) {
	f, err := os.Open("testdata/library.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res := read(t, f)
	goldentest.Check(t, "testdata/library.xml.golden.json", res.Recs)
}
