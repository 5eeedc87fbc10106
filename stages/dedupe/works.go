package dedupe

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"slices"
	"strconv"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

// result is everything one de-duplication produces.
type result struct {
	// workOf is each record's work id, by its position in the records table.
	workOf []string
	// works, in the order of their canonical records in the records
	// table, and duplicate_pairs are written chunk by chunk: with their
	// abstracts, a million records' works are over a gigabyte.
	works        *table.Chunked
	pairs        *table.Chunked
	review       []tables.ReviewItem
	bridges      []tables.WorkBridge
	contribution []tables.SourceContribution
	overlap      []tables.SourceOverlap
	warnings     []string
	stats        compareStats
}

// deduplicateFrom runs the whole stage logic on the records src gives (in
// any order): their works, and each one's work id by table position.
//
// Every long step checks ctx between chunks of work, so a cancelled run
// (SIGTERM) returns ctx's error within a fraction of a second.
func deduplicateFrom(ctx context.Context, src recordSource, opt options) (*result, stageTiming, error) {
	var srcErr error
	res := &result{}
	var e *engine
	var workOf []string
	var studies *studyForest
	steps := []struct {
		name string
		run  func()
	}{
		{"prepare", func() {
			e, srcErr = newEngine(ctx, src, opt)
			opt = options{} // the engine's copy is the one it drops parts of (options.prev)
		}},
		{"compare", func() {
			for _, u := range e.humanPairs() {
				res.warnings = append(res.warnings, fmt.Sprintf("decision for %s, %s ignored: a record is not in this run", u[0], u[1]))
			}
			e.markStable()
			e.incremental = e.opt.incremental && e.opt.prevPairs != nil && slices.Contains(e.stable, true)
			e.comparePairs()
		}},
		{"cluster", func() {
			e.placeRecurringTitles()
			e.cluster()
		}},
		{"works", func() {
			workOf = e.assignWorkIDs(res)
			studies = e.linkStudies(res, workOf)
			e.dropMatchingKeys()
		}},
		{"outputs", func() { srcErr = e.buildOutputs(res, workOf, studies) }},
	}
	var timing stageTiming
	for _, st := range steps {
		timing.timed(st.name, st.run)
		if err := cmp.Or(ctx.Err(), srcErr); err != nil {
			return nil, timing, err
		}
	}
	res.stats = e.stats
	res.stats.incremental, res.stats.carried = e.incremental, int64(e.carried)
	timing.nanos = e.timing.nanos
	return res, timing, nil
}

// assignWorkIDs gives each cluster its work id: the id of the earlier work
// its members belonged to, or a new id derived from its smallest record id.
func (e *engine) assignWorkIDs(res *result) []string {
	n := len(e.info)
	roots := make([]int, 0)
	for i := 0; i < n; i++ {
		if e.find(i) == i {
			roots = append(roots, i)
		}
	}
	// Each earlier work goes to the cluster holding most of its records
	// (ties: the cluster with the smallest record id); roots are in index order.
	type claim struct{ root, count int }
	best := make(map[string]claim, len(e.opt.prevWorks))
	for _, r := range roots {
		var counts map[string]int // most clusters are new: no map for them
		for _, m := range e.membersOf(r) {
			if w := e.prevWork[m]; w != "" {
				if counts == nil {
					counts = map[string]int{}
				}
				counts[w]++
			}
		}
		for w, c := range counts {
			if b, ok := best[w]; !ok || c > b.count {
				best[w] = claim{r, c}
			}
		}
	}
	// An id is taken by an earlier work, claimed or not, or given here.
	given := make(map[string]bool, max(0, len(roots)-len(best)))
	used := func(id string) bool {
		_, earlier := e.opt.prevWorks[id]
		_, claimed := best[id]
		return earlier || claimed || given[id]
	}
	// The claims by root, then work id: grouped once, as scanning every
	// claim for every root is quadratic when a later round meets hundreds
	// of thousands of earlier works (and a map of slices by root was 600k
	// small allocations).
	type keep struct {
		root int
		work string
	}
	keeps := make([]keep, 0, len(best))
	for w, b := range best {
		keeps = append(keeps, keep{b.root, w})
	}
	slices.SortFunc(keeps, func(x, y keep) int { return cmp.Or(cmp.Compare(x.root, y.root), cmp.Compare(x.work, y.work)) })
	idOf := make([]string, n) // by root
	var kept []string
	for _, r := range roots {
		kept = kept[:0] // roots ascend, as the claims do
		for len(keeps) > 0 && keeps[0].root == r {
			kept, keeps = append(kept, keeps[0].work), keeps[1:]
		}
		if len(kept) > 0 {
			idOf[r] = kept[0]
			if len(kept) > 1 {
				res.warnings = append(res.warnings, fmt.Sprintf("works %v were merged by a human decision; %s keeps the id", kept, kept[0]))
			}
			continue
		}
		id := "W-" + e.info[r].id
		for k := 2; used(id); k++ {
			id = "W-" + e.info[r].id + "-" + strconv.Itoa(k)
		}
		given[id] = true
		idOf[r] = id
	}
	workOf := make([]string, n)
	for i := range workOf {
		workOf[i] = idOf[e.find(i)]
	}
	return workOf
}

