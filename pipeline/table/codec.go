package table

import (
	"fmt"
	"reflect"
	"time"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// This file moves rows between Go structs and Arrow columns. A column is
// read and written at its field's offset in the struct, one column at a
// time over all rows, so no value goes through reflection: at a million
// records with ~40 columns, reflect.Value per value was a tenth of a run.
//
// Decoded strings point into the Arrow buffers they came from (memory from
// memory.NewGoAllocator, never reused), and a decoded list points into one
// backing array per column and batch, so rows may be kept after the batch is
// released; keeping one value keeps its column's buffer of that batch alive.

// sliceHeader is the memory layout of any Go slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// rowsOf describes n rows laid out stride bytes apart from base.
type rowsOf struct {
	base   unsafe.Pointer
	stride uintptr
	n      int
}

func (r rowsOf) at(i int, offset uintptr) unsafe.Pointer {
	return unsafe.Add(r.base, uintptr(i)*r.stride+offset)
}

// BuildBatch turns rows into one Arrow record batch of the row type's schema.
func BuildBatch[T any](rows []T, meta Meta) (arrow.RecordBatch, error) {
	return BuildBatchAny(reflect.ValueOf(rows), meta)
}

// BuildBatchAny is BuildBatch for a reflect.Value holding a slice of rows.
func BuildBatchAny(rows reflect.Value, meta Meta) (arrow.RecordBatch, error) {
	if rows.Kind() != reflect.Slice {
		return nil, fmt.Errorf("table %s: rows must be a slice, not %v", meta.Table, rows.Kind())
	}
	cols, schema, err := layout(rows.Type().Elem(), meta)
	if err != nil {
		return nil, err
	}
	return buildBatch(memory.NewGoAllocator(), schema, cols, rowsOfValue(rows, 0, rows.Len())), nil
}

// layout is a row type's columns and its Arrow schema with meta attached.
func layout(rowType reflect.Type, meta Meta) ([]column, *arrow.Schema, error) {
	cols, err := columnsOf(rowType)
	if err != nil {
		return nil, nil, fmt.Errorf("table %s: %w", meta.Table, err)
	}
	schema, err := Schema(rowType, meta)
	if err != nil {
		return nil, nil, err
	}
	return cols, schema, nil
}

func rowsOfValue(rows reflect.Value, start, end int) rowsOf {
	stride := rows.Type().Elem().Size()
	if end <= start {
		return rowsOf{stride: stride}
	}
	return rowsOf{base: unsafe.Add(rows.UnsafePointer(), uintptr(start)*stride), stride: stride, n: end - start}
}

func buildBatch(mem memory.Allocator, schema *arrow.Schema, cols []column, rows rowsOf) arrow.RecordBatch {
	arrays := make([]arrow.Array, len(cols))
	for i := range cols {
		arrays[i] = buildColumn(mem, &cols[i], rows)
	}
	rec := array.NewRecordBatch(schema, arrays, int64(rows.n))
	for _, a := range arrays {
		a.Release()
	}
	return rec
}

// buildColumn makes the Arrow array of column c over rows. Strings and
// lists of strings, most of a records table, are laid out directly: an
// offsets buffer and one value buffer of the exact size, without a
// builder's per-value bookkeeping.
func buildColumn(mem memory.Allocator, c *column, rows rowsOf) arrow.Array {
	switch {
	case !c.list && !c.pointer && c.scalar == kString:
		return stringArray(mem, rows.n, c.optional, func(yield func(string)) {
			for i := 0; i < rows.n; i++ {
				yield(*(*string)(rows.at(i, c.offset)))
			}
		})
	case c.list && c.fields == nil && c.scalar == kString:
		listOffsets := memory.NewResizableBuffer(mem)
		listOffsets.Resize((rows.n + 1) * 4)
		offs := arrow.Int32Traits.CastFromBytes(listOffsets.Bytes())
		items := 0
		for i := 0; i < rows.n; i++ {
			offs[i] = int32(items)
			items += (*sliceHeader)(rows.at(i, c.offset)).len
		}
		offs[rows.n] = int32(items)
		values := stringArray(mem, items, false, func(yield func(string)) {
			for i := 0; i < rows.n; i++ {
				for _, v := range *(*[]string)(rows.at(i, c.offset)) {
					yield(v)
				}
			}
		})
		defer values.Release()
		data := array.NewData(c.arrow, rows.n, []*memory.Buffer{nil, listOffsets}, []arrow.ArrayData{values.Data()}, 0, 0)
		defer data.Release()
		listOffsets.Release()
		return array.NewListData(data)
	}
	b := array.NewBuilder(mem, c.arrow)
	defer b.Release()
	appendColumn(b, c, rows, true)
	return b.NewArray()
}

// stringArray lays out the n strings each yields, in order, as an Arrow
// string array; with optional, "" is null. It calls each twice: to size
// the buffers, then to fill them.
func stringArray(mem memory.Allocator, n int, optional bool, each func(yield func(string))) arrow.Array {
	total, nulls := 0, 0
	each(func(v string) {
		total += len(v)
		if optional && v == "" {
			nulls++
		}
	})
	offsets := memory.NewResizableBuffer(mem)
	offsets.Resize((n + 1) * 4)
	offs := arrow.Int32Traits.CastFromBytes(offsets.Bytes())
	values := memory.NewResizableBuffer(mem)
	values.Resize(total)
	buf := values.Bytes()
	var validity *memory.Buffer
	var bits []byte
	if nulls > 0 {
		validity = memory.NewResizableBuffer(mem)
		validity.Resize(int(bitutil.BytesForBits(int64(n))))
		bits = validity.Bytes()
	}
	pos, i := 0, 0
	each(func(v string) {
		offs[i] = int32(pos)
		pos += copy(buf[pos:], v)
		if bits != nil && v != "" {
			bitutil.SetBit(bits, i)
		}
		i++
	})
	offs[n] = int32(pos)
	data := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{validity, offsets, values}, nil, nulls, 0)
	defer data.Release()
	for _, b := range []*memory.Buffer{validity, offsets, values} {
		if b != nil {
			b.Release()
		}
	}
	return array.NewStringData(data)
}

