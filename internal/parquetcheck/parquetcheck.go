// Package parquetcheck re-reads Parquet files with an implementation that
// shares no code with the writer (github.com/xitongsys/parquet-go), so tests
// can show that what realsynth writes is standard Parquet and not merely
// something arrow-go can read back. Only tests import it.
package parquetcheck

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/xitongsys/parquet-go/reader"
	"github.com/xitongsys/parquet-go/source"

	"github.com/realsynth/realsynth/pipeline/table"
)

// osFile adapts *os.File to parquet-go's source.ParquetFile; the library's
// own local-file source lives in parquet-go-source, which pulls in cloud SDKs.
type osFile struct{ *os.File }

func (f osFile) Open(name string) (source.ParquetFile, error) {
	if name == "" {
		name = f.Name()
	}
	g, err := os.Open(name)
	return osFile{g}, err
}

func (f osFile) Create(name string) (source.ParquetFile, error) {
	g, err := os.Create(name)
	return osFile{g}, err
}

// Row is one row as leaf column name → value: a scalar (nil when null) for a
// top-level column, a []any of values for a column inside a LIST. Nested
// names are joined with "." and drop the LIST wrapper levels, e.g.
// "extra.tag".
type Row map[string]any

// ReadRows reads every leaf column of a file and reassembles rows.
func ReadRows(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pr, err := reader.NewParquetColumnReader(osFile{f}, 1)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer pr.ReadStop()
	n := pr.GetNumRows()
	if n == 0 {
		// parquet-go dereferences a nil page table when asked for the
		// columns of an empty file; there is nothing to read anyway.
		return []Row{}, nil
	}
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{}
	}
	for _, inPath := range pr.SchemaHandler.ValueColumns {
		exPath := pr.SchemaHandler.InPathToExPath[inPath]
		parts := strings.Split(exPath, "\x01")
		name, repeated := leafName(parts[1:])
		values, rls, _, err := pr.ReadColumnByPath(exPath, 1<<40)
		if err != nil {
			return nil, fmt.Errorf("%s: column %s: %w", path, name, err)
		}
		r := -1
		for i, v := range values {
			if rls[i] == 0 {
				r++
				if repeated {
					rows[r][name] = []any{}
				}
			}
			if r < 0 || r >= len(rows) {
				return nil, fmt.Errorf("%s: column %s: more rows than the footer declares", path, name)
			}
			if repeated {
				if v != nil {
					rows[r][name] = append(rows[r][name].([]any), v)
				}
			} else {
				rows[r][name] = v
			}
		}
	}
	return rows, nil
}

// leafName drops the LIST encoding levels ("list", "element") from a path.
func leafName(parts []string) (string, bool) {
	var kept []string
	repeated := false
	for _, p := range parts {
		if p == "list" || p == "element" || p == "item" {
			repeated = true
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "."), repeated
}

// Flatten turns tagged structs into the Row shape ReadRows returns, so a
// test can compare what was meant to be written with what was read.
func Flatten(rows any) []Row {
	v := reflect.ValueOf(rows)
	out := make([]Row, v.Len())
	for i := range out {
		out[i] = Row{}
		flattenInto(out[i], "", v.Index(i), false)
	}
	return out
}

func flattenInto(row Row, prefix string, v reflect.Value, inList bool) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		tag, ok := t.Field(i).Tag.Lookup("table")
		if !ok {
			continue
		}
		name, opt, _ := strings.Cut(tag, ",")
		key := prefix + name
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Struct && !isValue(f.Type().Elem()):
			st := f.Type().Elem()
			for j := 0; j < st.NumField(); j++ {
				if sub, ok := st.Field(j).Tag.Lookup("table"); ok {
					sn, _, _ := strings.Cut(sub, ",")
					row[key+"."+sn] = []any{}
				}
			}
			for k := 0; k < f.Len(); k++ {
				sub := Row{}
				flattenInto(sub, "", f.Index(k), true)
				for sk, sv := range sub {
					row[key+"."+sk] = append(row[key+"."+sk].([]any), sv)
				}
			}
		case f.Kind() == reflect.Slice:
			list := []any{}
			for k := 0; k < f.Len(); k++ {
				list = append(list, scalar(f.Index(k)))
			}
			row[key] = list
		case f.Kind() == reflect.Pointer:
			if f.IsNil() {
				row[key] = nil
			} else {
				row[key] = scalar(f.Elem())
			}
		case slices.Contains(strings.Split(opt, ","), "optional") && f.IsZero() && !inList:
			row[key] = nil
		default:
			row[key] = scalar(f)
		}
	}
}

// isValue reports the struct types the writer stores as one value.
func isValue(t reflect.Type) bool {
	return t == reflect.TypeFor[time.Time]() || t == reflect.TypeFor[table.Date]()
}

// scalar converts to the Go types parquet-go returns for each physical type:
// a timestamp is INT64 microseconds since the epoch, a date INT32 days.
func scalar(v reflect.Value) any {
	switch x := v.Interface().(type) {
	case time.Time:
		return x.UnixMicro()
	case table.Date:
		return int32(x.Time().Unix() / 86400) // midnight: an exact multiple
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int32:
		return int32(v.Int())
	case reflect.Int64:
		return v.Int()
	case reflect.Float64:
		return v.Float()
	}
	return v.Interface()
}

// Diff compares read rows with expected ones and describes the first few
// differences; "" means equal.
func Diff(got, want []Row) string {
	if len(got) != len(want) {
		return fmt.Sprintf("read %d rows, want %d", len(got), len(want))
	}
	var diffs []string
	for i := range want {
		keys := map[string]bool{}
		for k := range want[i] {
			keys[k] = true
		}
		for k := range got[i] {
			keys[k] = true
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if !reflect.DeepEqual(got[i][k], want[i][k]) {
				diffs = append(diffs, fmt.Sprintf("row %d column %s: read %#v, want %#v", i, k, got[i][k], want[i][k]))
			}
		}
		if len(diffs) > 5 {
			break
		}
	}
	return strings.Join(diffs, "\n")
}
