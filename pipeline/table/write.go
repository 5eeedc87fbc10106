package table

import (
	"fmt"
	"io"
	"os"
	"reflect"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/metadata"
)

// Meta is written into every file's key-value metadata so a table can be
// traced to the tool and config that made it. It must not hold times or
// host names: two runs of one config must give identical bytes.
type Meta struct {
	Table        string
	ToolVersion  string
	ConfigSHA256 string
	// Compression is the pages' codec: "snappy" (also when empty) or "zstd".
	Compression string
}

// KnownCompression says whether c is a Meta.Compression writers accept.
func KnownCompression(c string) bool { return c == "" || c == "snappy" || c == "zstd" }

func (m Meta) arrowMetadata() arrow.Metadata {
	return arrow.NewMetadata(
		[]string{"realsynth.table", "realsynth.version", "realsynth.config_sha256"},
		[]string{m.Table, m.ToolVersion, m.ConfigSHA256})
}

// BatchRows is the number of rows per Arrow batch and Parquet row group.
// Row groups are encoded one per CPU: at 64K rows a 100k-record table was
// two unequal row groups and the works table one, so writing used one
// core and a half. A chunked table's chunks (ChunkRows) are row groups
// as they are: at 16K rows every two chunks were first copied into one
// batch, 2.8 CPU-s of a hard million-record run, on the path that feeds
// the encoders; 8K rows cost 0.3% in file size (records.parquet).
const BatchRows = ChunkRows

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

// Write writes rows as Parquet to w: compressed (see writerProperties), column statistics, and the Arrow
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
	tw, err := NewWriter(w, rows.Type().Elem(), meta)
	if err != nil {
		return err
	}
	mem := memory.NewGoAllocator()
	for start, n := 0, rows.Len(); start < n; start += BatchRows {
		rec := buildBatch(mem, tw.schema, tw.cols, rowsOfValue(rows, start, min(start+BatchRows, n)))
		err := tw.Write(rec)
		rec.Release()
		if err != nil {
			tw.Abort()
			return err
		}
	}
	return tw.Close()
}

// WriteChunked writes a chunked table as Parquet to w: chunk by chunk,
// decoded straight into Arrow columns, never into rows of Go structs.
// Decoding the next chunks overlaps with encoding the last ones.
func WriteChunked(w io.Writer, t *Chunked, meta Meta) error {
	tw, err := NewWriter(w, t.rowType, meta)
	if err != nil {
		return err
	}
	type decoded struct {
		rec arrow.RecordBatch
		err error
	}
	next := make(chan decoded, 2)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(next)
		for i := range t.chunks {
			rec, err := t.Batch(i)
			select {
			case next <- decoded{rec, err}:
			case <-stop:
				if rec != nil {
					rec.Release()
				}
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for d := range next {
		if d.err != nil {
			tw.Abort()
			return fmt.Errorf("table %s: %w", meta.Table, d.err)
		}
		err := tw.Write(d.rec)
		d.rec.Release()
		if err != nil {
			tw.Abort()
			return err
		}
	}
	return tw.Close()
}

func emptyColumns(schema *arrow.Schema) []arrow.Array {
	mem := memory.NewGoAllocator()
	cols := make([]arrow.Array, schema.NumFields())
	for i, f := range schema.Fields() {
		cols[i] = array.MakeArrayOfNull(mem, f.Type, 0)
	}
	return cols
}

// writerProperties are the Parquet settings of every table: snappy (or
// zstd at its fastest level), column statistics, row groups of BatchRows
// rows, and no dictionary encoding.
//
// Snappy by default: at a hard million records, zstd's compressing was a
// tenth of the run's CPU, and writing the tables took 19.4 s with zstd,
// 14.5 s with snappy, for files 25% larger (records.parquet 524 to 654 MB)
// and twice as large for duplicate_pairs (39 to 73 MB). zstd's fastest
// level: its default level cost another tenth of a 100k-record run's CPU
// (12.3 to 11.1 CPU-s) for files 8% smaller.
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
func writerProperties(meta Meta, cols []column) *parquet.WriterProperties {
	codec, level := compress.Codecs.Snappy, compress.DefaultCompressionLevel
	if meta.Compression == "zstd" {
		codec, level = compress.Codecs.Zstd, 1
	}
	opts := []parquet.WriterProperty{
		parquet.WithCompression(codec),
		parquet.WithCompressionLevel(level),
		parquet.WithStats(true),
		parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(BatchRows),
		parquet.WithCreatedBy("realsynth " + meta.ToolVersion),
	}
	for _, c := range cols {
		if c.text {
			opts = append(opts, parquet.WithStatsFor(c.name, false))
		}
	}
	return parquet.NewWriterProperties(opts...)
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
