package screening

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/realsynth/realsynth/internal/agreement"
	"github.com/realsynth/realsynth/internal/tables"
)

// conventions is written into every agreement row: the choices that make
// agreement tools disagree, stated so a reader can recompute.
func conventions(p *Params) string {
	c := []string{
		"units are works; ratings are each screener's current (not superseded) vote; tie-breaker and consensus votes are not ratings",
		"categories are the decisions as the rules count them: " + map[bool]string{
			true:  "at title/abstract maybe counts as include",
			false: "at title/abstract maybe is its own category, between include and exclude",
		}[p.MaybeCountsAsInclude] + "; at full text an exclusion for a not-retrieved reason is not_retrieved",
	}
	return strings.Join(append(c, agreement.Conventions...), "; ")
}

// categories is the rating scale of a stage, in order (include, maybe,
// exclude is ordinal for weighted κ), with the extra labels actually used.
func categories(stage string, used map[string]bool, p *Params) []string {
	cats := []string{include}
	if used[maybe] || (stage == stageTA && !p.MaybeCountsAsInclude) {
		cats = append(cats, maybe)
	}
	cats = append(cats, exclude)
	if used[notRetrieved] {
		cats = append(cats, notRetrieved)
	}
	return cats
}

// labelCodes numbers the labels a rating can have (the effective
// decisions); 0 is "not rated". Columns of one byte per work keep a million
// votes small.
var labelCodes = []string{"", include, maybe, exclude, notRetrieved}

func labelCode(label string) uint8 {
	for i, l := range labelCodes[1:] {
		if l == label {
			return uint8(i + 1)
		}
	}
	return 0
}

// ratingGroup is the votes of one stage and round (or all rounds) as a
// works × screeners table of label codes. Works are numbered once for all
// groups (global index); unitOf maps a global index to the group's unit,
// -1 when the group has no vote on it, so that a million votes cost no map
// lookups per group.
type ratingGroup struct {
	stage, round string
	unitOf       []int32 // global work index → unit, -1: none
	units        int
	limit        int // stop adding units after this many (pilot); 0: no limit
	reviewers    []string
	labels       [][]uint8 // per reviewer, per unit: a labelCodes index
	used         [5]bool   // by label code
}

func newRatingGroup(stage, round string, works, limit int) *ratingGroup {
	g := &ratingGroup{stage: stage, round: round, unitOf: make([]int32, works), limit: limit}
	for i := range g.unitOf {
		g.unitOf[i] = -1
	}
	return g
}

func (g *ratingGroup) add(work int, reviewer string, code uint8) {
	u := g.unitOf[work]
	if u < 0 {
		if g.limit > 0 && g.units >= g.limit {
			return
		}
		u = int32(g.units)
		g.unitOf[work] = u
		g.units++
	}
	r := -1
	for i, name := range g.reviewers {
		if name == reviewer {
			r = i
			break
		}
	}
	if r < 0 {
		r = len(g.reviewers)
		g.reviewers = append(g.reviewers, reviewer)
		size := len(g.unitOf) // a unit per work at most
		if g.limit > 0 {
			size = min(size, g.limit)
		}
		g.labels = append(g.labels, make([]uint8, size))
	}
	g.labels[r][u] = code
	g.used[code] = true
}

// column returns a reviewer's label codes for the group's first n units.
func (g *ratingGroup) column(reviewer string, n int) []uint8 {
	for i, name := range g.reviewers {
		if name == reviewer {
			return g.labels[i][:n]
		}
	}
	return make([]uint8, n)
}

func (g *ratingGroup) usedLabels() map[string]bool {
	m := map[string]bool{}
	for code, ok := range g.used {
		if ok && code > 0 {
			m[labelCodes[code]] = true
		}
	}
	return m
}

func (g *ratingGroup) sortedReviewers() []string {
	r := append([]string(nil), g.reviewers...)
	sort.Strings(r)
	return r
}

