package bibtex

import (
	"io"
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

// BenchmarkReader reads 16 MB of the sample entries (one broken in four).
func BenchmarkReader(b *testing.B) {
	body, err := os.ReadFile("testdata/sample.bib")
	if err != nil {
		b.Fatal(err)
	}
	input := testutil.Repeat(nil, append(body, '\n'), nil, 16<<20)
	testutil.BenchReader(b, input, func(r io.Reader) formats.Reader { return NewReader(r) })
}
