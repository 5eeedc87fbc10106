// Package duckdb checks that every table realsynth writes loads in DuckDB,
// the engine many analysts query Parquet with, with the declared column
// types and the row counts the manifest reports. It is a module of its own
// so that the main module does not pull in DuckDB's native libraries.
package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/pipeline/table"
	"github.com/realsynth/realsynth/stages"
)

func TestDemoTablesLoadInDuckDB(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	plan, err := pipeline.Load("../../configs/demo.yaml", stages.Pipeline, []string{"output=" + out})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Execute(context.Background(), plan, pipeline.NewRun(plan.Config, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if len(res.Manifest.Tables) < 2 {
		t.Fatalf("only %d tables written", len(res.Manifest.Tables))
	}
	for _, mt := range res.Manifest.Tables {
		t.Run(mt.Name, func(t *testing.T) {
			path := filepath.Join(out, mt.File)
			var n int
			if err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM read_parquet('%s')", path)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != mt.Rows {
				t.Errorf("DuckDB counts %d rows, the manifest %d", n, mt.Rows)
			}
			// SELECT * must decode every value, not just the footer.
			rows, err := db.Query(fmt.Sprintf("SELECT * FROM read_parquet('%s')", path))
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			read := 0
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				read++
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			rows.Close()
			if read != mt.Rows {
				t.Errorf("SELECT * gave %d rows, want %d", read, mt.Rows)
			}

			spec, ok := tables.Lookup(mt.Name)
			if !ok {
				t.Fatalf("table %s is not declared", mt.Name)
			}
			want := expectedTypes(spec.RowType())
			got := map[string]string{}
			desc, err := db.Query(fmt.Sprintf("DESCRIBE SELECT * FROM read_parquet('%s')", path))
			if err != nil {
				t.Fatal(err)
			}
			for desc.Next() {
				var name, typ string
				var null, key, def, extra sql.NullString
				if err := desc.Scan(&name, &typ, &null, &key, &def, &extra); err != nil {
					t.Fatal(err)
				}
				// DuckDB quotes field names that are keywords ("text", "value");
				// the quoting is presentation, not type.
				got[name] = strings.ReplaceAll(typ, `"`, "")
			}
			desc.Close()
			if len(got) != len(want) {
				t.Errorf("DuckDB sees %d columns, the declaration has %d", len(got), len(want))
			}
			for name, typ := range want {
				if got[name] != typ {
					t.Errorf("column %s: DuckDB type %q, want %q", name, got[name], typ)
				}
			}
		})
	}
}

// expectedTypes maps a row struct's columns to the DuckDB types they must load as.
func expectedTypes(t reflect.Type) map[string]string {
	out := map[string]string{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("table")
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		out[name] = duckType(f.Type)
	}
	return out
}

func duckType(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[time.Time]():
		return "TIMESTAMP WITH TIME ZONE"
	case reflect.TypeFor[table.Date]():
		return "DATE"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return duckType(t.Elem())
	case reflect.Slice:
		return duckType(t.Elem()) + "[]"
	case reflect.Struct:
		var parts []string
		for i := 0; i < t.NumField(); i++ {
			if tag, ok := t.Field(i).Tag.Lookup("table"); ok {
				name, _, _ := strings.Cut(tag, ",")
				parts = append(parts, fmt.Sprintf("%s %s", name, duckType(t.Field(i).Type)))
			}
		}
		return "STRUCT(" + strings.Join(parts, ", ") + ")"
	case reflect.String:
		return "VARCHAR"
	case reflect.Bool:
		return "BOOLEAN"
	case reflect.Int32:
		return "INTEGER"
	case reflect.Int64:
		return "BIGINT"
	case reflect.Float64:
		return "DOUBLE"
	}
	return t.String()
}
