package dedupe

import (
	"cmp"
	"fmt"
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
			if e.prep[n].prevWork == "" && e.prep[o].prevWork != "" {
				links = append(links, link{n, e.prep[o].prevWork, p.v.rule})
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
// contributed and how much each pair of databases overlaps.
func (e *engine) sourceTables(workOf []string) ([]tables.SourceContribution, []tables.SourceOverlap) {
	type scope struct {
		round string // "" = all rounds
		all   bool
	}
	var rounds []string
	seenRound := map[string]bool{}
	for _, r := range e.recs {
		if !seenRound[r.Round] {
			seenRound[r.Round] = true
			rounds = append(rounds, r.Round)
		}
	}
	slices.SortFunc(rounds, func(a, b string) int {
		return cmp.Or(cmp.Compare(e.opt.roundIndex(a), e.opt.roundIndex(b)), cmp.Compare(a, b))
	})
	firstRound := map[string]string{}
	for i, r := range e.recs {
		w := workOf[i]
		if f, ok := firstRound[w]; !ok || e.roundBefore(r.Round, f) {
			firstRound[w] = r.Round
		}
	}
	for w, pw := range e.opt.prevWorks {
		if f, ok := firstRound[w]; ok && pw.FirstRound != "" && e.roundBefore(pw.FirstRound, f) {
			firstRound[w] = pw.FirstRound
		}
	}
	var contrib []tables.SourceContribution
	var overlap []tables.SourceOverlap
	scopes := []scope{}
	for _, r := range rounds {
		scopes = append(scopes, scope{round: r})
	}
	scopes = append(scopes, scope{all: true})
	for _, sc := range scopes {
		recordsBy := map[string]int64{}
		worksBy := map[string]map[string]bool{} // database → works
		dbsOf := map[string][]string{}          // work → databases, sorted later
		for i, r := range e.recs {
			if !sc.all && r.Round != sc.round {
				continue
			}
			recordsBy[r.Database]++
			if worksBy[r.Database] == nil {
				worksBy[r.Database] = map[string]bool{}
			}
			w := workOf[i]
			if !worksBy[r.Database][w] {
				worksBy[r.Database][w] = true
				dbsOf[w] = append(dbsOf[w], r.Database)
			}
		}
		var dbs []string
		for d := range recordsBy {
			dbs = append(dbs, d)
		}
		slices.Sort(dbs)
		for _, d := range dbs {
			row := tables.SourceContribution{Round: sc.round, Database: d, Records: recordsBy[d], Works: int64(len(worksBy[d]))}
			for w := range worksBy[d] {
				if len(dbsOf[w]) == 1 {
					row.UniqueWorks++
				}
				if sc.all || firstRound[w] == sc.round {
					row.NewWorks++
				}
			}
			contrib = append(contrib, row)
		}
		shared := map[[2]string]int64{}
		for _, ds := range dbsOf {
			slices.Sort(ds)
			for x := 0; x < len(ds); x++ {
				for y := x + 1; y < len(ds); y++ {
					shared[[2]string{ds[x], ds[y]}]++
				}
			}
		}
		for x := 0; x < len(dbs); x++ {
			for y := x + 1; y < len(dbs); y++ {
				s := shared[[2]string{dbs[x], dbs[y]}]
				union := int64(len(worksBy[dbs[x]])+len(worksBy[dbs[y]])) - s
				j := 0.0
				if union > 0 {
					j = round3(float64(s) / float64(union))
				}
				overlap = append(overlap, tables.SourceOverlap{Round: sc.round, DatabaseA: dbs[x], DatabaseB: dbs[y], SharedWorks: s, Jaccard: j})
			}
		}
	}
	return contrib, overlap
}

var _ = fmt.Sprintf
