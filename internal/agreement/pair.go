package agreement

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// z975 is the 0.975 quantile of the standard normal distribution (R's
// qnorm(0.975), scipy's norm.ppf(0.975)), used for 95% confidence intervals
// so that they match epiR and statsmodels to the last digit; "1.96" in the
// documentation stands for it.
const z975 = 1.959963984540054

// Cell is one cell of a confusion matrix: the number of units rater A put
// in category A and rater B in category B.
type Cell struct {
	A     string `json:"a"`
	B     string `json:"b"`
	Count int    `json:"count"`
}

// Kappa is Cohen's κ, unweighted or weighted, with its standard errors.
// Po and Pe are the (weighted) observed and chance agreement;
// Estimate = (Po − Pe)/(1 − Pe). SE is the non-null standard error and
// CILow/CIHigh = Estimate ∓ 1.96·SE; SENull is the standard error under
// κ = 0 and Z = Estimate/SENull (all Fleiss, Cohen & Everitt 1969).
// CILowNull/CIHighNull = Estimate ∓ 1.96·SENull is the interval built on the
// null standard error, which is what epiR's epi.kappa prints with its
// default method = "fleiss" (Fleiss 1981 eq. 18.13): reported beside the
// non-null interval, never instead of it, so a team can match either.
type Kappa struct {
	Weights    string   `json:"weights"` // none, linear or quadratic
	Po         *float64 `json:"po"`
	Pe         *float64 `json:"pe"`
	Estimate   *float64 `json:"estimate"`
	SE         *float64 `json:"se"`
	CILow      *float64 `json:"ci_low"`
	CIHigh     *float64 `json:"ci_high"`
	SENull     *float64 `json:"se_null"`
	Z          *float64 `json:"z"`
	CILowNull  *float64 `json:"ci_low_null_se"`
	CIHighNull *float64 `json:"ci_high_null_se"`
	Note       string   `json:"note,omitempty"`
}

// Coef is a chance-corrected coefficient (Estimate = (Po − Pe)/(1 − Pe))
// reported with its chance agreement Pe; Po is the pair's observed agreement.
// CILow/CIHigh, when set, are an exact interval (PABAK: the Clopper–Pearson
// interval of Po carried through the coefficient's formula).
type Coef struct {
	Pe       *float64 `json:"pe"`
	Estimate *float64 `json:"estimate"`
	CILow    *float64 `json:"ci_low,omitempty"`
	CIHigh   *float64 `json:"ci_high,omitempty"`
	Note     string   `json:"note,omitempty"`
}

// Pair holds two-rater agreement statistics.
type Pair struct {
	RaterA     string   `json:"rater_a,omitempty"`
	RaterB     string   `json:"rater_b,omitempty"`
	Units      int      `json:"units"`   // units offered
	N          int      `json:"n"`       // units both raters rated (used)
	Dropped    int      `json:"dropped"` // units with one or both ratings missing
	Categories []string `json:"categories"`
	// Confusion lists every category pair (A row-major over B), zeros included.
	Confusion  []Cell `json:"confusion"`
	Agreements int    `json:"agreements"` // units on the diagonal
	// ObservedAgreement is Agreements/N, the "percent agreement" as a proportion.
	ObservedAgreement *float64 `json:"observed_agreement"`
	Cohen             Kappa    `json:"cohen_kappa"`
	LinearKappa       Kappa    `json:"weighted_kappa_linear"`
	QuadraticKappa    Kappa    `json:"weighted_kappa_quadratic"`
	// PABAK is the Brennan–Prediger κ with Pe = 1/q (q = len(Categories));
	// for q = 2 it equals 2·po − 1.
	PABAK   Coef `json:"pabak"`
	GwetAC1 Coef `json:"gwet_ac1"`
}

// PairStats computes two-rater statistics for the labels a[i], b[i] given
// to unit i. A unit is used only when both labels are non-empty. cats is the
// category scale in order (nil: the labels seen, in default order); a label
// outside cats is an error.
func PairStats(a, b []string, cats []string) (Pair, error) {
	if len(a) != len(b) {
		return Pair{}, fmt.Errorf("rater label slices differ in length: %d and %d", len(a), len(b))
	}
	if cats == nil {
		cats = SortCategories(append(append([]string(nil), a...), b...))
	}
	idx, err := categoryIndex(cats)
	if err != nil {
		return Pair{}, err
	}
	q := len(cats)
	lookup := func(s string) int {
		if q <= 8 { // a short scan beats hashing for the usual 2–5 categories
			for i, c := range cats {
				if c == s {
					return i
				}
			}
			return -1
		}
		if i, ok := idx[s]; ok {
			return i
		}
		return -1
	}
	table := make([][]int, q)
	for i := range table {
		table[i] = make([]int, q)
	}
	// Consecutive votes usually repeat the same label; remember the last hit.
	lastA, lastB, ia, ib := "", "", -1, -1
	for i := range a {
		if a[i] == "" || b[i] == "" {
			continue
		}
		if a[i] != lastA || ia < 0 {
			lastA, ia = a[i], lookup(a[i])
			if ia < 0 {
				return Pair{}, fmt.Errorf("unit %d: rater A label %q is not among the categories %v", i+1, a[i], cats)
			}
		}
		if b[i] != lastB || ib < 0 {
			lastB, ib = b[i], lookup(b[i])
			if ib < 0 {
				return Pair{}, fmt.Errorf("unit %d: rater B label %q is not among the categories %v", i+1, b[i], cats)
			}
		}
		table[ia][ib]++
	}
	p, err := PairTable(cats, table)
	p.Units = len(a)
	p.Dropped = len(a) - p.N
	return p, err
}

