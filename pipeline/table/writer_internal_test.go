package table

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

type note struct {
	Tag   string `table:"tag"`
	Value string `table:"value,optional"`
}

type wideRow struct {
	ID    string   `table:"id"`
	Title string   `table:"title,optional"`
	Year  *int32   `table:"year"`
	Score *float64 `table:"score"`
	Count int64    `table:"count"`
	Flag  bool     `table:"flag"`
	Names []string `table:"names"`
	Notes []note   `table:"notes"`
	Text  string   `table:"text,optional"`
}

func wideRows(n int) []wideRow {
	rows := make([]wideRow, n)
	for i := range rows {
		r := &rows[i]
		r.ID = fmt.Sprintf("id-%07d", i)
		if i%4 != 0 {
			y, s := int32(1990+i%30), float64(i)/7
			r.Title, r.Year, r.Score = fmt.Sprintf("title %d", i%1000), &y, &s
			r.Names = []string{"a", fmt.Sprint(i)}
			r.Notes = []note{{"MH", fmt.Sprint(i % 13)}, {"N1", ""}}
		}
		r.Count, r.Flag = int64(i*i), i%3 == 0
		r.Text = strings.Repeat(fmt.Sprint(i%97), 1+i%40)
	}
	return rows
}

// TestParallelWriterSameBytes: row groups encoded on several CPUs and laid
// one after another give the very file one pqarrow.FileWriter writes, for
// empty, one-group and many-group tables.
func TestParallelWriterSameBytes(t *testing.T) {
	meta := Meta{Table: "wide", ToolVersion: "v", ConfigSHA256: "h"}
	for _, n := range []int{0, 5, BatchRows, 3*BatchRows + 17} {
		rows := wideRows(n)
		cols, schema, err := layout(reflect.TypeFor[wideRow](), meta)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		fw, err := pqarrow.NewFileWriter(schema, &want, writerProperties(meta, cols), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
		if err != nil {
			t.Fatal(err)
		}
		for start := 0; start < n || start == 0; start += BatchRows {
			rec := buildBatch(memory.NewGoAllocator(), schema, cols, rowsOfValue(reflect.ValueOf(rows), start, min(start+BatchRows, n)))
			if err := fw.Write(rec); err != nil {
				t.Fatal(err)
			}
			rec.Release()
			if n == 0 {
				break
			}
		}
		if err := fw.Close(); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := Write(&got, rows, meta); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d rows: the parallel writer's %d bytes differ from pqarrow's %d", n, got.Len(), want.Len())
		}
	}
}
