package agreement

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Ratings is a units × raters table of category labels; "" is missing.
// Values[u][r] is the label rater Raters[r] gave unit Units[u].
type Ratings struct {
	Units  []string   `json:"units"`
	Raters []string   `json:"raters"`
	Values [][]string `json:"values"`
}

// ReadCSV reads ratings in one of two layouts:
//
//   - long: the header is exactly unit,rater,value and each row is one
//     rating; units and raters keep their order of first appearance.
//   - wide: any other header. The first column names the unit (its header is
//     free, e.g. unit or subject), every other column is one rater.
//
// Labels are trimmed of surrounding space; an empty cell is missing. Errors
// name the line and column. A file with raters as rows and units as columns
// can be read as wide and turned round with [Ratings.Transpose].
func ReadCSV(r io.Reader) (Ratings, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return Ratings{}, errors.New("empty file: no header")
	}
	if err != nil {
		return Ratings{}, err
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	if len(header) == 3 && header[0] == "unit" && header[1] == "rater" && header[2] == "value" {
		return readLong(cr)
	}
	return readWide(cr, header)
}

func readWide(cr *csv.Reader, header []string) (Ratings, error) {
	if len(header) < 2 {
		return Ratings{}, fmt.Errorf("line 1: header has %d column(s); want unit,rater1,rater2,... or unit,rater,value", len(header))
	}
	out := Ratings{Raters: slices.Clone(header[1:])}
	seenRater := map[string]int{}
	for i, name := range out.Raters {
		if name == "" {
			return Ratings{}, fmt.Errorf("line 1, column %d: empty rater name", i+2)
		}
		if j, ok := seenRater[name]; ok {
			return Ratings{}, fmt.Errorf("line 1, column %d: rater %q repeats column %d", i+2, name, j+2)
		}
		seenRater[name] = i
	}
	seenUnit := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return Ratings{}, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return Ratings{}, fmt.Errorf("line %d: %d columns, header has %d", line, len(rec), len(header))
		}
		unit := strings.TrimSpace(rec[0])
		if unit == "" {
			return Ratings{}, fmt.Errorf("line %d, column 1: empty unit id", line)
		}
		if prev, ok := seenUnit[unit]; ok {
			return Ratings{}, fmt.Errorf("line %d, column 1: unit %q already on line %d", line, unit, prev)
		}
		seenUnit[unit] = line
		row := make([]string, len(rec)-1)
		for i, v := range rec[1:] {
			row[i] = strings.TrimSpace(v)
		}
		out.Units = append(out.Units, unit)
		out.Values = append(out.Values, row)
	}
}

func readLong(cr *csv.Reader) (Ratings, error) {
	var out Ratings
	unitIdx, raterIdx := map[string]int{}, map[string]int{}
	type cell struct{ u, r int }
	lineOf := map[cell]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Ratings{}, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != 3 {
			return Ratings{}, fmt.Errorf("line %d: %d columns, want unit,rater,value", line, len(rec))
		}
		unit, rater, value := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1]), strings.TrimSpace(rec[2])
		if unit == "" {
			return Ratings{}, fmt.Errorf("line %d, column 1: empty unit id", line)
		}
		if rater == "" {
			return Ratings{}, fmt.Errorf("line %d, column 2: empty rater name", line)
		}
		u, ok := unitIdx[unit]
		if !ok {
			u = len(out.Units)
			unitIdx[unit] = u
			out.Units = append(out.Units, unit)
			out.Values = append(out.Values, nil)
		}
		r, ok := raterIdx[rater]
		if !ok {
			r = len(out.Raters)
			raterIdx[rater] = r
			out.Raters = append(out.Raters, rater)
		}
		if prev, dup := lineOf[cell{u, r}]; dup {
			return Ratings{}, fmt.Errorf("line %d: unit %q, rater %q already rated on line %d", line, unit, rater, prev)
		}
		lineOf[cell{u, r}] = line
		for len(out.Values[u]) <= r {
			out.Values[u] = append(out.Values[u], "")
		}
		out.Values[u][r] = value
	}
	for u := range out.Values { // pad rows to the final number of raters
		for len(out.Values[u]) < len(out.Raters) {
			out.Values[u] = append(out.Values[u], "")
		}
	}
	return out, nil
}

// Transpose swaps units and raters, for files that list raters (coders) as
// rows and units as columns.
func (r Ratings) Transpose() Ratings {
	out := Ratings{Units: slices.Clone(r.Raters), Raters: slices.Clone(r.Units)}
	out.Values = make([][]string, len(r.Raters))
	for j := range r.Raters {
		out.Values[j] = make([]string, len(r.Units))
		for i := range r.Units {
			if j < len(r.Values[i]) {
				out.Values[j][i] = r.Values[i][j]
			}
		}
	}
	return out
}

