package table_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/realsynth/realsynth/pipeline/table"
)

// fallbackRow is the smallest table that made arrow-go v18.8.0 write
// different bytes for the same rows: one string column whose dictionary
// outgrows the 1 MiB dictionary page limit after a dictionary-encoded data
// page has been cut. The column chunk then holds both dictionary-indexed and
// PLAIN data pages, and arrow-go fills the chunk's encoding_stats from a Go
// map (metadata.EncodingStats), so their order in the footer varied from
// write to write.
type fallbackRow struct {
	Text string `table:"text"`
}

// fallbackRows gives 5,000 distinct 400-byte values, like an abstracts
// column: a dictionary-indexed page is cut at 1 MiB of raw values, then the
// dictionary crosses its 1 MiB limit and the rest is written PLAIN.
func fallbackRows() []fallbackRow {
	rows := make([]fallbackRow, 5000)
	for i := range rows {
		rows[i].Text = fmt.Sprintf("%06d %s", i, strings.Repeat("abstract text ", 28))
	}
	return rows
}

func TestDictionaryFallbackSameBytes(t *testing.T) {
	rows := fallbackRows()
	meta := table.Meta{Table: "fallback", ToolVersion: "v", ConfigSHA256: "h"}
	var first []byte
	// With two encodings in a Go map, 20 writes all agreeing by chance has
	// probability 2^-19.
	for i := range 20 {
		var buf bytes.Buffer
		if err := table.Write(&buf, rows, meta); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = buf.Bytes()
			continue
		}
		if !bytes.Equal(first, buf.Bytes()) {
			t.Fatalf("write %d of the same %d rows differs from the first", i+1, len(rows))
		}
	}
	// Every column chunk holds pages of a single encoding, so no order of a
	// set of encodings can reach the footer, whatever the data size.
	r, err := file.NewParquetReader(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for g := range r.NumRowGroups() {
		rg := r.MetaData().RowGroup(g)
		for c := range rg.NumColumns() {
			cc, err := rg.ColumnChunk(c)
			if err != nil {
				t.Fatal(err)
			}
			if st := cc.EncodingStats(); len(st) != 1 {
				t.Errorf("row group %d column %d: encoding stats %+v, want one data page encoding", g, c, st)
			}
		}
	}
}

// TestFooterKeysOnce: each realsynth.* key is in the footer once (pqarrow
// already copies the Arrow schema metadata there).
func TestFooterKeysOnce(t *testing.T) {
	var buf bytes.Buffer
	meta := table.Meta{Table: "records", ToolVersion: "v1", ConfigSHA256: "abc"}
	if err := table.Write(&buf, sampleRecords(), meta); err != nil {
		t.Fatal(err)
	}
	r, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	kv := r.MetaData().KeyValueMetadata()
	count := map[string]int{}
	for _, k := range kv.Keys() {
		count[k]++
	}
	want := map[string]string{"realsynth.table": "records", "realsynth.version": "v1", "realsynth.config_sha256": "abc"}
	for k, v := range want {
		if count[k] != 1 {
			t.Errorf("footer key %s appears %d times, want once", k, count[k])
		}
		if got := kv.FindValue(k); got == nil || *got != v {
			t.Errorf("footer %s = %v, want %q", k, got, v)
		}
	}
}

// Pages are snappy unless the config asks for zstd; either way a file
// holds one codec.
func TestCompressionIsTheOneAsked(t *testing.T) {
	for _, c := range []struct {
		asked string
		want  compress.Compression
	}{{"", compress.Codecs.Snappy}, {"snappy", compress.Codecs.Snappy}, {"zstd", compress.Codecs.Zstd}} {
		var buf bytes.Buffer
		if err := table.Write(&buf, sampleRecords(), table.Meta{Table: "records", Compression: c.asked}); err != nil {
			t.Fatal(err)
		}
		r, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		for g := range r.NumRowGroups() {
			rg := r.MetaData().RowGroup(g)
			for k := range rg.NumColumns() {
				cc, err := rg.ColumnChunk(k)
				if err != nil {
					t.Fatal(err)
				}
				if cc.Compression() != c.want {
					t.Errorf("compression %q: column %s is %v, want %v", c.asked, cc.PathInSchema(), cc.Compression(), c.want)
				}
			}
		}
		r.Close()
	}
	if table.KnownCompression("lz4") || !table.KnownCompression("zstd") || !table.KnownCompression("") {
		t.Error("KnownCompression accepts lz4 or refuses zstd or the default")
	}
}

// A "text" column (abstracts) is written without min/max statistics; the
// other columns keep theirs, so readers can still skip row groups by them.
func TestTextColumnHasNoStatistics(t *testing.T) {
	rows := sampleRecords()
	rows[0].Abstract = "Background: peer workers. Methods: interviews."
	var buf bytes.Buffer
	if err := table.Write(&buf, rows, table.Meta{Table: "records"}); err != nil {
		t.Fatal(err)
	}
	r, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rg := r.MetaData().RowGroup(0)
	seen := map[string]bool{}
	for k := range rg.NumColumns() {
		cc, err := rg.ColumnChunk(k)
		if err != nil {
			t.Fatal(err)
		}
		name := cc.PathInSchema().String()
		stats, err := cc.StatsSet()
		if err != nil {
			t.Fatal(err)
		}
		seen[name] = stats
	}
	if seen["abstract"] {
		t.Error("abstract has statistics, want none")
	}
	if !seen["title"] || !seen["record_id"] {
		t.Errorf("title / record_id statistics: %v / %v, want both", seen["title"], seen["record_id"])
	}
}

// Tag options are checked: "text" only on strings, no unknown or empty option.
func TestTableTagOptions(t *testing.T) {
	type textInt struct {
		N int64 `table:"n,text"`
	}
	type unknown struct {
		S string `table:"s,optional,long"`
	}
	type empty struct {
		S string `table:"s,optional,"`
	}
	type both struct {
		S string `table:"s,text,optional"`
	}
	for _, c := range []struct {
		row  reflect.Type
		want string // "": no error
	}{
		{reflect.TypeFor[textInt](), `"text" is for string fields`},
		{reflect.TypeFor[unknown](), `unknown table tag option "long"`},
		{reflect.TypeFor[empty](), `empty table tag option`},
		{reflect.TypeFor[both](), ``},
	} {
		_, err := table.Schema(c.row, table.Meta{})
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%v: schema error %v, want one containing %q", c.row, err, c.want)
		}
	}
}
