package bibtex

import (
	"io"
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

func newBenchReader(r io.Reader) formats.Reader { return NewReader(r) }

// BenchmarkReader reads the hard synthetic corpus's Google Scholar BibTeX
// (LaTeX accents, twins) repeated to 16 MB, and the sample entries (one
// broken in four) repeated to 16 MB.
func BenchmarkReader(b *testing.B) {
	b.Run("hard", func(b *testing.B) { testutil.BenchReader(b, testutil.HardInput(b, "bibtex"), newBenchReader) })
	b.Run("sample", func(b *testing.B) {
		body, err := os.ReadFile("testdata/sample.bib")
		if err != nil {
			b.Fatal(err)
		}
		testutil.BenchReader(b, testutil.Repeat(nil, append(body, '\n'), nil, 16<<20), newBenchReader)
	})
}

// BenchmarkIngest is what ingest pays for the hard BibTeX export: decoding,
// reading and biblio.Complete.
func BenchmarkIngest(b *testing.B) {
	testutil.BenchIngest(b, testutil.HardInput(b, "bibtex"), newBenchReader)
}