// agreementRows computes agreement per stage, round and pair of screeners,
// for every round together when there are several, and for the pilot.
func agreementRows(votes []tables.Vote, rounds []string, p *Params, w warner) ([]tables.Agreement, error) {
	// Number the works once; consecutive votes are usually on the same work.
	workIdx := make(map[string]int, len(votes)/2+1)
	index := make([]int, len(votes))
	last, lastIdx := "", -1
	for i := range votes {
		id := votes[i].WorkID
		if id != last || lastIdx < 0 {
			j, ok := workIdx[id]
			if !ok {
				j = len(workIdx)
				workIdx[id] = j
			}
			last, lastIdx = id, j
		}
		index[i] = lastIdx
	}
	nWorks := len(workIdx)
	type sr struct{ stage, round string }
	groups := map[sr]*ratingGroup{}
	var lastKey sr
	var lastGroup *ratingGroup
	get := func(stage, round string) *ratingGroup {
		k := sr{stage, round}
		if lastGroup != nil && k == lastKey {
			return lastGroup
		}
		g := groups[k]
		if g == nil {
			g = newRatingGroup(stage, round, nWorks, 0)
			groups[k] = g
		}
		lastKey, lastGroup = k, g
		return g
	}
	var allTA, allFT *ratingGroup
	if len(rounds) > 1 {
		allTA, allFT = newRatingGroup(stageTA, "all", nWorks, 0), newRatingGroup(stageFT, "all", nWorks, 0)
	}
	pilot := newRatingGroup(stageTA, "pilot", nWorks, max(p.PilotRecords, 1))
	for i := range votes {
		v := &votes[i]
		if v.Superseded || v.Role != "screener" {
			continue
		}
		label := labelCode(effective(v, p))
		if label == 0 {
			return nil, fmt.Errorf("agreement: work %s, %s: decision %q is not a rating", v.WorkID, v.Reviewer, v.Decision)
		}
		get(v.Stage, v.Round).add(index[i], v.Reviewer, label)
		if allTA != nil {
			if v.Stage == stageTA {
				allTA.add(index[i], v.Reviewer, label)
			} else {
				allFT.add(index[i], v.Reviewer, label)
			}
		}
		if v.Stage == stageTA && p.PilotRecords > 0 {
			pilot.add(index[i], v.Reviewer, label)
		}
	}
	if allTA != nil {
		for _, g := range []*ratingGroup{allTA, allFT} {
			if g.units > 0 {
				groups[sr{g.stage, "all"}] = g
			}
		}
	}
	var keys []sr
	for k := range groups {
		keys = append(keys, k)
	}
	roundPos := func(r string) int {
		for i, id := range rounds {
			if id == r {
				return i
			}
		}
		return len(rounds) // "all" last
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].stage != keys[j].stage {
			return stageOrder(keys[i].stage) < stageOrder(keys[j].stage)
		}
		if roundPos(keys[i].round) != roundPos(keys[j].round) {
			return roundPos(keys[i].round) < roundPos(keys[j].round)
		}
		return keys[i].round < keys[j].round
	})
	conv := conventions(p)
	// Groups are independent: compute them side by side, keep their order.
	results := make([][]tables.Agreement, len(keys))
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Go(func() {
			g := groups[k]
			results[i], errs[i] = pairRows(g, g.units, "all", p, conv)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var rows []tables.Agreement
	for _, rs := range results {
		rows = append(rows, rs...)
	}
	if p.PilotRecords > 0 {
		n := pilot.units
		if len(rounds) > 0 {
			pilot.round = rounds[0]
		}
		pr, err := pairRows(pilot, n, "pilot", p, conv)
		if err != nil {
			return nil, err
		}
		if err := pilotGate(pr, n, p, w); err != nil {
			return nil, err
		}
		rows = append(rows, pr...)
	}
	return rows, nil
}

// pairRows computes one row per pair of the group's screeners over its
// first n works. The confusion table is counted here; every statistic comes
// from internal/agreement.
func pairRows(g *ratingGroup, n int, subset string, p *Params, conv string) ([]tables.Agreement, error) {
	cats := categories(g.stage, g.usedLabels(), p)
	q := len(cats)
	catOf := make([]int, len(labelCodes)) // label code → category index
	for code := range labelCodes {
		catOf[code] = -1
		for i, c := range cats {
			if c == labelCodes[code] {
				catOf[code] = i
			}
		}
	}
	names := g.sortedReviewers()
	var rows []tables.Agreement
	for i := range names {
		for j := i + 1; j < len(names); j++ {
			a, b := g.column(names[i], n), g.column(names[j], n)
			table := make([][]int, q)
			for k := range table {
				table[k] = make([]int, q)
			}
			var onlyA, onlyB int64
			for u := range a {
				ca, cb := a[u], b[u]
				switch {
				case ca != 0 && cb != 0:
					ia, ib := catOf[ca], catOf[cb]
					if ia < 0 || ib < 0 {
						return nil, fmt.Errorf("agreement %s %s: label %q or %q is not among the categories %v", g.stage, g.round, labelCodes[ca], labelCodes[cb], cats)
					}
					table[ia][ib]++
				case ca != 0:
					onlyA++
				case cb != 0:
					onlyB++
				}
			}
			pair, err := agreement.PairTable(cats, table)
			if err != nil {
				return nil, fmt.Errorf("agreement %s %s %s vs %s: %w", g.stage, g.round, names[i], names[j], err)
			}
			if pair.N == 0 {
				continue // the two never rated the same work: nothing to compare
			}
			row := tables.Agreement{Stage: g.stage, Round: g.round, Subset: subset, ReviewerA: names[i], ReviewerB: names[j],
				Categories: cats, N: int64(pair.N), OnlyA: onlyA, OnlyB: onlyB, Agreed: int64(pair.Agreements), Conventions: conv, Notes: []string{}}
			for _, c := range pair.Confusion {
				row.Table = append(row.Table, tables.AgreementCell{ReviewerA: c.A, ReviewerB: c.B, Works: int64(c.Count)})
			}
			row.PercentAgreement = pair.ObservedAgreement
			row.ExpectedAgreement = pair.Cohen.Pe
			row.Kappa, row.KappaSE, row.KappaCILow, row.KappaCIHigh = pair.Cohen.Estimate, pair.Cohen.SE, pair.Cohen.CILow, pair.Cohen.CIHigh
			row.KappaSE0, row.KappaZ = pair.Cohen.SENull, pair.Cohen.Z
			row.KappaCILowNullSE, row.KappaCIHighNullSE = pair.Cohen.CILowNull, pair.Cohen.CIHighNull
			row.KappaLinear, row.KappaQuadratic = pair.LinearKappa.Estimate, pair.QuadraticKappa.Estimate
			row.PABAK, row.GwetAC1 = pair.PABAK.Estimate, pair.GwetAC1.Estimate
			row.PABAKCILow, row.PABAKCIHigh = pair.PABAK.CILow, pair.PABAK.CIHigh
			alpha, err := pairAlpha(cats, table)
			if err != nil {
				return nil, fmt.Errorf("agreement %s %s %s vs %s: %w", g.stage, g.round, names[i], names[j], err)
			}
			row.KrippendorffAlpha = alpha.Nominal
			if alpha.Nominal != nil {
				alpha.Note = "" // the note is about the interval and ratio α, which are not reported here
			}
			for _, nt := range []struct{ what, note string }{
				{"kappa", pair.Cohen.Note}, {"weighted kappa (linear)", pair.LinearKappa.Note},
				{"weighted kappa (quadratic)", pair.QuadraticKappa.Note}, {"PABAK", pair.PABAK.Note},
				{"Gwet AC1", pair.GwetAC1.Note}, {"Krippendorff alpha", alpha.Note},
			} {
				if nt.note != "" {
					row.Notes = append(row.Notes, nt.what+": "+nt.note)
				}
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// pairAlpha is Krippendorff's α over the works both screeners rated, from
// their confusion table: a work rated i by one and j by the other is the
// count row e_i + e_j. Works with the same pair share one read-only row, so
// the count table costs one slice header per work.
func pairAlpha(cats []string, table [][]int) (agreement.KrippendorffAlpha, error) {
	q := len(cats)
	total := 0
	for _, r := range table {
		for _, c := range r {
			total += c
		}
	}
	counts := agreement.Counts{Categories: cats, N: make([][]int, 0, total)}
	for i := range q {
		for j := range q {
			if table[i][j] == 0 {
				continue
			}
			row := make([]int, q)
			row[i]++
			row[j]++
			for range table[i][j] {
				counts.N = append(counts.N, row)
			}
		}
	}
	counts.Units = make([]string, len(counts.N))
	m, err := agreement.MultiStats(counts)
	if err != nil {
		return agreement.KrippendorffAlpha{}, err
	}
	return m.Krippendorff, nil
}

// pilotGate checks every screener pair's percent agreement on the first
// pilot_records works screened at title/abstract.
func pilotGate(rows []tables.Agreement, n int, p *Params, w warner) error {
	if len(rows) == 0 {
		w.WarnN("pilot_gate", 1, "screening: pilot gate: no two screeners rated the same works among the first %d at title/abstract", n)
		return nil
	}
	var failed []string
	for _, r := range rows {
		if r.PercentAgreement != nil && *r.PercentAgreement < p.PilotMinAgreement {
			failed = append(failed, fmt.Sprintf("%s and %s agree on %d of %d works (%.3f)", r.ReviewerA, r.ReviewerB, r.Agreed, r.N, *r.PercentAgreement))
		}
	}
	if len(failed) == 0 {
		return nil
	}
	msg := fmt.Sprintf("screening: pilot gate: percent agreement below %.2f on the first %d works at title/abstract: %s", p.PilotMinAgreement, n, strings.Join(failed, "; "))
	if p.PilotAction == "fail" {
		return fmt.Errorf("%s", msg)
	}
	w.WarnN("pilot_gate", len(failed), "%s", msg)
	return nil
}
