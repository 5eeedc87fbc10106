package biblio_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
	"github.com/realsynth/realsynth/internal/formats/medline"
	"github.com/realsynth/realsynth/internal/formats/ris"
	"github.com/realsynth/realsynth/internal/tables"
)

// hardRecords are the hard corpus's RIS and MEDLINE records as the readers
// give them to ingest, before Complete.
func hardRecords(b *testing.B) []tables.Record {
	files := testutil.HardExports(b)
	var recs []tables.Record
	for _, rd := range []formats.Reader{ris.NewReader(bytes.NewReader(files["ris"])), medline.NewReader(bytes.NewReader(files["medline"]))} {
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if _, ok := formats.AsBadRecord(err); ok {
				continue
			}
			if err != nil {
				b.Fatal(err)
			}
			recs = append(recs, *rec)
		}
	}
	return recs
}

// clone copies rec with its own lists, since Complete works in place.
func clone(rec tables.Record) tables.Record {
	rec.Authors = append([]string(nil), rec.Authors...)
	rec.AuthorsNormalised = append([]string(nil), rec.AuthorsNormalised...)
	rec.DOIs = append([]string(nil), rec.DOIs...)
	rec.ISSN = append([]string(nil), rec.ISSN...)
	rec.ISBN = append([]string(nil), rec.ISBN...)
	rec.Keywords = append([]string(nil), rec.Keywords...)
	rec.URLs = append([]string(nil), rec.URLs...)
	rec.Notes = append([]string(nil), rec.Notes...)
	rec.PublicationType = append([]string(nil), rec.PublicationType...)
	rec.Extra = append([]tables.Field(nil), rec.Extra...)
	return rec
}

// BenchmarkCompleteHard is Complete on the hard corpus's RIS and MEDLINE
// records, in file order (ns/op, cpu-ns/record and allocs/op are per
// record; copying the records is not timed).
func BenchmarkCompleteHard(b *testing.B) {
	recs := hardRecords(b)
	batch := make([]tables.Record, 1024)
	b.ReportAllocs()
	b.ResetTimer()
	cpu := 0.0
	for i := 0; i < b.N; {
		b.StopTimer()
		n := min(len(batch), b.N-i)
		for k := 0; k < n; k++ {
			batch[k] = clone(recs[(i+k)%len(recs)])
		}
		b.StartTimer()
		start := testutil.CPUSeconds()
		for k := 0; k < n; k++ {
			biblio.Complete(&batch[k])
		}
		cpu += testutil.CPUSeconds() - start
		i += n
	}
	// ns/op is wall time, which other work on a shared machine inflates.
	b.ReportMetric(cpu*1e9/float64(b.N), "cpu-ns/record")
}
