package table

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// TestGuardCatchesMixedEncodings writes the fallback case with arrow-go's
// default dictionary setting and checks that the writer's guard names it.
func TestGuardCatchesMixedEncodings(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{{Name: "text", Type: arrow.BinaryTypes.String}}, nil)
	b := array.NewStringBuilder(memory.DefaultAllocator)
	for i := range 5000 {
		b.Append(fmt.Sprintf("%06d %s", i, strings.Repeat("abstract text ", 28)))
	}
	col := b.NewArray()
	rec := array.NewRecordBatch(schema, []arrow.Array{col}, int64(col.Len()))
	var buf bytes.Buffer
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd))
	if err := pqarrow.WriteTable(array.NewTableFromRecords(schema, []arrow.RecordBatch{rec}), &buf, 1<<20, props, pqarrow.DefaultWriterProps()); err != nil {
		t.Fatal(err)
	}
	r, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	err = checkOneEncodingPerChunk(r.MetaData())
	if err == nil || !strings.Contains(err.Error(), "column text, row group 0: DATA_PAGE pages in") {
		t.Fatalf("guard: %v", err)
	}
}
