package ris

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
	"github.com/realsynth/realsynth/internal/tables"
)

func newBenchReader(r io.Reader) formats.Reader { return NewReader(r) }

// BenchmarkReader reads the hard synthetic corpus's RIS exports (five
// dialects, ~1.5 KB abstracts, long author lists), the seven-dialect sample
// repeated to 16 MB, and the shared real exports repeated to 16 MB.
func BenchmarkReader(b *testing.B) {
	b.Run("hard", func(b *testing.B) { testutil.BenchReader(b, testutil.HardInput(b, "ris"), newBenchReader) })
	b.Run("sample", func(b *testing.B) {
		body, err := os.ReadFile("testdata/dialects.ris")
		if err != nil {
			b.Fatal(err)
		}
		testutil.BenchReader(b, testutil.Repeat(nil, body, nil, 16<<20), newBenchReader)
	})
	b.Run("shared", func(b *testing.B) {
		files, _ := filepath.Glob(filepath.Join(testutil.SharedData(b, "exports", "databases"), "*.ris"))
		var body []byte
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			body = append(append(body, bytes.TrimPrefix(data, []byte("\ufeff"))...), '\n')
		}
		testutil.BenchReader(b, testutil.Repeat(nil, body, nil, 16<<20), newBenchReader)
	})
}

// BenchmarkIngest is what ingest pays for the hard RIS exports: decoding,
// reading and biblio.Complete.
func BenchmarkIngest(b *testing.B) {
	testutil.BenchIngest(b, testutil.HardInput(b, "ris"), newBenchReader)
}

// BenchmarkWrite writes the hard corpus's RIS records, completed as ingest
// completes them, as export writes works.ris.
func BenchmarkWrite(b *testing.B) {
	rd := NewReader(bytes.NewReader(testutil.HardExports(b)["ris"]))
	var recs []tables.Record
	size := 0
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			continue
		}
		biblio.Complete(rec)
		recs = append(recs, *rec)
	}
	var out bytes.Buffer
	if err := Write(&out, recs); err != nil {
		b.Fatal(err)
	}
	size = out.Len()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out.Reset()
		if err := Write(&out, recs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}