// The output fields: what a work copies from its members, and what makes
// a member complete. A record's filled bits say which it has.
const (
	fieldTitle = iota
	fieldJournal
	fieldVolume
	fieldIssue
	fieldPages
	fieldDOI
	fieldPMID
	fieldAbstract
	fieldYear
	fieldAuthors
	nOutputFields
)

// filledFields has a bit for each output field r has (a non-empty string,
// a year, an author).
func filledFields(r *tables.Record) uint16 {
	var f uint16
	for k, s := range [...]string{r.Title, r.Journal, r.Volume, r.Issue, r.Pages, r.DOI, r.PMID, r.Abstract} {
		if s != "" {
			f |= 1 << k
		}
	}
	if r.Year != nil {
		f |= 1 << fieldYear
	}
	if len(r.Authors) > 0 {
		f |= 1 << fieldAuthors
	}
	return f
}

// completeness ranks members for the canonical record: more filled fields win.
func completeness(r *tables.Record) int { return bits.OnesCount16(filledFields(r)) }

func (e *engine) buildOutputs(res *result, workOf []string, st *studyForest) error {
	// Works are clusters, named by their roots (record indices).
	var roots []int
	for i := range e.info {
		if e.find(i) == i {
			roots = append(roots, i)
		}
	}
	slices.SortFunc(roots, func(x, y int) int { return cmp.Compare(workOf[x], workOf[y]) })
	studyParent, findStudy := st.parent, st.find
	studyMembers := map[int][]int{} // study root → work roots, in work id order
	for _, r := range roots {
		if _, ok := studyParent[r]; ok {
			s := findStudy(r)
			studyMembers[s] = append(studyMembers[s], r)
		}
	}
	studyID := func(root int) string {
		ws, ok := studyMembers[findStudy(root)]
		if !ok {
			if pw, ok := e.opt.prevWorks[workOf[root]]; ok && pw.StudyID != "" {
				return pw.StudyID
			}
			return workOf[root]
		}
		// A study keeps the id an earlier run gave it.
		id := ""
		for _, w := range ws {
			if pw, ok := e.opt.prevWorks[workOf[w]]; ok && pw.StudyID != "" && (id == "" || pw.StudyID < id) {
				id = pw.StudyID
			}
		}
		if id == "" {
			id = workOf[ws[0]]
		}
		return id
	}

	// Study ids first (findStudy compresses paths: not safe in parallel).
	studyRoot := make([]int, len(roots))
	studyIDs := make([]string, len(roots))
	for k, root := range roots {
		studyRoot[k] = findStudy(root)
		studyIDs[k] = studyID(root)
	}
	// Each work's canonical member, its members ranked for its fields
	// (canonical -1, then most complete first), each record's work by
	// index in roots, and each work's first round.
	canon := make([]int32, len(roots))
	rank := make([]int32, len(e.info))
	workIndex := make([]int32, len(e.info))
	firstRounds := make([]string, len(roots))
	parallel(e.ctx, len(roots), func(lo, hi int) {
		for k := lo; k < hi; k++ {
			canon[k] = int32(e.rankMembers(roots[k], rank))
			for _, m := range e.membersOf(roots[k]) {
				workIndex[m] = int32(k)
			}
			firstRounds[k] = e.firstRound(roots[k], workOf)
		}
	})
	if e.ctx.Err() != nil {
		return e.ctx.Err()
	}

	toReview, err := e.pairOutputs(res, workOf)
	if err != nil {
		return err
	}
	reviewed := map[int32]*reviewFields{}
	for _, p := range toReview {
		for _, x := range [2]int32{int32(p.i), int32(p.j)} {
			if reviewed[x] == nil {
				reviewed[x] = &reviewFields{}
			}
		}
	}
	plan := e.planFills(roots, canon, rank)
	if err := e.readOutputFields(plan, workIndex, reviewed); err != nil {
		return err
	}
	build := func(k int) tables.Work {
		return e.buildWork(roots[k], int(canon[k]), workOf, studyIDs[k], studyMembers[studyRoot[k]], firstRounds[k])
	}
	if res.works, err = e.emitWorks(canon, workIndex, plan, build); err != nil {
		return err
	}
	for _, p := range toReview {
		res.review = append(res.review, e.reviewItem(p, workOf, reviewed))
	}
	slices.SortFunc(res.review, func(x, y tables.ReviewItem) int {
		return cmp.Or(cmp.Compare(x.RecordA, y.RecordA), cmp.Compare(x.RecordB, y.RecordB))
	})
	res.bridges = e.bridges(workOf)
	workIDs := make([]string, len(roots))
	for k, r := range roots {
		workIDs[k] = workOf[r]
	}
	res.contribution, res.overlap = e.sourceTables(workIndex, workIDs, firstRounds)
	res.workOf = make([]string, len(workOf))
	for i, w := range workOf {
		res.workOf[e.pos[i]] = w
	}
	return nil
}

