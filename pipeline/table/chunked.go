package table

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ChunkRows is how many rows a chunk of a chunked table holds at most: a
// chunk of records with abstracts is ~20 MB of Go structs while it is
// built, ~21 MB of Arrow columns once encoded.
const ChunkRows = 8192

// Spill holds the encoded chunks of chunked tables: appended to one file
// in a folder (the run's temporary output folder) or, without a folder, in
// memory. A million records with abstracts are ~2.6 GB of Arrow columns;
// in a file they cost no memory of the process.
type Spill struct {
	path string
	f    *os.File
	end  atomic.Int64
	mu   sync.Mutex
	mem  [][]byte // without a file
}

// NewSpill makes a spill file in dir; with dir "", chunks stay in memory.
func NewSpill(dir string) (*Spill, error) {
	if dir == "" {
		return &Spill{}, nil
	}
	f, err := os.CreateTemp(dir, "chunks-*")
	if err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	return &Spill{path: f.Name(), f: f}, nil
}

// Close deletes the spill file; the chunked tables in it are gone.
func (s *Spill) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mem = nil
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if rerr := os.Remove(s.path); err == nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = rerr
	}
	s.f = nil
	return err
}

// Unlink removes the spill file's name but keeps it open: its chunks stay
// readable until Close, and the folder it was in can be committed without it.
func (s *Spill) Unlink() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("spill: %w", err)
	}
	return nil
}

// blob is where one encoded column of one chunk is: an offset and length
// in the file, or an index into mem.
type blob struct {
	off int64
	n   int
}

// put stores b, which it may keep: the caller does not use b afterwards.
func (s *Spill) put(b []byte) (blob, error) {
	if !s.inFile() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.mem = append(s.mem, b)
		return blob{int64(len(s.mem) - 1), len(b)}, nil
	}
	off := s.end.Add(int64(len(b))) - int64(len(b))
	s.mu.Lock()
	f := s.f
	s.mu.Unlock()
	if f == nil {
		return blob{}, fmt.Errorf("spill %s is closed", s.path)
	}
	if _, err := f.WriteAt(b, off); err != nil {
		return blob{}, fmt.Errorf("spill: %w", err)
	}
	return blob{off, len(b)}, nil
}

// inFile says whether put writes to the file (and keeps none of its
// argument) rather than keeping the bytes in memory.
func (s *Spill) inFile() bool { return s.path != "" }

func (s *Spill) get(b blob) ([]byte, error) {
	s.mu.Lock()
	f := s.f
	if !s.inFile() {
		defer s.mu.Unlock()
		if b.off >= int64(len(s.mem)) {
			return nil, fmt.Errorf("spill: chunk %d is gone", b.off)
		}
		return s.mem[b.off], nil
	}
	s.mu.Unlock()
	if f == nil {
		return nil, fmt.Errorf("spill %s is closed", s.path)
	}
	buf := make([]byte, b.n)
	if _, err := f.ReadAt(buf, b.off); err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	return buf, nil
}

// Chunk is one encoded batch of rows of a chunked table: each column on
// its own (Arrow IPC), so a reader that needs three columns decodes three.
// Columns are not compressed: S2 cost a tenth of a whole run's CPU time to
// encode and decode, and a spill file lives in the page cache, not in the
// process (2.6 GB for a million records with abstracts).
type Chunk struct {
	Rows int
	cols []blob // in schema order
}

// Chunked is a table held as a sequence of encoded chunks in a Spill
// instead of a slice of Go structs. Rows are read back chunk by chunk
// (DecodeChunk, Batch) and written to Parquet without becoming structs
// again (WriteChunked).
type Chunked struct {
	rowType reflect.Type
	cols    []column
	schema  *arrow.Schema
	spill   *Spill
	chunks  []Chunk
	starts  []int
	rows    int
	// strings replace a string column's values at read time (by row): the
	// records' work ids, known only once dedupe has run.
	strings map[string][]string
}

// NewChunked makes an empty chunked table of rowType's schema in spill.
func NewChunked(rowType reflect.Type, spill *Spill) (*Chunked, error) {
	cols, err := columnsOf(rowType)
	if err != nil {
		return nil, err
	}
	return &Chunked{rowType: rowType, cols: cols, schema: arrow.NewSchema(arrowFields(cols), nil), spill: spill}, nil
}

// RowType is the Go type of the table's rows.
func (t *Chunked) RowType() reflect.Type { return t.rowType }