// appendColumn appends column c of every row to b; reserve as in appendScalars.
func appendColumn(b array.Builder, c *column, rows rowsOf, reserve bool) {
	switch {
	case c.list:
		lb := b.(*array.ListBuilder)
		lb.Reserve(rows.n)
		vb := lb.ValueBuilder()
		elemSize := c.elemType.Size()
		if reserve {
			reserveListStrings(vb, c, rows)
		}
		for i := 0; i < rows.n; i++ {
			h := (*sliceHeader)(rows.at(i, c.offset))
			lb.Append(true)
			if h.len == 0 {
				continue
			}
			elems := rowsOf{base: h.data, stride: elemSize, n: h.len}
			if c.fields != nil {
				sb := vb.(*array.StructBuilder)
				for k := 0; k < h.len; k++ {
					sb.Append(true)
				}
				for j := range c.fields {
					appendColumn(sb.FieldBuilder(j), &c.fields[j], elems, false)
				}
			} else {
				appendScalars(vb, c.scalar, false, elems, 0, false)
			}
		}
	case c.pointer:
		for i := 0; i < rows.n; i++ {
			p := *(*unsafe.Pointer)(rows.at(i, c.offset))
			if p == nil {
				b.AppendNull()
				continue
			}
			appendScalars(b, c.scalar, false, rowsOf{base: p, n: 1}, 0, false)
		}
	default:
		appendScalars(b, c.scalar, c.optional, rows, c.offset, reserve)
	}
}

// reserveListStrings makes room in a list column's value builder for the
// strings of every row at once (the elements' own strings, or the string
// fields of its struct elements): reserving per row would regrow, and copy,
// the value buffers once per row.
func reserveListStrings(vb array.Builder, c *column, rows rowsOf) {
	elemSize := c.elemType.Size()
	reserve := func(sb *array.StringBuilder, offset uintptr) {
		items, bytes := 0, 0
		for i := 0; i < rows.n; i++ {
			h := (*sliceHeader)(rows.at(i, c.offset))
			for k := 0; k < h.len; k++ {
				items, bytes = items+1, bytes+len(*(*string)(unsafe.Add(h.data, uintptr(k)*elemSize+offset)))
			}
		}
		sb.Reserve(items)
		sb.ReserveData(bytes)
	}
	if c.fields == nil {
		if c.scalar == kString {
			reserve(vb.(*array.StringBuilder), 0)
		}
		return
	}
	sb := vb.(*array.StructBuilder)
	for j := range c.fields {
		if f := &c.fields[j]; !f.list && !f.pointer && f.scalar == kString {
			reserve(sb.FieldBuilder(j).(*array.StringBuilder), f.offset)
		}
	}
}

