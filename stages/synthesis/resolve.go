package synthesis

import (
	"fmt"
	"slices"
	"strings"

	"github.com/adrg/strutil"
	"github.com/adrg/strutil/metrics"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/tables"
)

// resolver ties the team's study labels to works and screening decisions:
// which works (reports) a label covers, which de-duplicated study those
// belong to, and whether screening included it.
type resolver struct {
	rounds        []string
	haveWorks     bool
	haveDecisions bool
	works         map[string]*tables.Work // by work id
	byDOI         map[string]*tables.Work
	studyWorks    map[string][]string // dedupe study id → work ids
	includedRound map[string]int      // dedupe study id → round index of its full-text include
	includedOrder []string            // included dedupe study ids, sorted
	rows          map[string]*StudyRow
	studyRows     []StudyRow
	warn          func(string, ...any)
}

func newResolver(rounds []string, works []tables.Work, haveWorks bool, decisions []tables.Decision, haveDecisions bool, studyRows []StudyRow, warn func(string, ...any)) *resolver {
	r := &resolver{rounds: rounds, haveWorks: haveWorks, haveDecisions: haveDecisions, works: map[string]*tables.Work{},
		byDOI: map[string]*tables.Work{}, studyWorks: map[string][]string{}, includedRound: map[string]int{},
		rows: map[string]*StudyRow{}, studyRows: studyRows, warn: warn}
	for i := range works {
		w := &works[i]
		r.works[w.WorkID] = w
		if dois, _ := biblio.SplitDOIs(w.DOI); len(dois) > 0 {
			r.byDOI[dois[0]] = w
		}
		sid := w.StudyID
		if sid == "" {
			sid = w.WorkID
		}
		r.studyWorks[sid] = append(r.studyWorks[sid], w.WorkID)
	}
	for _, d := range decisions {
		if d.Stage != "full_text" || d.Decision != "include" {
			continue
		}
		sid := d.WorkID
		if w, ok := r.works[d.WorkID]; ok && w.StudyID != "" {
			sid = w.StudyID
		}
		round := slices.Index(rounds, d.Round)
		if round < 0 {
			round = 0
		}
		if old, ok := r.includedRound[sid]; !ok || round < old {
			r.includedRound[sid] = round
		}
	}
	for sid := range r.includedRound {
		r.includedOrder = append(r.includedOrder, sid)
	}
	slices.Sort(r.includedOrder)
	for i := range studyRows {
		r.rows[studyRows[i].Label] = &studyRows[i]
	}
	return r
}

// labelStudies returns the de-duplicated study ids and work ids a label
// covers. ok is false when the label is unknown.
func (r *resolver) labelStudies(label string) (studyIDs, workIDs []string, err error, ok bool) {
	if row, inCSV := r.rows[label]; inCSV {
		workIDs = slices.Clone(row.WorkIDs)
		for _, w := range row.WorkIDs {
			if !r.haveWorks {
				studyIDs = append(studyIDs, w)
				continue
			}
			work, known := r.works[w]
			if !known {
				return nil, nil, fmt.Errorf("%s:%d: study %s: work_id %s is not a work of this review", row.File, row.Line, label, w), true
			}
			studyIDs = append(studyIDs, studyOf(work))
		}
		for _, d := range row.DOIs {
			dois, _ := biblio.SplitDOIs(d)
			if len(dois) == 0 {
				return nil, nil, fmt.Errorf("%s:%d: study %s: %q is not a DOI", row.File, row.Line, label, d), true
			}
			if !r.haveWorks {
				studyIDs = append(studyIDs, "doi:"+dois[0])
				continue
			}
			work, known := r.byDOI[dois[0]]
			if !known {
				return nil, nil, fmt.Errorf("%s:%d: study %s: no work has DOI %s", row.File, row.Line, label, dois[0]), true
			}
			workIDs = append(workIDs, work.WorkID)
			studyIDs = append(studyIDs, studyOf(work))
		}
		if len(studyIDs) == 0 {
			studyIDs = []string{label} // a row with only a cluster or appraisal
		}
		return sortedSet(studyIDs), sortedSet(workIDs), nil, true
	}
	if !r.haveWorks {
		return []string{label}, nil, nil, true
	}
	if w, isWork := r.works[label]; isWork {
		return []string{studyOf(w)}, []string{w.WorkID}, nil, true
	}
	if ws, isStudy := r.studyWorks[label]; isStudy {
		return []string{label}, sortedSet(ws), nil, true
	}
	if dois, _ := biblio.SplitDOIs(label); len(dois) == 1 {
		if w, ok := r.byDOI[dois[0]]; ok {
			return []string{studyOf(w)}, []string{w.WorkID}, nil, true
		}
	}
	return nil, nil, nil, false
}

func studyOf(w *tables.Work) string {
	if w.StudyID != "" {
		return w.StudyID
	}
	return w.WorkID
}

