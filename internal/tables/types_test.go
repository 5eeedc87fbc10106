package tables

import (
	"reflect"
	"strings"
	"testing"
)

// TestOneIntegerWidth: counts, line numbers, ranks and positions are int64
// in every table, so a join or a sum across tables never mixes widths.
// Years are the one exception, int32 like Arrow's calendar fields, and are
// the only columns named *year*.
func TestOneIntegerWidth(t *testing.T) {
	var check func(table string, rt reflect.Type)
	check = func(table string, rt reflect.Type) {
		for i := 0; i < rt.NumField(); i++ {
			f := rt.Field(i)
			tag, ok := f.Tag.Lookup("table")
			if !ok {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			ft := f.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			isYear := strings.Contains(name, "year")
			switch {
			case ft.Kind() == reflect.Struct && ft.PkgPath() == rt.PkgPath():
				check(table+"."+name, ft)
			case ft.Kind() == reflect.Int32 && !isYear:
				t.Errorf("%s.%s is int32: counts and positions are int64", table, name)
			case ft.Kind() == reflect.Int64 && isYear:
				t.Errorf("%s.%s is a year: years are int32", table, name)
			case ft.Kind() == reflect.Int || ft.Kind() == reflect.Int16 || ft.Kind() == reflect.Int8:
				t.Errorf("%s.%s is %v: use int64", table, name, ft)
			}
		}
	}
	for _, spec := range Catalog() {
		check(spec.Name, spec.RowType())
	}
}
