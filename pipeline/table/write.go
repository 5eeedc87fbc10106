package table

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Meta is written into every file's key-value metadata so a table can be
// traced to the tool and config that made it. It must not hold times or
// host names: two runs of one config must give identical bytes.
type Meta struct {
	Table        string
	ToolVersion  string
	ConfigSHA256 string
}

func (m Meta) arrowMetadata() arrow.Metadata {
	return arrow.NewMetadata(
		[]string{"realsynth.table", "realsynth.version", "realsynth.config_sha256"},
		[]string{m.Table, m.ToolVersion, m.ConfigSHA256})
}

// BatchRows is the number of rows per Arrow batch and Parquet row group:
// large enough for good compression, small enough to bound memory.
const BatchRows = 64 * 1024

// WriteFile writes rows (a slice of a tagged struct) as a Parquet file.
func WriteFile[T any](path string, rows []T, meta Meta) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	// pqarrow closes a writer that is an io.Closer; hide it so this function
	// syncs and closes the file itself and reports those errors.
	if err := Write(struct{ io.Writer }{f}, rows, meta); err != nil {
		return err
	}
	return f.Sync()
}

// Write writes rows as Parquet to w: zstd, column statistics, and the Arrow
// schema stored so pandas, polars and R restore the types.
func Write[T any](w io.Writer, rows []T, meta Meta) error {
	return WriteAny(w, reflect.ValueOf(rows), meta)
}

// WriteAny is Write for a reflect.Value holding a slice of rows, for the
// runner, which holds tables of many row types.
func WriteAny(w io.Writer, rows reflect.Value, meta Meta) error {
	if rows.Kind() != reflect.Slice {
		return fmt.Errorf("table %s: rows must be a slice, not %v", meta.Table, rows.Kind())
	}
	rowType := rows.Type().Elem()
	cols, err := columnsOf(rowType)
	if err != nil {
		return fmt.Errorf("table %s: %w", meta.Table, err)
	}
	schema, err := Schema(rowType, meta)
	if err != nil {
		return err
	}
	// The schema's metadata (meta) reaches the footer's key-value metadata
	// through pqarrow, once; appending it again would write every key twice.
	fw, err := pqarrow.NewFileWriter(schema, w, writerProperties(meta), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return fmt.Errorf("table %s: %w", meta.Table, err)
	}
	mem := memory.NewGoAllocator()
	n := rows.Len()
	for start := 0; start < n || (n == 0 && start == 0); start += BatchRows {
		end := min(start+BatchRows, n)
		rec := buildBatch(mem, schema, cols, rows, start, end)
		err := fw.Write(rec)
		rec.Release()
		if err != nil {
			return fmt.Errorf("table %s: %w", meta.Table, err)
		}
		if n == 0 {
			break
		}
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("table %s: %w", meta.Table, err)
	}
	md, err := fw.FileMetadata()
	if err != nil {
		return fmt.Errorf("table %s: %w", meta.Table, err)
	}
	if err := checkOneEncodingPerChunk(md); err != nil {
		return fmt.Errorf("table %s: %w", meta.Table, err)
	}
	return nil
}

// writerProperties are the Parquet settings of every table: zstd, column
// statistics, row groups of BatchRows rows, and no dictionary encoding.
//
// Dictionary encoding is off because it made the bytes of a file depend on
// Go's map order. When a column's dictionary outgrows its page size limit
// after a dictionary-indexed page was written, arrow-go (v18.8.0) writes
// the rest of the column chunk PLAIN, and then fills the chunk's
// encoding_stats in the footer by ranging over a map of page encodings
// (metadata.ColumnChunkMetaDataBuilder.Finish): two entries, in random
// order. Whether that happens depends on the data (a column of 1.3 KB
// abstracts crosses the 1 MiB limit at ~800 distinct values), so no limit
// is safe at every size. With PLAIN pages only, every chunk has one
// encoding and the footer one order. zstd recovers most of what the
// dictionary saved on repetitive columns.
func writerProperties(meta Meta) *parquet.WriterProperties {
	return parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithStats(true),
		parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(BatchRows),
		parquet.WithCreatedBy("realsynth "+meta.ToolVersion),
	)
}

// checkOneEncodingPerChunk fails a write in which a column chunk has pages
// of one type (data, dictionary) in two encodings: arrow-go orders exactly
// those footer entries by map iteration. It guards writerProperties: a
// future setting that lets a chunk mix encodings is an error here, not a
// silent difference between reruns.
func checkOneEncodingPerChunk(md *metadata.FileMetaData) error {
	for g := range md.NumRowGroups() {
		rg := md.RowGroup(g)
		for c := range rg.NumColumns() {
			cc, err := rg.ColumnChunk(c)
			if err != nil {
				return err
			}
			stats := cc.EncodingStats()
			for i := range stats {
				for j := range i {
					if stats[i].PageType == stats[j].PageType {
						return fmt.Errorf("column %s, row group %d: %v pages in %v and %v; the footer would depend on map order",
							cc.PathInSchema(), g, stats[i].PageType, stats[j].Encoding, stats[i].Encoding)
					}
				}
			}
		}
	}
	return nil
}
func buildBatch(mem memory.Allocator, schema *arrow.Schema, cols []column, rows reflect.Value, start, end int) arrow.RecordBatch {
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for i, c := range cols {
		fb := b.Field(i)
		for r := start; r < end; r++ {
			appendValue(fb, c, rows.Index(r).Field(c.index))
		}
	}
	return b.NewRecordBatch()
}

func appendValue(b array.Builder, c column, v reflect.Value) {
	switch {
	case c.list:
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		vb := lb.ValueBuilder()
		for i := 0; i < v.Len(); i++ {
			if c.fields != nil {
				sb := vb.(*array.StructBuilder)
				sb.Append(true)
				for j, sc := range c.fields {
					appendValue(sb.FieldBuilder(j), sc, v.Index(i).Field(sc.index))
				}
			} else {
				appendScalar(vb, c.scalar, v.Index(i))
			}
		}
	case c.pointer:
		if v.IsNil() {
			b.AppendNull()
			return
		}
		appendScalar(b, c.scalar, v.Elem())
	case c.optional && v.IsZero():
		b.AppendNull()
	default:
		appendScalar(b, c.scalar, v)
	}
}

func appendScalar(b array.Builder, k scalar, v reflect.Value) {
	switch k {
	case kString:
		b.(*array.StringBuilder).Append(v.String())
	case kBool:
		b.(*array.BooleanBuilder).Append(v.Bool())
	case kInt32:
		b.(*array.Int32Builder).Append(int32(v.Int()))
	case kInt64:
		b.(*array.Int64Builder).Append(v.Int())
	case kFloat64:
		b.(*array.Float64Builder).Append(v.Float())
	case kTimestamp:
		t := v.Interface().(time.Time)
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(t.UnixMicro()))
	case kDate:
		b.(*array.Date32Builder).Append(arrow.Date32(v.Interface().(Date).days()))
	}
}
