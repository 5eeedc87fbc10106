package agreement

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// The chance-corrected coefficients of Gwet's (2014) framework, computed as
// the R package irrCAC computes them (gwet.ac1.raw, fleiss.kappa.raw,
// conger.kappa.raw, bp.coeff.raw, pa.coeff.raw and their .dist versions),
// unweighted and with linear, quadratic and ordinal weights, each with its
// standard error.

// Weight schemes, in the order reports list them.
const (
	Unweighted = "unweighted"
	Linear     = "linear"
	Quadratic  = "quadratic"
	Ordinal    = "ordinal"
)

// WeightSchemes lists the schemes every multi-rater report computes.
var WeightSchemes = []string{Unweighted, Linear, Quadratic, Ordinal}

// Coefficient names, as in the JSON report.
const (
	CoefPercent = "percent_agreement"
	CoefGwet    = "gwet_ac" // AC1 unweighted, AC2 weighted
	CoefFleiss  = "fleiss_kappa"
	CoefConger  = "conger_kappa"
	CoefBP      = "brennan_prediger" // = Randolph's free-marginal multirater kappa when unweighted
)

// Coefficient is one chance-corrected agreement coefficient with the
// agreement it corrects: Estimate = (Pa − Pe)/(1 − Pe). SE is Gwet's (2008,
// 2014) linearisation standard error, which does not assume the raters are
// independent; the 95% CI is Estimate ± t(0.975, n−1)·SE over the n rated
// units, its upper end capped at 1, as irrCAC prints it.
type Coefficient struct {
	Name     string   `json:"name"`
	Weights  string   `json:"weights"`
	Pa       *float64 `json:"pa"`
	Pe       *float64 `json:"pe"`
	Estimate *float64 `json:"estimate"`
	SE       *float64 `json:"se"`
	CILow    *float64 `json:"ci_low"`
	CIHigh   *float64 `json:"ci_high"`
	Note     string   `json:"note,omitempty"`
}

