package dedupe

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
)

// Update runs. A review is searched again months later: the committed
// output holds every earlier record with its work, and the new round adds
// a few percent more records. What an earlier run committed stays:
//
//   - a record that is unchanged since the previous run (same id, same
//     fields the matching reads: stable) is seeded into its earlier work
//     before any pair is joined, and the works of one earlier study are
//     seeded into one study, so new records can join earlier works and
//     studies but never split them;
//   - a new or changed record (fresh) is compared with every record it
//     shares a blocking key with, and joins works through the usual rules.
//
// Pairs of two stable records then decide nothing about works or studies
// that the previous run did not already decide, so an update run need not
// compare them: it carries their rows from the previous duplicate_pairs
// (incremental, the default). A full re-run (incremental: false) compares
// them again and gives the same works and studies (TestIncrementalIsFull;
// their rows can differ only in a block too large to compare whole, where
// new records shift the title-sorted neighbourhoods).
//
// A record stops being stable when a team decision about it changed since
// the previous run (its earlier work is then not seeded at all), so every
// decision is applied as in a first run.

// previousRecord is what an update run reads of the previous records: the
// work, and the fields the matching reads, to tell a changed record.
type previousRecord struct {
	RecordID          string   `table:"record_id"`
	WorkID            string   `table:"work_id,optional"`
	Format            string   `table:"format"`
	SourceKey         string   `table:"source_key,optional"`
	Type              string   `table:"type,optional"`
	Title             string   `table:"title,optional"`
	Authors           []string `table:"authors"`
	AuthorsNormalised []string `table:"authors_normalised"`
	Year              *int32   `table:"year"`
	Journal           string   `table:"journal,optional"`
	JournalAbbrev     string   `table:"journal_abbrev,optional"`
	Volume            string   `table:"volume,optional"`
	Issue             string   `table:"issue,optional"`
	Pages             string   `table:"pages,optional"`
	PageStart         string   `table:"page_start,optional"`
	PageEnd           string   `table:"page_end,optional"`
	ArticleNumber     string   `table:"article_number,optional"`
	DOI               string   `table:"doi,optional"`
	DOIs              []string `table:"dois"`
	PMID              string   `table:"pmid,optional"`
	ISSN              []string `table:"issn"`
	PublicationType   []string `table:"publication_type"`
}

// record is p as a tables.Record, for matchFingerprint.
func (p *previousRecord) record() tables.Record {
	return tables.Record{
		RecordID: p.RecordID, WorkID: p.WorkID, Format: p.Format, SourceKey: p.SourceKey, Type: p.Type,
		Title: p.Title, Authors: p.Authors, AuthorsNormalised: p.AuthorsNormalised, Year: p.Year,
		Journal: p.Journal, JournalAbbrev: p.JournalAbbrev, Volume: p.Volume, Issue: p.Issue, Pages: p.Pages,
		PageStart: p.PageStart, PageEnd: p.PageEnd, ArticleNumber: p.ArticleNumber, DOI: p.DOI, DOIs: p.DOIs,
		PMID: p.PMID, ISSN: p.ISSN, PublicationType: p.PublicationType,
	}
}

// previousWork is what an update run reads of the previous works.
type previousWork struct {
	WorkID     string `table:"work_id"`
	StudyID    string `table:"study_id"`
	FirstRound string `table:"first_round"`
}

// prevState is a record's place in the previous output.
type prevState struct {
	work        string
	fingerprint uint64
}

// matchFingerprint hashes every field prepare reads (TestFingerprintFields
// keeps the list whole): equal fingerprints, same matching keys.
func matchFingerprint(r *tables.Record) uint64 {
	h := uint64(14695981039346656037)
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
		h ^= 0xff // a field separator no UTF-8 text holds
		h *= 1099511628211
	}
	list := func(l []string) {
		add(strconv.Itoa(len(l)))
		for _, s := range l {
			add(s)
		}
	}
	year := "-"
	if r.Year != nil {
		year = strconv.Itoa(int(*r.Year))
	}
	for _, s := range []string{r.Format, r.SourceKey, r.Type, r.Title, year, r.Journal, r.JournalAbbrev, r.Volume, r.Issue,
		r.Pages, r.PageStart, r.PageEnd, r.ArticleNumber, r.DOI, r.PMID} {
		add(s)
	}
	list(r.Authors)
	list(r.AuthorsNormalised)
	list(r.DOIs)
	list(r.ISSN)
	list(r.PublicationType)
	return h
}

