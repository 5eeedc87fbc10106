package tables

import "reflect"

// Spec describes one output table: its file name (without .parquet), what a
// row is, and the zero value of its row type.
type Spec struct {
	Name string
	Doc  string
	Row  any
}

// catalog lists every table in the order a run produces them. A stage that
// adds a table declares its row type in this package and appends it here.
// Each stage's tables are listed in the file that declares their rows.
var catalog = concat(ingestTables, dedupeTables, screeningTables, synthesisTables, reportTables)

var ingestTables = []Spec{
	{"records", "One row per parsed input record, with provenance and normalised fields.", Record{}},
	{"quarantine", "One row per input that could not be read as a record, with the reason.", Quarantine{}},
}

func concat(lists ...[]Spec) []Spec {
	var all []Spec
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// Catalog returns every declared table, in pipeline order.
func Catalog() []Spec { return append([]Spec(nil), catalog...) }

// Lookup finds a table by name.
func Lookup(name string) (Spec, bool) {
	for _, s := range catalog {
		if s.Name == name {
			return s, true
		}
	}
	return Spec{}, false
}

// RowType is the Go type of a table's rows.
func (s Spec) RowType() reflect.Type { return reflect.TypeOf(s.Row) }
