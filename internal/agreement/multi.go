package agreement

import "fmt"

// CategoryCount is how many ratings fell in a category, and the category's
// prevalence π_k (mean over rated units of the unit's share of ratings in k).
type CategoryCount struct {
	Category   string  `json:"category"`
	Count      int     `json:"count"`
	Prevalence float64 `json:"prevalence"`
}

// Coincidence is one cell of Krippendorff's coincidence matrix.
type Coincidence struct {
	A     string  `json:"a"`
	B     string  `json:"b"`
	Value float64 `json:"value"`
}

// FleissKappa is Fleiss' κ for exchangeable raters. SENull and Z (Fleiss,
// Nee & Landis 1979) are reported only when every rated unit has the same
// number of ratings.
type FleissKappa struct {
	Pe       *float64 `json:"pe"`
	Estimate *float64 `json:"estimate"`
	SENull   *float64 `json:"se_null"`
	Z        *float64 `json:"z"`
	Note     string   `json:"note,omitempty"`
}

// KrippendorffAlpha is Krippendorff's α for four metrics, computed from the
// coincidence matrix of the units with at least two ratings
// (N = PairableValues). Interval and ratio need numeric categories.
type KrippendorffAlpha struct {
	Nominal        *float64      `json:"nominal"`
	Ordinal        *float64      `json:"ordinal"`
	Interval       *float64      `json:"interval"`
	Ratio          *float64      `json:"ratio"`
	PairableValues int           `json:"pairable_values"`
	Coincidences   []Coincidence `json:"coincidences"` // non-zero cells only
	Note           string        `json:"note,omitempty"`
}

// Multi holds the exchangeable-rater statistics of a [Counts] table.
type Multi struct {
	Categories     []string        `json:"categories"`
	Units          int             `json:"units"`                      // units in the table
	UnitsRated     int             `json:"units_rated"`                // ≥ 1 rating
	UnitsPairable  int             `json:"units_pairable"`             // ≥ 2 ratings
	Ratings        int             `json:"ratings"`                    // all ratings
	RatingsPerUnit int             `json:"ratings_per_unit,omitempty"` // m, when the same for every rated unit
	CategoryCounts []CategoryCount `json:"category_counts"`
	// ObservedAgreement is the mean over pairable units of the share of
	// agreeing rating pairs within the unit.
	ObservedAgreement *float64          `json:"observed_agreement"`
	Fleiss            FleissKappa       `json:"fleiss_kappa"`
	GwetAC1           Coef              `json:"gwet_ac1"`
	Krippendorff      KrippendorffAlpha `json:"krippendorff_alpha"`
	// Coefficients are the chance-corrected coefficients of Gwet's framework
	// as irrCAC computes them — percent agreement, Gwet's AC1/AC2, Fleiss'
	// κ, Conger's κ and Brennan–Prediger (Randolph's free-marginal κ) —
	// for each of WeightSchemes, with standard errors and 95% CIs. Conger's
	// κ needs each rater's ratings: from a count table it is null with a note.
	Coefficients []Coefficient `json:"coefficients"`
}

// Coefficient returns the named coefficient for a weight scheme.
func (m Multi) Coefficient(name, weights string) (Coefficient, bool) {
	for _, c := range m.Coefficients {
		if c.Name == name && c.Weights == weights {
			return c, true
		}
	}
	return Coefficient{}, false
}

// MultiStats computes Fleiss' κ, Gwet's multi-rater AC1 and Krippendorff's
// α from a count table, and the weighted coefficients of Gwet's framework
// (all but Conger's κ, which needs to know who rated what). See the package
// documentation for how units with different numbers of ratings are treated.
func MultiStats(c Counts) (Multi, error) { return multiStats(c, nil) }

func multiStats(c Counts, raters raterMatrix) (Multi, error) {
	if _, err := categoryIndex(c.Categories); err != nil {
		return Multi{}, err
	}
	q := len(c.Categories)
	m := Multi{Categories: append([]string(nil), c.Categories...), Units: len(c.N)}
	totals := make([]int, q)
	pi := make([]float64, q)
	var paSum float64
	constM := -1
	for u, row := range c.N {
		if len(row) != q {
			return Multi{}, fmt.Errorf("unit %d has %d counts for %d categories", u+1, len(row), q)
		}
		r := 0
		for k, x := range row {
			if x < 0 {
				return Multi{}, fmt.Errorf("unit %d: negative count", u+1)
			}
			r += x
			totals[k] += x
		}
		if r == 0 {
			continue
		}
		m.UnitsRated++
		m.Ratings += r
		for k, x := range row {
			pi[k] += float64(x) / float64(r)
		}
		switch constM {
		case -1:
			constM = r
		case r:
		default:
			constM = 0
		}
		if r < 2 {
			continue
		}
		m.UnitsPairable++
		var agree float64
		for _, x := range row {
			agree += float64(x * (x - 1))
		}
		paSum += agree / float64(r*(r-1))
	}
	for k := range pi {
		if m.UnitsRated > 0 {
			pi[k] /= float64(m.UnitsRated)
		}
		m.CategoryCounts = append(m.CategoryCounts, CategoryCount{Category: c.Categories[k], Count: totals[k], Prevalence: pi[k]})
	}
	if constM > 0 {
		m.RatingsPerUnit = constM
	}
	m.Krippendorff = krippendorff(c)
	for _, scheme := range WeightSchemes {
		cs, err := chanceCorrected(c, raters, scheme)
		if err != nil {
			return Multi{}, err
		}
		m.Coefficients = append(m.Coefficients, cs...)
	}
	if m.UnitsPairable == 0 {
		const why = "no unit has two or more ratings"
		m.Fleiss.Note, m.GwetAC1.Note = why, why
		return m, nil
	}
	pa := paSum / float64(m.UnitsPairable)
	m.ObservedAgreement = num(pa)
	m.GwetAC1 = gwetAC1(pa, pi)
	m.Fleiss = fleiss(pa, pi, m.UnitsRated, constM)
	return m, nil
}

