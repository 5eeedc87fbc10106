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

	"github.com/apache/arrow-go/v18/arrow"
)

// column is one struct field mapped to one Arrow field.
type column struct {
	name     string
	index    int          // field index in the struct
	goType   reflect.Type // the field's type
	optional bool         // zero value ("" / 0) is written as null
	pointer  bool         // *T: nil is null
	scalar   reflect.Kind // for scalars and list elements
	list     bool         // []T
	fields   []column     // for []struct: the struct's columns
	arrow    arrow.DataType
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
		c := column{name: name, index: i, goType: f.Type, optional: opts == "optional"}
		if opts != "" && opts != "optional" {
			return nil, fmt.Errorf("%v.%s: unknown table tag option %q", t, f.Name, opts)
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
	switch t.Kind() {
	case reflect.Pointer:
		dt, err := scalarType(t.Elem().Kind())
		if err != nil {
			return err
		}
		c.pointer, c.scalar, c.arrow = true, t.Elem().Kind(), dt
		return nil
	case reflect.Slice:
		c.list = true
		elem := t.Elem()
		if elem.Kind() == reflect.Struct {
			sub, err := columnsOf(elem)
			if err != nil {
				return err
			}
			c.fields = sub
			c.arrow = arrow.ListOfNonNullable(arrow.StructOf(arrowFields(sub)...))
			return nil
		}
		dt, err := scalarType(elem.Kind())
		if err != nil {
			return err
		}
		c.scalar = elem.Kind()
		c.arrow = arrow.ListOfNonNullable(dt)
		return nil
	default:
		dt, err := scalarType(t.Kind())
		if err != nil {
			return err
		}
		c.scalar, c.arrow = t.Kind(), dt
		return nil
	}
}

func scalarType(k reflect.Kind) (arrow.DataType, error) {
	switch k {
	case reflect.String:
		return arrow.BinaryTypes.String, nil
	case reflect.Bool:
		return arrow.FixedWidthTypes.Boolean, nil
	case reflect.Int32:
		return arrow.PrimitiveTypes.Int32, nil
	case reflect.Int64:
		return arrow.PrimitiveTypes.Int64, nil
	case reflect.Float64:
		return arrow.PrimitiveTypes.Float64, nil
	}
	return nil, fmt.Errorf("unsupported column type %v (use string, bool, int32, int64, float64, pointers to them, or slices)", k)
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
