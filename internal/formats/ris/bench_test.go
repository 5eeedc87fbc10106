package ris

import (
	"io"
	"os"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

// BenchmarkReader reads 16 MB of the seven-dialect sample.
func BenchmarkReader(b *testing.B) {
	body, err := os.ReadFile("testdata/dialects.ris")
	if err != nil {
		b.Fatal(err)
	}
	input := testutil.Repeat(nil, body, nil, 16<<20)
	testutil.BenchReader(b, input, func(r io.Reader) formats.Reader { return NewReader(r) })
}
