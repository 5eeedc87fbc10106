package table_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

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

// timed has a timestamp and a date column, required and optional, and a
// list of structs holding a date: the types analysts would otherwise parse
// from text.
type timed struct {
	ID      string     `table:"id"`
	At      time.Time  `table:"at,optional"`
	On      table.Date `table:"on,optional"`
	Created time.Time  `table:"created"`
	Events  []event    `table:"events"`
}

type event struct {
	On    table.Date `table:"on"`
	Count int64      `table:"count"`
}

func TestTimestampsAndDates(t *testing.T) {
	// 2026-03-20 09:29:00 +01:00 is 08:29 UTC; the writer stores the instant.
	at := time.Date(2026, 3, 20, 9, 29, 0, 0, time.FixedZone("CET", 3600))
	rows := []timed{
		{ID: "a", At: at, On: table.Date{Year: 2026, Month: 9, Day: 14}, Created: time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC),
			Events: []event{{table.Date{Year: 1969, Month: 12, Day: 31}, 2}, {table.Date{Year: 2000, Month: 2, Day: 29}, 1}}},
		{ID: "b", Created: time.Unix(0, 0).UTC(), Events: []event{}},
	}
	path := filepath.Join(t.TempDir(), "timed.parquet")
	if err := table.WriteFile(path, rows, table.Meta{Table: "timed"}); err != nil {
		t.Fatal(err)
	}
	got, err := table.ReadFile[timed](path)
	if err != nil {
		t.Fatal(err)
	}
	if !got[0].At.Equal(at) || got[0].At.Location() != time.UTC || got[0].On.String() != "2026-09-14" {
		t.Errorf("row a read back as at=%v on=%v", got[0].At, got[0].On)
	}
	if !got[1].At.IsZero() || !got[1].On.IsZero() {
		t.Errorf("row b: null timestamp and date read back as %v, %v", got[1].At, got[1].On)
	}
	if e := got[0].Events; len(e) != 2 || e[0].On.String() != "1969-12-31" || e[1].On.String() != "2000-02-29" || e[1].Count != 1 {
		t.Errorf("events read back as %+v", e)
	}

	// The independent reader sees the physical values: microseconds since
	// the epoch (UTC) and days since 1970-01-01, worked out by hand.
	raw, err := parquetcheck.ReadRows(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := parquetcheck.Diff(raw, parquetcheck.Flatten(rows)); d != "" {
		t.Error(d)
	}
	if v := raw[0]["at"]; v != int64(1773995340000000) { // 2026-03-20T08:29:00Z
		t.Errorf("at stored as %v", v)
	}
	if v := raw[0]["on"]; v != int32(20710) { // 2026-09-14
		t.Errorf("on stored as %v", v)
	}
	if v := raw[0]["created"]; v != int64(-3600000000) {
		t.Errorf("created stored as %v", v)
	}
	if v := raw[0]["events.on"].([]any); v[0] != int32(-1) || v[1] != int32(11016) {
		t.Errorf("events.on stored as %v", v)
	}
	if raw[1]["at"] != nil || raw[1]["on"] != nil {
		t.Errorf("nulls stored as %v, %v", raw[1]["at"], raw[1]["on"])
	}

	// The Arrow schema says what the values are, so readers restore them as
	// timestamps and dates.
	schema, err := table.Schema(reflect.TypeFor[timed](), table.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"at": "timestamp[us, tz=UTC]", "on": "date32", "events": "list<item: struct<on: date32, count: int64>>"} {
		f, _ := schema.FieldsByName(name)
		if len(f) != 1 || f[0].Type.String() != want {
			t.Errorf("column %s: %v, want %s", name, f, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	d, err := table.ParseDate("2024-02-29")
	if err != nil || d != (table.Date{Year: 2024, Month: time.February, Day: 29}) {
		t.Errorf("ParseDate(2024-02-29) = %v, %v", d, err)
	}
	for _, bad := range []string{"2023-02-29", "29/02/2024", "2024-2-9", ""} {
		if _, err := table.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}

// A committed output written when a count was int32 is read by the next run
// into today's int64 column; a narrowing or a change of kind is an error.
func TestReadWidensInt32(t *testing.T) {
	type before struct {
		ID    string  `table:"id"`
		Count int32   `table:"count"`
		Rank  *int32  `table:"rank"`
		Sizes []int32 `table:"sizes"`
	}
	type after struct {
		ID    string  `table:"id"`
		Count int64   `table:"count"`
		Rank  *int64  `table:"rank"`
		Sizes []int64 `table:"sizes"`
	}
	path := filepath.Join(t.TempDir(), "old.parquet")
	two := int32(2)
	if err := table.WriteFile(path, []before{{"a", 2147483647, &two, []int32{1, -5}}, {"b", -3, nil, nil}}, table.Meta{Table: "old"}); err != nil {
		t.Fatal(err)
	}
	got, err := table.ReadFile[after](path)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Count != 2147483647 || *got[0].Rank != 2 || !reflect.DeepEqual(got[0].Sizes, []int64{1, -5}) || got[1].Count != -3 || got[1].Rank != nil {
		t.Errorf("read %+v", got)
	}
	type narrower struct {
		Count string `table:"count"`
	}
	if _, err := table.ReadFile[narrower](path); err == nil {
		t.Error("an int32 column was read into a string")
	}
}

// A reader that declares some columns gets those, read by name, from a
// file that also holds others; ScanFile gives the same rows as ReadFile,
// a batch of at most ChunkRows at a time; a type that declares none of
// the file's columns still gets one zero row per row.
func TestReadDeclaredColumnsOnly(t *testing.T) {
	type row struct {
		ID       string   `table:"id"`
		Title    string   `table:"title"`
		Abstract string   `table:"abstract"`
		Authors  []string `table:"authors"`
		Year     *int32   `table:"year"`
	}
	type some struct {
		Year    *int32   `table:"year"`
		ID      string   `table:"id"`
		Authors []string `table:"authors"`
		Missing string   `table:"missing,optional"`
	}
	type none struct {
		Other string `table:"other,optional"`
	}
	n := table.ChunkRows*2 + 7
	rows := make([]row, n)
	for i := range rows {
		rows[i] = row{ID: "id-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676)),
			Title: "t", Abstract: "a long abstract", Authors: []string{"A", "B"}[:i%3%2+i%2], Year: year(int32(1990 + i%30))}
	}
	path := filepath.Join(t.TempDir(), "t.parquet")
	if err := table.WriteFile(path, rows, table.Meta{Table: "t"}); err != nil {
		t.Fatal(err)
	}
	got, err := table.ReadFile[some](path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d rows, want %d", len(got), n)
	}
	var scanned []some
	batches := 0
	err = table.ScanFile(path, func(batch []some) error {
		if len(batch) > table.ChunkRows {
			t.Errorf("batch of %d rows", len(batch))
		}
		batches++
		for _, r := range batch {
			// Strings and lists may be kept; the slice itself is reused.
			scanned = append(scanned, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if batches < 3 || !reflect.DeepEqual(scanned, got) {
		t.Errorf("ScanFile: %d batches, rows equal to ReadFile's: %v", batches, reflect.DeepEqual(scanned, got))
	}
	for i, r := range got {
		want := rows[i]
		if r.ID != want.ID || *r.Year != *want.Year || len(r.Authors) != len(want.Authors) || r.Missing != "" {
			t.Fatalf("row %d: %+v, want %+v", i, r, want)
		}
	}
	zero, err := table.ReadFile[none](path)
	if err != nil || len(zero) != n {
		t.Errorf("no declared column: %d rows, %v; want %d", len(zero), err, n)
	}
	count := 0
	if err := table.ScanFile(path, func(batch []none) error { count += len(batch); return nil }); err != nil || count != n {
		t.Errorf("ScanFile, no declared column: %d rows, %v; want %d", count, err, n)
	}
	// ReadAny with columns named reads those and leaves the row type's
	// others zero; a name the row type lacks is an error naming it.
	named, err := table.ReadAny(path, reflect.TypeFor[row](), "year", "id")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range named.Interface().([]row) {
		if r.ID != rows[i].ID || *r.Year != *rows[i].Year || r.Title != "" || r.Abstract != "" || r.Authors != nil {
			t.Fatalf("ReadAny(year, id) row %d: %+v", i, r)
		}
	}
	if _, err := table.ReadAny(path, reflect.TypeFor[row](), "id", "abstrct"); err == nil || !strings.Contains(err.Error(), `"abstrct"`) {
		t.Errorf("ReadAny with an unknown column: %v, want an error naming it", err)
	}
}
