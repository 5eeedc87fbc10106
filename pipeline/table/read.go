package table

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
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
	schema := tbl.Schema()
	for _, c := range cols {
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
			for i := 0; i < chunk.Len(); i++ {
				setValue(rv.Index(r).Field(c.index), c, chunk, i)
				r++
			}
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

func setValue(dst reflect.Value, c column, arr arrow.Array, i int) {
	if arr.IsNull(i) {
		return // zero value: "" for optional, nil for pointers
	}
	switch {
	case c.list:
		la := arr.(*array.List)
		from, to := la.ValueOffsets(i)
		values := la.ListValues()
		out := reflect.MakeSlice(c.goType, int(to-from), int(to-from))
		for j := from; j < to; j++ {
			elem := out.Index(int(j - from))
			if c.fields != nil {
				sa := values.(*array.Struct)
				for k, sc := range c.fields {
					setValue(elem.Field(sc.index), sc, sa.Field(k), int(j))
				}
			} else {
				setScalar(elem, c.scalar, values, int(j))
			}
		}
		dst.Set(out)
	case c.pointer:
		p := reflect.New(c.goType.Elem())
		setScalar(p.Elem(), c.scalar, arr, i)
		dst.Set(p)
	default:
		setScalar(dst, c.scalar, arr, i)
	}
}

func setScalar(dst reflect.Value, k scalar, arr arrow.Array, i int) {
	switch k {
	case kString:
		dst.SetString(arr.(*array.String).Value(i))
	case kBool:
		dst.SetBool(arr.(*array.Boolean).Value(i))
	case kInt32:
		dst.SetInt(int64(arr.(*array.Int32).Value(i)))
	case kInt64:
		if narrow, ok := arr.(*array.Int32); ok { // written before counts were int64
			dst.SetInt(int64(narrow.Value(i)))
			return
		}
		dst.SetInt(arr.(*array.Int64).Value(i))
	case kFloat64:
		dst.SetFloat(arr.(*array.Float64).Value(i))
	case kTimestamp:
		t := time.UnixMicro(int64(arr.(*array.Timestamp).Value(i))).UTC()
		dst.Set(reflect.ValueOf(t))
	case kDate:
		dst.Set(reflect.ValueOf(dateFromDays(int32(arr.(*array.Date32).Value(i)))))
	}
}
