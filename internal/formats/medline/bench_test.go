package medline

import (
	"io"
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

func newBenchReader(r io.Reader) formats.Reader { return NewReader(r) }

// BenchmarkReader reads the hard synthetic corpus's PubMed exports (wrapped
// lines, ~1.5 KB abstracts, long author lists) repeated to 16 MB, and the
// sample citations repeated to 16 MB.
func BenchmarkReader(b *testing.B) {
	b.Run("hard", func(b *testing.B) { testutil.BenchReader(b, testutil.HardInput(b, "medline"), newBenchReader) })
	b.Run("sample", func(b *testing.B) {
		body, err := os.ReadFile("testdata/three.nbib")
		if err != nil {
			b.Fatal(err)
		}
		testutil.BenchReader(b, testutil.Repeat(nil, append(body, "\n\n"...), nil, 16<<20), newBenchReader)
	})
}

// BenchmarkIngest is what ingest pays for the hard MEDLINE exports:
// decoding, reading and biblio.Complete.
func BenchmarkIngest(b *testing.B) {
	testutil.BenchIngest(b, testutil.HardInput(b, "medline"), newBenchReader)
}