// setPrevious fills opt from the previous output's tables, held whole
// (loadPrevious reads the large ones a batch at a time instead).
func setPrevious(opt *options, records []previousRecord, works []previousWork, pairs []tables.DuplicatePair, havePairs bool) {
	if records != nil {
		opt.prev = make(map[string]prevState, len(records))
		addPrevious(opt.prev, records)
	}
	opt.prevWorks = worksByID(works)
	if havePairs {
		opt.prevPairs = appendPreviousPairs(make([]previousPair, 0, len(pairs)), pairs, interner{})
	}
}

// worksByID maps the previous works by id; nil without any.
func worksByID(works []previousWork) map[string]previousWork {
	if works == nil {
		return nil
	}
	m := make(map[string]previousWork, len(works))
	for _, w := range works {
		m[w.WorkID] = w
	}
	return m
}

// previousPair is a previous duplicate_pairs row as the pair result it was
// before clustering (pairFromRow), without its indices, which this run's
// records decide. A million rows held as rows were 800 MB, most of them
// evidence words and rule names, repeated.
type previousPair struct {
	recordA, recordB string
	// titleSame: the title score was written as 0.950 (see carriedPairs).
	titleSame bool
	r         pairResult
}

// appendPreviousPairs appends rows to pairs as previous pairs; names
// interns their decisions and rules.
func appendPreviousPairs(pairs []previousPair, rows []tables.DuplicatePair, names interner) []previousPair {
	for k := range rows {
		row := &rows[k]
		p := previousPair{recordA: row.RecordA, recordB: row.RecordB, r: pairFromRow(row, 0, 0),
			titleSame: row.TitleScore != nil && *row.TitleScore == titleSame}
		p.r.v.decision, p.r.v.rule = names.intern(p.r.v.decision), names.intern(p.r.v.rule)
		pairs = append(pairs, p)
	}
	return pairs
}

// addPrevious adds records of the previous output to prev: each one's
// work and matching fingerprint, by record id.
func addPrevious(prev map[string]prevState, records []previousRecord) {
	for i := range records {
		if records[i].WorkID == "" {
			continue
		}
		r := records[i].record()
		prev[r.RecordID] = prevState{work: r.WorkID, fingerprint: matchFingerprint(&r)}
	}
}

// markStable completes e.stable: newEngine marked the records unchanged
// since the previous output, and a changed team decision unmarks every
// record of the earlier works it touches.
func (e *engine) markStable() {
	if !e.update {
		return
	}
	// A team decision between two stable records that the previous run
	// did not apply (new, changed or withdrawn) makes both works fresh.
	if e.opt.prevPairs == nil && len(e.human) == 0 {
		return
	}
	previous := map[uint64]string{}
	index := e.recordIndex()
	for k := range e.opt.prevPairs {
		p := &e.opt.prevPairs[k]
		if rest, ok := strings.CutPrefix(p.r.v.rule, "human:"); ok {
			i, ok1 := index[p.recordA]
			j, ok2 := index[p.recordB]
			if ok1 && ok2 && i != j {
				previous[pack(i, j)] = rest
			}
		}
	}
	broken := map[string]bool{}
	breakPair := func(k uint64) {
		for _, x := range [2]int{int(k >> 32), int(k & 0xffffffff)} {
			if e.stable[x] {
				broken[e.prevWork[x]] = true
			}
		}
	}
	for k, h := range e.human {
		if previous[k] != string(h) {
			breakPair(k)
		}
	}
	for k := range previous {
		if _, ok := e.human[k]; !ok {
			breakPair(k)
		}
	}
	if len(broken) > 0 {
		for i := range e.stable {
			if broken[e.prevWork[i]] {
				e.stable[i] = false
			}
		}
	}
}

