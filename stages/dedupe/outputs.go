package dedupe

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
)

func floatPtr(v float64) *float64 { return &v }

// pairOutputs writes the duplicate_pairs rows, and returns the pairs that
// go to the review queue (their items need the records' fields: see
// readOutputFields).
func (e *engine) pairOutputs(res *result, workOf []string) (toReview []*pairResult) {
	res.pairs = make([]tables.DuplicatePair, 0, len(e.pairs))
	for k := range e.pairs {
		p := &e.pairs[k]
		row := tables.DuplicatePair{
			RecordA: e.info[p.i].id, RecordB: e.info[p.j].id,
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
			toReview = append(toReview, p)
		}
	}
	slices.SortFunc(res.pairs, func(x, y tables.DuplicatePair) int {
		return cmp.Or(cmp.Compare(x.RecordA, y.RecordA), cmp.Compare(x.RecordB, y.RecordB))
	})
	return toReview
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

// reviewFields are the fields of a record the review queue shows.
type reviewFields struct {
	title, firstAuthor, journal, source, doi string
	year                                     *int32
}

func (e *engine) reviewItem(p *pairResult, workOf []string, fields map[int32]*reviewFields) tables.ReviewItem {
	a, b := fields[int32(p.i)], fields[int32(p.j)]
	it := tables.ReviewItem{
		RecordA: e.info[p.i].id, RecordB: e.info[p.j].id,
		WorkA: workOf[p.i], WorkB: workOf[p.j],
		Reason: p.v.rule,
		TitleA: a.title, TitleB: b.title,
		YearA: a.year, YearB: b.year,
		FirstAuthorA: a.firstAuthor, FirstAuthorB: b.firstAuthor,
		JournalA: a.journal, JournalB: b.journal,
		SourceA: a.source, SourceB: b.source,
		DOIA: a.doi, DOIB: b.doi,
		DatabaseA: e.info[p.i].database, DatabaseB: e.info[p.j].database,
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

// readOutputFields reads the records a second time, with only the columns
// the output tables copy, and fills each work's canonical fields (the
// canonical member's, an empty one from the other members, most complete
// first: by rank, canonical -1) and the review queue's records' fields.
// Strings are copied: a string from the source shares its chunk's memory.
func (e *engine) readOutputFields(works []tables.Work, workIndex []int32, rank []int32, reviewed map[int32]*reviewFields) error {
	inv := make([]int32, len(e.pos)) // table position → engine index
	for i, p := range e.pos {
		inv[p] = int32(i)
	}
	const nFields = 10
	best := make([]int32, nFields*len(works)) // rank of the member each field came from
	for k := range best {
		best[k] = math.MaxInt32
	}
	return e.src(outputColumns, func(start int, rows []tables.Record) error {
		for k := range rows {
			r := &rows[k]
			i := inv[start+k]
			if f := reviewed[i]; f != nil {
				f.title, f.journal, f.doi, f.year = strings.Clone(r.Title), strings.Clone(r.Journal), strings.Clone(r.DOI), r.Year
				if len(r.Authors) > 0 {
					f.firstAuthor = strings.Clone(r.Authors[0])
				}
				f.source = sourceOf(r)
			}
			w, rk := &works[workIndex[i]], rank[i]
			b := best[nFields*int(workIndex[i]):][:nFields]
			take := func(field int, dst *string, v string) {
				if v != "" && rk < b[field] {
					*dst, b[field] = strings.Clone(v), rk
				}
			}
			take(0, &w.Title, r.Title)
			take(1, &w.Journal, r.Journal)
			take(2, &w.Volume, r.Volume)
			take(3, &w.Issue, r.Issue)
			take(4, &w.Pages, r.Pages)
			take(5, &w.DOI, r.DOI)
			take(6, &w.PMID, r.PMID)
			take(7, &w.Abstract, r.Abstract)
			if r.Year != nil && rk < b[8] {
				y := *r.Year
				w.Year, b[8] = &y, rk
			}
			if len(r.Authors) > 0 && rk < b[9] {
				w.Authors, b[9] = cloneStrings(r.Authors), rk
			}
		}
		return e.ctx.Err()
	})
}

// sourceOf is where the review queue says a record is printed: 12(3):45-67.
func sourceOf(r *tables.Record) string {
	s := r.Volume
	if r.Issue != "" {
		s += "(" + r.Issue + ")"
	}
	if r.Pages != "" {
		s += ":" + r.Pages
	}
	return strings.Clone(s)
}

func cloneStrings(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.Clone(x)
	}
	return out
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
				RecordID: e.info[links[s].rec].id, WorkID: workOf[links[s].rec],
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
	for i := range e.info {
		r := &e.info[i]
		if _, ok := dbIdx[r.database]; !ok {
			dbIdx[r.database] = 0
			dbs = append(dbs, r.database)
		}
		if _, ok := roundIdx[r.round]; !ok {
			roundIdx[r.round] = 0
			rounds = append(rounds, r.round)
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
	recWork := make([]int32, len(e.info))
	recDB := make([]int16, len(e.info))
	recRound := make([]int16, len(e.info))
	for i := range e.info {
		recWork[i] = int32(workIdx[workOf[i]])
		recDB[i] = int16(dbIdx[e.info[i].database])
		recRound[i] = int16(roundIdx[e.info[i].round])
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
		for i := range e.info {
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
