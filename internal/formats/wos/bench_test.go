package wos

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
// Web of Science plain text (one author per line, wrapped titles, 20 cited
// references per record), and the sample records repeated to 16 MB.
func BenchmarkReader(b *testing.B) {
	b.Run("hard", func(b *testing.B) { testutil.BenchReader(b, testutil.HardInput(b, "wos"), newBenchReader) })
	b.Run("sample", func(b *testing.B) {
		data, err := os.ReadFile("testdata/savedrecs.ciw")
		if err != nil {
			b.Fatal(err)
		}
		start, end := bytes.Index(data, []byte("PT J")), bytes.Index(data, []byte("EF"))
		input := testutil.Repeat([]byte("FN Clarivate Analytics Web of Science\nVR 1.0\n"), data[start:end], []byte("EF\n"), 16<<20)
		testutil.BenchReader(b, input, newBenchReader)
	})
}

// BenchmarkIngest is what ingest pays for the hard WoS export: decoding,
// reading and biblio.Complete.
func BenchmarkIngest(b *testing.B) {
	testutil.BenchIngest(b, testutil.HardInput(b, "wos"), newBenchReader)
}