func fleiss(pa float64, pi []float64, units, constM int) FleissKappa {
	var pe, pq, pqqp float64
	for _, p := range pi {
		pe += p * p
		pq += p * (1 - p)
		pqqp += p * (1 - p) * ((1 - p) - p)
	}
	f := FleissKappa{Pe: num(pe)}
	if pe >= 1-1e-12 {
		f.Note = "undefined: chance agreement is 1 (all ratings in one category)"
		return f
	}
	kappa := cancel(pa, pe) / (1 - pe)
	f.Estimate = num(kappa)
	if constM < 2 {
		f.Note = "units have different numbers of ratings: no null SE (Fleiss, Nee & Landis 1979 assumes a constant number)"
		return f
	}
	// var0 = 2 / (N m (m−1) (Σ p q)²) · [(Σ p q)² − Σ p q (q − p)]
	mm := float64(constM)
	v0 := 2 / (float64(units) * mm * (mm - 1) * pq * pq) * cancel(pq*pq, pqqp)
	if se0, ok := sqrtVar(v0); ok && se0 > 0 {
		f.SENull = num(se0)
		f.Z = num(kappa / se0)
	} else if ok {
		f.SENull = num(0)
		f.Note = noZeroSE
	}
	return f
}

// krippendorff computes α = 1 − (n−1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck from the
// coincidence matrix o (Krippendorff 2011), using units with ≥ 2 ratings.
func krippendorff(c Counts) KrippendorffAlpha {
	q := len(c.Categories)
	o := make([][]float64, q)
	for i := range o {
		o[i] = make([]float64, q)
	}
	var a KrippendorffAlpha
	for _, row := range c.N {
		r := 0
		for _, x := range row {
			r += x
		}
		if r < 2 {
			continue
		}
		a.PairableValues += r
		for i, x := range row {
			if x == 0 {
				continue
			}
			for j, y := range row {
				pairs := x * y
				if i == j {
					pairs = x * (x - 1)
				}
				o[i][j] += float64(pairs) / float64(r-1)
			}
		}
	}
	nc := make([]float64, q)
	for i := range o {
		for j := range o[i] {
			nc[i] += o[i][j]
			if o[i][j] != 0 {
				a.Coincidences = append(a.Coincidences, Coincidence{A: c.Categories[i], B: c.Categories[j], Value: o[i][j]})
			}
		}
	}
	if a.PairableValues == 0 {
		a.Note = "no unit has two or more ratings"
		return a
	}
	n := float64(a.PairableValues)
	alpha := func(delta2 func(i, j int) float64) *float64 {
		var do, de float64
		for i := range q {
			for j := range q {
				d := delta2(i, j)
				do += o[i][j] * d
				de += nc[i] * nc[j] * d
			}
		}
		if de == 0 {
			return nil
		}
		return num(1 - (n-1)*do/de)
	}
	a.Nominal = alpha(func(i, j int) float64 {
		if i == j {
			return 0
		}
		return 1
	})
	a.Ordinal = alpha(func(i, j int) float64 {
		if i > j {
			i, j = j, i
		}
		var s float64
		for g := i; g <= j; g++ {
			s += nc[g]
		}
		s -= (nc[i] + nc[j]) / 2
		return s * s
	})
	vals := make([]float64, q)
	numeric := true
	for i, cat := range c.Categories {
		v, ok := number(cat)
		vals[i] = v
		numeric = numeric && ok
	}
	var notes []string
	if a.Nominal == nil {
		notes = append(notes, "undefined: no disagreement is expected (all pairable values in one category)")
	}
	if numeric {
		a.Interval = alpha(func(i, j int) float64 {
			d := vals[i] - vals[j]
			return d * d
		})
		a.Ratio = alpha(func(i, j int) float64 {
			s := vals[i] + vals[j]
			if s == 0 {
				return 0
			}
			d := (vals[i] - vals[j]) / s
			return d * d
		})
	} else {
		notes = append(notes, "interval and ratio α need numeric categories")
	}
	for i, note := range notes {
		if i > 0 {
			a.Note += "; "
		}
		a.Note += note
	}
	return a
}
