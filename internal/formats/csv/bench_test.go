package csv

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

func newBenchReader(r io.Reader) formats.Reader { return NewReader(r, formats.Options{}) }

// BenchmarkReader reads the hard synthetic corpus's RIS records written as
// a Scopus CSV export (26 quoted columns, ~1.5 KB abstracts, long author
// lists with ids), the Scopus sample's rows repeated to 16 MB, and the
// shared Covidence and Rayyan exports repeated to 16 MB each.
func BenchmarkReader(b *testing.B) {
	b.Run("hard", func(b *testing.B) { testutil.BenchReader(b, testutil.HardInput(b, "csv"), newBenchReader) })
	b.Run("sample", func(b *testing.B) {
		data, err := os.ReadFile("testdata/scopus.csv")
		if err != nil {
			b.Fatal(err)
		}
		nl := bytes.IndexByte(data, '\n') + 1
		testutil.BenchReader(b, testutil.Repeat(data[:nl], data[nl:], nil, 16<<20), newBenchReader)
	})
	b.Run("shared", func(b *testing.B) {
		files, _ := filepath.Glob(filepath.Join(testutil.SharedData(b, "exports", "screening-tools"), "*.csv"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			data = bytes.TrimPrefix(data, []byte("\ufeff"))
			nl := bytes.IndexByte(data, '\n') + 1
			body := data[nl:]
			if len(body) > 0 && body[len(body)-1] != '\n' {
				body = append(append([]byte(nil), body...), '\n')
			}
			b.Run(filepath.Base(f), func(b *testing.B) {
				testutil.BenchReader(b, testutil.Repeat(data[:nl], body, nil, 16<<20), newBenchReader)
			})
		}
	})
}

// BenchmarkIngest is what ingest pays for the hard Scopus CSV: decoding,
// reading and biblio.Complete.
func BenchmarkIngest(b *testing.B) {
	testutil.BenchIngest(b, testutil.HardInput(b, "csv"), newBenchReader)
}
