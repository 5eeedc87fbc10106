package endnote

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

// BenchmarkReader reads 16 MB of the sample library's first two records.
func BenchmarkReader(b *testing.B) {
	data, err := os.ReadFile("testdata/library.xml")
	if err != nil {
		b.Fatal(err)
	}
	start := bytes.Index(data, []byte("<record>"))
	end := bytes.Index(data, []byte("<record><rec-number>14"))
	input := testutil.Repeat([]byte(`<?xml version="1.0" encoding="UTF-8" ?><xml><records>`), data[start:end], []byte("</records></xml>"), 16<<20)
	testutil.BenchReader(b, input, func(r io.Reader) formats.Reader { return NewReader(r) })
}