// Len is the number of rows.
func (t *Chunked) Len() int { return t.rows }

// NumChunks is the number of chunks.
func (t *Chunked) NumChunks() int { return len(t.chunks) }

// ChunkStart is the row number of chunk i's first row.
func (t *Chunked) ChunkStart(i int) int { return t.starts[i] }

// encode encodes a batch of the table's schema into the spill, without
// adding it to the table. It is safe to call from several goroutines.
func (t *Chunked) encode(rec arrow.RecordBatch) (Chunk, error) {
	if !rec.Schema().Equal(t.schema) {
		return Chunk{}, fmt.Errorf("chunk of %v: schema %v, want %v", t.rowType, rec.Schema(), t.schema)
	}
	ch := Chunk{Rows: int(rec.NumRows()), cols: make([]blob, rec.NumCols())}
	for i, col := range rec.Columns() {
		b, err := t.encodeColumn(i, col, rec.NumRows())
		if err != nil {
			return Chunk{}, err
		}
		ch.cols[i] = b
	}
	return ch, nil
}

// encodeColumn writes column k's values into the spill.
func (t *Chunked) encodeColumn(k int, col arrow.Array, rows int64) (blob, error) {
	// Sized once: growing the buffer as the column is written copied
	// each chunk of abstracts several times over.
	buf, _ := encodeBuffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	buf.Grow(ipcSize(col.Data()))
	one := arrow.NewSchema([]arrow.Field{t.schema.Field(k)}, nil)
	// The IPC file format, not the stream: decodeColumn maps its buffers
	// straight from the bytes read back, without a second copy.
	w, err := ipc.NewFileWriter(buf, ipc.WithSchema(one), ipc.WithAllocator(memory.NewGoAllocator()))
	if err != nil {
		return blob{}, fmt.Errorf("chunk of %v, column %s: %w", t.rowType, t.schema.Field(k).Name, err)
	}
	r1 := array.NewRecordBatch(one, []arrow.Array{col}, rows)
	err = w.Write(r1)
	r1.Release()
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return blob{}, fmt.Errorf("chunk of %v, column %s: %w", t.rowType, t.schema.Field(k).Name, err)
	}
	b, err := t.spill.put(buf.Bytes())
	if t.spill.inFile() {
		encodeBuffers.Put(buf)
	}
	return b, err
}

// encodeBuffers are encodeColumn's buffers, used again once their bytes
// are in the spill file: a fresh buffer per column of every chunk (10 MB
// for 8K abstracts) was 7% of a million-record run's page faults, as the
// runtime hands freed memory back to the system and touching it again
// traps (slowly, on a virtual machine).
var encodeBuffers sync.Pool

// ipcSize is a little more than the bytes of an IPC file holding one
// column: its buffers, each padded, and room for the schema, the batch's
// metadata and the footer.
func ipcSize(d arrow.ArrayData) int {
	n := 4096
	var add func(d arrow.ArrayData)
	add = func(d arrow.ArrayData) {
		for _, b := range d.Buffers() {
			if b != nil {
				n += b.Len() + 64
			}
		}
		for _, c := range d.Children() {
			add(c)
		}
	}
	add(d)
	return n
}

// Add appends an encoded chunk to the table.
func (t *Chunked) Add(ch Chunk) {
	t.chunks = append(t.chunks, ch)
	t.starts = append(t.starts, t.rows)
	t.rows += ch.Rows
}

// AppendRows encodes rows (of the table's row type) as chunks of at most
// ChunkRows and adds them.
func AppendRows[T any](t *Chunked, rows []T) error {
	if reflect.TypeFor[T]() != t.rowType {
		return fmt.Errorf("rows of %v appended to a table of %v", reflect.TypeFor[T](), t.rowType)
	}
	chunks, err := encodeRows(t, rows)
	for _, ch := range chunks {
		t.Add(ch)
	}
	return err
}

// EncodeRows encodes rows (of the table's row type) as chunks of at most
// ChunkRows, in order, without adding them to t (see Add): files read in
// parallel encode their chunks as they go. It stops at the first error.
func EncodeRows[T any](t *Chunked, rows []T) ([]Chunk, error) {
	if reflect.TypeFor[T]() != t.rowType {
		return nil, fmt.Errorf("rows of %v encoded for a table of %v", reflect.TypeFor[T](), t.rowType)
	}
	return encodeRows(t, rows)
}