// WeightMatrix returns the q×q agreement weights of a scheme, as irrCAC's
// weight functions make them: linear 1 − |x_k − x_l|/(x_max − x_min) and
// quadratic 1 − (x_k − x_l)²/(x_max − x_min)², where x are the category
// values when every category is a number and their positions 1…q
// otherwise; ordinal 1 − M_kl/max M with M_kl = C(|k − l| + 1, 2) over the
// positions; unweighted the identity.
func WeightMatrix(cats []string, scheme string) ([][]float64, error) {
	q := len(cats)
	x := make([]float64, q)
	numeric := true
	for i, c := range cats {
		v, ok := number(c)
		x[i], numeric = v, numeric && ok
	}
	if !numeric {
		for i := range x {
			x[i] = float64(i + 1)
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	w := make([][]float64, q)
	for k := range w {
		w[k] = make([]float64, q)
		for l := range w[k] {
			switch {
			case k == l:
				w[k][l] = 1
			case scheme == Unweighted:
			case scheme == Linear:
				w[k][l] = 1 - math.Abs(x[k]-x[l])/(hi-lo)
			case scheme == Quadratic:
				d := (x[k] - x[l]) / (hi - lo)
				w[k][l] = 1 - d*d
			case scheme == Ordinal:
				m := float64(abs(k-l) + 1)
				mx := float64(q)
				w[k][l] = 1 - (m*(m-1)/2)/(mx*(mx-1)/2)
			default:
				return nil, fmt.Errorf("unknown weights %q (want %s, %s, %s or %s)", scheme, Unweighted, Linear, Quadratic, Ordinal)
			}
		}
	}
	return w, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// raterMatrix holds each rater's category (index into the categories, −1
// for missing) per unit, for Conger's κ, which needs to know who rated what.
type raterMatrix [][]int // [unit][rater]

// chanceCorrected computes percent agreement, Gwet's AC1/AC2, Fleiss' κ,
// Conger's κ (when raters is not nil) and Brennan–Prediger for one weight
// scheme. Units without any rating are left out, as irrCAC asks its users
// to do; raters who rated no unit are left out of Conger's κ.
func chanceCorrected(c Counts, raters raterMatrix, scheme string) ([]Coefficient, error) {
	w, err := WeightMatrix(c.Categories, scheme)
	if err != nil {
		return nil, err
	}
	names := []string{CoefPercent, CoefGwet, CoefFleiss, CoefConger, CoefBP}
	out := make([]Coefficient, len(names))
	for i, name := range names {
		out[i] = Coefficient{Name: name, Weights: scheme}
	}
	set := func(name string, f func(*Coefficient)) {
		for i := range out {
			if out[i].Name == name {
				f(&out[i])
			}
		}
	}
	noteAll := func(why string) []Coefficient {
		for i := range out {
			out[i].Note = why
		}
		return out
	}
	q := len(c.Categories)
	// The rated units, and their rows of the rater matrix.
	var rows [][]int
	var byRater raterMatrix
	for u, row := range c.N {
		r := 0
		for _, x := range row {
			r += x
		}
		if r == 0 {
			continue
		}
		rows = append(rows, row)
		if raters != nil {
			byRater = append(byRater, raters[u])
		}
	}
	n := len(rows)
	ri := make([]float64, n)
	paI := make([]float64, n) // each unit's (weighted) agreement among its rating pairs; 0 below two ratings
	pi := make([]float64, q)
	n2 := 0
	for i, row := range rows {
		for _, x := range row {
			ri[i] += float64(x)
		}
		for k, x := range row {
			pi[k] += float64(x) / ri[i]
		}
		if ri[i] < 2 {
			continue
		}
		n2++
		var s float64
		for k, x := range row {
			var rw float64 // r*_ik = Σ_l w_kl r_il
			for l, y := range row {
				rw += w[k][l] * float64(y)
			}
			s += float64(x) * (rw - 1)
		}
		paI[i] = s / (ri[i] * (ri[i] - 1))
	}
	if n2 == 0 {
		return noteAll("no unit has two or more ratings"), nil
	}
	if q < 2 {
		return noteAll("needs at least 2 categories"), nil
	}
	var pa float64
	for _, x := range paI {
		pa += x
	}
	pa /= float64(n2)
	for k := range pi {
		pi[k] /= float64(n)
	}
	var tw float64 // Σ w_kl
	for k := range w {
		for l := range w[k] {
			tw += w[k][l]
		}
	}
	nf, scale := float64(n), float64(n)/float64(n2)
	tq := math.NaN()
	if n >= 2 {
		tq = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: nf - 1}.Quantile(0.975)
	}
	// finish fills a coefficient from its chance agreement and, per unit,
	// its chance-agreement term (nil for a constant pe, as Brennan–Prediger's).
	finish := func(co *Coefficient, pe float64, peI func(i int) float64) {
		co.Pa, co.Pe = num(pa), num(pe)
		if pe >= 1-1e-12 {
			co.Note = "undefined: chance agreement is 1"
			return
		}
		est := cancel(pa, pe) / (1 - pe)
		co.Estimate = num(est)
		if n < 2 {
			co.Note = "one rated unit: no standard error"
			return
		}
		var ss, terms float64 // terms: the size of what cancels in ss
		for i := range rows {
			peR2 := 0.0
			if ri[i] >= 2 {
				peR2 = pe
			}
			x := scale * (paI[i] - peR2) / (1 - pe)
			terms += x * x
			if peI != nil {
				y := 2 * (1 - est) * (peI(i) - pe) / (1 - pe)
				x -= y
				terms += y * y
			}
			ss += (x - est) * (x - est)
		}
		if ss <= 1e-24*terms {
			ss = 0 // zero in theory (a rater used one category): rounding only
		}
		se := math.Sqrt(ss / (nf * (nf - 1)))
		co.SE = num(se)
		co.CILow = num(est - tq*se)
		co.CIHigh = num(math.Min(1, est+tq*se))
	}
	set(CoefPercent, func(co *Coefficient) { finish(co, 0, nil) })
	set(CoefBP, func(co *Coefficient) { finish(co, tw/float64(q*q), nil) })

	// Gwet's AC1/AC2: pe = Σw · Σ_k π_k(1 − π_k) / (q(q − 1)).
	var spq float64
	for _, p := range pi {
		spq += p * (1 - p)
	}
	gw := tw / float64(q*(q-1))
	set(CoefGwet, func(co *Coefficient) {
		finish(co, gw*spq, func(i int) float64 {
			var s float64
			for k, x := range rows[i] {
				s += float64(x) * (1 - pi[k])
			}
			return gw * s / ri[i]
		})
	})

	// Fleiss' κ: pe = Σ_kl w_kl π_k π_l; per unit, the symmetrised π̄w.
	var fpe float64
	piW := make([]float64, q)
	for k := range w {
		for l := range w[k] {
			fpe += w[k][l] * pi[k] * pi[l]
			piW[k] += (w[k][l] + w[l][k]) / 2 * pi[l]
		}
	}
	set(CoefFleiss, func(co *Coefficient) {
		finish(co, fpe, func(i int) float64 {
			var s float64
			for k, x := range rows[i] {
				s += float64(x) * piW[k]
			}
			return s / ri[i]
		})
	})

	set(CoefConger, func(co *Coefficient) {
		if raters == nil {
			co.Note = "needs each rater's ratings (a count table does not say who rated what)"
			return
		}
		pe, peI, note := congerChance(byRater, w, q)
		if note != "" {
			co.Note = note
			return
		}
		finish(co, pe, peI)
	})
	return out, nil
}

// congerChance is Conger's (1980) chance agreement with rater-specific
// margins, pe = Σ_kl w_kl (p̄_k p̄_l − s²_kl / r), where p_gk is rater g's
// share of category k, p̄_k their mean over the r raters and s²_kl their
// covariance; and each unit's linearised term for the variance (Gwet 2014,
// as irrCAC's conger.kappa.raw computes it).
func congerChance(units raterMatrix, w [][]float64, q int) (float64, func(int) float64, string) {
	n := len(units)
	if n == 0 {
		return 0, nil, "no rated unit"
	}
	// Raters who rated nothing carry no margins: leave them out.
	var keep []int
	for g := range units[0] {
		for _, u := range units {
			if u[g] >= 0 {
				keep = append(keep, g)
				break
			}
		}
	}
	r := len(keep)
	if r < 2 {
		return 0, nil, "needs at least 2 raters with ratings"
	}
	ng := make([]float64, r)
	p := make([][]float64, r) // p[g][k]
	for j, g := range keep {
		p[j] = make([]float64, q)
		for _, u := range units {
			if k := u[g]; k >= 0 {
				p[j][k]++
				ng[j]++
			}
		}
		for k := range p[j] {
			p[j][k] /= ng[j]
		}
	}
	rf := float64(r)
	mean := make([]float64, q)
	for k := range mean {
		for j := range p {
			mean[k] += p[j][k]
		}
		mean[k] /= rf
	}
	var pe float64
	for k := range q {
		for l := range q {
			var cross float64
			for j := range p {
				cross += p[j][k] * p[j][l]
			}
			s2 := (cross - rf*mean[k]*mean[l]) / (rf - 1)
			pe += w[k][l] * (mean[k]*mean[l] - s2/rf)
		}
	}
	nf := float64(n)
	peI := func(i int) float64 {
		var sum float64
		for j, g := range keep {
			k0 := units[i][g]
			eps := 0.0
			if k0 >= 0 {
				eps = 1
			}
			for k := range q {
				var lam float64
				for l := range q {
					delta := 0.0
					if k0 == l {
						delta = 1
					}
					lam += w[k][l] * (delta - (eps-ng[j]/nf)*p[j][l])
				}
				lam *= nf / ng[j]
				sum += lam * (rf*mean[k] - p[j][k])
			}
		}
		return sum / (rf * (rf - 1))
	}
	return pe, peI, ""
}
