package dedupe

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/realsynth/realsynth/internal/tables"
)

// result is everything one de-duplication produces.
type result struct {
	records      []tables.Record
	works        []tables.Work
	pairs        []tables.DuplicatePair
	review       []tables.ReviewItem
	bridges      []tables.WorkBridge
	contribution []tables.SourceContribution
	overlap      []tables.SourceOverlap
	warnings     []string
}

// deduplicate runs the whole stage logic on records (any order).
func deduplicate(records []tables.Record, opt options) *result {
	e := newEngine(records, opt)
	res := &result{}
	for _, u := range e.humanPairs() {
		res.warnings = append(res.warnings, fmt.Sprintf("decision for %s, %s ignored: a record is not in this run", u[0], u[1]))
	}
	e.comparePairs()
	e.cluster()
	workOf := e.assignWorkIDs(res)
	e.buildOutputs(res, workOf)
	return res
}

// assignWorkIDs gives each cluster its work id: the id of the earlier work
// its members belonged to, or a new id derived from its smallest record id.
func (e *engine) assignWorkIDs(res *result) []string {
	n := len(e.recs)
	roots := make([]int, 0)
	for i := 0; i < n; i++ {
		if e.find(i) == i {
			roots = append(roots, i)
		}
	}
	// Each earlier work goes to the cluster holding most of its records
	// (ties: the cluster with the smallest record id); roots are in index order.
	type claim struct{ root, count int }
	best := map[string]claim{}
	for _, r := range roots {
		counts := map[string]int{}
		for _, m := range e.membersOf(r) {
			if w := e.prep[m].prevWork; w != "" {
				counts[w]++
			}
		}
		for w, c := range counts {
			if b, ok := best[w]; !ok || c > b.count {
				best[w] = claim{r, c}
			}
		}
	}
	used := map[string]bool{}
	for w := range e.opt.prevWorks {
		used[w] = true
	}
	for w := range best {
		used[w] = true
	}
	idOf := make(map[int]string, len(roots))
	for _, r := range roots {
		var kept []string
		for w, b := range best {
			if b.root == r {
				kept = append(kept, w)
			}
		}
		slices.Sort(kept)
		if len(kept) > 0 {
			idOf[r] = kept[0]
			if len(kept) > 1 {
				res.warnings = append(res.warnings, fmt.Sprintf("works %v were merged by a human decision; %s keeps the id", kept, kept[0]))
			}
			continue
		}
		id := "W-" + e.recs[r].RecordID
		for k := 2; used[id]; k++ {
			id = "W-" + e.recs[r].RecordID + "-" + strconv.Itoa(k)
		}
		used[id] = true
		idOf[r] = id
	}
	workOf := make([]string, n)
	for i := range workOf {
		workOf[i] = idOf[e.find(i)]
	}
	return workOf
}

// completeness ranks members for the canonical record: more filled fields win.
func completeness(r *tables.Record) int {
	n := 0
	for _, s := range []string{r.Title, r.Journal, r.Volume, r.Issue, r.Pages, r.DOI, r.PMID, r.Abstract} {
		if s != "" {
			n++
		}
	}
	if r.Year != nil {
		n++
	}
	if len(r.Authors) > 0 {
		n++
	}
	return n
}

