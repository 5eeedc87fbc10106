package agreement

import (
	"math"
	"strings"
	"testing"
)

// Published worked values for the statistics added for issue 13. Each test
// names its source; where only rounded values are published, the tolerance
// is half a unit of the last printed digit.

// raw4raters is irrCAC's cac.raw4raters: 4 raters, 12 subjects, categories
// 1–5, with missing ratings (Gwet 2014, Handbook of Inter-Rater Reliability,
// 4th ed., p. 120).
const raw4raters = `unit,Rater1,Rater2,Rater3,Rater4
1,1,1,,1
2,2,2,3,2
3,3,3,3,3
4,3,3,3,3
5,2,2,2,2
6,1,2,3,4
7,4,4,4,4
8,1,1,2,1
9,2,2,2,2
10,,5,5,5
11,,,1,1
12,,,3,
`

func coef(t *testing.T, m Multi, name, weights string) Coefficient {
	t.Helper()
	c, ok := m.Coefficient(name, weights)
	if !ok {
		t.Fatalf("no %s coefficient with %s weights", name, weights)
	}
	return c
}

// want is one published row: estimate, pa, pe, SE, CI low, CI high; NaN
// where the source does not print the value. tol applies to every value.
type want struct {
	name, weights                string
	estimate, pa, pe, se, lo, hi float64
	tol                          float64
}

func checkCoef(t *testing.T, m Multi, w want) {
	t.Helper()
	c := coef(t, m, w.name, w.weights)
	label := w.name + "/" + w.weights
	for _, v := range []struct {
		what string
		got  *float64
		want float64
	}{{"estimate", c.Estimate, w.estimate}, {"pa", c.Pa, w.pa}, {"pe", c.Pe, w.pe}, {"SE", c.SE, w.se}, {"CI low", c.CILow, w.lo}, {"CI high", c.CIHigh, w.hi}} {
		if !math.IsNaN(v.want) {
			near(t, label+" "+v.what, v.got, v.want, w.tol)
		}
	}
}

var nan = math.NaN()

