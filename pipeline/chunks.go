package pipeline

import (
	"fmt"
	"iter"
	"reflect"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

// Large tables (records, with abstracts, at a million rows) are not held as
// slices of Go structs: a stage builds them as a table.Chunked, whose chunks
// of Arrow columns are encoded into the run's spill file, and puts that
// (PutChunked). Later stages read any table chunk by chunk with Scan,
// decoding only the columns they name, and the runner streams it to
// Parquet. Small tables stay slices (Put, Get).

// Spill is where this run's chunked tables keep their chunks: a file in a
// folder beside the output (Execute sets it), or memory for a run that
// writes nothing (validate, tests).
func (run *Run) Spill() (*table.Spill, error) {
	run.mu.Lock()
	defer run.mu.Unlock()
	if run.spill == nil {
		s, err := table.NewSpill(run.spillDir)
		if err != nil {
			return nil, err
		}
		run.spill = s
	}
	return run.spill, nil
}

// Close frees what the run holds outside its tables in memory: the spill
// file of its chunked tables, which are gone afterwards.
func (run *Run) Close() error {
	run.mu.Lock()
	s := run.spill
	run.spill, run.spillDir = nil, ""
	for name, t := range run.tables {
		if _, ok := t.(*table.Chunked); ok {
			delete(run.tables, name)
		}
	}
	run.mu.Unlock()
	if s != nil {
		return s.Close()
	}
	return nil
}

func (run *Run) unlinkSpill() error {
	run.mu.Lock()
	defer run.mu.Unlock()
	if run.spill == nil {
		return nil
	}
	return run.spill.Unlink()
}

// NewChunked starts an empty chunked table for the catalog table name, in
// the run's spill. Fill it (table.AppendRows, or EncodeRows and Add), then PutChunked.
func NewChunked[T any](run *Run, name string) (*table.Chunked, error) {
	if err := checkRowType(name, reflect.TypeFor[T]()); err != nil {
		return nil, err
	}
	s, err := run.Spill()
	if err != nil {
		return nil, err
	}
	return table.NewChunked(reflect.TypeFor[T](), s)
}

// PutChunked stores a chunked table under its catalog name, replacing any
// earlier version.
func PutChunked(run *Run, name string, t *table.Chunked) error {
	if err := checkRowType(name, t.RowType()); err != nil {
		return err
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	run.tables[name] = t
	return nil
}

func checkRowType(name string, got reflect.Type) error {
	spec, ok := tables.Lookup(name)
	if !ok {
		return fmt.Errorf("internal error: table %q is not declared in internal/tables", name)
	}
	if want := reflect.TypeOf(spec.Row); got != want {
		return fmt.Errorf("internal error: table %q holds %v rows, not %v", name, want, got)
	}
	return nil
}

// Len is the number of rows of a table put so far; ok is false when no
// stage put it.
func Len(run *Run, name string) (n int, ok bool) {
	run.mu.Lock()
	v, ok := run.tables[name]
	run.mu.Unlock()
	switch t := v.(type) {
	case nil:
		return 0, false
	case *table.Chunked:
		return t.Len(), true
	default:
		return reflect.ValueOf(v).Len(), true
	}
}

// SetStrings makes a string column of a table read as values (one per row,
// in table order) from now on: dedupe gives the records their work ids
// without rewriting the records.
func SetStrings(run *Run, name, column string, values []string) error {
	run.mu.Lock()
	v, ok := run.tables[name]
	run.mu.Unlock()
	if !ok {
		return fmt.Errorf("internal error: no table %q to set %s in", name, column)
	}
	if t, isChunked := v.(*table.Chunked); isChunked {
		if err := t.SetStrings(column, values); err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		return nil
	}
	rows := reflect.ValueOf(v)
	if rows.Len() != len(values) {
		return fmt.Errorf("internal error: table %s: %d values of %s for %d rows", name, len(values), column, rows.Len())
	}
	field := -1
	rowType := rows.Type().Elem()
	for i := range rowType.NumField() {
		if tag := rowType.Field(i).Tag.Get("table"); tag == column || len(tag) > len(column) && tag[:len(column)+1] == column+"," {
			field = i
		}
	}
	if field < 0 || rowType.Field(field).Type.Kind() != reflect.String {
		return fmt.Errorf("internal error: table %s has no string column %s", name, column)
	}
	for i, s := range values {
		rows.Index(i).Field(field).SetString(s)
	}
	return nil
}

// Scanner reads a table chunk by chunk (see Scan).
type Scanner[T any] struct {
	run  *Run
	name string
	only []string
	err  error
}

// Scan reads the table name chunk by chunk as rows of T: the table's row
// type, or a struct declaring only the columns a stage needs (matched by
// name, as for Previous). With columns named, only those are decoded and
// T's other fields stay zero. A table no stage put reads as empty (see Len).
//
//	sc := pipeline.Scan[tables.Record](run, "records", "record_id", "title")
//	for start, rows := range sc.Chunks() { ... }
//	if err := sc.Err(); err != nil { ... }
func Scan[T any](run *Run, name string, columns ...string) *Scanner[T] {
	return &Scanner[T]{run: run, name: name, only: columns}
}

// Err is the first error Chunks met.
func (sc *Scanner[T]) Err() error { return sc.err }

// Chunks yields the table in order, one chunk at a time: the row number of
// its first row and its rows. The rows are only valid until the next
// chunk (their memory is reused); strings and slices in them may be kept.
// The next chunk is decoded while the caller works on this one.
func (sc *Scanner[T]) Chunks() iter.Seq2[int, []T] {
	return func(yield func(int, []T) bool) {
		sc.run.mu.Lock()
		v, ok := sc.run.tables[sc.name]
		sc.run.mu.Unlock()
		if !ok {
			return
		}
		if t, isChunked := v.(*table.Chunked); isChunked {
			sc.err = scanChunked(t, sc.only, yield)
			if sc.err != nil {
				sc.err = fmt.Errorf("table %s: %w", sc.name, sc.err)
			}
			return
		}
		if rows, same := v.([]T); same {
			// Rows in memory, of this very type: windows of the table itself.
			for start := 0; start < len(rows); start += table.ChunkRows {
				if !yield(start, rows[start:min(start+table.ChunkRows, len(rows))]) {
					return
				}
			}
			return
		}
		// Rows in memory of another type: through Arrow, as from a file.
		all := reflect.ValueOf(v)
		meta := table.Meta{Table: sc.name}
		var buf []T
		for start := 0; start < all.Len(); start += table.ChunkRows {
			rec, err := table.BuildBatchAny(all.Slice(start, min(start+table.ChunkRows, all.Len())), meta)
			if err == nil {
				buf, err = table.DecodeBatch(rec, buf, sc.only...)
				rec.Release()
			}
			if err != nil {
				sc.err = fmt.Errorf("table %s: %w", sc.name, err)
				return
			}
			if !yield(start, buf) {
				return
			}
		}
	}
}

// All collects every row of the table (a narrow T keeps that small: a
// stage that needs three columns of 600k works for the whole stage).
func (sc *Scanner[T]) All() ([]T, error) {
	n, _ := Len(sc.run, sc.name)
	all := make([]T, 0, n)
	for _, rows := range sc.Chunks() {
		all = append(all, rows...)
	}
	return all, sc.Err()
}

// scanChunked decodes chunk i+1 on another goroutine while yield works on
// chunk i, alternating between two buffers of rows.
func scanChunked[T any](t *table.Chunked, only []string, yield func(int, []T) bool) error {
	type decoded struct {
		chunk int
		rows  []T
		err   error
	}
	free := make(chan []T, 2)
	free <- nil
	free <- nil
	ready := make(chan decoded)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(ready)
		for i := 0; i < t.NumChunks(); i++ {
			var buf []T
			select {
			case buf = <-free:
			case <-stop:
				return
			}
			rows, err := table.DecodeChunk(t, i, buf, only...)
			select {
			case ready <- decoded{i, rows, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for d := range ready {
		if d.err != nil {
			return d.err
		}
		if !yield(t.ChunkStart(d.chunk), d.rows) {
			return nil
		}
		free <- d.rows
	}
	return nil
}