// recordIndex maps record ids to engine indices (the first of a repeated id).
func (e *engine) recordIndex() map[string]int {
	if e.index == nil {
		e.index = make(map[string]int, len(e.info))
		for i := range e.info {
			if _, dup := e.index[e.info[i].id]; !dup {
				e.index[e.info[i].id] = i
			}
		}
	}
	return e.index
}

// carriedPairs rebuilds the previous run's kept pairs of two stable
// records as pair results: decision and rule as decided before clustering
// refused a merge or a link (the notes say so), evidence from the row.
// A title score written as 0.950 may have been just under titleSame,
// which placeRecurringTitles tests: such a pair is compared again. So is a
// pair the team decided (comparePairs compares those).
func (e *engine) carriedPairs() []pairResult {
	index := e.recordIndex()
	out := make([]pairResult, 0, len(e.opt.prevPairs)) // a pair result is wide: grown, it was copied over and over
	for k := range e.opt.prevPairs {
		row := &e.opt.prevPairs[k]
		i, ok1 := index[row.recordA]
		j, ok2 := index[row.recordB]
		if !ok1 || !ok2 || i == j || !e.stable[i] || !e.stable[j] {
			continue
		}
		if i > j {
			i, j = j, i
		}
		if _, decided := e.human[pack(i, j)]; decided {
			continue
		}
		if row.titleSame {
			if r, keep := e.comparePair(i, j); keep {
				out = append(out, r)
			}
			continue
		}
		r := row.r
		r.i, r.j = uint32(i), uint32(j)
		out = append(out, r)
	}
	// The previous rows are in record id order, and so are the indices: out
	// is sorted already unless a record's id repeats.
	if !slices.IsSortedFunc(out, pairOrder) {
		slices.SortFunc(out, pairOrder)
	}
	return out
}

// pairFromRow is a duplicate_pairs row as the pair result it was before
// clustering: "not merged" was a duplicate, "not linked" a related pair.
func pairFromRow(row *tables.DuplicatePair, i, j int) pairResult {
	r := pairResult{i: uint32(i), j: uint32(j), carried: true}
	r.v = verdict{row.Decision, row.Rule}
	switch {
	case strings.HasPrefix(row.Note, "not merged: "):
		r.v.decision = duplicate
	case strings.HasPrefix(row.Note, "not linked: "):
		r.v.decision = related
	}
	ev := &r.ev
	if row.TitleScore != nil {
		ev.hasTitle, ev.titleScore = true, *row.TitleScore
	}
	if row.AuthorScore != nil {
		ev.hasAuthors, ev.authorScore = true, *row.AuthorScore
	}
	ev.firstAuthor, ev.journal, ev.doi, ev.pmid = parseState(row.FirstAuthor), parseState(row.Journal), parseState(row.DOI), parseState(row.PMID)
	ev.volume, ev.issue, ev.pages, ev.year = parseState(row.Volume), parseState(row.Issue), parseState(row.Pages), parseState(row.Year)
	return r
}

func parseState(s string) state {
	switch s {
	case "agree":
		return agree
	case "conflict":
		return conflict
	case "near":
		return near
	}
	return missing
}

// pairOrder orders pair results by (i, j): over records in id order, the
// order of duplicate_pairs rows.
func pairOrder(x, y pairResult) int { return cmp.Or(cmp.Compare(x.i, y.i), cmp.Compare(x.j, y.j)) }

// mergePairs merges two lists of pair results sorted by (i, j).
func mergePairs(a, b []pairResult) []pairResult {
	out := make([]pairResult, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if pairOrder(a[0], b[0]) < 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// seedWorks joins the stable records of each earlier work into one
// cluster, before any pair is joined.
func (e *engine) seedWorks() {
	first := make(map[string]int, len(e.opt.prevWorks))
	for i := range e.info {
		if !e.stable[i] {
			continue
		}
		w := e.prevWork[i]
		f, ok := first[w]
		if !ok {
			first[w] = i
			continue
		}
		if ra, rb := e.find(f), e.find(i); ra != rb {
			e.union(ra, rb)
		}
	}
}
