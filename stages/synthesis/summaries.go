package synthesis

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/realsynth/realsynth/internal/agreement"
	"github.com/realsynth/realsynth/internal/tables"
)

// presence categories for study-level agreement: a reviewer did or did not
// code the study at the code (or a descendant).
var presence = []string{"absent", "present"}

// codingAgreement compares reviewers study by study: for each code, whether
// each reviewer coded the study at the code or a descendant. Only studies
// both reviewers coded are units, so a study one reviewer has not reached
// yet does not count as disagreement.
func codingAgreement(cb *Codebook, studies []Study, reviewerRows []coding) ([]tables.CodingAgreement, error) {
	type sr struct {
		study    int
		reviewer string
	}
	codesOf := map[sr][]int{}
	var buf []int
	for _, c := range reviewerRows {
		buf = codesWithAncestors(cb, c.cfg, buf)
		k := sr{c.study, c.cfg.Reviewer}
		codesOf[k] = append(codesOf[k], buf...)
	}
	reviewersOf := make([][]string, len(studies))
	for k, l := range codesOf {
		slices.Sort(l)
		codesOf[k] = slices.Compact(l)
		reviewersOf[k.study] = append(reviewersOf[k.study], k.reviewer)
	}
	var reviewers []string
	for _, l := range reviewersOf {
		slices.Sort(l)
		reviewers = append(reviewers, l...)
	}
	slices.Sort(reviewers)
	reviewers = slices.Compact(reviewers)
	var rows []tables.CodingAgreement
	K := len(cb.Codes)
	for ai, a := range reviewers {
		for _, b := range reviewers[ai+1:] {
			both, onlyA, onlyB := make([]int, K), make([]int, K), make([]int, K)
			common := 0
			for s, rs := range reviewersOf {
				if !slices.Contains(rs, a) || !slices.Contains(rs, b) {
					continue
				}
				common++
				ca, cbb := codesOf[sr{s, a}], codesOf[sr{s, b}]
				for _, k := range ca {
					if _, ok := slices.BinarySearch(cbb, k); ok {
						both[k]++
					} else {
						onlyA[k]++
					}
				}
				for _, k := range cbb {
					if _, ok := slices.BinarySearch(ca, k); !ok {
						onlyB[k]++
					}
				}
			}
			if common == 0 {
				continue
			}
			for k, code := range cb.Codes {
				if both[k]+onlyA[k]+onlyB[k] == 0 {
					continue // neither reviewer ever used it: nothing to agree on
				}
				absent := common - both[k] - onlyA[k] - onlyB[k]
				// table[i][j]: reviewer A said presence[i], reviewer B presence[j].
				stats, err := agreement.PairTable(presence, [][]int{{absent, onlyB[k]}, {onlyA[k], both[k]}})
				if err != nil {
					return nil, fmt.Errorf("agreement on %s between %s and %s: %w", code.ID, a, b, err)
				}
				rows = append(rows, tables.CodingAgreement{
					CodeID: code.ID, Label: code.Label, Scope: "pair", ReviewerA: a, ReviewerB: b, Reviewers: []string{a, b},
					Studies: int64(common), BothPresent: int64(both[k]), OnlyA: int64(onlyA[k]), OnlyB: int64(onlyB[k]), BothAbsent: int64(absent),
					PercentAgreement: stats.ObservedAgreement, Kappa: stats.Cohen.Estimate, PABAK: stats.PABAK.Estimate,
				})
			}
		}
	}
	if len(reviewers) >= 3 {
		for k, code := range cb.Codes {
			var counts agreement.Counts
			counts.Categories = presence
			used := false
			for s, rs := range reviewersOf {
				if len(rs) < 2 {
					continue
				}
				n := []int{0, 0}
				for _, r := range rs {
					if _, ok := slices.BinarySearch(codesOf[sr{s, r}], k); ok {
						n[1]++
						used = true
					} else {
						n[0]++
					}
				}
				counts.Units = append(counts.Units, studies[s].Label)
				counts.N = append(counts.N, n)
			}
			if !used {
				continue
			}
			m, err := agreement.MultiStats(counts)
			if err != nil {
				return nil, fmt.Errorf("agreement on %s among all reviewers: %w", code.ID, err)
			}
			rows = append(rows, tables.CodingAgreement{
				CodeID: code.ID, Label: code.Label, Scope: "all", Reviewers: reviewers, Studies: int64(m.UnitsPairable),
				PercentAgreement: m.ObservedAgreement, Alpha: m.Krippendorff.Nominal,
			})
		}
	}
	slices.SortStableFunc(rows, func(x, y tables.CodingAgreement) int {
		return cmp.Or(strings.Compare(x.CodeID, y.CodeID), strings.Compare(y.Scope, x.Scope), strings.Compare(x.ReviewerA, y.ReviewerA), strings.Compare(x.ReviewerB, y.ReviewerB))
	})
	return rows, nil
}

