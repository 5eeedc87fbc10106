package screening

import (
	"fmt"
	"sort"
	"strings"

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

// ratingGroup is the votes of one stage and round (or all rounds) as a
// works × screeners table of labels.
type ratingGroup struct {
	stage, round string
	works        map[string]int // work id → unit index
	order        []string       // work ids in order of their first vote
	labels       map[string][]string
	used         map[string]bool
}

func newRatingGroup(stage, round string) *ratingGroup {
	return &ratingGroup{stage: stage, round: round, works: map[string]int{}, labels: map[string][]string{}, used: map[string]bool{}}
}

func (g *ratingGroup) add(work, reviewer, label string) {
	u, ok := g.works[work]
	if !ok {
		u = len(g.order)
		g.works[work] = u
		g.order = append(g.order, work)
	}
	col := g.labels[reviewer]
	for len(col) <= u {
		col = append(col, "")
	}
	col[u] = label
	g.labels[reviewer] = col
	g.used[label] = true
}

func (g *ratingGroup) column(reviewer string, n int) []string {
	col := g.labels[reviewer]
	if len(col) < n {
		col = append(col, make([]string, n-len(col))...)
		g.labels[reviewer] = col
	}
	return col[:n]
}

func (g *ratingGroup) reviewers() []string {
	var r []string
	for name := range g.labels {
		r = append(r, name)
	}
	sort.Strings(r)
	return r
}

// agreementRows computes agreement per stage, round and pair of screeners,
// for every round together when there are several, and for the pilot.
func agreementRows(votes []tables.Vote, rounds []string, p *Params, w warner) ([]tables.Agreement, error) {
	type sr struct{ stage, round string }
	groups := map[sr]*ratingGroup{}
	get := func(stage, round string) *ratingGroup {
		g := groups[sr{stage, round}]
		if g == nil {
			g = newRatingGroup(stage, round)
			groups[sr{stage, round}] = g
		}
		return g
	}
	pilot := newRatingGroup(stageTA, "")
	for i := range votes {
		v := &votes[i]
		if v.Superseded || v.Role != "screener" {
			continue
		}
		label := effective(v, p)
		get(v.Stage, v.Round).add(v.WorkID, v.Reviewer, label)
		if len(rounds) > 1 {
			get(v.Stage, "all").add(v.WorkID, v.Reviewer, label)
		}
		if v.Stage == stageTA {
			pilot.add(v.WorkID, v.Reviewer, label)
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
	var rows []tables.Agreement
	for _, k := range keys {
		g := groups[k]
		rs, err := pairRows(g, len(g.order), "all", p, conv)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	if p.PilotRecords > 0 {
		n := min(p.PilotRecords, len(pilot.order))
		pilot.round = "pilot"
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

// pairRows computes one row per pair of the group's screeners over its first n works.
func pairRows(g *ratingGroup, n int, subset string, p *Params, conv string) ([]tables.Agreement, error) {
	cats := categories(g.stage, g.used, p)
	names := g.reviewers()
	var rows []tables.Agreement
	for i := range names {
		for j := i + 1; j < len(names); j++ {
			a, b := g.column(names[i], n), g.column(names[j], n)
			pair, err := agreement.PairStats(a, b, cats)
			if err != nil {
				return nil, fmt.Errorf("agreement %s %s %s vs %s: %w", g.stage, g.round, names[i], names[j], err)
			}
			if pair.N == 0 {
				continue // the two never rated the same work: nothing to compare
			}
			row := tables.Agreement{Stage: g.stage, Round: g.round, Subset: subset, ReviewerA: names[i], ReviewerB: names[j],
				Categories: cats, N: int64(pair.N), Agreed: int64(pair.Agreements), Conventions: conv, Notes: []string{}}
			for _, c := range pair.Confusion {
				row.Table = append(row.Table, int64(c.Count))
			}
			for u := range a {
				switch {
				case a[u] != "" && b[u] == "":
					row.OnlyA++
				case a[u] == "" && b[u] != "":
					row.OnlyB++
				}
			}
			row.PercentAgreement = pair.ObservedAgreement
			row.ExpectedAgreement = pair.Cohen.Pe
			row.Kappa, row.KappaSE, row.KappaCILow, row.KappaCIHigh = pair.Cohen.Estimate, pair.Cohen.SE, pair.Cohen.CILow, pair.Cohen.CIHigh
			row.KappaSE0, row.KappaZ = pair.Cohen.SENull, pair.Cohen.Z
			row.KappaLinear, row.KappaQuadratic = pair.LinearKappa.Estimate, pair.QuadraticKappa.Estimate
			row.PABAK, row.GwetAC1 = pair.PABAK.Estimate, pair.GwetAC1.Estimate
			alpha, err := pairAlpha(a, b, cats)
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

// pairAlpha is Krippendorff's α over the works both screeners rated.
func pairAlpha(a, b []string, cats []string) (agreement.KrippendorffAlpha, error) {
	idx := map[string]int{}
	for i, c := range cats {
		idx[c] = i
	}
	counts := agreement.Counts{Categories: cats}
	cellsBuf := make([]int, 0, 2*len(cats)*64)
	for u := range a {
		if a[u] == "" || b[u] == "" {
			continue
		}
		if len(cellsBuf)+len(cats) > cap(cellsBuf) {
			cellsBuf = make([]int, 0, len(cats)*4096)
		}
		row := cellsBuf[len(cellsBuf) : len(cellsBuf)+len(cats)]
		cellsBuf = cellsBuf[:len(cellsBuf)+len(cats)]
		row[idx[a[u]]]++
		row[idx[b[u]]]++
		counts.N = append(counts.N, row)
		counts.Units = append(counts.Units, "")
	}
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
		w.Warn("screening: pilot gate: no two screeners rated the same works among the first %d at title/abstract", n)
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
	w.Warn("%s", msg)
	return nil
}
