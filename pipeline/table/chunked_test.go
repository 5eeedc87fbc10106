package table_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

// manyRecords is more than two chunks and more than one row group of
// records, with every column kind filled on some rows and empty on others.
func manyRecords(n int) []tables.Record {
	rows := make([]tables.Record, n)
	for i := range rows {
		r := &rows[i]
		r.RecordID = fmt.Sprintf("rec-%06d", i)
		r.Round, r.Database, r.SourceFile, r.SourceLine, r.Format = "r1", "MEDLINE", "a.nbib", int64(i*12+1), "medline"
		if i%3 != 0 {
			r.Title = fmt.Sprintf("Title %d of a family of near-identical titles", i)
			r.Authors = []string{fmt.Sprintf("Author %d", i), "Second, A."}
			r.Year = year(int32(1990 + i%30))
			r.Extra = []tables.Field{{Tag: "MH", Value: fmt.Sprint(i)}}
		}
		if i%7 == 0 {
			r.Abstract = fmt.Sprintf("Abstract %d.\nResults: none.", i)
			r.Keywords = []string{}
		}
	}
	return rows
}

func chunkedOf(t *testing.T, rows []tables.Record, spill *table.Spill) *table.Chunked {
	t.Helper()
	c, err := table.NewChunked(reflect.TypeFor[tables.Record](), spill)
	if err != nil {
		t.Fatal(err)
	}
	if err := table.AppendRows(c, rows); err != nil {
		t.Fatal(err)
	}
	return c
}

// writesAndReads checks that c, a table of records, is written as the
// bytes want, and returns its rows read back whole.
func writesAndReads(t *testing.T, c *table.Chunked, meta table.Meta, want []byte) []tables.Record {
	t.Helper()
	var got bytes.Buffer
	if err := table.WriteChunked(&got, c, meta); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("chunked table writes %d bytes, want %d", got.Len(), len(want))
	}
	all, err := c.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return all.Interface().([]tables.Record)
}

// TestChunkedWritesTheSameBytes: a table written from chunks in a spill
// file is byte for byte the table written from a slice, row groups and all.
func TestChunkedWritesTheSameBytes(t *testing.T) {
	rows := manyRecords(table.BatchRows + 2*table.ChunkRows + 5)
	meta := table.Meta{Table: "records", ToolVersion: "v", ConfigSHA256: "h"}
	var want bytes.Buffer
	if err := table.Write(&want, rows, meta); err != nil {
		t.Fatal(err)
	}
	spill, err := table.NewSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer spill.Close()
	c := chunkedOf(t, rows, spill)
	if c.Len() != len(rows) || c.NumChunks() != (len(rows)+table.ChunkRows-1)/table.ChunkRows {
		t.Fatalf("%d rows in %d chunks", c.Len(), c.NumChunks())
	}
	back := writesAndReads(t, c, meta, want.Bytes())
	for i := range rows {
		normaliseSlices(&rows[i])
		normaliseSlices(&back[i])
	}
	if !reflect.DeepEqual(back, rows) {
		t.Fatal("ReadAll differs from the rows appended")
	}
}

// TestDecodeChunkColumns: a reader that names columns gets those and
// zeros elsewhere, a narrower row type gets its own columns, and a column
// set with SetStrings reads as set.
func TestDecodeChunkColumns(t *testing.T) {
	rows := manyRecords(table.ChunkRows + 10)
	spill, _ := table.NewSpill("")
	c := chunkedOf(t, rows, spill)
	workIDs := make([]string, len(rows))
	for i := range workIDs {
		workIDs[i] = fmt.Sprintf("W-%d", i/2)
	}
	if err := c.SetStrings("work_id", workIDs); err != nil {
		t.Fatal(err)
	}
	got, err := table.DecodeChunk[tables.Record](c, 1, nil, "record_id", "work_id", "year")
	if err != nil {
		t.Fatal(err)
	}
	first := table.ChunkRows
	// Row first+2 has a title, authors and a year (see manyRecords).
	if len(got) != 10 || got[2].RecordID != rows[first+2].RecordID || got[2].WorkID != workIDs[first+2] ||
		got[2].Year == nil || *got[2].Year != *rows[first+2].Year || got[2].Title != "" || got[2].Authors != nil || got[2].Round != "" {
		t.Fatalf("decoded %+v", got[2])
	}
	type narrow struct {
		Title  string `table:"title,optional"`
		WorkID string `table:"work_id,optional"`
	}
	n, err := table.DecodeChunk[narrow](c, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n[1].Title != rows[1].Title || n[1].WorkID != "W-0" || n[0].Title != "" {
		t.Fatalf("narrow rows %+v %+v", n[0], n[1])
	}
	if err := c.SetStrings("work_id", workIDs[1:]); err == nil {
		t.Error("SetStrings took a value count unlike the row count")
	}
	if err := c.SetStrings("authors", workIDs); err == nil {
		t.Error("SetStrings took a list column")
	}
}

// TestSpillUnlink: the spill file can leave its folder while its chunks
// stay readable; Close frees them.
func TestSpillUnlink(t *testing.T) {
	dir := t.TempDir()
	spill, err := table.NewSpill(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := chunkedOf(t, manyRecords(100), spill)
	if err := spill.Unlink(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("left in the folder: %v", left)
	}
	rows, err := table.DecodeChunk[tables.Record](c, 0, nil, "record_id")
	if err != nil || len(rows) != 100 || rows[99].RecordID != "rec-000099" {
		t.Fatalf("after unlink: %d rows, %v", len(rows), err)
	}
	if err := spill.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := table.DecodeChunk[tables.Record](c, 0, nil); err == nil {
		t.Error("a closed spill still read")
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("unexpected file")
	}
}

// TestAppenderKeepsOrder: batches encoded concurrently by an Appender make
// the same table, byte for byte once written, as AppendRows in one go.
func TestAppenderKeepsOrder(t *testing.T) {
	rows := manyRecords(3*table.ChunkRows + 123)
	meta := table.Meta{Table: "records", ToolVersion: "v", ConfigSHA256: "h"}
	spill, err := table.NewSpill("")
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := table.WriteChunked(&want, chunkedOf(t, rows, spill), meta); err != nil {
		t.Fatal(err)
	}
	c, err := table.NewChunked(reflect.TypeFor[tables.Record](), spill)
	if err != nil {
		t.Fatal(err)
	}
	ap, err := table.NewAppender[tables.Record](c)
	if err != nil {
		t.Fatal(err)
	}
	// Batches of uneven sizes, some over a chunk, each a slice of its own.
	for start, size := 0, 1; start < len(rows); start, size = start+size, size*3+1 {
		batch := append([]tables.Record(nil), rows[start:min(start+size, len(rows))]...)
		if err := ap.Append(batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := ap.Close(); err != nil {
		t.Fatal(err)
	}
	if c.Len() != len(rows) {
		t.Fatalf("%d rows, want %d", c.Len(), len(rows))
	}
	back := writesAndReads(t, c, meta, want.Bytes())
	for i := range rows {
		if back[i].RecordID != rows[i].RecordID {
			t.Fatalf("row %d is %s, want %s", i, back[i].RecordID, rows[i].RecordID)
		}
	}
	if _, err := table.NewAppender[tables.Work](c); err == nil {
		t.Fatal("an appender of works to a records table was accepted")
	}
}