// scaleSummary counts studies per scale, activity type and level. Levels are
// the codes with a scale; activity types are the other intervention codes of
// the same configuration. Each study counts once per activity and level, and
// once per level over all activities.
func scaleSummary(cb *Codebook, studies []Study, consensus []coding) []tables.ScaleSummary {
	type cell struct {
		activity, level int // activity -1: all activities
	}
	cells := map[cell][]int{}
	for _, c := range consensus {
		var levels, activities []int
		for _, slot := range c.cfg.Codes {
			for _, k := range slot {
				if cb.Codes[k].Scale != "" {
					levels = append(levels, k)
				}
			}
		}
		for _, k := range c.cfg.Codes[slotIntervention] {
			if cb.Codes[k].Scale == "" {
				activities = append(activities, k)
			}
		}
		for _, l := range levels {
			cells[cell{-1, l}] = append(cells[cell{-1, l}], c.study)
			for _, a := range activities {
				cells[cell{a, l}] = append(cells[cell{a, l}], c.study)
			}
		}
	}
	rows := make([]tables.ScaleSummary, 0, len(cells))
	for k, st := range cells {
		level := cb.Codes[k.level]
		st = uniqueInts(st)
		row := tables.ScaleSummary{Scale: level.Scale, Scope: "all", LevelID: level.ID, LevelLabel: level.Label,
			Unclear: level.Rank == nil, Studies: int64(len(st)), StudyIDs: studyLabels(studies, st)}
		if level.Rank != nil {
			r := int64(*level.Rank)
			row.Rank = &r
		}
		if k.activity >= 0 {
			row.Scope, row.ActivityID, row.ActivityLabel = "activity", cb.Codes[k.activity].ID, cb.Codes[k.activity].Label
		}
		rows = append(rows, row)
	}
	rank := func(r tables.ScaleSummary) int64 {
		if r.Rank == nil {
			return 1 << 40 // unclear after every ranked level
		}
		return int64(*r.Rank)
	}
	slices.SortFunc(rows, func(a, b tables.ScaleSummary) int {
		return cmp.Or(strings.Compare(a.Scale, b.Scale), strings.Compare(a.Scope, b.Scope), strings.Compare(a.ActivityID, b.ActivityID),
			cmp.Compare(rank(a), rank(b)), strings.Compare(a.LevelID, b.LevelID))
	})
	return rows
}

// saturation walks the included studies in coding order — by the round of
// their first consensus configuration, then by the studies CSV's
// extraction_order (studies without one after those with), then by label —
// and records the codes
// (as coded, after merges) and chains each adds.
func saturation(cb *Codebook, rounds []string, studies []Study, consensus []coding, chainsOf [][]chainKey) []tables.Saturation {
	type studyAdds struct {
		study, round int
		codes        []int
		chains       []chainKey
	}
	var order []*studyAdds
	for ci, c := range consensus {
		if n := len(order); n == 0 || order[n-1].study != c.study {
			order = append(order, &studyAdds{study: c.study, round: c.round})
		}
		s := order[len(order)-1]
		s.round = min(s.round, c.round)
		s.codes = append(s.codes, directCodes(c.cfg, nil)...)
		s.chains = append(s.chains, chainsOf[ci]...)
	}
	position := func(s *studyAdds) int {
		if o := studies[s.study].Order; o > 0 {
			return o
		}
		return math.MaxInt
	}
	slices.SortStableFunc(order, func(a, b *studyAdds) int {
		return cmp.Or(cmp.Compare(a.round, b.round), cmp.Compare(position(a), position(b)), cmp.Compare(a.study, b.study))
	})
	seenCode := map[int]bool{}
	seenChain := map[chainKey]bool{}
	rows := make([]tables.Saturation, 0, len(order))
	for i, s := range order {
		newCodes, newChains := []string{}, []string{}
		for _, k := range s.codes {
			if !seenCode[k] {
				seenCode[k] = true
				newCodes = append(newCodes, cb.Codes[k].ID)
			}
		}
		for _, k := range s.chains {
			if !seenChain[k] {
				seenChain[k] = true
				newChains = append(newChains, cb.chainID(k))
			}
		}
		slices.Sort(newCodes)
		slices.Sort(newChains)
		rows = append(rows, tables.Saturation{
			Round: rounds[s.round], Order: int64(i + 1), StudyID: studies[s.study].Label,
			NewCodes: newCodes, NewCodeCount: int64(len(newCodes)), NewChainIDs: newChains, NewChainCount: int64(len(newChains)),
			CumulativeCodes: int64(len(seenCode)), CumulativeChains: int64(len(seenChain)),
		})
	}
	return rows
}