// TestIrrCACRaw4Raters reproduces irrCAC on cac.raw4raters.
//
// Quadratic weights: the irrCAC vignette "Weighted Chance-corrected
// Agreement Coefficients" (weighting.html, 2019-09-01) prints
// gwet.ac1.raw(cac.raw4raters, weights = "quadratic")$est: pa 0.9753788,
// pe 0.7137044, AC2 0.914 (rounded to 5 decimals), SE 0.10396, CI (0.685,1);
// fleiss.kappa.raw: pe 0.8177083, 0.86494, SE 0.14603, CI (0.544,1);
// conger.kappa.raw: pe 0.8269638, 0.85771, SE 0.14367, CI (0.541,1);
// bp.coeff.raw: pe 0.75, 0.90152, SE 0.11089, CI (0.657,1).
//
// Unweighted: the irrCAC benchmarking vignette prints AC1 0.775 with SE
// 0.14295. The other unweighted, linear and ordinal values (3 decimals) are
// those of the irrCAC overview vignette's calls as reproduced by the irrCAC
// Python port's tests (afergadis/irrCAC test/unit/irrCAC/raw/test_gwet.py,
// test_fleiss.py, test_conger.py, test_bp.py).
func TestIrrCACRaw4Raters(t *testing.T) {
	r, err := ReadCSV(strings.NewReader(raw4raters))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Compute(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := rep.Multi
	for _, w := range []want{
		// weighting vignette, quadratic weights (printed to 7 or 5 decimals)
		{CoefGwet, Quadratic, 0.914, 0.9753788, 0.7137044, 0.10396, 0.685, 1, 5e-4},
		{CoefFleiss, Quadratic, 0.86494, 0.9753788, 0.8177083, 0.14603, 0.544, 1, 5e-4},
		{CoefConger, Quadratic, 0.85771, 0.9753788, 0.8269638, 0.14367, 0.541, 1, 5e-4},
		{CoefBP, Quadratic, 0.90152, 0.9753788, 0.75, 0.11089, 0.657, 1, 5e-4},
		{CoefPercent, Quadratic, 0.9753788, 0.9753788, 0, 0.09062, 0.776, 1, 5e-4},
		// benchmarking vignette
		{CoefGwet, Unweighted, 0.775, nan, nan, 0.14295, nan, nan, 5e-4},
		// overview vignette calls, via the Python port's tests (3 decimals)
		{CoefGwet, Unweighted, 0.775, 0.818, 0.190, 0.143, 0.461, 1, 5e-4},
		{CoefFleiss, Unweighted, 0.761, 0.818, 0.239, nan, 0.424, 1, 5e-4},
		{CoefConger, Unweighted, 0.763, 0.818, 0.233, nan, 0.435, 1, 5e-4},
		{CoefBP, Unweighted, 0.773, 0.818, 0.200, 0.145, 0.454, 1, 5e-4},
		{CoefGwet, Linear, 0.859, 0.939, 0.571, 0.117, 0.600, 1, 5e-4},
		{CoefFleiss, Linear, 0.818, 0.939, 0.667, 0.149, 0.491, 1, 5e-4},
		{CoefConger, Linear, 0.814, 0.939, 0.675, 0.145, 0.494, 1, 5e-4},
		{CoefBP, Linear, 0.848, 0.939, 0.600, 0.123, 0.577, 1, 5e-4},
		{CoefGwet, Ordinal, 0.899, 0.968, 0.685, 0.107, 0.664, 1, 5e-4},
		{CoefFleiss, Ordinal, 0.850, 0.968, 0.788, 0.147, 0.527, 1, 5e-4},
		{CoefConger, Ordinal, 0.844, 0.968, 0.796, 0.144, 0.526, 1, 5e-4},
		{CoefBP, Ordinal, 0.886, 0.968, 0.720, 0.114, 0.636, 1, 5e-4},
	} {
		checkCoef(t, m, w)
	}
	// The weighting vignette prints the quadratic values to 7 (pa, pe) and
	// 5 (coefficient, SE) decimals: check them to that precision.
	for _, x := range []struct {
		name        string
		est, pe, se float64
	}{
		{CoefGwet, 0.914, 0.7137044, 0.10396},
		{CoefFleiss, 0.86494, 0.8177083, 0.14603},
		{CoefConger, 0.85771, 0.8269638, 0.14367},
		{CoefBP, 0.90152, 0.75, 0.11089},
	} {
		c := coef(t, m, x.name, Quadratic)
		near(t, x.name+" quadratic", c.Estimate, x.est, 5e-6)
		near(t, x.name+" quadratic pa", c.Pa, 0.9753788, 5e-8)
		near(t, x.name+" quadratic pe", c.Pe, x.pe, 5e-8)
		near(t, x.name+" quadratic SE", c.SE, x.se, 5e-6)
	}
	near(t, "AC1 SE (benchmarking vignette)", coef(t, m, CoefGwet, Unweighted).SE, 0.14295, 5e-6)
	// The unweighted coefficients agree with the older fields of the report.
	near(t, "AC1 = Multi.GwetAC1", coef(t, m, CoefGwet, Unweighted).Estimate, *m.GwetAC1.Estimate, 1e-12)
	near(t, "Fleiss = Multi.Fleiss", coef(t, m, CoefFleiss, Unweighted).Estimate, *m.Fleiss.Estimate, 1e-12)
}

// TestIrrCACDistrib6Raters: irrCAC's distrib.6raters is the first 15
// subjects of Fleiss (1971) (shared data, counts layout). The weighting
// vignette prints, with quadratic weights:
// gwet.ac1.dist: AC2 0.4837438, SE 0.1058227, CI (0.257,0.711), pa 0.8544444, pe 0.7180556;
// fleiss.kappa.dist: 0.2511909, SE 0.1457381, CI (-0.061,0.564), pe 0.8056173;
// bp.coeff.dist: 0.4177778, SE 0.1067493, CI (0.189,0.647), pe 0.75.
// The unweighted Brennan–Prediger coefficient on the same subjects is
// Randolph's (2005) free-marginal multirater κ, (P̄ − 1/q)/(1 − 1/q); no
// value is published for these 15 subjects, so by hand: the subjects' shares
// of agreeing pairs Σ n(n−1)/30 are 1, .4, .4, 1, .4, .4667, .4667, .4, .4667,
// 1, .6667, .4, .4, .6667, .2667 (sum 8.2667), P̄ = .5511111 and
// κ_free = (.5511111 − .2)/.8 = .4388889.
func TestIrrCACDistrib6Raters(t *testing.T) {
	all, err := ReadCountsCSV(openShared(t, "fleiss1971_diagnoses_counts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	c := Counts{Units: all.Units[:15], Categories: all.Categories, N: all.N[:15]}
	m, err := MultiStats(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []want{
		{CoefGwet, Quadratic, 0.4837438, 0.8544444, 0.7180556, 0.1058227, 0.257, 0.711, 5e-4},
		{CoefFleiss, Quadratic, 0.2511909, 0.8544444, 0.8056173, 0.1457381, -0.061, 0.564, 5e-4},
		{CoefBP, Quadratic, 0.4177778, 0.8544444, 0.75, 0.1067493, 0.189, 0.647, 5e-4},
	} {
		checkCoef(t, m, w)
	}
	near(t, "AC2 quadratic to 7 decimals", coef(t, m, CoefGwet, Quadratic).Estimate, 0.4837438, 5e-8)
	near(t, "fleiss quadratic to 7 decimals", coef(t, m, CoefFleiss, Quadratic).Estimate, 0.2511909, 5e-8)
	near(t, "BP quadratic to 7 decimals", coef(t, m, CoefBP, Quadratic).Estimate, 0.4177778, 5e-8)
	near(t, "AC2 SE to 7 decimals", coef(t, m, CoefGwet, Quadratic).SE, 0.1058227, 5e-8)
	near(t, "Fleiss SE to 7 decimals", coef(t, m, CoefFleiss, Quadratic).SE, 0.1457381, 5e-8)
	near(t, "BP SE to 7 decimals", coef(t, m, CoefBP, Quadratic).SE, 0.1067493, 5e-8)
	bp := coef(t, m, CoefBP, Unweighted)
	near(t, "free-marginal κ", bp.Estimate, (8.2666667/15-0.2)/0.8, 1e-7)
	if got := coef(t, m, CoefConger, Unweighted); got.Estimate != nil || !strings.Contains(got.Note, "who rated what") {
		t.Errorf("Conger's κ from a count table = %v (%q), want null with a note", got.Estimate, got.Note)
	}
}

// TestRandolphFreeMarginalFleiss1971: Randolph's (2005) free-marginal
// multirater κ is (P̄ − 1/q)/(1 − 1/q), the multi-rater Brennan–Prediger
// coefficient with Fleiss' observed agreement P̄. On Fleiss' (1971) 30
// subjects × 6 ratings, P̄ = 0.5555556 (Fleiss 1971 prints .556; also
// checked in TestFleiss1971) and q = 5, so κ_free = (0.5555556 − 0.2)/0.8 =
// 0.4444444 (derived by hand from the published P̄: no calculator output for
// this table is published). The same from the ratings (exchangeable
// columns) and from the count table.
func TestRandolphFreeMarginalFleiss1971(t *testing.T) {
	raw, err := ReadCSV(openShared(t, "fleiss1971_diagnoses_raw.csv"))
	if err != nil {
		t.Fatal(err)
	}
	fromRaw, err := Compute(raw, Options{Exchangeable: true})
	if err != nil {
		t.Fatal(err)
	}
	counts, err := ReadCountsCSV(openShared(t, "fleiss1971_diagnoses_counts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	fromCounts, err := ComputeCounts(counts)
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]Multi{"ratings": fromRaw.Multi, "counts": fromCounts.Multi} {
		bp := coef(t, m, CoefBP, Unweighted)
		near(t, name+" κ_free", bp.Estimate, (5.0/9-0.2)/0.8, 1e-12)
		near(t, name+" pe = 1/q", bp.Pe, 0.2, 1e-12)
		if c := coef(t, m, CoefConger, Unweighted); c.Estimate != nil {
			t.Errorf("%s: Conger's κ on exchangeable rating slots = %v, want null", name, *c.Estimate)
		}
		// Gwet's framework gives Fleiss' κ the same estimate as Fleiss (1971).
		near(t, name+" Fleiss κ (Gwet framework)", coef(t, m, CoefFleiss, Unweighted).Estimate, 0.4302445, 5e-7)
	}
}

// TestEpiRKappaExamples: epiR's epi.kappa help page, EXAMPLE 1 (kidney
// samples of 291 salmon, IFAT test in two laboratories):
// epi.kappa(matrix(c(19,10,6,256), nrow = 2, byrow = TRUE), method =
// "fleiss") prints z = 11.53, κ = 0.67 (95% CI 0.56 to 0.79), PABAK = 0.89
// (95% CI 0.82 to 0.94). Run in epiR 2.0.57 the same call prints, to 10
// digits: κ 0.6735838474, se 0.05842552698, CI 0.5590719188–0.7880957761
// (the null-SE interval, Fleiss 1981 eq. 18.13), z 11.52893063, PABAK
// 0.8900343643 (0.8244906155–0.9364991377). EXAMPLE 2 (Silva et al. 2007
// via Watson & Petrie 2010, ELISA vs ultrasound, c(596,61,29,987)): PABAK
// 0.89 (95% CI 0.87 to 0.91); epiR 2.0.57: 0.8924088464 (0.8685748789–
// 0.9130464476). The PABAK interval does not depend on epiR's method.
func TestEpiRKappaExamples(t *testing.T) {
	p, err := PairTable([]string{"pos", "neg"}, [][]int{{19, 10}, {6, 256}})
	if err != nil {
		t.Fatal(err)
	}
	k := p.Cohen
	near(t, "κ", k.Estimate, 0.6735838474, 1e-9)
	near(t, "null SE (epiR se)", k.SENull, 0.05842552698, 1e-10)
	near(t, "null-SE CI low", k.CILowNull, 0.5590719188, 1e-9)
	near(t, "null-SE CI high", k.CIHighNull, 0.7880957761, 1e-9)
	near(t, "z", k.Z, 11.52893063, 1e-7)
	near(t, "PABAK", p.PABAK.Estimate, 0.8900343643, 1e-9)
	near(t, "PABAK CI low", p.PABAK.CILow, 0.8244906155, 1e-9)
	near(t, "PABAK CI high", p.PABAK.CIHigh, 0.9364991377, 1e-9)
	// The non-null interval stays what it was, beside the null one.
	if *k.CILow == *k.CILowNull {
		t.Error("the non-null and null-SE intervals coincide; they use different SEs")
	}

	p2, err := PairTable([]string{"pos", "neg"}, [][]int{{596, 61}, {29, 987}})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "example 2 PABAK", p2.PABAK.Estimate, 0.8924088464, 1e-9)
	near(t, "example 2 PABAK CI low", p2.PABAK.CILow, 0.8685748789, 1e-9)
	near(t, "example 2 PABAK CI high", p2.PABAK.CIHigh, 0.9130464476, 1e-9)
}

// TestClopperPearson: R's binom.test(7, 20)$conf.int is 0.1539092–0.5921885
// (hand-checkable: the lower end solves P(X ≥ 7 | p) = 0.025); the ends
// 0/n and n/n give [0, 1 − 0.025^(1/n)] and [0.025^(1/n), 1].
func TestClopperPearson(t *testing.T) {
	lo, hi := ClopperPearson(7, 20, 0.95)
	near(t, "7/20 low", &lo, 0.1539092, 5e-8)
	near(t, "7/20 high", &hi, 0.5921885, 5e-8)
	lo, hi = ClopperPearson(0, 10, 0.95)
	near(t, "0/10 low", &lo, 0, 0)
	near(t, "0/10 high", &hi, 1-math.Pow(0.025, 0.1), 1e-12)
	lo, hi = ClopperPearson(10, 10, 0.95)
	near(t, "10/10 low", &lo, math.Pow(0.025, 0.1), 1e-12)
	near(t, "10/10 high", &hi, 1, 0)
	lo, hi = ClopperPearson(0, 0, 0.95)
	if lo != 0 || hi != 1 {
		t.Errorf("0/0: [%g, %g], want [0, 1]", lo, hi)
	}
}

// With two raters and nothing missing the multi-rater coefficients reduce to
// the two-rater ones (Conger 1980; Gwet 2014): Conger's κ is Cohen's κ,
// Fleiss' κ is Scott's π, Brennan–Prediger is PABAK and AC1 is the pair's
// AC1. On the hand-computed table of TestPair2x2Hand ([[20,5],[10,15]]):
// Cohen .4; Scott's π: π = (.55, .45), pe = .55² + .45² = .505,
// π = (.7 − .505)/.495 = .3939394; PABAK .4; AC1 .4059406.
func TestMultiRaterReducesToTwoRaters(t *testing.T) {
	var r Ratings
	r.Raters = []string{"A", "B"}
	add := func(n int, a, b string) {
		for range n {
			r.Units = append(r.Units, string(rune('a'+len(r.Units)%26))+strings.Repeat("x", len(r.Units)/26))
			r.Values = append(r.Values, []string{a, b})
		}
	}
	add(20, "yes", "yes")
	add(5, "yes", "no")
	add(10, "no", "yes")
	add(15, "no", "no")
	rep, err := Compute(r, Options{Categories: []string{"yes", "no"}})
	if err != nil {
		t.Fatal(err)
	}
	m := rep.Multi
	near(t, "Conger = Cohen", coef(t, m, CoefConger, Unweighted).Estimate, 0.4, 1e-12)
	near(t, "Fleiss = Scott", coef(t, m, CoefFleiss, Unweighted).Estimate, 0.195/0.495, 1e-12)
	near(t, "BP = PABAK", coef(t, m, CoefBP, Unweighted).Estimate, 0.4, 1e-12)
	near(t, "AC1", coef(t, m, CoefGwet, Unweighted).Estimate, 0.205/0.505, 1e-12)
	// With two categories every weighting is the identity.
	near(t, "quadratic Conger", coef(t, m, CoefConger, Quadratic).Estimate, 0.4, 1e-12)
}

// Degenerate tables give notes, never NaN.
func TestCoefficientsDegenerate(t *testing.T) {
	for name, c := range map[string]Counts{
		"one unit":          {Units: []string{"u"}, Categories: []string{"a", "b"}, N: [][]int{{2, 1}}},
		"single ratings":    {Units: []string{"u", "v"}, Categories: []string{"a", "b"}, N: [][]int{{1, 0}, {0, 1}}},
		"one category":      {Units: []string{"u", "v"}, Categories: []string{"a"}, N: [][]int{{2}, {3}}},
		"all in a category": {Units: []string{"u", "v"}, Categories: []string{"a", "b"}, N: [][]int{{2, 0}, {3, 0}}},
		"unit never rated":  {Units: []string{"u", "v", "w"}, Categories: []string{"a", "b"}, N: [][]int{{2, 0}, {0, 0}, {1, 1}}},
	} {
		m, err := MultiStats(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, co := range m.Coefficients {
			for _, v := range []*float64{co.Pa, co.Pe, co.Estimate, co.SE, co.CILow, co.CIHigh} {
				if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0)) {
					t.Errorf("%s: %s/%s has a NaN or Inf", name, co.Name, co.Weights)
				}
			}
			if co.Estimate == nil && co.Note == "" {
				t.Errorf("%s: %s/%s is null without a note", name, co.Name, co.Weights)
			}
		}
	}
}
