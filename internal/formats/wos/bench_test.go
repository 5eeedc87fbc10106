package wos

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

// BenchmarkReader reads 16 MB of the sample records.
func BenchmarkReader(b *testing.B) {
	data, err := os.ReadFile("testdata/savedrecs.ciw")
	if err != nil {
		b.Fatal(err)
	}
	start, end := bytes.Index(data, []byte("PT J")), bytes.Index(data, []byte("EF"))
	input := testutil.Repeat([]byte("FN Clarivate Analytics Web of Science\nVR 1.0\n"), data[start:end], []byte("EF\n"), 16<<20)
	testutil.BenchReader(b, input, func(r io.Reader) formats.Reader { return NewReader(r) })
}