// studyForest joins works into studies: a union-find over work roots.
type studyForest struct {
	parent map[int]int
}

func (st *studyForest) find(w int) int {
	p, ok := st.parent[w]
	if !ok || p == w {
		return w
	}
	r := st.find(p)
	st.parent[w] = r
	return r
}

// linkStudies joins works into studies. In an update run the works of one
// earlier study are joined first (update.go); then the related pairs join
// theirs, human same_study decisions first, then the pairs in record
// order. A link is as safe as a merge: two studies are not joined when any
// record of one and any record of the other were decided different_study,
// or are judged distinct because their authors conflict or their titles
// name different populations or review numbers (a preprint matching two
// articles of one title by different teams joins neither to the other). A
// refused link becomes review, with a note, so the team can answer
// same_study or different_study.
func (e *engine) linkStudies(res *result, workOf []string) *studyForest {
	st := &studyForest{parent: map[int]int{}}
	union := func(wa, wb int) {
		// The work with the smaller id leads the study.
		if workOf[wb] < workOf[wa] {
			wa, wb = wb, wa
		}
		st.parent[wb] = wa
	}
	records := map[int][]int{} // study root → its records
	recordsOf := func(study int) []int {
		if r, ok := records[study]; ok {
			return r
		}
		return e.membersOf(study) // a work alone: its root is the study's
	}
	join := func(sa, sb int) {
		merged := append(append(make([]int, 0, len(recordsOf(sa))+len(recordsOf(sb))), recordsOf(sa)...), recordsOf(sb)...)
		union(sa, sb)
		root := st.find(sa)
		delete(records, sa)
		delete(records, sb)
		records[root] = merged
	}
	e.seedStudies(st, join)

	var links []int
	for k := range e.pairs {
		if p := &e.pairs[k]; p.v.decision == related {
			links = append(links, k)
		}
	}
	slices.SortStableFunc(links, func(x, y int) int {
		hx, hy := e.pairs[x].human, e.pairs[y].human
		switch {
		case hx && !hy:
			return -1
		case hy && !hx:
			return 1
		}
		return 0
	})
	for n, k := range links {
		if n%1024 == 0 && e.ctx.Err() != nil {
			return st
		}
		p := &e.pairs[k]
		sa, sb := st.find(e.find(int(p.i))), st.find(e.find(int(p.j)))
		if sa == sb {
			continue
		}
		if why := e.studyConflict(recordsOf(sa), recordsOf(sb), p.human); why != "" {
			p.v = verdict{review, p.v.rule} // not refused: that flag is for merges (see bridges)
			p.note = "not linked: " + why
			if p.human {
				res.warnings = append(res.warnings, fmt.Sprintf("same_study decision for %s, %s not applied: %s",
					e.info[p.i].id, e.info[p.j].id, why))
			}
			continue
		}
		join(sa, sb)
	}
	return st
}

