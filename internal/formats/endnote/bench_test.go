package endnote

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

func newBenchReader(r io.Reader) formats.Reader { return NewReader(r) }

// BenchmarkReader reads the hard synthetic corpus's RIS records written as
// EndNote XML (a <style> run around every value), and the sample library's
// first two records repeated to 16 MB.
func BenchmarkReader(b *testing.B) {
	b.Run("hard", func(b *testing.B) { testutil.BenchReader(b, testutil.HardInput(b, "endnote"), newBenchReader) })
	b.Run("sample", func(b *testing.B) {
		data, err := os.ReadFile("testdata/library.xml")
		if err != nil {
			b.Fatal(err)
		}
		start := bytes.Index(data, []byte("<record>"))
		end := bytes.Index(data, []byte("<record><rec-number>14"))
		input := testutil.Repeat([]byte(`<?xml version="1.0" encoding="UTF-8" ?><xml><records>`), data[start:end], []byte("</records></xml>"), 16<<20)
		testutil.BenchReader(b, input, newBenchReader)
	})
}

// BenchmarkIngest is what ingest pays for the hard EndNote XML export:
// decoding, reading and biblio.Complete.
func BenchmarkIngest(b *testing.B) {
	testutil.BenchIngest(b, testutil.HardInput(b, "endnote"), newBenchReader)
}