// PairTable computes two-rater statistics from a q × q confusion matrix:
// table[i][j] units put in cats[i] by rater A and cats[j] by rater B.
func PairTable(cats []string, table [][]int) (Pair, error) {
	if _, err := categoryIndex(cats); err != nil {
		return Pair{}, err
	}
	q := len(cats)
	if len(table) != q {
		return Pair{}, fmt.Errorf("table has %d rows for %d categories", len(table), q)
	}
	p := Pair{Categories: append([]string(nil), cats...)}
	for i, row := range table {
		if len(row) != q {
			return Pair{}, fmt.Errorf("table row %d has %d columns for %d categories", i+1, len(row), q)
		}
		for j, c := range row {
			if c < 0 {
				return Pair{}, errors.New("negative count in table")
			}
			p.Confusion = append(p.Confusion, Cell{A: cats[i], B: cats[j], Count: c})
			p.N += c
			if i == j {
				p.Agreements += c
			}
		}
	}
	p.Units = p.N
	if p.N == 0 {
		const why = "no unit rated by both raters"
		p.Cohen = Kappa{Weights: "none", Note: why}
		p.LinearKappa = Kappa{Weights: "linear", Note: why}
		p.QuadraticKappa = Kappa{Weights: "quadratic", Note: why}
		p.PABAK = Coef{Note: why}
		p.GwetAC1 = Coef{Note: why}
		return p, nil
	}
	n := float64(p.N)
	prop := make([][]float64, q)
	rows, cols := make([]float64, q), make([]float64, q)
	for i := range table {
		prop[i] = make([]float64, q)
		for j, c := range table[i] {
			prop[i][j] = float64(c) / n
			rows[i] += prop[i][j]
			cols[j] += prop[i][j]
		}
	}
	po := float64(p.Agreements) / n
	p.ObservedAgreement = num(po)
	p.Cohen = weightedKappa(prop, rows, cols, n, "none")
	p.LinearKappa = weightedKappa(prop, rows, cols, n, "linear")
	p.QuadraticKappa = weightedKappa(prop, rows, cols, n, "quadratic")
	p.PABAK = brennanPrediger(po, q)
	if p.PABAK.Estimate != nil {
		// PABAK is linear in po, so the exact (Clopper–Pearson) interval of
		// po = agreements/n gives PABAK's exact interval; for two
		// categories this is epiR's epi.kappa PABAK interval, 2·po − 1.
		lo, hi := ClopperPearson(p.Agreements, p.N, 0.95)
		pe := *p.PABAK.Pe
		p.PABAK.CILow, p.PABAK.CIHigh = num((lo-pe)/(1-pe)), num((hi-pe)/(1-pe))
	}
	// Gwet's AC1: π_k is the mean of the two raters' shares of category k.
	pi := make([]float64, q)
	for k := range pi {
		pi[k] = (rows[k] + cols[k]) / 2
	}
	p.GwetAC1 = gwetAC1(po, pi)
	return p, nil
}

func brennanPrediger(po float64, q int) Coef {
	if q < 2 {
		return Coef{Note: "needs at least 2 categories"}
	}
	pe := 1 / float64(q)
	return Coef{Pe: num(pe), Estimate: num((po - pe) / (1 - pe))}
}

// gwetAC1 returns AC1 = (po − pe)/(1 − pe), pe = Σ π_k(1 − π_k)/(q − 1).
func gwetAC1(po float64, pi []float64) Coef {
	q := len(pi)
	if q < 2 {
		return Coef{Note: "needs at least 2 categories"}
	}
	var s float64
	for _, x := range pi {
		s += x * (1 - x)
	}
	pe := s / float64(q-1)
	if pe >= 1 {
		return Coef{Pe: num(pe), Note: "undefined: chance agreement is 1"}
	}
	return Coef{Pe: num(pe), Estimate: num((po - pe) / (1 - pe))}
}

// weights returns the agreement weight matrix for the scheme.
func weights(q int, scheme string) [][]float64 {
	w := make([][]float64, q)
	for i := range w {
		w[i] = make([]float64, q)
		for j := range w[i] {
			d := math.Abs(float64(i - j))
			switch {
			case i == j:
				w[i][j] = 1
			case scheme == "linear":
				w[i][j] = 1 - d/float64(q-1)
			case scheme == "quadratic":
				w[i][j] = 1 - d*d/float64((q-1)*(q-1))
			}
		}
	}
	return w
}