// seedStudies joins, in an update run, the works holding stable records of
// one earlier study, unless two of their records were decided
// different_study since.
func (e *engine) seedStudies(st *studyForest, join func(sa, sb int)) {
	if e.opt.prevWorks == nil {
		return
	}
	byStudy := make(map[string][]int, len(e.opt.prevWorks)) // earlier study → work roots, in root order
	var order []string
	for i := range e.info {
		if !e.stable[i] {
			continue
		}
		pw, ok := e.opt.prevWorks[e.prevWork[i]]
		if !ok || pw.StudyID == "" {
			continue
		}
		root := e.find(i)
		ws := byStudy[pw.StudyID]
		if slices.Contains(ws, root) {
			continue
		}
		if ws == nil {
			order = append(order, pw.StudyID)
		}
		byStudy[pw.StudyID] = append(ws, root)
	}
	slices.Sort(order)
	for _, id := range order {
		ws := byStudy[id]
		if len(ws) < 2 || e.decidedApart(ws) {
			continue
		}
		for _, w := range ws[1:] {
			if sa, sb := st.find(ws[0]), st.find(w); sa != sb {
				join(sa, sb)
			}
		}
	}
}

// decidedApart: records of two of the works were decided different_study.
func (e *engine) decidedApart(works []int) bool {
	if len(e.human) == 0 {
		return false
	}
	for x, wa := range works {
		for _, wb := range works[x+1:] {
			for _, a := range e.membersOf(wa) {
				for _, b := range e.membersOf(wb) {
					if e.human[pack(a, b)] == humanDifferentStudy {
						return true
					}
				}
			}
		}
	}
	return false
}

// studyConflict names the first pair of records, one from each study,
// that keeps the two studies apart; only the team's different_study
// decisions count against a human same_study link.
func (e *engine) studyConflict(ra, rb []int, human bool) string {
	for _, x := range ra {
		for _, y := range rb {
			why := e.studiesApart(x, y, human)
			if why != "" {
				return fmt.Sprintf("%s and %s are different studies: %s", e.info[x].id, e.info[y].id, why)
			}
		}
	}
	return ""
}

// studiesApart says why records x and y cannot be reports of one study,
// or "": the team decided different_study, or (unless the link is a team
// decision, or the team decided the pair otherwise) the pair is judged
// distinct, as a pair the duplicate_pairs table keeps (titles alike or an
// identifier shared), because the authors conflict, the titles name
// different populations, or the Cochrane review numbers differ. The pair
// is judged here, whether or not blocking compared it, so that a link
// does not depend on which other records a run holds.
func (e *engine) studiesApart(x, y int, human bool) string {
	switch h := e.human[pack(x, y)]; {
	case h == humanDifferentStudy:
		return "decided different_study"
	case h != "" || human:
		return ""
	}
	a, b := &e.prep[x], &e.prep[y]
	if plainlyDifferent(a, b) {
		return ""
	}
	ev := compareFields(a, b)
	v := decide(a, b, &ev, e.opt.mergePreprints)
	if v.decision != distinct || !((ev.hasTitle && ev.titleScore >= titleClose) || ev.doi == agree || ev.pmid == agree) {
		return ""
	}
	switch {
	case authorsConflict(&ev):
		return "their authors conflict"
	case v.rule == "guard:title-contrast":
		return "their titles name different populations or arms"
	case v.rule == "guard:cochrane-number":
		return "different review numbers"
	}
	return ""
}

