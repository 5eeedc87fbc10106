package table_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/realsynth/realsynth/internal/parquetcheck"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

func year(y int32) *int32 { return &y }

// sampleRecords covers every column kind: required and optional strings,
// a nullable int, empty and filled lists, and a list of structs.
func sampleRecords() []tables.Record {
	return []tables.Record{
		{
			RecordID: "r-1", Round: "2026-03", Database: "MEDLINE", SourceFile: "a.nbib", SourceLine: 1,
			SourceKey: "31234567", Format: "medline", Title: "Peer workers and trust",
			Authors: []string{"Müller, Anna", "O'Brien, K."}, AuthorsNormalised: []string{"Muller, A.", "O'Brien, K."},
			Year: year(2019), Pages: "221-8", PageStart: "221", PageEnd: "228",
			DOI: "10.1000/xyz", DOIs: []string{"10.1000/xyz"}, Keywords: []string{"peer", "harm reduction"},
			Extra: []tables.Field{{Tag: "MH", Value: "Humans"}, {Tag: "MH", Value: "Trust"}},
		},
		{
			// Nothing optional set: every optional column must read back as null,
			// never as an empty-string sentinel.
			RecordID: "r-2", Round: "2026-03", Database: "Embase", SourceFile: "b.ris", SourceLine: 40, Format: "ris",
		},
	}
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "records.parquet")
	want := sampleRecords()
	if err := table.WriteFile(path, want, table.Meta{Table: "records", ToolVersion: "test", ConfigSHA256: "abc"}); err != nil {
		t.Fatal(err)
	}
	got, err := table.ReadFile[tables.Record](path)
	if err != nil {
		t.Fatal(err)
	}
	// Empty slices read back as empty, nil ones as empty too: normalise before comparing.
	for i := range want {
		normaliseSlices(&want[i])
		normaliseSlices(&got[i])
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip differs:\n got %+v\nwant %+v", got, want)
	}
}

func normaliseSlices(r *tables.Record) {
	v := reflect.ValueOf(r).Elem()
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() == 0 {
			f.Set(reflect.Zero(f.Type()))
		}
	}
}

// TestIndependentReader re-reads the file with xitongsys/parquet-go.
func TestIndependentReader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "records.parquet")
	rows := sampleRecords()
	if err := table.WriteFile(path, rows, table.Meta{Table: "records"}); err != nil {
		t.Fatal(err)
	}
	got, err := parquetcheck.ReadRows(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := parquetcheck.Diff(got, parquetcheck.Flatten(rows)); d != "" {
		t.Fatal(d)
	}
	// Spot-check values by hand, so the test does not only compare two
	// renderings of the same mistake.
	if got[0]["title"] != "Peer workers and trust" || got[1]["title"] != nil {
		t.Errorf("title column: %v, %v", got[0]["title"], got[1]["title"])
	}
	if got[0]["year"] != int32(2019) || got[1]["year"] != nil {
		t.Errorf("year column: %v, %v", got[0]["year"], got[1]["year"])
	}
	if tags := got[0]["extra.tag"].([]any); len(tags) != 2 || tags[1] != "MH" {
		t.Errorf("extra.tag: %v", tags)
	}
	if authors := got[1]["authors"].([]any); len(authors) != 0 {
		t.Errorf("authors of row 2: %v, want empty list", authors)
	}
}

func TestSameRowsSameBytes(t *testing.T) {
	var a, b bytes.Buffer
	meta := table.Meta{Table: "records", ToolVersion: "v", ConfigSHA256: "h"}
	if err := table.Write(&a, sampleRecords(), meta); err != nil {
		t.Fatal(err)
	}
	if err := table.Write(&b, sampleRecords(), meta); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two writes of the same rows differ")
	}
}

func TestEmptyTableHasSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.parquet")
	if err := table.WriteFile(path, []tables.Quarantine{}, table.Meta{Table: "quarantine"}); err != nil {
		t.Fatal(err)
	}
	rows, err := table.ReadFile[tables.Quarantine](path)
	if err != nil || len(rows) != 0 {
		t.Fatalf("rows %v err %v", rows, err)
	}
	if fi, _ := os.Stat(path); fi.Size() == 0 {
		t.Fatal("empty file")
	}
}

func TestRejectsUnsupportedTypes(t *testing.T) {
	type bad struct {
		M map[string]string `table:"m"`
	}
	if err := table.Write(&bytes.Buffer{}, []bad{{}}, table.Meta{Table: "bad"}); err == nil {
		t.Fatal("a map column was accepted")
	}
}
