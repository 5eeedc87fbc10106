package csv

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

// BenchmarkReader reads 16 MB of the Scopus sample's rows.
func BenchmarkReader(b *testing.B) {
	data, err := os.ReadFile("testdata/scopus.csv")
	if err != nil {
		b.Fatal(err)
	}
	nl := bytes.IndexByte(data, '\n') + 1
	input := testutil.Repeat(data[:nl], data[nl:], nil, 16<<20)
	testutil.BenchReader(b, input, func(r io.Reader) formats.Reader { return NewReader(r, formats.Options{}) })
}
