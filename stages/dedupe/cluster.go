package dedupe

import (
	"cmp"
	"fmt"
	"slices"
)

// Clustering joins duplicate pairs transitively, strongest evidence first.
// Before two clusters are joined every cross pair of members is checked: one
// conflicting pair (different DOIs, years apart, different volume or pages,
// different report kinds, dissimilar titles, a human "different", or two
// works an earlier run issued separately) refuses the join, so a chain
// A–B–C cannot pull together an A and a C that are not the same report.

// placeRecurringTitles holds back the merges a recurring title makes too
// easy. A title that a guard found in two issues of one volume
// (guard:issue-conflict: "Gateways to Clinical Trials", "Highlights of
// this issue") belongs to a column printed issue after issue; a record of
// it without an issue number matches the column of every issue. Such a
// pair merges only on a shared issue, page or identifier; otherwise it
// goes to review with a note.
func (e *engine) placeRecurringTitles() {
	var recurring map[uint32]bool
	for k := range e.pairs {
		if p := &e.pairs[k]; p.v.rule == "guard:issue-conflict" && p.ev.titleScore >= titleSame {
			if recurring == nil {
				recurring = map[uint32]bool{}
			}
			recurring[p.i], recurring[p.j] = true, true
		}
	}
	if recurring == nil {
		return
	}
	// Every record of that title in the volume is a record of the column:
	// also those without an issue, which no issue guard meets.
	var more []uint32
	for k := range e.pairs {
		p := &e.pairs[k]
		if p.ev.titleScore >= titleSame && p.ev.volume == agree && recurring[p.i] != recurring[p.j] {
			more = append(more, p.i, p.j)
		}
	}
	for _, r := range more {
		recurring[r] = true
	}
	for k := range e.pairs {
		p := &e.pairs[k]
		if p.v.decision != duplicate || p.human || !(recurring[p.i] || recurring[p.j]) {
			continue
		}
		if p.ev.issue == agree || p.ev.pages == agree || p.ev.doi == agree || p.ev.pmid == agree {
			continue
		}
		p.v = verdict{review, p.v.rule}
		p.refused = true
		p.note = "not merged: the title recurs in other issues of the volume, and the pair shares no issue, page or identifier"
	}
}

func ruleStrength(r *pairResult) int {
	switch {
	case r.human:
		return 0
	case r.v.rule == "doi+title" || r.v.rule == "pmid+title":
		return 1
	}
	return 2
}

func (e *engine) cluster() {
	n := len(e.info)
	e.parent = make([]int, n)
	e.members = make([][]int, n)
	for i := range e.parent {
		e.parent[i] = i
	}
	e.seedWorks()
	// The sort keys sit beside each edge, not behind a pointer into the
	// wide pair results: fewer cache misses at a million records.
	type edge struct {
		strength   int
		titleScore float64
		pair       int // index into e.pairs, which is in (i, j) order
	}
	var edges []edge
	for k := range e.pairs {
		if p := &e.pairs[k]; p.v.decision == duplicate {
			edges = append(edges, edge{ruleStrength(p), p.ev.titleScore, k})
		}
	}
	slices.SortFunc(edges, func(a, b edge) int {
		return cmp.Or(
			cmp.Compare(a.strength, b.strength),
			cmp.Compare(b.titleScore, a.titleScore),
			cmp.Compare(a.pair, b.pair),
		)
	})
	for n, ed := range edges {
		if n%1024 == 0 && e.ctx.Err() != nil {
			return
		}
		p := &e.pairs[ed.pair]
		ra, rb := e.find(int(p.i)), e.find(int(p.j))
		if ra == rb {
			continue
		}
		if why := e.joinConflict(ra, rb, p); why != "" {
			p.v = verdict{review, p.v.rule}
			p.refused = true
			p.note = "not merged: " + why
			continue
		}
		e.union(ra, rb)
	}
}

func (e *engine) find(i int) int {
	for e.parent[i] != i {
		e.parent[i] = e.parent[e.parent[i]]
		i = e.parent[i]
	}
	return i
}

// membersOf returns the sorted members of the cluster rooted at root; the
// caller must not modify them. A singleton's one member is read from parent
// (a root is its own parent) rather than allocated: the clustering loop asks
// for singletons millions of times at 1M records.
func (e *engine) membersOf(root int) []int {
	if m := e.members[root]; m != nil {
		return m
	}
	return e.parent[root : root+1 : root+1]
}

func (e *engine) union(a, b int) {
	ma, mb := e.membersOf(a), e.membersOf(b)
	// The smaller index becomes the root, so roots are the same whatever
	// order equal-strength edges came in.
	if b < a {
		a, b = b, a
	}
	merged := append(append(make([]int, 0, len(ma)+len(mb)), ma...), mb...)
	slices.Sort(merged)
	e.parent[b] = a
	e.members[a] = merged
	e.members[b] = nil
}

// joinConflict explains why clusters ra and rb must stay apart, or returns "".
// A human "same" still cannot override a human "different" inside the clusters.
func (e *engine) joinConflict(ra, rb int, edge *pairResult) string {
	ma, mb := e.membersOf(ra), e.membersOf(rb)
	for _, x := range ma {
		for _, y := range mb {
			if h := e.human[pack(x, y)]; h.blocksMerge() {
				return fmt.Sprintf("%s and %s were decided %s", e.info[x].id, e.info[y].id, h)
			}
			if edge.human {
				continue
			}
			if pack(x, y) == pack(int(edge.i), int(edge.j)) {
				// The edge itself was judged a duplicate: only the
				// earlier-works check remains.
				if wa, wb := e.prevWork[x], e.prevWork[y]; wa != "" && wb != "" && wa != wb {
					return fmt.Sprintf("%s and %s: earlier works %s and %s", e.info[x].id, e.info[y].id, min(wa, wb), max(wa, wb))
				}
				continue
			}
			if why := e.memberConflict(x, y); why != "" {
				return fmt.Sprintf("%s and %s: %s", e.info[x].id, e.info[y].id, why)
			}
		}
	}
	return ""
}

// memberConflict is the pairwise check behind joinConflict.
func (e *engine) memberConflict(x, y int) string {
	a, b := &e.prep[x], &e.prep[y]
	if wa, wb := e.prevWork[x], e.prevWork[y]; wa != "" && wb != "" && wa != wb {
		return "earlier works " + min(wa, wb) + " and " + max(wa, wb)
	}
	if e.human[pack(x, y)] == humanSame {
		return ""
	}
	// The pair itself must not be judged distinct (or only related): every
	// guard of decide applies to members joined through a chain.
	ev := compareFields(a, b)
	v := decide(a, b, &ev, e.opt.mergePreprints)
	if v.decision == distinct || v.decision == related {
		return v.rule + " (" + ev.String() + ")"
	}
	return ""
}
