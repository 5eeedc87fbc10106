package wos

import (
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/formatutil/goldentest"
)

// TestGolden pins the normalised fields of every record of testdata/savedrecs.ciw.
func TestGolden(t *testing.T) {
	f, err := os.Open("testdata/savedrecs.ciw")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res := read(t, f)
	goldentest.Check(t, "testdata/savedrecs.ciw.golden.json", res.Recs)
}
