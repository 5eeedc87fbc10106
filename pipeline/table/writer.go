package table

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Writer streams batches of one table's rows into a Parquet file, cut into
// row groups of BatchRows rows however the batches come. Row groups are
// encoded (pages built and compressed: most of writing) on every CPU at once: each
// as a one-row-group Parquet file of its own, whose bytes are then laid
// one after another in the real file, with the offsets in their metadata
// moved to where they landed and one footer for all. The result is byte
// for byte the file one pqarrow.FileWriter writes from the same rows
// (TestParallelWriterSameBytes), so the bytes depend only on the rows,
// not on how they were batched or how many CPUs encoded them.
type Writer struct {
	w       io.Writer
	schema  *arrow.Schema
	cols    []column
	meta    Meta
	pending []arrow.RecordBatch // rows not yet in a row group
	nPend   int64
	groups  int

	work     chan *rowGroup // to the encoders
	inOrder  chan *rowGroup // to the layout, in file order
	encoders sync.WaitGroup
	laidOut  chan error // the layout's result, once it has stopped
	failed   chan struct{}
	failOnce sync.Once

	// Written by the layout goroutine only.
	pos    int64                  // bytes written to w
	laid   int                    // row groups written
	footer *metadata.FileMetaData // the first row group's, gathering the others
}

// rowGroup is one row group on its way: its rows, then its encoding.
type rowGroup struct {
	rows    arrow.RecordBatch
	encoded chan struct{} // closed when data, md and err are set
	data    []byte        // its column chunks, as laid out in its own file from byte 4
	md      *metadata.FileMetaData
	err     error
}

// NewWriter starts a Parquet file of rowType's table on w.
func NewWriter(w io.Writer, rowType reflect.Type, meta Meta) (*Writer, error) {
	cols, schema, err := layout(rowType, meta)
	if err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	tw := &Writer{
		w: w, schema: schema, cols: cols, meta: meta,
		work: make(chan *rowGroup), inOrder: make(chan *rowGroup, workers),
		laidOut: make(chan error, 1), failed: make(chan struct{}),
	}
	if _, err := w.Write(magic); err != nil {
		return nil, fmt.Errorf("table %s: %w", meta.Table, err)
	}
	tw.pos = int64(len(magic))
	for range workers {
		tw.encoders.Add(1)
		go func() {
			defer tw.encoders.Done()
			for g := range tw.work {
				g.data, g.md, g.err = encodeRowGroup(schema, cols, meta, g.rows)
				g.rows.Release()
				g.rows = nil
				close(g.encoded)
			}
		}()
	}
	go func() { tw.laidOut <- tw.layOut() }()
	return tw, nil
}

var magic = []byte("PAR1")

// encodeRowGroup writes rows as a Parquet file of one row group, with the
// table's schema and settings, and returns its column chunks and metadata.
func encodeRowGroup(schema *arrow.Schema, cols []column, meta Meta, rows arrow.RecordBatch) ([]byte, *metadata.FileMetaData, error) {
	var buf bytes.Buffer
	// The schema's metadata (meta) reaches the footer's key-value metadata
	// through pqarrow, once; appending it again would write every key twice.
	fw, err := pqarrow.NewFileWriter(schema, &buf, writerProperties(meta, cols), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return nil, nil, err
	}
	if err := fw.Write(rows); err != nil {
		fw.Close()
		return nil, nil, err
	}
	if err := fw.Close(); err != nil {
		return nil, nil, err
	}
	md, err := fw.FileMetadata()
	if err != nil {
		return nil, nil, err
	}
	if err := checkOneEncodingPerChunk(md); err != nil {
		return nil, nil, err
	}
	file := buf.Bytes()
	footer := int(binary.LittleEndian.Uint32(file[len(file)-8:]))
	return file[len(magic) : len(file)-8-footer], md, nil
}

// layOut writes the encoded row groups to w in order, each after the
// last, and gathers their metadata, moved to where they landed.
func (w *Writer) layOut() error {
	var err error
	for g := range w.inOrder {
		<-g.encoded
		if err != nil {
			continue // drain: the encoders must not block
		}
		if err = g.err; err != nil {
			w.fail()
			continue
		}
		shift := w.pos - int64(len(magic))
		ordinal := int16(w.laid)
		for _, rg := range g.md.RowGroups {
			rg.Ordinal = &ordinal
			if rg.FileOffset != nil {
				off := *rg.FileOffset + shift
				rg.FileOffset = &off
			}
			for _, cc := range rg.Columns {
				cc.FileOffset += shift
				if md := cc.MetaData; md != nil {
					md.DataPageOffset += shift
					for _, p := range []**int64{&md.IndexPageOffset, &md.DictionaryPageOffset, &md.BloomFilterOffset} {
						if *p != nil {
							off := **p + shift
							*p = &off
						}
					}
				}
				if cc.OffsetIndexOffset != nil || cc.ColumnIndexOffset != nil {
					err = fmt.Errorf("internal error: a page index is not laid out by this writer")
				}
			}
		}
		if err != nil {
			w.fail()
			continue
		}
		if w.footer == nil {
			w.footer = g.md
		} else if err = w.footer.AppendRowGroups(g.md); err != nil {
			w.fail()
			continue
		}
		var n int
		n, err = w.w.Write(g.data)
		w.pos += int64(n)
		if err != nil {
			w.fail()
		}
		w.laid++
	}
	return err
}