func sortedSet(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// resolve checks every configuration's study, round and report, and builds
// the analysis input.
func (r *resolver) resolve(configs []Configuration) (*Input, error) {
	var errs problems
	type labelInfo struct {
		first             *Configuration
		studyIDs, workIDs []string
		minRound          int
	}
	labels := map[string]*labelInfo{}
	var order []string
	for i := range configs {
		c := &configs[i]
		if _, seen := labels[c.Study]; !seen {
			labels[c.Study] = &labelInfo{first: c, minRound: -1}
			order = append(order, c.Study)
		}
	}
	slices.Sort(order)
	if !r.haveWorks && len(r.studyRows) > 0 {
		r.warn("synthesis: no works table (dedupe disabled): work ids and DOIs in the studies CSV are not checked")
	}
	if !r.haveDecisions {
		r.warn("synthesis: no screening decisions (screening disabled): every study in the CMO file is treated as included")
	}
	owner := map[string]string{} // dedupe study id → label
	for _, label := range order {
		info := labels[label]
		sids, wids, err, ok := r.labelStudies(label)
		if err != nil {
			errs.add(err)
			continue
		}
		if !ok {
			errs.add(fmt.Errorf("%s:%d: unknown study %q: not in the studies CSV, not a work id, study id or DOI%s", info.first.File, info.first.Line, label, r.suggestLabel(label)))
			continue
		}
		for _, sid := range sids {
			if other, taken := owner[sid]; taken {
				errs.add(fmt.Errorf("%s:%d: studies %s and %s are reports of one study (%s); code them under one label, listing both works in the studies CSV",
					info.first.File, info.first.Line, other, label, sid))
			}
			owner[sid] = label
		}
		info.studyIDs, info.workIDs = sids, wids
	}
	// Rounds and reports, row by row.
	roundOf := make([]int, len(configs))
	for i := range configs {
		c := &configs[i]
		roundOf[i] = -1
		if c.Round != "" {
			roundOf[i] = slices.Index(r.rounds, c.Round)
			if roundOf[i] < 0 {
				errs.add(fmt.Errorf("%s:%d: round %q is not a round of this review (%s)", c.File, c.Line, c.Round, strings.Join(r.rounds, ", ")))
				continue
			}
			info := labels[c.Study]
			if info.minRound < 0 || roundOf[i] < info.minRound {
				info.minRound = roundOf[i]
			}
		}
		if c.ReportID != "" {
			errs.add(r.checkReport(c, labels[c.Study].studyIDs))
		}
	}
	if err := errs.err(); err != nil {
		return nil, fmt.Errorf("synthesis: %w", err)
	}
	in := &Input{Rounds: r.rounds}
	inclRound := map[string]int{}
	for _, label := range order {
		info := labels[label]
		st := Study{Label: label, WorkIDs: info.workIDs, Included: true, Round: max(info.minRound, 0)}
		if row := r.rows[label]; row != nil {
			st.Rigour, st.Order = row.Rigour, row.Order
			if row.Cluster != "" {
				st.Cluster = row.Cluster
			}
		}
		if r.haveDecisions {
			st.Included, st.Round = false, -1
			for _, sid := range info.studyIDs {
				if round, ok := r.includedRound[sid]; ok && (!st.Included || round < st.Round) {
					st.Included, st.Round = true, round
				}
			}
			if !st.Included {
				r.warn("%s:%d: study %s is not among the studies screening included; its coding is left out of the tallies", info.first.File, info.first.Line, label)
			}
		}
		inclRound[label] = st.Round
		in.Studies = append(in.Studies, st)
	}
	// A configuration without a round belongs to the round its study was
	// included in (or first coded in). One dated before its study's
	// inclusion would count before the study is in the denominator: it is
	// moved to the inclusion round, with a warning.
	early := map[string]bool{}
	for i := range configs {
		incl := inclRound[configs[i].Study]
		switch {
		case roundOf[i] < 0:
			roundOf[i] = max(incl, 0)
		case r.haveDecisions && roundOf[i] < incl:
			if c := &configs[i]; !early[c.Study] {
				early[c.Study] = true
				r.warn("%s:%d: study %s is coded in round %s but was included in round %s; its coding counts from %s",
					c.File, c.Line, c.Study, c.Round, r.rounds[incl], r.rounds[incl])
			}
			roundOf[i] = incl
		}
	}
	in.Configurations, in.RoundOf = configs, roundOf
	if r.haveDecisions {
		in.IncludedByRound = make([]int, len(r.rounds))
		for _, sid := range r.includedOrder {
			for j := r.includedRound[sid]; j < len(r.rounds); j++ {
				in.IncludedByRound[j]++
			}
		}
	}
	return in, nil
}

// checkReport rejects an excerpt whose report belongs to a different study
// than the configuration's.
func (r *resolver) checkReport(c *Configuration, studyIDs []string) error {
	var reportStudies []string
	if other, ok := r.rows[c.ReportID]; ok {
		if other.Label != c.Study {
			return fmt.Errorf("%s:%d: excerpt cites %s, another study than %s", c.File, c.Line, c.ReportID, c.Study)
		}
		return nil
	}
	if w, ok := r.works[c.ReportID]; ok {
		reportStudies = []string{studyOf(w)}
	} else if dois, _ := biblio.SplitDOIs(c.ReportID); len(dois) == 1 {
		if w, ok := r.byDOI[dois[0]]; ok {
			reportStudies = []string{studyOf(w)}
		} else if !r.haveWorks {
			reportStudies = []string{"doi:" + dois[0]}
		}
	}
	if reportStudies == nil {
		if r.haveWorks {
			return fmt.Errorf("%s:%d: report_id %s is not a work id, DOI or study of this review", c.File, c.Line, c.ReportID)
		}
		return nil // nothing to check it against
	}
	for _, s := range reportStudies {
		if slices.Contains(studyIDs, s) {
			return nil
		}
	}
	if !r.haveWorks && !slices.ContainsFunc(studyIDs, func(s string) bool { return strings.HasPrefix(s, "doi:") }) {
		return nil // the study's DOIs are unknown: nothing to compare with
	}
	return fmt.Errorf("%s:%d: excerpt cites report %s of study %s, not of %s", c.File, c.Line, c.ReportID, reportStudies[0], c.Study)
}

func (r *resolver) suggestLabel(label string) string {
	metric := metrics.NewJaroWinkler()
	metric.CaseSensitive = false
	best, bestScore := "", 0.0
	for _, row := range r.studyRows {
		if s := strutil.Similarity(label, row.Label, metric); s > bestScore || (s == bestScore && row.Label < best) {
			best, bestScore = row.Label, s
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}