// weightedKappa computes κ_w and the Fleiss, Cohen & Everitt (1969)
// standard errors from cell proportions p (rows: rater A), the marginals
// and n units:
//
//	var(κ_w)  = [ΣΣ p_ij (w_ij(1−pe) − (w̄_i. + w̄_.j)(1−po))² − (po·pe − 2pe + po)²] / (n(1−pe)⁴)
//	var0(κ_w) = [ΣΣ p_i. p_.j (w_ij − (w̄_i. + w̄_.j))² − pe²] / (n(1−pe)²)
//
// with w̄_i. = Σ_j p_.j w_ij and w̄_.j = Σ_i p_i. w_ij.
func weightedKappa(p [][]float64, rows, cols []float64, n float64, scheme string) Kappa {
	q := len(p)
	w := weights(q, scheme)
	var po, pe float64
	wi, wj := make([]float64, q), make([]float64, q)
	for i := range q {
		for j := range q {
			po += w[i][j] * p[i][j]
			pe += w[i][j] * rows[i] * cols[j]
			wi[i] += cols[j] * w[i][j]
			wj[j] += rows[i] * w[i][j]
		}
	}
	k := Kappa{Weights: scheme, Po: num(po), Pe: num(pe)}
	if pe >= 1-1e-12 {
		k.Note = "undefined: chance agreement is 1 (all ratings in one category)"
		return k
	}
	kappa := cancel(po, pe) / (1 - pe)
	k.Estimate = num(kappa)
	var s, s0 float64
	for i := range q {
		for j := range q {
			d := w[i][j]*(1-pe) - (wi[i]+wj[j])*(1-po)
			s += p[i][j] * d * d
			d0 := w[i][j] - (wi[i] + wj[j])
			s0 += rows[i] * cols[j] * d0 * d0
		}
	}
	c := po*pe - 2*pe + po
	v := cancel(s, c*c) / (n * math.Pow(1-pe, 4))
	v0 := cancel(s0, pe*pe) / (n * (1 - pe) * (1 - pe))
	if se, ok := sqrtVar(v); ok {
		k.SE = num(se)
		k.CILow = num(kappa - z975*se)
		k.CIHigh = num(kappa + z975*se)
	}
	if se0, ok := sqrtVar(v0); ok && se0 > 0 {
		k.SENull = num(se0)
		k.Z = num(kappa / se0)
		k.CILowNull = num(kappa - z975*se0)
		k.CIHighNull = num(kappa + z975*se0)
	} else if ok {
		k.SENull = num(0)
		k.CILowNull, k.CIHighNull = num(kappa), num(kappa)
		k.Note = noZeroSE
	}
	return k
}

// noZeroSE explains a kappa without z: its variance under κ = 0 is zero in
// theory, as when one rater used a single category (κ is then 0 whatever
// the other did).
const noZeroSE = "no z: the standard error under kappa = 0 is 0 (as when a rater used a single category, which makes kappa 0 whatever the other rater did)"

// cancel is a − b, or exactly 0 when the two agree to rounding. Kappas and
// variances are differences of terms that cancel exactly in degenerate
// tables (a rater who used one category only); rounding must not show
// there as an SE of 2e-07 or a kappa of -3e-16.
func cancel(a, b float64) float64 {
	if d := a - b; math.Abs(d) > 1e-12*(math.Abs(a)+math.Abs(b)) {
		return d
	}
	return 0
}

// ClopperPearson is the exact two-sided interval at the given level for a
// binomial proportion x/n: the α/2 quantile of Beta(x, n − x + 1) and the
// 1 − α/2 quantile of Beta(x + 1, n − x), with 0 and 1 at the ends (as R's
// binom.test and epiR's zexact compute it). n = 0 gives [0, 1].
func ClopperPearson(x, n int, level float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	a := (1 - level) / 2
	lo, hi = 0, 1
	if x > 0 {
		lo = distuv.Beta{Alpha: float64(x), Beta: float64(n - x + 1)}.Quantile(a)
	}
	if x < n {
		hi = distuv.Beta{Alpha: float64(x + 1), Beta: float64(n - x)}.Quantile(1 - a)
	}
	return lo, hi
}

// sqrtVar takes the square root of a variance, treating rounding noise
// just below zero as zero.
func sqrtVar(v float64) (float64, bool) {
	if isBad(v) {
		return 0, false
	}
	if v < 0 {
		if v > -1e-12 {
			return 0, true
		}
		return 0, false
	}
	return math.Sqrt(v), true
}

func isBad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// num returns a pointer to x, or nil when x is NaN or infinite.
func num(x float64) *float64 {
	if isBad(x) {
		return nil
	}
	return &x
}