func (e *engine) buildOutputs(res *result, workOf []string) {
	// Group members by work, in record-id order.
	byWork := map[string][]int{}
	var workIDs []string
	for i, w := range workOf {
		if _, ok := byWork[w]; !ok {
			workIDs = append(workIDs, w)
		}
		byWork[w] = append(byWork[w], i)
	}
	slices.Sort(workIDs)

	// Related reports join works into studies.
	studyParent := map[string]string{}
	var findStudy func(string) string
	findStudy = func(w string) string {
		p, ok := studyParent[w]
		if !ok || p == w {
			return w
		}
		r := findStudy(p)
		studyParent[w] = r
		return r
	}
	for k := range e.pairs {
		p := &e.pairs[k]
		if p.v.decision != related {
			continue
		}
		wa, wb := findStudy(workOf[p.i]), findStudy(workOf[p.j])
		if wa != wb {
			studyParent[max(wa, wb)] = min(wa, wb)
		}
	}
	studyMembers := map[string][]string{}
	for _, w := range workIDs {
		r := findStudy(w)
		studyMembers[r] = append(studyMembers[r], w)
	}
	studyID := map[string]string{}
	for root, ws := range studyMembers {
		id := root
		// A study keeps the id an earlier run gave it.
		var prevIDs []string
		for _, w := range ws {
			if pw, ok := e.opt.prevWorks[w]; ok && pw.StudyID != "" {
				prevIDs = append(prevIDs, pw.StudyID)
			}
		}
		if len(prevIDs) > 0 {
			id = slices.Min(prevIDs)
		}
		for _, w := range ws {
			studyID[w] = id
		}
	}

	res.works = make([]tables.Work, 0, len(workIDs))
	for _, w := range workIDs {
		members := byWork[w]
		canon := members[0]
		for _, m := range members[1:] {
			if c, b := completeness(e.recs[m]), completeness(e.recs[canon]); c > b {
				canon = m
			}
		}
		work := e.canonicalWork(canon, members)
		work.WorkID = w
		work.StudyID = studyID[w]
		for _, other := range studyMembers[findStudy(w)] {
			if other != w {
				work.RelatedWorkIDs = append(work.RelatedWorkIDs, other)
			}
		}
		work.ReportKind = e.prep[canon].kind
		if prev, ok := e.opt.prevWorks[w]; ok {
			work.PreviouslyIssued = true
			if prev.FirstRound != "" && e.roundBefore(prev.FirstRound, work.FirstRound) {
				work.FirstRound = prev.FirstRound
			}
		}
		for _, m := range members {
			if e.roundBefore(work.FirstRound, e.recs[m].Round) {
				work.AlreadySeenRecordIDs = append(work.AlreadySeenRecordIDs, e.recs[m].RecordID)
			}
		}
		res.works = append(res.works, work)
	}

	// Records keep every field and gain their work id; rows are sorted by
	// round (config order), database, file, line, id.
	res.records = make([]tables.Record, len(e.recs))
	for i, r := range e.recs {
		res.records[i] = *r
		res.records[i].WorkID = workOf[i]
	}
	slices.SortStableFunc(res.records, func(a, b tables.Record) int {
		return cmp.Or(
			cmp.Compare(e.opt.roundIndex(a.Round), e.opt.roundIndex(b.Round)),
			cmp.Compare(a.Round, b.Round),
			cmp.Compare(a.Database, b.Database),
			cmp.Compare(a.SourceFile, b.SourceFile),
			cmp.Compare(a.SourceLine, b.SourceLine),
			cmp.Compare(a.RecordID, b.RecordID),
		)
	})

	e.pairOutputs(res, workOf)
	res.bridges = e.bridges(workOf)
	res.contribution, res.overlap = e.sourceTables(workOf)
}

// roundBefore reports whether round a comes before round b in the config.
func (e *engine) roundBefore(a, b string) bool {
	ia, ib := e.opt.roundIndex(a), e.opt.roundIndex(b)
	if ia != ib {
		return ia < ib
	}
	return a < b
}

// canonicalWork copies the canonical member's fields and fills the empty
// ones from the other members, most complete first.
func (e *engine) canonicalWork(canon int, members []int) tables.Work {
	c := e.recs[canon]
	w := tables.Work{
		CanonicalRecordID: c.RecordID,
		Title:             c.Title,
		Authors:           c.Authors,
		Year:              c.Year,
		Journal:           c.Journal,
		Volume:            c.Volume,
		Issue:             c.Issue,
		Pages:             c.Pages,
		DOI:               c.DOI,
		PMID:              c.PMID,
		Abstract:          c.Abstract,
		MemberCount:       int32(len(members)),
	}
	others := slices.Clone(members)
	slices.SortStableFunc(others, func(x, y int) int { return completeness(e.recs[y]) - completeness(e.recs[x]) })
	fill := func(dst *string, get func(*tables.Record) string) {
		for _, m := range others {
			if *dst != "" {
				return
			}
			*dst = get(e.recs[m])
		}
	}
	fill(&w.Title, func(r *tables.Record) string { return r.Title })
	fill(&w.Journal, func(r *tables.Record) string { return r.Journal })
	fill(&w.Volume, func(r *tables.Record) string { return r.Volume })
	fill(&w.Issue, func(r *tables.Record) string { return r.Issue })
	fill(&w.Pages, func(r *tables.Record) string { return r.Pages })
	fill(&w.DOI, func(r *tables.Record) string { return r.DOI })
	fill(&w.PMID, func(r *tables.Record) string { return r.PMID })
	fill(&w.Abstract, func(r *tables.Record) string { return r.Abstract })
	for _, m := range others {
		if w.Year == nil {
			w.Year = e.recs[m].Year
		}
		if len(w.Authors) == 0 {
			w.Authors = e.recs[m].Authors
		}
	}
	if w.Authors == nil {
		w.Authors = []string{}
	}
	dbs := map[string]bool{}
	rounds := map[string]bool{}
	for _, m := range members {
		r := e.recs[m]
		w.RecordIDs = append(w.RecordIDs, r.RecordID)
		dbs[r.Database] = true
		rounds[r.Round] = true
	}
	for d := range dbs {
		w.Databases = append(w.Databases, d)
	}
	slices.Sort(w.Databases)
	for r := range rounds {
		w.Rounds = append(w.Rounds, r)
	}
	slices.SortFunc(w.Rounds, func(a, b string) int {
		return cmp.Or(cmp.Compare(e.opt.roundIndex(a), e.opt.roundIndex(b)), cmp.Compare(a, b))
	})
	w.FirstRound = w.Rounds[0]
	w.RelatedWorkIDs = []string{}
	w.AlreadySeenRecordIDs = []string{}
	return w
}
