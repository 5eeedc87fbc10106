package dedupe

import (
	"cmp"
	"fmt"
	"math/bits"
	"reflect"
	"slices"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

func floatPtr(v float64) *float64 { return &v }

// pairOutputs writes the duplicate_pairs rows, chunk by chunk in record
// id order, and returns the pairs that go to the review queue (their items
// need the records' fields: see readOutputFields).
func (e *engine) pairOutputs(res *result, workOf []string) (toReview []*pairResult, err error) {
	if res.pairs, err = e.newTable(reflect.TypeFor[tables.DuplicatePair]()); err != nil {
		return nil, err
	}
	// The records are in id order, so pairs in (i, j) order (as
	// comparePairs leaves them) are rows in (record_a, record_b) order.
	if !slices.IsSortedFunc(e.pairs, pairOrder) {
		slices.SortStableFunc(e.pairs, pairOrder)
	}
	ap, err := table.NewAppender[tables.DuplicatePair](res.pairs)
	if err != nil {
		return nil, err
	}
	defer ap.Close()
	rows := make([]tables.DuplicatePair, 0, min(len(e.pairs), table.ChunkRows))
	for n := range e.pairs {
		p := &e.pairs[n]
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
		rows = append(rows, row)
		if p.v.decision == review && !row.Merged {
			toReview = append(toReview, p)
		}
		if len(rows) == cap(rows) || n == len(e.pairs)-1 {
			if err := ap.Append(rows); err != nil {
				return nil, err
			}
			rows = make([]tables.DuplicatePair, 0, min(len(e.pairs)-n-1, table.ChunkRows))
			if err := e.ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	return toReview, ap.Close()
}

// newTable is an empty chunked table of rows of rowType in the run's spill.
func (e *engine) newTable(rowType reflect.Type) (*table.Chunked, error) {
	if e.opt.spill == nil {
		s, err := table.NewSpill("")
		if err != nil {
			return nil, err
		}
		e.opt.spill = s
	}
	return table.NewChunked(rowType, e.opt.spill)
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

// fillPlan is what a work copies from members other than its canonical
// record: rare (a work's canonical record is its most complete member).
type fillPlan struct {
	// need has, by engine index, the fields a record gives its work.
	need map[int32]uint16
	// fills are the values, by work index, once read.
	fills map[int32]*workFields
}

// workFields are the output fields of a work taken from its members.
type workFields struct {
	strings [fieldAbstract + 1]string // title … abstract, by field number
	year    *int32
	authors []string
}

// planFills finds, for each work and output field its canonical record
// lacks, the best-ranked member that has it: the member the field is
// taken from, as when every member's fields were at hand.
func (e *engine) planFills(roots []int, canon []int32, rank []int32) *fillPlan {
	plan := &fillPlan{need: map[int32]uint16{}, fills: map[int32]*workFields{}}
	for k, root := range roots {
		members := e.membersOf(root)
		lacks := ^e.info[canon[k]].filled & (1<<nOutputFields - 1)
		if len(members) == 1 || lacks == 0 {
			continue
		}
		for f := 0; f < nOutputFields; f++ {
			if lacks&(1<<f) == 0 {
				continue
			}
			best := -1
			for _, m := range members {
				if e.info[m].filled&(1<<f) != 0 && (best < 0 || rank[m] < rank[best]) {
					best = m
				}
			}
			if best >= 0 {
				plan.need[int32(best)] |= 1 << f
				plan.fills[int32(k)] = &workFields{}
			}
		}
	}
	return plan
}

// readOutputFields reads the records a second time, with only the columns
// the output tables copy, for the fields works take from members other
// than their canonical record (plan) and for the review queue's records.
// Strings are copied: a string from the source shares its chunk's memory.
func (e *engine) readOutputFields(plan *fillPlan, workIndex []int32, reviewed map[int32]*reviewFields) error {
	if len(plan.need) == 0 && len(reviewed) == 0 {
		return nil
	}
	inv := e.tableToEngine()
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
			need := plan.need[i]
			if need == 0 {
				continue
			}
			w := plan.fills[workIndex[i]]
			for f, v := range [...]string{r.Title, r.Journal, r.Volume, r.Issue, r.Pages, r.DOI, r.PMID, r.Abstract} {
				if need&(1<<f) != 0 {
					w.strings[f] = strings.Clone(v)
				}
			}
			if need&(1<<fieldYear) != 0 {
				y := *r.Year
				w.year = &y
			}
			if need&(1<<fieldAuthors) != 0 {
				w.authors = cloneStrings(r.Authors)
			}
		}
		return e.ctx.Err()
	})
}

// tableToEngine maps table positions to engine indices.
func (e *engine) tableToEngine() []int32 {
	inv := make([]int32, len(e.pos))
	for i, p := range e.pos {
		inv[p] = int32(i)
	}
	return inv
}

// emitWorks reads the records a last time and writes each work as its
// canonical record comes by, into a chunked table: the canonical record's
// output fields, the planned ones from other members, the rest from build.
// Works so come in their canonical records' table order, and no more than
// a chunk of them is ever in memory.
func (e *engine) emitWorks(canon []int32, workIndex []int32, plan *fillPlan, build func(k int) tables.Work) (*table.Chunked, error) {
	works, err := e.newTable(reflect.TypeFor[tables.Work]())
	if err != nil {
		return nil, err
	}
	inv := e.tableToEngine()
	ap, err := table.NewAppender[tables.Work](works)
	if err != nil {
		return nil, err
	}
	defer ap.Close()
	rows := make([]tables.Work, 0, min(len(canon), table.ChunkRows))
	emitted := 0
	flush := func() error {
		err := ap.Append(rows)
		emitted += len(rows)
		rows = make([]tables.Work, 0, min(len(canon)-emitted, table.ChunkRows))
		return err
	}
	err = e.src(outputColumns, func(start int, recs []tables.Record) error {
		for p := range recs {
			i := inv[start+p]
			k := workIndex[i]
			if canon[k] != i {
				continue
			}
			r := &recs[p]
			w := build(int(k))
			// Strings may share the chunk's memory: the row is encoded
			// before long, and the chunk's memory freed with it.
			w.Title, w.Journal, w.Volume, w.Issue, w.Pages, w.DOI, w.PMID, w.Abstract =
				r.Title, r.Journal, r.Volume, r.Issue, r.Pages, r.DOI, r.PMID, r.Abstract
			w.Year, w.Authors = r.Year, r.Authors
			if fill := plan.fills[k]; fill != nil {
				for f, dst := range [...]*string{&w.Title, &w.Journal, &w.Volume, &w.Issue, &w.Pages, &w.DOI, &w.PMID, &w.Abstract} {
					if *dst == "" {
						*dst = fill.strings[f]
					}
				}
				if w.Year == nil {
					w.Year = fill.year
				}
				if len(w.Authors) == 0 {
					w.Authors = fill.authors
				}
			}
			if w.Authors == nil {
				w.Authors = []string{}
			}
			rows = append(rows, w)
			if len(rows) == cap(rows) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return e.ctx.Err()
	})
	if err == nil {
		err = flush()
	}
	if cerr := ap.Close(); err == nil {
		err = cerr
	}
	if err == nil && emitted != len(canon) {
		err = fmt.Errorf("internal error: %d works written of %d: a canonical record is not in the records table", emitted, len(canon))
	}
	return works, err
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
	if !slices.ContainsFunc(e.prevWork, func(w string) bool { return w != "" }) {
		return nil // a first run: no earlier work to bridge, and 1.4M pairs to walk for none
	}
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
func (e *engine) sourceTables(workIndex []int32, workIDs, firstRounds []string) ([]tables.SourceContribution, []tables.SourceOverlap) {
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
	nw, nd := len(workIDs), len(dbs)
	words := (nd + 63) / 64
	recWork := make([]int32, len(e.info))
	recDB := make([]int16, len(e.info))
	recRound := make([]int16, len(e.info))
	for i := range e.info {
		recWork[i] = workIndex[i]
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
			isNew := all || firstRounds[w] == roundName
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
