package agreement

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sharedDir returns the shared reference-data folder, or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("REALSYNTH_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	agree := filepath.Join(dir, "data", "agreement")
	if _, err := os.Stat(agree); err != nil {
		t.Skipf("shared reference data not found at %s (set REALSYNTH_SHARED to the shared folder): %v", agree, err)
	}
	return agree
}

func openShared(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func near(t *testing.T, what string, got *float64, want, tol float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %.7g", what, want)
		return
	}
	if math.Abs(*got-want) > tol {
		t.Errorf("%s = %.7g, want %.7g (±%g)", what, *got, want, tol)
	}
}

func isNil(t *testing.T, what string, got *float64) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %g, want nil (undefined)", what, *got)
	}
}

// Fleiss (1971): 30 subjects × 6 ratings, 5 diagnoses; irr::kappam.fleiss
// gives κ = 0.4302445 and z = 17.65183. Both the raw and the count layout.
func TestFleiss1971(t *testing.T) {
	raw, err := ReadCSV(openShared(t, "fleiss1971_diagnoses_raw.csv"))
	if err != nil {
		t.Fatal(err)
	}
	fromRaw, err := Compute(raw, Options{Exchangeable: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(fromRaw.Pairs) != 0 {
		t.Errorf("exchangeable raters: got %d pairs, want none", len(fromRaw.Pairs))
	}
	counts, err := ReadCountsCSV(openShared(t, "fleiss1971_diagnoses_counts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	fromCounts, err := ComputeCounts(counts)
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]Multi{"raw": fromRaw.Multi, "counts": fromCounts.Multi} {
		t.Run(name, func(t *testing.T) {
			if m.Units != 30 || m.Ratings != 180 || m.RatingsPerUnit != 6 || m.UnitsPairable != 30 {
				t.Errorf("counts: units %d ratings %d per unit %d pairable %d; want 30 180 6 30", m.Units, m.Ratings, m.RatingsPerUnit, m.UnitsPairable)
			}
			near(t, "Fleiss κ", m.Fleiss.Estimate, 0.4302445, 5e-7)
			near(t, "Fleiss z", m.Fleiss.Z, 17.65183, 5e-5)
			near(t, "observed agreement", m.ObservedAgreement, 0.5555556, 5e-7)
		})
	}
}

// Krippendorff (2011): 4 coders × 12 units with missing values; published
// α nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797. The shared
// file has units as rows; the same data with coders as rows must give the
// same α after Transpose.
func TestKrippendorff2011(t *testing.T) {
	r, err := ReadCSV(openShared(t, "krippendorff2011_4coders_12units.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Units) != 12 || len(r.Raters) != 4 {
		t.Fatalf("read %d units × %d raters, want 12 × 4", len(r.Units), len(r.Raters))
	}
	// Write the table with coders as rows, read it back and turn it round.
	var coderRows bytes.Buffer
	tr := r.Transpose()
	coderRows.WriteString("coder," + strings.Join(tr.Raters, ",") + "\n")
	for i, u := range tr.Units {
		coderRows.WriteString(u + "," + strings.Join(tr.Values[i], ",") + "\n")
	}
	back, err := ReadCSV(&coderRows)
	if err != nil {
		t.Fatal(err)
	}
	for name, rr := range map[string]Ratings{"units as rows": r, "coders as rows, transposed": back.Transpose()} {
		t.Run(name, func(t *testing.T) {
			rep, err := Compute(rr, Options{})
			if err != nil {
				t.Fatal(err)
			}
			k := rep.Multi.Krippendorff
			if k.PairableValues != 40 {
				t.Errorf("pairable values = %d, want 40 (unit 12 has a single value)", k.PairableValues)
			}
			near(t, "α nominal", k.Nominal, 0.743, 5e-4)
			near(t, "α ordinal", k.Ordinal, 0.815, 5e-4)
			near(t, "α interval", k.Interval, 0.849, 5e-4)
			near(t, "α ratio", k.Ratio, 0.797, 5e-4)
			if rep.Missing != 7 || len(rep.Pairs) != 6 {
				t.Errorf("missing %d pairs %d, want 7 and 6", rep.Missing, len(rep.Pairs))
			}
		})
	}
}

// Two raters, yes/no, 50 units (hand computation):
//
//	          B yes  B no
//	A yes       20     5    | 25  p1. = .50
//	A no        10    15    | 25  p2. = .50
//	            30    20       p.1 = .60, p.2 = .40
//
// po = 35/50 = .70; pe = .5·.6 + .5·.4 = .50; κ = (.7−.5)/(1−.5) = .40.
// Non-null variance (Fleiss 1981 form): A = Σ p_ii[1−(p_i.+p_.i)(1−κ)]²
// = .4(1−1.1·.6)² + .3(1−.9·.6)² = .04624 + .06348 = .10972;
// B = (1−κ)² Σ_{i≠j} p_ij (p_.i+p_j.)² = .36(.1·1.1² + .2·.9²) = .10188;
// C = (κ − pe(1−κ))² = .01; var = (A+B−C)/(n(1−pe)²) = .2016/12.5 = .016128,
// SE = .1269961, CI = .4 ± z·SE = [.1510923, .6489077] with z = 1.959964,
// the 0.975 normal quantile.
// Null: var0 = [pe + pe² − Σ p_i. p_.i (p_i.+p_.i)]/(n(1−pe)²)
// = [.75 − (.3·1.1 + .2·.9)]/12.5 = .0192, SE0 = .1385641, z = 2.886751.
// PABAK = 2·.7 − 1 = .40. AC1: π = (.55, .45), pe = 2·.55·.45 = .495,
// AC1 = (.7 − .495)/.505 = .4059406.
func TestPair2x2Hand(t *testing.T) {
	p, err := PairTable([]string{"yes", "no"}, [][]int{{20, 5}, {10, 15}})
	if err != nil {
		t.Fatal(err)
	}
	if p.N != 50 || p.Agreements != 35 {
		t.Errorf("n %d agreements %d, want 50 35", p.N, p.Agreements)
	}
	want := []Cell{{"yes", "yes", 20}, {"yes", "no", 5}, {"no", "yes", 10}, {"no", "no", 15}}
	for i, c := range want {
		if p.Confusion[i] != c {
			t.Errorf("confusion[%d] = %+v, want %+v", i, p.Confusion[i], c)
		}
	}
	for _, c := range []struct {
		what string
		got  *float64
		want float64
	}{
		{"po", p.ObservedAgreement, 0.70},
		{"pe", p.Cohen.Pe, 0.50},
		{"κ", p.Cohen.Estimate, 0.40},
		{"SE", p.Cohen.SE, math.Sqrt(0.016128)},
		{"CI low", p.Cohen.CILow, 0.4 - 1.959963984540054*math.Sqrt(0.016128)},
		{"CI high", p.Cohen.CIHigh, 0.4 + 1.959963984540054*math.Sqrt(0.016128)},
		{"SE0", p.Cohen.SENull, math.Sqrt(0.0192)},
		{"z", p.Cohen.Z, 0.4 / math.Sqrt(0.0192)},
		{"PABAK", p.PABAK.Estimate, 0.40},
		{"AC1", p.GwetAC1.Estimate, 0.205 / 0.505},
		// With two categories every weighting scheme is the identity.
		{"linear κ", p.LinearKappa.Estimate, 0.40},
		{"quadratic κ", p.QuadraticKappa.Estimate, 0.40},
	} {
		near(t, c.what, c.got, c.want, 1e-9)
	}
}

// Three ordered categories, 40 units (hand computation):
//
//	      B1  B2  B3 | rows
//	A1    10   2   0 | 12  .300
//	A2     3   8   2 | 13  .325
//	A3     1   2  12 | 15  .375
//	cols  14  12  14       .35 .30 .35
//
// Unweighted: po = 30/40 = .75; pe = .3·.35 + .325·.3 + .375·.35 = .33375;
// κ = .41625/.66625 = 333/533 = .6247655.
// Linear weights (1, .5, 0): po = (30 + .5·9)/40 = .8625; the cells one
// step off the diagonal carry chance mass .3·.3 + .325·.35 + .325·.35 +
// .375·.3 = .43, so pe = .33375 + .5·.43 = .54875; κ = .31375/.45125 =
// 251/361 = .6952909.
// Quadratic weights (1, .75, 0): po = (30 + .75·9)/40 = .91875;
// pe = .33375 + .75·.43 = .65625; κ = .2625/.34375 = 42/55 = .7636364.
// The standard errors are checked against a numerical delta method in
// TestKappaSEDeltaMethod.
func TestPair3x3WeightedHand(t *testing.T) {
	p, err := PairTable([]string{"1", "2", "3"}, [][]int{{10, 2, 0}, {3, 8, 2}, {1, 2, 12}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "κ", p.Cohen.Estimate, 333.0/533, 1e-12)
	near(t, "linear po", p.LinearKappa.Po, 0.8625, 1e-12)
	near(t, "linear pe", p.LinearKappa.Pe, 0.54875, 1e-12)
	near(t, "linear κ", p.LinearKappa.Estimate, 251.0/361, 1e-12)
	near(t, "quadratic po", p.QuadraticKappa.Po, 0.91875, 1e-12)
	near(t, "quadratic pe", p.QuadraticKappa.Pe, 0.65625, 1e-12)
	near(t, "quadratic κ", p.QuadraticKappa.Estimate, 42.0/55, 1e-12)
	near(t, "PABAK", p.PABAK.Estimate, (0.75-1.0/3)/(1-1.0/3), 1e-12)
}

// The Fleiss–Cohen–Everitt non-null variance is the delta-method variance
// of κ_w under multinomial sampling, var = (Σ p g² − (Σ p g)²)/n with
// g = ∂κ_w/∂p_ij; the null variance is the same evaluated at the
// independence table p_i.·p_.j. Check both with numerical derivatives.
func TestKappaSEDeltaMethod(t *testing.T) {
	tables := [][][]int{
		{{10, 2, 0}, {3, 8, 2}, {1, 2, 12}},
		{{20, 5}, {10, 15}},
		{{7, 3, 1, 0}, {2, 9, 4, 1}, {0, 3, 11, 2}, {1, 0, 2, 6}},
	}
	for _, table := range tables {
		q := len(table)
		cats := make([]string, q)
		for i := range cats {
			cats[i] = string(rune('a' + i))
		}
		p, err := PairTable(cats, table)
		if err != nil {
			t.Fatal(err)
		}
		n := float64(p.N)
		prop := make([]float64, q*q)
		for i := range table {
			for j, c := range table[i] {
				prop[i*q+j] = float64(c) / n
			}
		}
		for _, k := range []Kappa{p.Cohen, p.LinearKappa, p.QuadraticKappa} {
			w := weights(q, k.Weights)
			near(t, "SE "+k.Weights, k.SE, math.Sqrt(deltaVar(prop, w, n)), 1e-6)
			indep := make([]float64, q*q)
			rows, cols := margins(prop, q)
			for i := range q {
				for j := range q {
					indep[i*q+j] = rows[i] * cols[j]
				}
			}
			near(t, "SE0 "+k.Weights, k.SENull, math.Sqrt(deltaVar(indep, w, n)), 1e-6)
		}
	}
}

func margins(p []float64, q int) (rows, cols []float64) {
	rows, cols = make([]float64, q), make([]float64, q)
	for i := range q {
		for j := range q {
			rows[i] += p[i*q+j]
			cols[j] += p[i*q+j]
		}
	}
	return rows, cols
}

func kappaOf(p []float64, w [][]float64) float64 {
	q := len(w)
	rows, cols := margins(p, q)
	var po, pe float64
	for i := range q {
		for j := range q {
			po += w[i][j] * p[i*q+j]
			pe += w[i][j] * rows[i] * cols[j]
		}
	}
	return (po - pe) / (1 - pe)
}

func deltaVar(p []float64, w [][]float64, n float64) float64 {
	const h = 1e-6
	var s1, s2 float64
	for c := range p {
		up, down := append([]float64(nil), p...), append([]float64(nil), p...)
		up[c] += h
		down[c] -= h
		g := (kappaOf(up, w) - kappaOf(down, w)) / (2 * h)
		s1 += p[c] * g * g
		s2 += p[c] * g
	}
	return (s1 - s2*s2) / n
}

// The kappa paradox (Feinstein & Cicchetti 1990): title/abstract screening
// of 100 records, 4% and 3% includes. Both include 1, both exclude 94,
// A-only 3, B-only 2: po = .95 but pe = .04·.03 + .96·.97 = .9324, so
// κ = .0176/.0676 = .2604; PABAK = 2·.95 − 1 = .90; AC1: π_include = .035,
// pe = 2·.035·.965 = .06755, AC1 = .88245/.93245 = .9463778.
func TestKappaParadox(t *testing.T) {
	var a, b []string
	add := func(n int, x, y string) {
		for range n {
			a, b = append(a, x), append(b, y)
		}
	}
	add(1, "include", "include")
	add(3, "include", "exclude")
	add(2, "exclude", "include")
	add(94, "exclude", "exclude")
	p, err := PairStats(a, b, []string{"include", "exclude"})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "po", p.ObservedAgreement, 0.95, 1e-12)
	near(t, "κ", p.Cohen.Estimate, 0.0176/0.0676, 1e-12)
	near(t, "PABAK", p.PABAK.Estimate, 0.90, 1e-12)
	near(t, "AC1", p.GwetAC1.Estimate, 0.88245/0.93245, 1e-12)
	if *p.Cohen.Estimate > 0.3 || *p.GwetAC1.Estimate < 0.9 {
		t.Errorf("paradox not shown: κ %.3f AC1 %.3f", *p.Cohen.Estimate, *p.GwetAC1.Estimate)
	}
}

func TestPairMissingAndErrors(t *testing.T) {
	a := []string{"y", "", "n", "y", "n", "y"}
	b := []string{"y", "n", "", "", "n", "n"}
	p, err := PairStats(a, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Units 1, 5 and 6 are rated by both: agree, agree, disagree.
	if p.Units != 6 || p.N != 3 || p.Dropped != 3 || p.Agreements != 2 {
		t.Errorf("units %d n %d dropped %d agreements %d; want 6 3 3 2", p.Units, p.N, p.Dropped, p.Agreements)
	}
	if got := strings.Join(p.Categories, ","); got != "n,y" {
		t.Errorf("default categories %q, want n,y", got)
	}
	if _, err := PairStats([]string{"y"}, []string{"y", "n"}, nil); err == nil {
		t.Error("length mismatch: want error")
	}
	if _, err := PairStats([]string{"y", "maybe"}, []string{"y", "n"}, []string{"y", "n"}); err == nil || !strings.Contains(err.Error(), "maybe") {
		t.Errorf("unknown label: err = %v, want one naming it", err)
	}
	// Labels beyond eight categories go through the map lookup.
	many := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
	p, err = PairStats(many, many, nil)
	if err != nil || p.Agreements != 10 || many[len(many)-1] != p.Categories[9] {
		t.Errorf("10 categories: %v, agreements %d, categories %v", err, p.Agreements, p.Categories)
	}
}

// Undefined statistics are nil with a note, never NaN, and the report
// always encodes as JSON.
func TestEdgeCases(t *testing.T) {
	cases := []struct {
		name  string
		r     Ratings
		opt   Options
		check func(t *testing.T, rep Report)
	}{
		{
			name: "all agree in one category",
			r:    Ratings{Units: []string{"1", "2", "3"}, Raters: []string{"A", "B"}, Values: [][]string{{"x", "x"}, {"x", "x"}, {"x", "x"}}},
			check: func(t *testing.T, rep Report) {
				p := rep.Pairs[0]
				near(t, "po", p.ObservedAgreement, 1, 0)
				isNil(t, "κ", p.Cohen.Estimate)
				isNil(t, "κ SE", p.Cohen.SE)
				isNil(t, "AC1 with q = 1", p.GwetAC1.Estimate)
				if p.Cohen.Note == "" || p.GwetAC1.Note == "" {
					t.Error("undefined statistics need a note")
				}
				isNil(t, "Fleiss κ", rep.Multi.Fleiss.Estimate)
				isNil(t, "α nominal", rep.Multi.Krippendorff.Nominal)
			},
		},
		{
			name: "all include on a two-category scale",
			r:    Ratings{Units: []string{"1", "2"}, Raters: []string{"A", "B"}, Values: [][]string{{"include", "include"}, {"include", "include"}}},
			opt:  Options{Categories: []string{"include", "exclude"}},
			check: func(t *testing.T, rep Report) {
				p := rep.Pairs[0]
				isNil(t, "κ", p.Cohen.Estimate)
				near(t, "PABAK", p.PABAK.Estimate, 1, 0)
				near(t, "AC1", p.GwetAC1.Estimate, 1, 0)
			},
		},
		{
			name: "zero units",
			r:    Ratings{Raters: []string{"A", "B"}},
			check: func(t *testing.T, rep Report) {
				if rep.Units != 0 || rep.Pairs[0].N != 0 {
					t.Errorf("units %d n %d", rep.Units, rep.Pairs[0].N)
				}
				isNil(t, "po", rep.Pairs[0].ObservedAgreement)
				isNil(t, "κ", rep.Pairs[0].Cohen.Estimate)
				isNil(t, "Fleiss κ", rep.Multi.Fleiss.Estimate)
				isNil(t, "α", rep.Multi.Krippendorff.Nominal)
			},
		},
		{
			name: "a single rater",
			r:    Ratings{Units: []string{"1", "2"}, Raters: []string{"A"}, Values: [][]string{{"y"}, {"n"}}},
			check: func(t *testing.T, rep Report) {
				if len(rep.Pairs) != 0 || rep.Multi.UnitsPairable != 0 {
					t.Errorf("pairs %d pairable %d, want 0 0", len(rep.Pairs), rep.Multi.UnitsPairable)
				}
				isNil(t, "Fleiss κ", rep.Multi.Fleiss.Estimate)
				isNil(t, "AC1", rep.Multi.GwetAC1.Estimate)
				isNil(t, "α", rep.Multi.Krippendorff.Nominal)
				if rep.Multi.Fleiss.Note == "" || rep.Multi.Krippendorff.Note == "" {
					t.Error("want notes")
				}
			},
		},
		{
			name: "label outside given categories",
			r:    Ratings{Units: []string{"u1"}, Raters: []string{"A", "B"}, Values: [][]string{{"y", "maybe"}}},
			opt:  Options{Categories: []string{"y", "n"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep, err := Compute(c.r, c.opt)
			if c.check == nil {
				if err == nil || !strings.Contains(err.Error(), `"u1"`) || !strings.Contains(err.Error(), `"B"`) {
					t.Errorf("err = %v, want one naming unit and rater", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, rep)
			if _, err := json.Marshal(rep); err != nil {
				t.Errorf("JSON: %v", err)
			}
			var text bytes.Buffer
			if err := rep.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(text.String(), "NaN") || strings.Contains(text.String(), "Inf") {
				t.Errorf("text shows NaN/Inf:\n%s", text.String())
			}
		})
	}
}

// Units with a single rating: Krippendorff drops them; Fleiss' κ and AC1
// keep them for prevalence (irrCAC convention). Hand computation, two
// categories a, b:
//
//	unit 1: a a a    unit 2: a b    unit 3: b (single)    unit 4: b b
//
// Observed agreement over units with ≥ 2 ratings: (1 + 0 + 1)/3 = 2/3.
// π over the 4 rated units: π_a = (1 + .5 + 0 + 0)/4 = .375, π_b = .625.
// Fleiss: pe = .375² + .625² = 17/32, κ = (2/3 − 17/32)/(15/32) = 13/45.
// AC1: pe = 2·.375·.625 = 15/32, AC1 = (2/3 − 15/32)/(17/32) = 19/51.
// Krippendorff: 7 pairable values; o_aa = 3·2/2 = 3, o_ab = o_ba = 1,
// o_bb = 2; n_a = 4, n_b = 3; α = 1 − 6·2/(4·3·2) = .5.
// Ratings per unit vary, so Fleiss' null SE and z are n/a.
func TestSingleRatingUnits(t *testing.T) {
	c := Counts{Units: []string{"1", "2", "3", "4"}, Categories: []string{"a", "b"}, N: [][]int{{3, 0}, {1, 1}, {0, 1}, {0, 2}}}
	m, err := MultiStats(c)
	if err != nil {
		t.Fatal(err)
	}
	if m.UnitsRated != 4 || m.UnitsPairable != 3 || m.Ratings != 8 || m.RatingsPerUnit != 0 {
		t.Errorf("rated %d pairable %d ratings %d per unit %d; want 4 3 8 0", m.UnitsRated, m.UnitsPairable, m.Ratings, m.RatingsPerUnit)
	}
	near(t, "observed", m.ObservedAgreement, 2.0/3, 1e-12)
	near(t, "Fleiss κ", m.Fleiss.Estimate, 13.0/45, 1e-12)
	isNil(t, "Fleiss z", m.Fleiss.Z)
	near(t, "AC1", m.GwetAC1.Estimate, 19.0/51, 1e-12)
	near(t, "α nominal", m.Krippendorff.Nominal, 0.5, 1e-12)
	if m.Krippendorff.PairableValues != 7 {
		t.Errorf("pairable values %d, want 7", m.Krippendorff.PairableValues)
	}
	// Two raters, nothing missing: multi-rater AC1 and Fleiss' observed
	// agreement equal the two-rater figures.
	r := Ratings{Units: []string{"1", "2", "3", "4"}, Raters: []string{"A", "B"}, Values: [][]string{{"y", "y"}, {"y", "n"}, {"n", "n"}, {"n", "n"}}}
	rep, err := Compute(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "AC1 multi = pair", rep.Multi.GwetAC1.Estimate, *rep.Pairs[0].GwetAC1.Estimate, 1e-12)
	near(t, "po multi = pair", rep.Multi.ObservedAgreement, *rep.Pairs[0].ObservedAgreement, 1e-12)
}

func TestReadCSV(t *testing.T) {
	wide := "unit,alice,bob\nr1,include,include\nr2, exclude ,\nr3,,include\n"
	long := "unit,rater,value\nr1,alice,include\nr1,bob,include\nr2,alice,exclude\nr3,bob,include\n"
	for name, in := range map[string]string{"wide": wide, "long": long} {
		t.Run(name, func(t *testing.T) {
			r, err := ReadCSV(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			want := Ratings{Units: []string{"r1", "r2", "r3"}, Raters: []string{"alice", "bob"},
				Values: [][]string{{"include", "include"}, {"exclude", ""}, {"", "include"}}}
			got, _ := json.Marshal(r)
			exp, _ := json.Marshal(want)
			if !bytes.Equal(got, exp) {
				t.Errorf("got %s\nwant %s", got, exp)
			}
		})
	}
	for _, c := range []struct{ in, want string }{
		{"", "empty"},
		{"unit\nx\n", "line 1"},
		{"unit,a,a\n", "line 1, column 3"},
		{"unit,a,b\nu1,x\n", "line 2"},
		{"unit,a,b\nu1,x,y\nu1,x,y\n", "line 3, column 1"},
		{"unit,a,b\nu1,x,y\n,x,y\n", "line 3, column 1"},
		{"unit,rater,value\nu1,a,x\nu1,a,y\n", "line 3"},
		{"unit,rater,value\nu1,,x\n", "line 2, column 2"},
		{"unit,a\nu1,\"x\n", "line 2"},
	} {
		_, err := ReadCSV(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadCSV(%q): err = %v, want one containing %q", c.in, err, c.want)
		}
	}
	if _, err := ReadCountsCSV(strings.NewReader("unit,a,b\nu1,1,x\n")); err == nil || !strings.Contains(err.Error(), "line 2, column 3") {
		t.Errorf("counts: err = %v", err)
	}
}

func TestSortCategories(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"10", "2", "", "1", "2"}, []string{"1", "2", "10"}},
		{[]string{"b", "10", "a"}, []string{"10", "a", "b"}},
		{nil, nil},
	} {
		if got := SortCategories(c.in); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("SortCategories(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// Any input ReadCSV accepts must give a report that encodes and prints.
func FuzzReadCSV(f *testing.F) {
	f.Add("unit,a,b\n1,x,y\n2,,y\n")
	f.Add("unit,rater,value\n1,a,1\n1,b,2\n2,a,\n")
	f.Add("unit,a\n1,0\n2,-0\n")
	f.Fuzz(func(t *testing.T, in string) {
		r, err := ReadCSV(strings.NewReader(in))
		if err != nil {
			return
		}
		rep, err := Compute(r, Options{})
		if err != nil {
			return
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatalf("JSON: %v", err)
		}
		if err := rep.WriteText(&bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	})
}

// 1M two-rater include/exclude votes with about 5% includes.
func BenchmarkPairStats1M(b *testing.B) {
	const n = 1_000_000
	a, c := make([]string, n), make([]string, n)
	state := uint64(1)
	next := func() uint64 { state = state*6364136223846793005 + 1442695040888963407; return state >> 33 }
	for i := range n {
		a[i], c[i] = "exclude", "exclude"
		if next()%20 == 0 {
			a[i] = "include"
		}
		if next()%20 == 0 {
			c[i] = "include"
		}
	}
	cats := []string{"include", "exclude"}
	for b.Loop() {
		if _, err := PairStats(a, c, cats); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOneCategoryRaterSnapsToZero: when one screener never includes, kappa
// is 0 whatever the other did, and so are its standard errors, in theory.
// The table is 95 both-exclude and 42 include/exclude units: rounding used
// to show SE0 2e-09 (2e-07 and 5e-07 on other tables), Conger's kappa
// -3.6e-16 with SE 6e-17, and z as a quotient of noise or null without a
// word. Now they are exactly 0, and z is null with a note.
func TestOneCategoryRaterSnapsToZero(t *testing.T) {
	g := func(x *float64) string {
		if x == nil {
			return "null"
		}
		return strconv.FormatFloat(*x, 'g', -1, 64)
	}
	p, err := PairTable([]string{"exclude", "include"}, [][]int{{95, 0}, {42, 0}})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []Kappa{p.Cohen, p.LinearKappa, p.QuadraticKappa} {
		for what, x := range map[string]*float64{"estimate": k.Estimate, "SE": k.SE, "SE0": k.SENull, "CI low": k.CILow, "CI high": k.CIHigh} {
			if x == nil || *x != 0 {
				t.Errorf("%s kappa %s = %s, want exactly 0", k.Weights, what, g(x))
			}
		}
		if k.Z != nil || !strings.Contains(k.Note, "no z: the standard error under kappa = 0 is 0") {
			t.Errorf("%s kappa z %s, note %q", k.Weights, g(k.Z), k.Note)
		}
	}
	var r Ratings
	r.Raters = []string{"A", "B"}
	for i := range 137 {
		a := "exclude"
		if i >= 95 {
			a = "include"
		}
		r.Units = append(r.Units, strconv.Itoa(i))
		r.Values = append(r.Values, []string{a, "exclude"})
	}
	rep, err := Compute(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, ok := rep.Multi.Coefficient(CoefConger, "unweighted")
	if !ok || c.Estimate == nil || *c.Estimate != 0 || c.SE == nil || *c.SE != 0 {
		t.Errorf("Conger's kappa %s, SE %s; want both exactly 0", g(c.Estimate), g(c.SE))
	}
}