func (w *Writer) fail() { w.failOnce.Do(func() { close(w.failed) }) }

// Write adds rec's rows (its columns are the table's, in order).
func (w *Writer) Write(rec arrow.RecordBatch) error {
	if !rec.Schema().Equal(w.schema) {
		return fmt.Errorf("table %s: batch schema %v, want %v", w.meta.Table, rec.Schema(), w.schema)
	}
	if rec.NumRows() == 0 {
		return nil
	}
	rec.Retain()
	w.pending = append(w.pending, rec)
	w.nPend += rec.NumRows()
	for w.nPend >= BatchRows {
		if err := w.cut(BatchRows); err != nil {
			return err
		}
	}
	return nil
}

// cut sends the first n pending rows to be encoded as one row group.
func (w *Writer) cut(n int64) error {
	var parts []arrow.RecordBatch
	var rest []arrow.RecordBatch
	need := n
	for _, rec := range w.pending {
		switch rows := rec.NumRows(); {
		case need == 0:
			rest = append(rest, rec)
		case rows <= need:
			parts = append(parts, rec)
			need -= rows
		default:
			parts = append(parts, rec.NewSlice(0, need))
			rest = append(rest, rec.NewSlice(need, rows))
			rec.Release()
			need = 0
		}
	}
	w.pending, w.nPend = rest, w.nPend-n
	group := parts[0]
	if len(parts) > 1 {
		var err error
		group, err = concatBatches(w.schema, parts)
		for _, p := range parts {
			p.Release()
		}
		if err != nil {
			return fmt.Errorf("table %s: %w", w.meta.Table, err)
		}
	}
	return w.send(group)
}

func (w *Writer) send(rows arrow.RecordBatch) error {
	g := &rowGroup{rows: rows, encoded: make(chan struct{})}
	select {
	case w.inOrder <- g:
	case <-w.failed:
		rows.Release()
		return w.stop()
	}
	w.work <- g
	w.groups++
	return nil
}

// stop ends the encoders and the layout and returns the first error.
func (w *Writer) stop() error {
	if w.work == nil {
		return fmt.Errorf("table %s: writer already stopped", w.meta.Table)
	}
	close(w.work)
	w.encoders.Wait()
	close(w.inOrder)
	w.work = nil
	if err := <-w.laidOut; err != nil {
		return fmt.Errorf("table %s: %w", w.meta.Table, err)
	}
	return nil
}

func concatBatches(schema *arrow.Schema, parts []arrow.RecordBatch) (arrow.RecordBatch, error) {
	mem := memory.NewGoAllocator()
	cols := make([]arrow.Array, schema.NumFields())
	n := int64(0)
	for _, p := range parts {
		n += p.NumRows()
	}
	for i := range cols {
		arrs := make([]arrow.Array, len(parts))
		for k, p := range parts {
			arrs[k] = p.Column(i)
		}
		col, err := array.Concatenate(arrs, mem)
		if err != nil {
			for _, c := range cols[:i] {
				c.Release()
			}
			return nil, err
		}
		cols[i] = col
	}
	rec := array.NewRecordBatch(schema, cols, n)
	for _, c := range cols {
		c.Release()
	}
	return rec, nil
}

// Close writes the last row group (an empty one for a table without rows)
// and the footer.
func (w *Writer) Close() error {
	var err error
	switch {
	case w.nPend > 0:
		err = w.cut(w.nPend)
	case w.groups == 0:
		err = w.send(array.NewRecordBatch(w.schema, emptyColumns(w.schema), 0))
	}
	if err != nil {
		w.Abort()
		return err
	}
	if err := w.stop(); err != nil {
		return err
	}
	n, err := w.footer.WriteTo(w.w, nil)
	if err == nil {
		err = binary.Write(w.w, binary.LittleEndian, uint32(n))
	}
	if err == nil {
		_, err = w.w.Write(magic)
	}
	if err != nil {
		return fmt.Errorf("table %s: %w", w.meta.Table, err)
	}
	return nil
}

// Abort stops the encoders without finishing the file (after an error).
func (w *Writer) Abort() {
	for _, p := range w.pending {
		p.Release()
	}
	w.pending = nil
	if w.work != nil {
		w.fail()
		w.stop()
	}
}
