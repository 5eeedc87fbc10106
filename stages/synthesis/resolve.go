package synthesis

import (
	"fmt"
	"iter"
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
	// refs resolves the PMIDs, DOIs and database:key references the team
	// wrote to the works of the records carrying them (see indexRecords).
	refs          map[string][]string
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

// A report reference names a report the way a team knows it: a work id, a
// DOI, a PMID ("PMID:12345678", "pmid 12345678" or the digits alone) or
// "database:key", the record's source key in one database's export
// ("Embase:2012345678", "MEDLINE:12345678"). refKey reduces a reference
// that is not a work id to the key indexRecords files records under
// ("doi:10.1000/x", "pmid:12345678", "key:embase:2012345678"); "" when it
// is none of these.
func refKey(ref string) string {
	ref = strings.TrimSpace(ref)
	if dois, rest := biblio.SplitDOIs(ref); len(dois) == 1 && strings.TrimSpace(rest) == "" {
		return "doi:" + dois[0]
	}
	lower := strings.ToLower(ref)
	digits := strings.TrimLeft(strings.TrimSpace(strings.TrimLeft(strings.TrimPrefix(lower, "pmid"), ": ")), "0")
	if digits != "" && strings.Trim(digits, "0123456789") == "" && (digits != lower || len(digits) <= 9) {
		return "pmid:" + digits
	}
	if db, key, ok := strings.Cut(ref, ":"); ok && strings.TrimSpace(db) != "" && strings.TrimSpace(key) != "" {
		return "key:" + strings.ToLower(strings.TrimSpace(db)) + ":" + strings.TrimSpace(key)
	}
	return ""
}

// recordKeys lists the reference keys a record answers to.
func recordKeys(r *tables.Record, out []string) []string {
	out = out[:0]
	if p := strings.TrimLeft(strings.TrimSpace(r.PMID), "0"); p != "" {
		out = append(out, "pmid:"+p)
	}
	for _, d := range append([]string{r.DOI}, r.DOIs...) {
		if dois, _ := biblio.SplitDOIs(d); len(dois) > 0 {
			out = append(out, "doi:"+dois[0])
		}
	}
	if r.SourceKey != "" && r.Database != "" {
		out = append(out, "key:"+strings.ToLower(r.Database)+":"+r.SourceKey)
	}
	return out
}

// indexRecords maps every report reference the studies CSV and the CMO
// file use (other than work ids) to the works of the records it names,
// from the de-duplicated records table: a team can cite a report by the
// PMID, DOI or database key it knows before any run has issued work ids.
// Only the references in use are kept, so the index stays small whatever
// the size of the search.
func (r *resolver) indexRecords(records iter.Seq[*tables.Record], configs []Configuration) {
	want := map[string]bool{}
	note := func(ref string) {
		if _, isWork := r.works[ref]; !isWork {
			if k := refKey(ref); k != "" {
				want[k] = true
			}
		}
	}
	for _, row := range r.studyRows {
		for _, ref := range row.WorkIDs {
			note(ref)
		}
		for _, ref := range row.DOIs {
			note(ref)
		}
	}
	for i := range configs {
		note(configs[i].Study)
		if configs[i].ReportID != "" {
			note(configs[i].ReportID)
		}
	}
	if len(want) == 0 {
		return
	}
	r.refs = map[string][]string{}
	var keys []string
	for rec := range records {
		if rec.WorkID == "" {
			continue
		}
		keys = recordKeys(rec, keys)
		for _, k := range keys {
			if want[k] && !slices.Contains(r.refs[k], rec.WorkID) {
				r.refs[k] = append(r.refs[k], rec.WorkID)
			}
		}
	}
	for k := range r.refs {
		slices.Sort(r.refs[k])
	}
}

// resolveRef returns the works a report reference names (a work id, DOI,
// PMID or database:key), sorted; none when it names no report of this
// review.
func (r *resolver) resolveRef(ref string) []string {
	if _, ok := r.works[ref]; ok {
		return []string{ref}
	}
	k := refKey(ref)
	if ws := r.refs[k]; len(ws) > 0 {
		return ws
	}
	if d, ok := strings.CutPrefix(k, "doi:"); ok {
		if w, ok := r.byDOI[d]; ok {
			return []string{w.WorkID}
		}
	}
	return nil
}

// labelStudies returns the de-duplicated study ids and work ids a label
// covers. ok is false when the label is unknown.
func (r *resolver) labelStudies(label string) (studyIDs, workIDs []string, err error, ok bool) {
	if row, inCSV := r.rows[label]; inCSV {
		for _, ref := range row.WorkIDs {
			if !r.haveWorks {
				workIDs = append(workIDs, ref)
				studyIDs = append(studyIDs, ref)
				continue
			}
			ws := r.resolveRef(ref)
			if len(ws) == 0 {
				return nil, nil, fmt.Errorf("%s:%d: study %s: work_id %s is not a work of this review, nor a DOI, PMID or database:key of its records",
					row.File, row.Line, label, ref), true
			}
			for _, w := range ws {
				workIDs = append(workIDs, w)
				studyIDs = append(studyIDs, studyOf(r.works[w]))
			}
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
			ws := r.resolveRef("doi:" + dois[0])
			if len(ws) == 0 {
				return nil, nil, fmt.Errorf("%s:%d: study %s: no work has DOI %s", row.File, row.Line, label, dois[0]), true
			}
			for _, w := range ws {
				workIDs = append(workIDs, w)
				studyIDs = append(studyIDs, studyOf(r.works[w]))
			}
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
	if ws := r.resolveRef(label); len(ws) > 0 {
		for _, w := range ws {
			studyIDs = append(studyIDs, studyOf(r.works[w]))
		}
		return sortedSet(studyIDs), ws, nil, true
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
			errs.add(fmt.Errorf("%s:%d: unknown study %q: not in the studies CSV, not a work id, study id, DOI, PMID or database:key%s", info.first.File, info.first.Line, label, r.suggestLabel(label)))
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
	if ws := r.resolveRef(c.ReportID); len(ws) > 0 {
		for _, w := range ws {
			reportStudies = append(reportStudies, studyOf(r.works[w]))
		}
		// Reports count once whatever reference the coders wrote: by work.
		c.ReportKey = ws[0]
	} else if dois, _ := biblio.SplitDOIs(c.ReportID); len(dois) == 1 && !r.haveWorks {
		reportStudies = []string{"doi:" + dois[0]}
	}
	if reportStudies == nil {
		if r.haveWorks {
			return fmt.Errorf("%s:%d: report_id %s is not a work id, DOI, PMID, database:key or study of this review", c.File, c.Line, c.ReportID)
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
