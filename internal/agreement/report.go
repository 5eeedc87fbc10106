package agreement

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Options control [Compute].
type Options struct {
	// Categories is the category scale in order (used by weighted κ,
	// ordinal α, and as q for PABAK and AC1). Default: the labels seen,
	// sorted numerically if all are numbers, else lexically.
	Categories []string
	// Exchangeable says the columns are rating slots, not the same raters on
	// every unit (as in Fleiss 1971): pairwise statistics are skipped.
	Exchangeable bool
}

// Report is the full set of agreement statistics for a ratings table.
type Report struct {
	Units      int      `json:"units"`
	Raters     []string `json:"raters"`
	Categories []string `json:"categories"`
	// Missing counts empty cells (units × raters − ratings).
	Missing int `json:"missing"`
	// Pairs holds two-rater statistics for every pair of rater columns
	// (empty when Options.Exchangeable or fewer than two raters).
	Pairs       []Pair   `json:"pairs"`
	Multi       Multi    `json:"multi_rater"`
	Conventions []string `json:"conventions"`
}

// Conventions states the choices that make agreement tools disagree; every
// report carries them.
var Conventions = []string{
	"two-rater statistics drop units not rated by both raters (n = units used)",
	"95% CI = kappa ± 1.96·SE with the non-null SE of Fleiss, Cohen & Everitt (1969); z = kappa / SE0 with the SE under kappa = 0; the null-SE interval kappa ± 1.96·SE0 (what epiR's epi.kappa prints with method = \"fleiss\") is given beside it, labelled",
	"PABAK 95% CI: exact (Clopper–Pearson) interval of po carried through PABAK's formula (for 2 categories epiR's 2·po − 1 interval)",
	"two-rater weighted kappa uses category positions: linear 1−|i−j|/(q−1), quadratic 1−(i−j)²/(q−1)²",
	"PABAK = Brennan–Prediger (po − 1/q)/(1 − 1/q) with q categories (= 2·po − 1 for q = 2)",
	"Fleiss kappa and multi-rater AC1 (Gwet 2014, irrCAC): agreement over units with ≥2 ratings, prevalence over units with ≥1 rating; Fleiss null SE (Fleiss, Nee & Landis 1979) only when every unit has the same number of ratings",
	"Krippendorff's alpha uses only units with ≥2 ratings",
	"multi-rater coefficients table (Gwet 2014, as irrCAC computes them): percent agreement, Gwet's AC1/AC2, Fleiss' and Conger's kappa, Brennan–Prediger (= Randolph's free-marginal kappa), unweighted and with linear, quadratic (category values when all are numbers, else positions) and ordinal weights; units without ratings left out; SE by Gwet's linearisation, 95% CI = estimate ± t(0.975, n−1)·SE with the upper end capped at 1; Conger's kappa needs raters' identities (not from count tables or --exchangeable)",
	"n/a = undefined (e.g. all ratings in one category); see the note",
}

// Compute tabulates r over the categories and computes every statistic.
func Compute(r Ratings, opt Options) (Report, error) {
	cats := opt.Categories
	if cats == nil {
		cats = SortCategories(r.labels())
	}
	c, err := r.Counts(cats)
	if err != nil {
		return Report{}, err
	}
	var raters raterMatrix
	if !opt.Exchangeable {
		raters = r.raterMatrix(cats)
	}
	rep, err := computeCounts(c, raters)
	if err != nil {
		return Report{}, err
	}
	rep.Raters = append([]string{}, r.Raters...)
	rep.Missing = len(r.Units)*len(r.Raters) - rep.Multi.Ratings
	if opt.Exchangeable {
		return rep, nil
	}
	for i := range r.Raters {
		a := r.Column(i)
		for j := i + 1; j < len(r.Raters); j++ {
			p, err := PairStats(a, r.Column(j), cats)
			if err != nil {
				return Report{}, fmt.Errorf("raters %q and %q: %w", r.Raters[i], r.Raters[j], err)
			}
			p.RaterA, p.RaterB = r.Raters[i], r.Raters[j]
			rep.Pairs = append(rep.Pairs, p)
		}
	}
	return rep, nil
}

// ComputeCounts computes the exchangeable-rater statistics of a count
// table, keeping its category order; the report has no pairs and no rater
// names.
func ComputeCounts(c Counts) (Report, error) { return computeCounts(c, nil) }

func computeCounts(c Counts, raters raterMatrix) (Report, error) {
	m, err := multiStats(c, raters)
	if err != nil {
		return Report{}, err
	}
	return Report{
		Units:       len(c.N),
		Raters:      []string{},
		Categories:  append([]string{}, c.Categories...),
		Pairs:       []Pair{},
		Multi:       m,
		Conventions: slices.Clone(Conventions),
	}, nil
}

