package tables

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/realsynth/realsynth/pipeline/table"
)

var update = flag.Bool("update", false, "rewrite docs/tables.md from the table declarations")

const referencePath = "../../docs/tables.md"

// TestTableReferenceIsCurrent keeps docs/tables.md, the column reference in
// the README, generated from the declarations and their doc comments, so
// the two cannot drift apart. Run `go test ./internal/tables -update` after
// changing a table.
func TestTableReferenceIsCurrent(t *testing.T) {
	got := renderReference(t)
	if *update {
		if err := os.WriteFile(referencePath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(referencePath)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/tables -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("docs/tables.md is out of date: run go test ./internal/tables -update")
	}
}

// renderReference reads this package's source for the doc comments that
// reflection cannot see.
func renderReference(t *testing.T) []byte {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	type fieldDoc struct{ doc string }
	typeDocs := map[string]string{}
	fieldDocs := map[string]map[string]string{} // type → field → doc
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, spec := range gd.Specs {
					ts := spec.(*ast.TypeSpec)
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					doc := gd.Doc.Text()
					if ts.Doc != nil {
						doc = ts.Doc.Text()
					}
					typeDocs[ts.Name.Name] = doc
					fieldDocs[ts.Name.Name] = map[string]string{}
					for _, fl := range st.Fields.List {
						text := fl.Doc.Text()
						if text == "" && fl.Comment != nil {
							text = fl.Comment.Text()
						}
						for _, n := range fl.Names {
							fieldDocs[ts.Name.Name][n.Name] = text
						}
					}
				}
			}
		}
	}
	var b bytes.Buffer
	b.WriteString("# Output tables\n\n")
	b.WriteString("Generated from `internal/tables` by `go test ./internal/tables -update`; do not edit by hand.\n\n")
	b.WriteString("Every table is a Parquet file (snappy, or zstd with `parquet: {compression: zstd}` in the config; column statistics; the Arrow schema stored) whose key-value metadata holds `realsynth.table`, `realsynth.version` and `realsynth.config_sha256`. *nullable* columns hold null, never an empty-string sentinel, when a value is missing; list columns are Parquet LISTs (empty when there is nothing).\n\n")
	for _, spec := range Catalog() {
		rt := spec.RowType()
		fmt.Fprintf(&b, "## %s.parquet\n\n%s\n\n", spec.Name, spec.Doc)
		if d := oneParagraph(typeDocs[rt.Name()]); d != "" {
			fmt.Fprintf(&b, "%s\n\n", d)
		}
		b.WriteString("| column | type | description |\n|---|---|---|\n")
		writeColumns(&b, rt, "", fieldDocs)
		b.WriteString("\n")
	}
	return b.Bytes()
}

func writeColumns(b *bytes.Buffer, rt reflect.Type, prefix string, docs map[string]map[string]string) {
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		tag, ok := f.Tag.Lookup("table")
		if !ok {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		opt := strings.Split(opts, ",")
		typ := typeName(f.Type)
		if slices.Contains(opt, "optional") || f.Type.Kind() == reflect.Pointer {
			typ += ", nullable"
		}
		doc := oneParagraph(docs[rt.Name()][f.Name])
		if slices.Contains(opt, "text") {
			// The type column is read by the interop checks: the note goes here.
			doc += " Free text: written without min/max statistics."
		}
		fmt.Fprintf(b, "| `%s%s` | %s | %s |\n", prefix, name, typ, doc)
		if f.Type.Kind() == reflect.Slice && isRowStruct(f.Type.Elem()) {
			writeColumns(b, f.Type.Elem(), prefix+name+"[].", docs)
		}
	}
}

// isRowStruct tells a struct of tagged columns from the struct types the
// writer stores as one value (timestamps, dates).
func isRowStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t != reflect.TypeFor[time.Time]() && t != reflect.TypeFor[table.Date]()
}

func typeName(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[time.Time]():
		return "timestamp (µs, UTC)"
	case reflect.TypeFor[table.Date]():
		return "date"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem())
	case reflect.Slice:
		if isRowStruct(t.Elem()) {
			return "list of struct"
		}
		return "list of " + typeName(t.Elem())
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int32:
		return "int32"
	case reflect.Int64:
		return "int64"
	case reflect.Float64:
		return "float64"
	}
	return t.String()
}

func oneParagraph(s string) string {
	s = strings.TrimSpace(strings.Join(strings.Fields(s), " "))
	return strings.ReplaceAll(s, "|", "\\|")
}
