// Package table turns a declared table — a slice of Go structs whose fields
// carry `table:"column"` tags (see internal/tables) — into Arrow record
// batches and Parquet files, and reads such files back into structs. It is
// the one writer every table goes through, so no table needs builder code.
package table

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// scalar is the kind of value one column (or one list element) holds.
type scalar int

const (
	kString scalar = iota
	kBool
	kInt32
	kInt64
	kFloat64
	kTimestamp // time.Time: Arrow timestamp[us, UTC]
	kDate      // Date: Arrow date32
)

var (
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[Date]()
)

// timestampType is how every time.Time column is stored: microseconds since
// the epoch, adjusted to UTC, which Parquet readers restore as a zoned timestamp.
var timestampType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}

// column is one struct field mapped to one Arrow field.
type column struct {
	name     string
	index    int          // field index in the struct
	offset   uintptr      // the field's offset in the struct (codec.go reads and writes it there)
	goType   reflect.Type // the field's type
	elemType reflect.Type // for lists and pointers: the element type
	optional bool         // zero value ("" / 0) is written as null
	pointer  bool         // *T: nil is null
	scalar   scalar       // for scalars and list elements
	list     bool         // []T
	fields   []column     // for []struct: the struct's columns
	arrow    arrow.DataType

	// text: free text (abstracts) that nobody filters by range, so its
	// Parquet pages carry no min/max statistics: comparing a million
	// abstracts for them cost a second and more of a 1M run's writing.
	text bool
}

// schemaCache avoids re-deriving a row type's columns for every file.
var schemaCache sync.Map // reflect.Type → []column

// columnsOf derives the columns of a row struct type from its tags.
func columnsOf(t reflect.Type) ([]column, error) {
	if cols, ok := schemaCache.Load(t); ok {
		return cols.([]column), nil
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("table rows must be structs, not %v", t)
	}
	var cols []column
	seen := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("table")
		if !ok || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			return nil, fmt.Errorf("%v.%s: empty column name in table tag", t, f.Name)
		}
		if seen[name] {
			return nil, fmt.Errorf("%v.%s: column %q declared twice", t, f.Name, name)
		}
		seen[name] = true
		c := column{name: name, index: i, offset: f.Offset, goType: f.Type}
		for opt := range strings.SplitSeq(opts, ",") {
			switch opt {
			case "optional":
				c.optional = true
			case "text":
				c.text = true
			case "":
				if opts != "" {
					return nil, fmt.Errorf("%v.%s: empty table tag option in %q", t, f.Name, tag)
				}
			default:
				return nil, fmt.Errorf("%v.%s: unknown table tag option %q", t, f.Name, opt)
			}
		}
		if c.text && c.goType.Kind() != reflect.String {
			return nil, fmt.Errorf("%v.%s: table tag option \"text\" is for string fields, not %v", t, f.Name, c.goType)
		}
		if err := c.resolveType(f.Type); err != nil {
			return nil, fmt.Errorf("%v.%s: %w", t, f.Name, err)
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("%v has no `table` tagged fields", t)
	}
	schemaCache.Store(t, cols)
	return cols, nil
}

func (c *column) resolveType(t reflect.Type) error {
	switch {
	case t.Kind() == reflect.Pointer:
		c.elemType = t.Elem()
		k, dt, err := scalarType(t.Elem())
		if err != nil {
			return err
		}
		c.pointer, c.scalar, c.arrow = true, k, dt
		return nil
	case t.Kind() == reflect.Slice:
		c.list = true
		elem := t.Elem()
		c.elemType = elem
		if elem.Kind() == reflect.Struct && elem != timeType && elem != dateType {
			sub, err := columnsOf(elem)
			if err != nil {
				return err
			}
			c.fields = sub
			c.arrow = arrow.ListOfNonNullable(arrow.StructOf(arrowFields(sub)...))
			return nil
		}
		k, dt, err := scalarType(elem)
		if err != nil {
			return err
		}
		c.scalar = k
		c.arrow = arrow.ListOfNonNullable(dt)
		return nil
	default:
		k, dt, err := scalarType(t)
		if err != nil {
			return err
		}
		c.scalar, c.arrow = k, dt
		return nil
	}
}

func scalarType(t reflect.Type) (scalar, arrow.DataType, error) {
	switch t {
	case timeType:
		return kTimestamp, timestampType, nil
	case dateType:
		return kDate, arrow.FixedWidthTypes.Date32, nil
	}
	switch t.Kind() {
	case reflect.String:
		return kString, arrow.BinaryTypes.String, nil
	case reflect.Bool:
		return kBool, arrow.FixedWidthTypes.Boolean, nil
	case reflect.Int32:
		return kInt32, arrow.PrimitiveTypes.Int32, nil
	case reflect.Int64:
		return kInt64, arrow.PrimitiveTypes.Int64, nil
	case reflect.Float64:
		return kFloat64, arrow.PrimitiveTypes.Float64, nil
	}
	return 0, nil, fmt.Errorf("unsupported column type %v (use string, bool, int32, int64, float64, time.Time, table.Date, pointers to them, or slices of them or of tagged structs)", t)
}

func (c column) nullable() bool { return c.optional || c.pointer }

func arrowFields(cols []column) []arrow.Field {
	fs := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fs[i] = arrow.Field{Name: c.name, Type: c.arrow, Nullable: c.nullable()}
	}
	return fs
}

// Schema returns the Arrow schema of a row type, with metadata attached.
func Schema(rowType reflect.Type, meta Meta) (*arrow.Schema, error) {
	cols, err := columnsOf(rowType)
	if err != nil {
		return nil, err
	}
	md := meta.arrowMetadata()
	return arrow.NewSchema(arrowFields(cols), &md), nil
}