func encodeRows[T any](t *Chunked, rows []T) ([]Chunk, error) {
	var chunks []Chunk
	for start := 0; start < len(rows); start += ChunkRows {
		part := rows[start:min(start+ChunkRows, len(rows))]
		// The batch is encoded and released before anything else sees it.
		rec := buildBatch(recycled, t.schema, t.cols, rowsOf{base: unsafe.Pointer(unsafe.SliceData(part)), stride: unsafe.Sizeof(part[0]), n: len(part)})
		ch, err := t.encode(rec)
		rec.Release()
		if err != nil {
			return chunks, err
		}
		chunks = append(chunks, ch)
	}
	return chunks, nil
}

// SetStrings makes the string column read as values (one per row, in
// table order) from now on, whatever the chunks hold.
func (t *Chunked) SetStrings(column string, values []string) error {
	c := t.column(column)
	if c == nil || c.list || c.pointer || c.scalar != kString {
		return fmt.Errorf("table of %v has no string column %q", t.rowType, column)
	}
	if len(values) != t.rows {
		return fmt.Errorf("column %s: %d values for %d rows", column, len(values), t.rows)
	}
	if t.strings == nil {
		t.strings = map[string][]string{}
	}
	t.strings[column] = values
	return nil
}

func (t *Chunked) column(name string) *column {
	for i := range t.cols {
		if t.cols[i].name == name {
			return &t.cols[i]
		}
	}
	return nil
}

// Batch decodes chunk i: the named columns (all when only is empty), in
// schema order, as one Arrow record batch.
func (t *Chunked) Batch(i int, only ...string) (arrow.RecordBatch, error) {
	rec, err := t.batchOf(t.chunks[i], t.starts[i], only)
	if err != nil {
		return nil, fmt.Errorf("table of %v, chunk %d: %w", t.rowType, i, err)
	}
	return rec, nil
}

// batchOf decodes ch; start is its first row's number in the table, for
// the columns set by SetStrings (-1: a chunk not in the table).
func (t *Chunked) batchOf(ch Chunk, start int, only []string) (arrow.RecordBatch, error) {
	for _, name := range only {
		if t.column(name) == nil {
			return nil, fmt.Errorf("no column %q", name)
		}
	}
	var fields []arrow.Field
	var arrays []arrow.Array
	defer func() {
		for _, a := range arrays {
			a.Release()
		}
	}()
	mem := memory.NewGoAllocator()
	for k := range t.cols {
		c := &t.cols[k]
		if len(only) > 0 && !contains(only, c.name) {
			continue
		}
		var arr arrow.Array
		if values, ok := t.strings[c.name]; ok && start >= 0 {
			part := values[start : start+ch.Rows]
			arr = stringArray(mem, len(part), c.optional, func(yield func(string)) {
				for _, v := range part {
					yield(v)
				}
			})
		} else {
			var err error
			if arr, err = t.decodeColumn(ch.cols[k]); err != nil {
				return nil, fmt.Errorf("column %s: %w", c.name, err)
			}
		}
		fields = append(fields, t.schema.Field(k))
		arrays = append(arrays, arr)
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), arrays, int64(ch.Rows)), nil
}

func (t *Chunked) decodeColumn(b blob) (arrow.Array, error) {
	stored, err := t.spill.get(b)
	if err != nil {
		return nil, err
	}
	// The arrays point into stored: read once from the spill, never copied.
	r, err := ipc.NewMappedFileReader(stored, ipc.WithAllocator(memory.NewGoAllocator()))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if r.NumRecords() != 1 {
		return nil, fmt.Errorf("%d batches in a column chunk, want 1", r.NumRecords())
	}
	rec, err := r.RecordBatchAt(0)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	col := rec.Column(0)
	col.Retain()
	return col, nil
}

// DecodeChunk decodes chunk i of t into rows of T, reusing dst's memory
// (see DecodeBatch): the named columns, or, when only is empty, every
// column T declares. T may be the table's row type or any struct
// declaring some of its columns.
func DecodeChunk[T any](t *Chunked, i int, dst []T, only ...string) ([]T, error) {
	if len(only) == 0 {
		cols, err := columnsOf(reflect.TypeFor[T]())
		if err != nil {
			return nil, err
		}
		for _, c := range cols {
			only = append(only, c.name)
		}
	}
	rec, err := t.Batch(i, only...)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	return DecodeBatch(rec, dst, only...)
}

