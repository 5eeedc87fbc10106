package table

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// ReadFile reads a Parquet file written by WriteFile back into rows of T.
// Columns are matched by name, so a file written before a column was added
// still reads (the new field stays zero), and T may declare only the columns
// it needs; a column of the wrong type is an error.
func ReadFile[T any](path string) ([]T, error) {
	rows, err := ReadAny(path, reflect.TypeFor[T]())
	if err != nil {
		return nil, err
	}
	return rows.Interface().([]T), nil
}

// ReadAny is ReadFile for a row type known only at run time; it returns a
// reflect.Value holding a []rowType. With only, it reads just the columns
// named (the others stay zero): the report needs five columns of works,
// not their abstracts.
func ReadAny(path string, rowType reflect.Type, only ...string) (reflect.Value, error) {
	cols, err := columnsOf(rowType)
	if err != nil {
		return reflect.Value{}, err
	}
	if len(only) > 0 {
		var named []column
		for _, name := range only {
			i := slices.IndexFunc(cols, func(c column) bool { return c.name == name })
			if i < 0 {
				return reflect.Value{}, fmt.Errorf("%s: rows of %v have no column %q", path, rowType, name)
			}
			named = append(named, cols[i])
		}
		cols = named
	}
	f, fr, leaves, err := openProjected(path, cols, 0)
	if err != nil {
		return reflect.Value{}, err
	}
	defer f.Close()
	if len(leaves) == 0 {
		n := int(fr.ParquetReader().NumRows())
		return reflect.MakeSlice(reflect.SliceOf(rowType), n, n), nil
	}
	groups := make([]int, fr.ParquetReader().NumRowGroups())
	for i := range groups {
		groups[i] = i
	}
	tbl, err := fr.ReadRowGroups(context.Background(), leaves, groups)
	if err != nil {
		return reflect.Value{}, fmt.Errorf("%s: %w", path, err)
	}
	defer tbl.Release()
	rows, err := fromTable(tbl, rowType)
	if err != nil {
		return reflect.Value{}, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

// ScanFile reads a Parquet file written by WriteFile a batch of rows at a
// time (ChunkRows at most), matched by name as ReadFile does: a large
// table (the previous run's records) is never all in memory. The rows
// passed to each are reused for the next batch; their strings and slices
// may be kept.
func ScanFile[T any](path string, each func(rows []T) error) error {
	cols, err := columnsOf(reflect.TypeFor[T]())
	if err != nil {
		return err
	}
	f, fr, leaves, err := openProjected(path, cols, ChunkRows)
	if err != nil {
		return err
	}
	defer f.Close()
	if len(leaves) == 0 {
		// No column T declares is in the file: its rows, all zero.
		for n := fr.ParquetReader().NumRows(); n > 0; n -= ChunkRows {
			if err := each(make([]T, min(n, ChunkRows))); err != nil {
				return err
			}
		}
		return nil
	}
	rr, err := fr.GetRecordReader(context.Background(), leaves, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer rr.Release()
	var rows []T
	for rr.Next() {
		if rows, err = DecodeBatch(rr.RecordBatch(), rows); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := each(rows); err != nil {
			return err
		}
	}
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// openProjected opens a Parquet file for reading the leaf columns of the
// top-level columns cols name, and only those: the previous run's
// records.parquet is 2.6 GB of Arrow columns at a million records, most
// of it abstracts that no reader of it needs. batchRows 0 leaves the
// reader's default.
func openProjected(path string, cols []column, batchRows int64) (*os.File, *pqarrow.FileReader, []int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	pf, err := file.NewParquetReader(f)
	if err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: batchRows}, memory.NewGoAllocator())
	if err != nil {
		f.Close()
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	want := make(map[string]bool, len(cols))
	for _, c := range cols {
		want[c.name] = true
	}
	sch := pf.MetaData().Schema
	var leaves []int
	for i := 0; i < sch.NumColumns(); i++ {
		if want[sch.ColumnRoot(i).Name()] {
			leaves = append(leaves, i)
		}
	}
	return f, fr, leaves, nil
}

func fromTable(tbl arrow.Table, rowType reflect.Type) (reflect.Value, error) {
	cols, err := columnsOf(rowType)
	if err != nil {
		return reflect.Value{}, err
	}
	n := int(tbl.NumRows())
	rv := reflect.MakeSlice(reflect.SliceOf(rowType), n, n)
	if n == 0 {
		return rv, nil
	}
	all := rowsOfValue(rv, 0, n)
	schema := tbl.Schema()
	for i := range cols {
		c := &cols[i]
		idx := schema.FieldIndices(c.name)
		if len(idx) == 0 {
			continue
		}
		col := tbl.Column(idx[0])
		if !arrow.TypeEqual(col.DataType(), c.arrow) && !widens(col.DataType(), c.arrow) {
			return reflect.Value{}, fmt.Errorf("column %s is %s, want %s", c.name, col.DataType(), c.arrow)
		}
		r := 0
		for _, chunk := range col.Data().Chunks() {
			decodeColumn(chunk, 0, c, rowsOf{base: all.at(r, 0), stride: all.stride, n: chunk.Len()})
			r += chunk.Len()
		}
	}
	return rv, nil
}

// widens reports whether a file's column type can be read into a declared
// one without loss: an int32 column (or list of int32) into int64. Outputs
// committed before counts became int64 are read by the next run.
func widens(file, declared arrow.DataType) bool {
	if fl, ok := file.(*arrow.ListType); ok {
		if dl, ok := declared.(*arrow.ListType); ok {
			return widens(fl.Elem(), dl.Elem())
		}
		return false
	}
	return file.ID() == arrow.INT32 && declared.ID() == arrow.INT64
}
