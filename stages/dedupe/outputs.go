package dedupe

import (
	"cmp"
	"math/bits"
	"slices"

	"github.com/realsynth/realsynth/internal/tables"
)

func floatPtr(v float64) *float64 { return &v }

func (e *engine) pairOutputs(res *result, workOf []string) {
	res.pairs = make([]tables.DuplicatePair, 0, len(e.pairs))
	for k := range e.pairs {
		p := &e.pairs[k]
		a, b := e.recs[p.i], e.recs[p.j]
		row := tables.DuplicatePair{
			RecordA: a.RecordID, RecordB: b.RecordID,
			WorkA: workOf[p.i], WorkB: workOf[p.j],
			Decision: p.v.decision, Rule: p.v.rule,
			FirstAuthor: p.ev.firstAuthor.String(),
			Journal:     p.ev.journal.String(),
			DOI:         p.ev.doi.String(),
			PMID:        p.ev.pmid.String(),
			Volume:      p.ev.volume.String(),
			Issue:       p.ev.issue.String(),
			Pages:       p.ev.pages.String(),
			Year:        p.ev.year.String(),
			Merged:      workOf[p.i] == workOf[p.j],
			Note:        p.note,
		}
		if p.ev.hasTitle {
			row.TitleScore = floatPtr(round3(p.ev.titleScore))
		}
		if p.ev.hasAuthors {
			row.AuthorScore = floatPtr(round3(p.ev.authorScore))
		}
		if row.Merged && row.Decision == review {
			row.Note = joinNote(row.Note, "merged through other members")
		}
		res.pairs = append(res.pairs, row)
		if p.v.decision == review && !row.Merged {
			res.review = append(res.review, e.reviewItem(p, workOf))
		}
	}
	slices.SortFunc(res.pairs, func(x, y tables.DuplicatePair) int {
		return cmp.Or(cmp.Compare(x.RecordA, y.RecordA), cmp.Compare(x.RecordB, y.RecordB))
	})
	slices.SortFunc(res.review, func(x, y tables.ReviewItem) int {
		return cmp.Or(cmp.Compare(x.RecordA, y.RecordA), cmp.Compare(x.RecordB, y.RecordB))
	})
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func round3(x float64) float64 {
	return float64(int64(x*1000+0.5)) / 1000
}

func (e *engine) reviewItem(p *pairResult, workOf []string) tables.ReviewItem {
	a, b := e.recs[p.i], e.recs[p.j]
	first := func(r *tables.Record) string {
		if len(r.Authors) > 0 {
			return r.Authors[0]
		}
		return ""
	}
	source := func(r *tables.Record) string {
		s := r.Volume
		if r.Issue != "" {
			s += "(" + r.Issue + ")"
		}
		if r.Pages != "" {
			s += ":" + r.Pages
		}
		return s
	}
	it := tables.ReviewItem{
		RecordA: a.RecordID, RecordB: b.RecordID,
		WorkA: workOf[p.i], WorkB: workOf[p.j],
		Reason: p.v.rule,
		TitleA: a.Title, TitleB: b.Title,
		YearA: a.Year, YearB: b.Year,
		FirstAuthorA: first(a), FirstAuthorB: first(b),
		JournalA: a.Journal, JournalB: b.Journal,
		SourceA: source(a), SourceB: source(b),
		DOIA: a.DOI, DOIB: b.DOI,
		DatabaseA: a.Database, DatabaseB: b.Database,
	}
	if p.note != "" {
		it.Reason += "; " + p.note
	}
	if p.ev.hasTitle {
		it.TitleScore = floatPtr(round3(p.ev.titleScore))
	}
	if p.ev.hasAuthors {
		it.AuthorScore = floatPtr(round3(p.ev.authorScore))
	}
	return it
}

// bridges reports new records (no work in the previous output) that matched
// records of two or more earlier works.
func (e *engine) bridges(workOf []string) []tables.WorkBridge {
	type link struct {
		rec  int
		work string
		rule string
	}
	var links []link
	for k := range e.pairs {
		p := &e.pairs[k]
		if p.v.decision != duplicate && !p.refused {
			continue
		}
		a, b := int(p.i), int(p.j)
		for _, side := range [2][2]int{{a, b}, {b, a}} {
			n, o := side[0], side[1]
			if e.prevWork[n] == "" && e.prevWork[o] != "" {
				links = append(links, link{n, e.prevWork[o], p.v.rule})
			}
		}
	}
	slices.SortFunc(links, func(x, y link) int {
		return cmp.Or(cmp.Compare(x.rec, y.rec), cmp.Compare(x.work, y.work), cmp.Compare(x.rule, y.rule))
	})
	var out []tables.WorkBridge
	for s := 0; s < len(links); {
		t := s
		var works, rules []string
		for t < len(links) && links[t].rec == links[s].rec {
			if len(works) == 0 || works[len(works)-1] != links[t].work {
				works = append(works, links[t].work)
				rules = append(rules, links[t].rule)
			}
			t++
		}
		if len(works) > 1 {
			out = append(out, tables.WorkBridge{
				RecordID: e.recs[links[s].rec].RecordID, WorkID: workOf[links[s].rec],
				BridgedWorkIDs: works, Rules: rules,
			})
		}
		s = t
	}
	return out
}

// sourceTables counts, per round and over all rounds, what each database
// contributed and how much each pair of databases overlaps. Works and
// databases are numbered, and each work holds a bit set of the databases
// that retrieved it, so the cost is linear in records.
func (e *engine) sourceTables(workOf []string, works []tables.Work) ([]tables.SourceContribution, []tables.SourceOverlap) {
	workIdx := make(map[string]int, len(works))
	for i := range works {
		workIdx[works[i].WorkID] = i
	}
	var dbs, rounds []string
	dbIdx, roundIdx := map[string]int{}, map[string]int{}
	for _, r := range e.recs {
		if _, ok := dbIdx[r.Database]; !ok {
			dbIdx[r.Database] = 0
			dbs = append(dbs, r.Database)
		}
		if _, ok := roundIdx[r.Round]; !ok {
			roundIdx[r.Round] = 0
			rounds = append(rounds, r.Round)
		}
	}
	slices.Sort(dbs)
	for i, d := range dbs {
		dbIdx[d] = i
	}
	slices.SortFunc(rounds, func(a, b string) int {
		return cmp.Or(cmp.Compare(e.opt.roundIndex(a), e.opt.roundIndex(b)), cmp.Compare(a, b))
	})
	for i, r := range rounds {
		roundIdx[r] = i
	}
	nw, nd := len(works), len(dbs)
	words := (nd + 63) / 64
	recWork := make([]int32, len(e.recs))
	recDB := make([]int16, len(e.recs))
	recRound := make([]int16, len(e.recs))
	for i, r := range e.recs {
		recWork[i] = int32(workIdx[workOf[i]])
		recDB[i] = int16(dbIdx[r.Database])
		recRound[i] = int16(roundIdx[r.Round])
	}
	var contrib []tables.SourceContribution
	var overlap []tables.SourceOverlap
	bits := make([]uint64, nw*words)
	for sc := 0; sc <= len(rounds); sc++ {
		all := sc == len(rounds)
		roundName := ""
		if !all {
			roundName = rounds[sc]
		}
		clear(bits)
		records := make([]int64, nd)
		for i := range e.recs {
			if !all && int(recRound[i]) != sc {
				continue
			}
			d := int(recDB[i])
			records[d]++
			bits[int(recWork[i])*words+d/64] |= 1 << (d % 64)
		}
		worksOf := make([]int64, nd)
		unique := make([]int64, nd)
		newWorks := make([]int64, nd)
		shared := make([]int64, nd*nd)
		var set []int
		for w := 0; w < nw; w++ {
			set = set[:0]
			for k := 0; k < words; k++ {
				for b := bits[w*words+k]; b != 0; b &= b - 1 {
					set = append(set, k*64+trailingZeros(b))
				}
			}
			isNew := all || works[w].FirstRound == roundName
			for x, d := range set {
				worksOf[d]++
				if len(set) == 1 {
					unique[d]++
				}
				if isNew {
					newWorks[d]++
				}
				for _, d2 := range set[x+1:] {
					shared[d*nd+d2]++
				}
			}
		}
		for d := 0; d < nd; d++ {
			if records[d] == 0 {
				continue
			}
			contrib = append(contrib, tables.SourceContribution{Round: roundName, Database: dbs[d], Records: records[d], Works: worksOf[d], UniqueWorks: unique[d], NewWorks: newWorks[d]})
		}
		for x := 0; x < nd; x++ {
			for y := x + 1; y < nd; y++ {
				if records[x] == 0 || records[y] == 0 {
					continue
				}
				s := shared[x*nd+y]
				union := worksOf[x] + worksOf[y] - s
				j := 0.0
				if union > 0 {
					j = round3(float64(s) / float64(union))
				}
				overlap = append(overlap, tables.SourceOverlap{Round: roundName, DatabaseA: dbs[x], DatabaseB: dbs[y], SharedWorks: s, Jaccard: j})
			}
		}
	}
	return contrib, overlap
}

func trailingZeros(b uint64) int { return bits.TrailingZeros64(b) }