// appendScalars appends the value at offset of each row; with optional,
// a zero value is appended as null. With reserve, a string column makes
// room for all its bytes first: one allocation instead of doubling (and
// copying) the value buffer as it fills. Callers that append a few values
// at a time reserve once themselves, since each reservation regrows exactly.
func appendScalars(b array.Builder, k scalar, optional bool, rows rowsOf, offset uintptr, reserve bool) {
	switch k {
	case kString:
		sb := b.(*array.StringBuilder)
		if reserve {
			total := 0
			for i := 0; i < rows.n; i++ {
				total += len(*(*string)(rows.at(i, offset)))
			}
			sb.Reserve(rows.n)
			sb.ReserveData(total)
		}
		for i := 0; i < rows.n; i++ {
			s := *(*string)(rows.at(i, offset))
			if optional && s == "" {
				sb.AppendNull()
			} else {
				sb.Append(s)
			}
		}
	case kBool:
		bb := b.(*array.BooleanBuilder)
		for i := 0; i < rows.n; i++ {
			v := *(*bool)(rows.at(i, offset))
			if optional && !v {
				bb.AppendNull()
			} else {
				bb.Append(v)
			}
		}
	case kInt32:
		ib := b.(*array.Int32Builder)
		for i := 0; i < rows.n; i++ {
			v := *(*int32)(rows.at(i, offset))
			if optional && v == 0 {
				ib.AppendNull()
			} else {
				ib.Append(v)
			}
		}
	case kInt64:
		ib := b.(*array.Int64Builder)
		for i := 0; i < rows.n; i++ {
			v := *(*int64)(rows.at(i, offset))
			if optional && v == 0 {
				ib.AppendNull()
			} else {
				ib.Append(v)
			}
		}
	case kFloat64:
		fb := b.(*array.Float64Builder)
		for i := 0; i < rows.n; i++ {
			v := *(*float64)(rows.at(i, offset))
			if optional && v == 0 {
				fb.AppendNull()
			} else {
				fb.Append(v)
			}
		}
	case kTimestamp:
		tb := b.(*array.TimestampBuilder)
		for i := 0; i < rows.n; i++ {
			t := *(*time.Time)(rows.at(i, offset))
			if optional && t == (time.Time{}) {
				tb.AppendNull()
			} else {
				tb.Append(arrow.Timestamp(t.UnixMicro()))
			}
		}
	case kDate:
		db := b.(*array.Date32Builder)
		for i := 0; i < rows.n; i++ {
			d := *(*Date)(rows.at(i, offset))
			if optional && d.IsZero() {
				db.AppendNull()
			} else {
				db.Append(arrow.Date32(d.days()))
			}
		}
	}
}

// DecodeBatch decodes rec into rows of T, reusing dst's memory: the
// columns named in only (all of T's columns when only is empty); T's other
// fields are left zero. Columns are matched by name, so T may declare a
// subset of the batch's columns, and a column T declares that the batch
// lacks stays zero (a file written before it was added).
func DecodeBatch[T any](rec arrow.RecordBatch, dst []T, only ...string) ([]T, error) {
	n := int(rec.NumRows())
	if cap(dst) < n {
		dst = make([]T, n)
	}
	dst = dst[:n]
	clear(dst)
	if n == 0 {
		return dst, nil
	}
	cols, err := columnsOf(reflect.TypeFor[T]())
	if err != nil {
		return nil, err
	}
	rows := rowsOf{base: unsafe.Pointer(unsafe.SliceData(dst)), stride: unsafe.Sizeof(dst[0]), n: n}
	return dst, decodeColumns(rec.Schema(), rec.Columns(), cols, rows, only)
}