// Column returns rater r's labels, one per unit, for [PairStats].
func (r Ratings) Column(rater int) []string {
	col := make([]string, len(r.Values))
	for i, row := range r.Values {
		if rater < len(row) {
			col[i] = row[rater]
		}
	}
	return col
}

// Counts is the units × categories table of how many ratings each unit
// received in each category. It is all that exchangeable-rater statistics
// (Fleiss' κ, Gwet's multi-rater AC1, Krippendorff's α) need.
type Counts struct {
	Units      []string `json:"units"`
	Categories []string `json:"categories"`
	N          [][]int  `json:"n"` // N[unit][category]
}

// Counts tabulates the ratings over categories cats (nil: the default order
// of the labels seen, see [SortCategories]). A label outside cats is an
// error naming unit and rater.
func (r Ratings) Counts(cats []string) (Counts, error) {
	if cats == nil {
		cats = SortCategories(r.labels())
	}
	idx, err := categoryIndex(cats)
	if err != nil {
		return Counts{}, err
	}
	out := Counts{Units: slices.Clone(r.Units), Categories: slices.Clone(cats), N: make([][]int, len(r.Values))}
	for u, row := range r.Values {
		out.N[u] = make([]int, len(cats))
		for j, v := range row {
			if v == "" {
				continue
			}
			k, ok := idx[v]
			if !ok {
				return Counts{}, fmt.Errorf("unit %q, rater %q: label %q is not among the categories %v", r.Units[u], raterName(r.Raters, j), v, cats)
			}
			out.N[u][k]++
		}
	}
	return out, nil
}

// raterMatrix gives each unit's category index per rater (−1: missing);
// labels are known to be among cats (Counts checked them).
func (r Ratings) raterMatrix(cats []string) raterMatrix {
	idx := make(map[string]int, len(cats))
	for i, c := range cats {
		idx[c] = i
	}
	out := make(raterMatrix, len(r.Values))
	for u, row := range r.Values {
		out[u] = make([]int, len(r.Raters))
		for g := range out[u] {
			out[u][g] = -1
			if g < len(row) && row[g] != "" {
				out[u][g] = idx[row[g]]
			}
		}
	}
	return out
}

func raterName(raters []string, j int) string {
	if j < len(raters) {
		return raters[j]
	}
	return fmt.Sprintf("#%d", j+1)
}

func (r Ratings) labels() []string {
	seen := map[string]bool{}
	var out []string
	for _, row := range r.Values {
		for _, v := range row {
			if v != "" && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// ReadCountsCSV reads a units × categories count table: header
// unit,cat1,cat2,... (the first header cell is free), then one row per unit
// with a non-negative integer count per category.
func ReadCountsCSV(r io.Reader) (Counts, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err == io.EOF {
		return Counts{}, errors.New("empty file: no header")
	}
	if err != nil {
		return Counts{}, err
	}
	if len(header) < 2 {
		return Counts{}, fmt.Errorf("line 1: header has %d column(s); want unit,category1,category2,...", len(header))
	}
	out := Counts{}
	for _, c := range header[1:] {
		out.Categories = append(out.Categories, strings.TrimSpace(c))
	}
	if _, err := categoryIndex(out.Categories); err != nil {
		return Counts{}, fmt.Errorf("line 1: %w", err)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return Counts{}, err
		}
		line, _ := cr.FieldPos(0)
		row := make([]int, len(rec)-1)
		for i, v := range rec[1:] {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 {
				return Counts{}, fmt.Errorf("line %d, column %d: count %q is not a non-negative integer", line, i+2, v)
			}
			row[i] = n
		}
		out.Units = append(out.Units, strings.TrimSpace(rec[0]))
		out.N = append(out.N, row)
	}
}

// SortCategories returns the distinct non-empty labels in the default
// order: numerically when every label parses as a number, else lexically.
func SortCategories(labels []string) []string {
	seen := map[string]bool{}
	var out []string
	numeric := true
	for _, l := range labels {
		if l == "" || seen[l] {
			continue
		}
		seen[l] = true
		out = append(out, l)
		if _, ok := number(l); !ok {
			numeric = false
		}
	}
	if numeric {
		slices.SortStableFunc(out, func(a, b string) int {
			x, _ := number(a)
			y, _ := number(b)
			if x != y {
				if x < y {
					return -1
				}
				return 1
			}
			return strings.Compare(a, b)
		})
	} else {
		slices.Sort(out)
	}
	return out
}

func number(s string) (float64, bool) {
	x, err := strconv.ParseFloat(s, 64)
	return x, err == nil && !isBad(x)
}

func categoryIndex(cats []string) (map[string]int, error) {
	idx := make(map[string]int, len(cats))
	for i, c := range cats {
		if c == "" {
			return nil, errors.New("empty category label (empty means missing)")
		}
		if _, dup := idx[c]; dup {
			return nil, fmt.Errorf("category %q listed twice", c)
		}
		idx[c] = i
	}
	return idx, nil
}