// WriteText writes the report for people: every statistic with its counts.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Agreement: %d units, %d raters, %d categories, %d ratings, %d missing\n",
		r.Units, len(r.Raters), len(r.Categories), r.Multi.Ratings, r.Missing)
	fmt.Fprintf(&b, "Categories (in order): %s\n", strings.Join(r.Categories, ", "))
	for _, p := range r.Pairs {
		b.WriteString("\n")
		p.writeText(&b)
	}
	b.WriteString("\n")
	r.Multi.writeText(&b)
	b.WriteString("\nConventions:\n")
	for _, c := range r.Conventions {
		fmt.Fprintf(&b, "  - %s\n", c)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteText writes the pair's statistics for people.
func (p Pair) WriteText(w io.Writer) error {
	var b strings.Builder
	p.writeText(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

func (p Pair) writeText(b *strings.Builder) {
	name := "Two raters"
	if p.RaterA != "" || p.RaterB != "" {
		name = fmt.Sprintf("Raters %s (A) × %s (B)", p.RaterA, p.RaterB)
	}
	fmt.Fprintf(b, "%s: n = %d units rated by both (%d offered, %d dropped for missing)\n", name, p.N, p.Units, p.Dropped)
	b.WriteString("  Confusion matrix (rows A, columns B):\n")
	q := len(p.Categories)
	width := 6
	for _, c := range p.Categories {
		width = max(width, len(c)+1)
	}
	fmt.Fprintf(b, "    %*s", width, "")
	for _, c := range p.Categories {
		fmt.Fprintf(b, " %*s", width, c)
	}
	b.WriteString("\n")
	for i, c := range p.Categories {
		fmt.Fprintf(b, "    %*s", width, c)
		for j := range q {
			fmt.Fprintf(b, " %*d", width, p.Confusion[i*q+j].Count)
		}
		b.WriteString("\n")
	}
	pct := "n/a"
	if p.ObservedAgreement != nil {
		pct = fmt.Sprintf("%.1f%%", 100**p.ObservedAgreement)
	}
	fmt.Fprintf(b, "  Percent agreement: %s (%d/%d)\n", pct, p.Agreements, p.N)
	for _, k := range []struct {
		label string
		k     Kappa
	}{{"Cohen's kappa", p.Cohen}, {"Weighted kappa (linear)", p.LinearKappa}, {"Weighted kappa (quadratic)", p.QuadraticKappa}} {
		fmt.Fprintf(b, "  %s: %s  (po %s, pe %s)  SE %s, 95%% CI [%s, %s]; SE0 %s, z %s; 95%% CI with SE0 (epiR method \"fleiss\") [%s, %s]%s\n",
			k.label, f(k.k.Estimate), f(k.k.Po), f(k.k.Pe), f(k.k.SE), f(k.k.CILow), f(k.k.CIHigh), f(k.k.SENull), f(k.k.Z),
			f(k.k.CILowNull), f(k.k.CIHighNull), note(k.k.Note))
	}
	fmt.Fprintf(b, "  PABAK (Brennan–Prediger, q = %d): %s  (pe %s), exact 95%% CI [%s, %s]%s\n", q, f(p.PABAK.Estimate), f(p.PABAK.Pe),
		f(p.PABAK.CILow), f(p.PABAK.CIHigh), note(p.PABAK.Note))
	fmt.Fprintf(b, "  Gwet's AC1: %s  (pe %s)%s\n", f(p.GwetAC1.Estimate), f(p.GwetAC1.Pe), note(p.GwetAC1.Note))
}

func (m Multi) writeText(b *strings.Builder) {
	per := "varies"
	if m.RatingsPerUnit > 0 {
		per = fmt.Sprint(m.RatingsPerUnit)
	}
	fmt.Fprintf(b, "All raters (exchangeable): %d units rated, %d with ≥2 ratings, %d ratings, ratings per unit: %s\n",
		m.UnitsRated, m.UnitsPairable, m.Ratings, per)
	b.WriteString("  Category counts (prevalence):")
	for _, c := range m.CategoryCounts {
		fmt.Fprintf(b, " %s %d (%.4f);", c.Category, c.Count, c.Prevalence)
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "  Observed agreement (mean share of agreeing pairs): %s\n", f(m.ObservedAgreement))
	fmt.Fprintf(b, "  Fleiss' kappa: %s  (pe %s)  SE0 %s, z %s%s\n", f(m.Fleiss.Estimate), f(m.Fleiss.Pe), f(m.Fleiss.SENull), f(m.Fleiss.Z), note(m.Fleiss.Note))
	fmt.Fprintf(b, "  Gwet's AC1: %s  (pe %s)%s\n", f(m.GwetAC1.Estimate), f(m.GwetAC1.Pe), note(m.GwetAC1.Note))
	k := m.Krippendorff
	fmt.Fprintf(b, "  Krippendorff's alpha (%d pairable values): nominal %s, ordinal %s, interval %s, ratio %s%s\n",
		k.PairableValues, f(k.Nominal), f(k.Ordinal), f(k.Interval), f(k.Ratio), note(k.Note))
	if len(m.Coefficients) == 0 {
		return
	}
	b.WriteString("  Chance-corrected coefficients (Gwet 2014; as irrCAC; 95% CI = estimate ± t(n−1)·SE, upper end ≤ 1):\n")
	fmt.Fprintf(b, "    %-10s %-38s %8s %8s %8s %8s  %s\n", "weights", "coefficient", "estimate", "pa", "pe", "SE", "95% CI")
	for i, c := range m.Coefficients {
		w := c.Weights
		if i > 0 && m.Coefficients[i-1].Weights == w {
			w = ""
		}
		fmt.Fprintf(b, "    %-10s %-38s %8s %8s %8s %8s  [%s, %s]%s\n", w, coefficientLabel(c), f(c.Estimate), f(c.Pa), f(c.Pe), f(c.SE),
			f(c.CILow), f(c.CIHigh), note(c.Note))
	}
}

// coefficientLabel names a coefficient for people.
func coefficientLabel(c Coefficient) string {
	switch c.Name {
	case CoefPercent:
		return "Percent agreement"
	case CoefGwet:
		if c.Weights == Unweighted {
			return "Gwet's AC1"
		}
		return "Gwet's AC2"
	case CoefFleiss:
		return "Fleiss' kappa"
	case CoefConger:
		return "Conger's kappa"
	case CoefBP:
		if c.Weights == Unweighted {
			return "Brennan–Prediger (Randolph's free κ)"
		}
		return "Brennan–Prediger"
	}
	return c.Name
}

func f(x *float64) string {
	if x == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.4f", *x)
}

func note(s string) string {
	if s == "" {
		return ""
	}
	return "  [" + s + "]"
}
