package table

import (
	"context"
	"fmt"
	"os"
	"reflect"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
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
// reflect.Value holding a []rowType.
func ReadAny(path string, rowType reflect.Type) (reflect.Value, error) {
	f, err := os.Open(path)
	if err != nil {
		return reflect.Value{}, err
	}
	defer f.Close()
	tbl, err := pqarrow.ReadTable(context.Background(), f, parquet.NewReaderProperties(nil),
		pqarrow.ArrowReadProperties{}, memory.NewGoAllocator())
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