// buildWork makes the work of one cluster, all but the fields it copies
// from its records (readOutputFields), and ranks its members for those in
// rank; related lists the work roots of its study (nil for a lone report).
// rankMembers ranks the members of root's work for its fields in rank
// (the canonical member -1, the others most complete first, ties in record
// id order) and returns the canonical member: the most complete, the first
// in record id order among equals.
func (e *engine) rankMembers(root int, rank []int32) int {
	members := e.membersOf(root)
	canon := members[0]
	for _, m := range members[1:] {
		if e.info[m].complete > e.info[canon].complete {
			canon = m
		}
	}
	others := members
	if len(members) > 1 {
		others = slices.Clone(members)
		slices.SortStableFunc(others, func(x, y int) int { return int(e.info[y].complete) - int(e.info[x].complete) })
	}
	for k, m := range others {
		rank[m] = int32(k)
	}
	rank[canon] = -1
	return canon
}

// firstRound is the round in which root's work was first found: its
// members' earliest, or an earlier one the previous output gave it.
func (e *engine) firstRound(root int, workOf []string) string {
	first := ""
	for _, m := range e.membersOf(root) {
		if r := e.info[m].round; first == "" || e.roundBefore(r, first) {
			first = r
		}
	}
	if prev, ok := e.opt.prevWorks[workOf[root]]; ok && prev.FirstRound != "" && e.roundBefore(prev.FirstRound, first) {
		first = prev.FirstRound
	}
	return first
}

// buildWork makes the row of root's work but for the fields it copies
// from its members (see emitWorks).
func (e *engine) buildWork(root, canon int, workOf []string, studyID string, related []int, firstRound string) tables.Work {
	members := e.membersOf(root)
	w := workOf[root]
	work := tables.Work{
		WorkID:               w,
		StudyID:              studyID,
		CanonicalRecordID:    e.info[canon].id,
		MemberCount:          int64(len(members)),
		ReportKind:           e.kind[canon].String(),
		RecordIDs:            make([]string, 0, len(members)),
		RelatedWorkIDs:       []string{},
		AlreadySeenRecordIDs: []string{},
		FirstRound:           firstRound,
	}
	for _, m := range members {
		work.RecordIDs = append(work.RecordIDs, e.info[m].id)
		work.Databases = append(work.Databases, e.info[m].database)
		work.Rounds = append(work.Rounds, e.info[m].round)
	}
	slices.Sort(work.Databases)
	work.Databases = slices.Compact(work.Databases)
	slices.SortFunc(work.Rounds, func(a, b string) int {
		return cmp.Or(cmp.Compare(e.opt.roundIndex(a), e.opt.roundIndex(b)), cmp.Compare(a, b))
	})
	work.Rounds = slices.Compact(work.Rounds)
	for _, other := range related {
		if other != root {
			work.RelatedWorkIDs = append(work.RelatedWorkIDs, workOf[other])
		}
	}
	_, work.PreviouslyIssued = e.opt.prevWorks[w]
	for _, m := range members {
		if e.roundBefore(work.FirstRound, e.info[m].round) {
			work.AlreadySeenRecordIDs = append(work.AlreadySeenRecordIDs, e.info[m].id)
		}
	}
	return work
}

// roundBefore reports whether round a comes before round b in the config.
func (e *engine) roundBefore(a, b string) bool {
	ia, ib := e.opt.roundIndex(a), e.opt.roundIndex(b)
	if ia != ib {
		return ia < ib
	}
	return a < b
}

// dropMatchingKeys frees what only comparison needed, before the output
// tables are built: at a million records that is most of the engine's memory.
func (e *engine) dropMatchingKeys() {
	e.prep = nil
}