// decodeColumns decodes the named columns (all when only is empty) of
// arrays into rows.
func decodeColumns(schema *arrow.Schema, arrays []arrow.Array, cols []column, rows rowsOf, only []string) error {
	for i := range cols {
		c := &cols[i]
		if len(only) > 0 && !contains(only, c.name) {
			continue
		}
		idx := schema.FieldIndices(c.name)
		if len(idx) == 0 {
			continue
		}
		arr := arrays[idx[0]]
		if !arrow.TypeEqual(arr.DataType(), c.arrow) && !widens(arr.DataType(), c.arrow) {
			return fmt.Errorf("column %s is %s, want %s", c.name, arr.DataType(), c.arrow)
		}
		decodeColumn(arr, 0, c, rows)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// decodeColumn sets column c of rows[i] from arr[start+i]. The rows are
// zero beforehand, so a null is left as it is.
func decodeColumn(arr arrow.Array, start int, c *column, rows rowsOf) {
	switch {
	case c.list:
		if rows.n == 0 {
			return
		}
		la := arr.(*array.List)
		first, _ := la.ValueOffsets(start)
		_, last := la.ValueOffsets(start + rows.n - 1)
		total := int(last - first)
		// One backing array for the lists of all rows.
		backing := reflect.MakeSlice(reflect.SliceOf(c.elemType), total, total).UnsafePointer()
		elemSize := c.elemType.Size()
		elems := rowsOf{base: backing, stride: elemSize, n: total}
		if total > 0 {
			if c.fields != nil {
				sa := la.ListValues().(*array.Struct)
				for j := range c.fields {
					decodeColumn(sa.Field(j), int(first), &c.fields[j], elems)
				}
			} else {
				decodeScalars(la.ListValues(), int(first), c.scalar, elems, 0)
			}
		}
		for i := 0; i < rows.n; i++ {
			if la.IsNull(start + i) {
				continue
			}
			from, to := la.ValueOffsets(start + i)
			data := backing // an empty list: never a pointer past the backing array's end
			if to > from {
				data = unsafe.Add(backing, uintptr(from-first)*elemSize)
			}
			*(*sliceHeader)(rows.at(i, c.offset)) = sliceHeader{data: data, len: int(to - from), cap: int(to - from)}
		}
	case c.pointer:
		valid := rows.n - arr.NullN()
		if arr.NullN() > 0 {
			valid = 0
			for i := 0; i < rows.n; i++ {
				if arr.IsValid(start + i) {
					valid++
				}
			}
		}
		backing := reflect.MakeSlice(reflect.SliceOf(c.elemType), valid, valid).UnsafePointer()
		elemSize := c.elemType.Size()
		k := 0
		for i := 0; i < rows.n; i++ {
			if arr.IsNull(start + i) {
				continue
			}
			p := unsafe.Add(backing, uintptr(k)*elemSize)
			decodeScalars(arr, start+i, c.scalar, rowsOf{base: p, n: 1}, 0)
			*(*unsafe.Pointer)(rows.at(i, c.offset)) = p
			k++
		}
	default:
		decodeScalars(arr, start, c.scalar, rows, c.offset)
	}
}

// decodeScalars sets the value at offset of rows[i] from arr[start+i],
// leaving nulls zero.
func decodeScalars(arr arrow.Array, start int, k scalar, rows rowsOf, offset uintptr) {
	nulls := arr.NullN() > 0
	switch k {
	case kString:
		a := arr.(*array.String)
		for i := 0; i < rows.n; i++ {
			if !nulls || a.IsValid(start+i) {
				*(*string)(rows.at(i, offset)) = a.Value(start + i)
			}
		}
	case kBool:
		a := arr.(*array.Boolean)
		for i := 0; i < rows.n; i++ {
			if !nulls || a.IsValid(start+i) {
				*(*bool)(rows.at(i, offset)) = a.Value(start + i)
			}
		}
	case kInt32:
		a := arr.(*array.Int32)
		for i := 0; i < rows.n; i++ {
			if !nulls || a.IsValid(start+i) {
				*(*int32)(rows.at(i, offset)) = a.Value(start + i)
			}
		}
	case kInt64:
		if narrow, ok := arr.(*array.Int32); ok { // written before counts were int64
			for i := 0; i < rows.n; i++ {
				if !nulls || narrow.IsValid(start+i) {
					*(*int64)(rows.at(i, offset)) = int64(narrow.Value(start + i))
				}
			}
			return
		}
		a := arr.(*array.Int64)
		for i := 0; i < rows.n; i++ {
			if !nulls || a.IsValid(start+i) {
				*(*int64)(rows.at(i, offset)) = a.Value(start + i)
			}
		}
	case kFloat64:
		a := arr.(*array.Float64)
		for i := 0; i < rows.n; i++ {
			if !nulls || a.IsValid(start+i) {
				*(*float64)(rows.at(i, offset)) = a.Value(start + i)
			}
		}
	case kTimestamp:
		a := arr.(*array.Timestamp)
		for i := 0; i < rows.n; i++ {
			if !nulls || a.IsValid(start+i) {
				*(*time.Time)(rows.at(i, offset)) = time.UnixMicro(int64(a.Value(start + i))).UTC()
			}
		}
	case kDate:
		a := arr.(*array.Date32)
		for i := 0; i < rows.n; i++ {
			if !nulls || a.IsValid(start+i) {
				*(*Date)(rows.at(i, offset)) = dateFromDays(int32(a.Value(start + i)))
			}
		}
	}
}