// DecodeEncoded decodes a chunk that t encoded (EncodeRows) but that need not
// be part of it, into rows of T: the named columns, or all (see DecodeChunk).
func DecodeEncoded[T any](t *Chunked, ch Chunk, dst []T, only ...string) ([]T, error) {
	rec, err := t.batchOf(ch, -1, only)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	return DecodeBatch(rec, dst, only...)
}

// WithStrings is ch with the string column's values replaced (one per
// row): only that column is encoded again.
func (t *Chunked) WithStrings(ch Chunk, column string, values []string) (Chunk, error) {
	k := -1
	for i := range t.cols {
		if c := &t.cols[i]; c.name == column && !c.list && !c.pointer && c.scalar == kString {
			k = i
		}
	}
	if k < 0 || len(values) != ch.Rows {
		return Chunk{}, fmt.Errorf("chunk of %v: no string column %q of %d rows", t.rowType, column, len(values))
	}
	arr := stringArray(recycled, len(values), t.cols[k].optional, func(yield func(string)) {
		for _, v := range values {
			yield(v)
		}
	})
	defer arr.Release()
	b, err := t.encodeColumn(k, arr, int64(ch.Rows))
	if err != nil {
		return Chunk{}, err
	}
	out := Chunk{Rows: ch.Rows, cols: slices.Clone(ch.cols)}
	out.cols[k] = b
	return out, nil
}

// ReadAll decodes the whole table, or the columns named, into one slice
// of its row type, for tests and small tables; a large table is read chunk
// by chunk.
func (t *Chunked) ReadAll(only ...string) (reflect.Value, error) {
	rv := reflect.MakeSlice(reflect.SliceOf(t.rowType), t.rows, t.rows)
	if t.rows == 0 {
		return rv, nil
	}
	all := rowsOfValue(rv, 0, t.rows)
	for i, ch := range t.chunks {
		rec, err := t.Batch(i, only...)
		if err != nil {
			return reflect.Value{}, err
		}
		err = decodeColumns(rec.Schema(), rec.Columns(), t.cols, rowsOf{base: all.at(t.starts[i], 0), stride: all.stride, n: ch.Rows}, only)
		rec.Release()
		if err != nil {
			return reflect.Value{}, err
		}
	}
	return rv, nil
}

// Appender adds batches of rows to a chunked table in the order given,
// encoding them on every CPU meanwhile: building and encoding the Arrow
// columns of a million works with abstracts is seconds of work for one
// core. A batch handed to Append belongs to the appender from then on.
type Appender[T any] struct {
	t       *Chunked
	pending []*appended // in order
	err     error
}

type appended struct {
	chunks []Chunk
	err    error
	done   chan struct{}
}

// NewAppender appends to t, whose row type must be T.
func NewAppender[T any](t *Chunked) (*Appender[T], error) {
	if reflect.TypeFor[T]() != t.rowType {
		return nil, fmt.Errorf("rows of %v appended to a table of %v", reflect.TypeFor[T](), t.rowType)
	}
	return &Appender[T]{t: t}, nil
}

// Append starts encoding rows (as chunks of at most ChunkRows) and adds
// every batch before it that is done. It returns the first error met.
func (a *Appender[T]) Append(rows []T) error {
	if a.err != nil || len(rows) == 0 {
		return a.err
	}
	b := &appended{done: make(chan struct{})}
	go func() {
		defer close(b.done)
		b.chunks, b.err = encodeRows(a.t, rows)
	}()
	a.pending = append(a.pending, b)
	// At most one batch per CPU in flight: memory stays bounded.
	for len(a.pending) > runtime.GOMAXPROCS(0) && a.err == nil {
		a.addOldest()
	}
	return a.err
}

// addOldest waits for the oldest batch in flight and adds its chunks.
func (a *Appender[T]) addOldest() {
	b := a.pending[0]
	a.pending = a.pending[1:]
	<-b.done
	if b.err != nil {
		a.err = b.err
		return
	}
	for _, ch := range b.chunks {
		a.t.Add(ch)
	}
}

// Close waits for every batch and returns the first error; after an error
// the table is incomplete.
func (a *Appender[T]) Close() error {
	for len(a.pending) > 0 {
		if a.err != nil {
			<-a.pending[0].done // let it finish; its chunks are not added
			a.pending = a.pending[1:]
			continue
		}
		a.addOldest()
	}
	return a.err
}
