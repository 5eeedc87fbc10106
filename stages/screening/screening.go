// Package screening joins reviewers' screening votes to works, resolves them
// into decisions, measures inter-rater agreement and reports the PRISMA 2020
// flow of every round. See README.md.
package screening

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
)

// Stage is the screening stage's entry point.
var Stage = pipeline.Stage{
	Name:   "screening",
	Doc:    "join screening votes to works, resolve decisions, measure agreement, report the PRISMA 2020 flow",
	Params: func() any { return DefaultParams() },
	Run:    run,
	Check:  check,
}

// Params configure the screening stage.
type Params struct {
	Votes []VoteSource `mapstructure:"votes" doc:"vote exports to read: {path, format, stage, reviewer, list, articles, reviewer_names}"`
	// Tiebreaker settles conflicts between the screeners when present.
	Tiebreaker string `mapstructure:"tiebreaker" doc:"reviewer whose vote settles a conflict (default: none)"`
	// Consensus names the pseudo-reviewer whose votes record a team's
	// discussion; a consensus vote overrides every other vote.
	Consensus            string `mapstructure:"consensus" doc:"reviewer name of consensus votes, which override all others"`
	MaybeCountsAsInclude bool   `mapstructure:"maybe_counts_as_include" doc:"at title/abstract, maybe counts as include (as Covidence does)"`
	// FullTextReasons is the protocol's list of full-text exclusion reasons,
	// in priority order: a report excluded for several reasons is counted in
	// PRISMA under the first of them in this list.
	FullTextReasons []string `mapstructure:"full_text_reasons" doc:"allowed full-text exclusion reasons, in PRISMA priority order"`
	// NotRetrievedReasons are exclusion reasons that mean the report could
	// not be obtained: PRISMA counts those as not retrieved, not as excluded.
	NotRetrievedReasons []string `mapstructure:"not_retrieved_reasons" doc:"full-text reasons that mean 'report not retrieved'"`
	// KeepEarlierDecisions freezes decisions made in an earlier round: the
	// previous output's decisions win over the current votes (with a warning
	// when they differ). Off: every decision is made again from the votes.
	KeepEarlierDecisions bool    `mapstructure:"keep_earlier_decisions" doc:"decisions of earlier rounds in the previous output stand, whatever the votes now say"`
	PilotRecords         int     `mapstructure:"pilot_records" doc:"pilot gate: the first N works screened at title/abstract (0: no gate)"`
	PilotMinAgreement    float64 `mapstructure:"pilot_min_agreement" doc:"pilot gate: minimum percent agreement (proportion) of every screener pair"`
	PilotAction          string  `mapstructure:"pilot_action" doc:"pilot gate below the minimum: warn or fail"`
}

// DefaultParams returns the parameters with their defaults.
func DefaultParams() *Params {
	return &Params{
		MaybeCountsAsInclude: true,
		KeepEarlierDecisions: true,
		NotRetrievedReasons:  []string{"not retrieved", "not retrievable", "full text not available", "no full text"},
		PilotMinAgreement:    0.8,
		PilotAction:          "warn",
	}
}

func check(run *pipeline.Run, params any) error {
	p, err := pipeline.ParamsAs[Params](params)
	if err != nil {
		return err
	}
	return p.validate(run)
}

func (p *Params) validate(run pathResolver) error {
	var errs []error
	for i, src := range p.Votes {
		if src.Path == "" {
			errs = append(errs, fmt.Errorf("votes[%d]: path is empty", i))
		}
		if _, ok := voteReaders[src.Format]; !ok {
			errs = append(errs, fmt.Errorf("votes[%d] %s: unknown format %q (want one of %s)", i, src.Path, src.Format, strings.Join(formatNames(), ", ")))
		}
		if src.Stage != "" {
			if _, err := parseStage(src.Stage, ""); err != nil {
				errs = append(errs, fmt.Errorf("votes[%d] %s: stage: %w", i, src.Path, err))
			}
		}
		if src.Path != "" {
			if _, err := os.Stat(run.Path(src.Path)); err != nil {
				errs = append(errs, fmt.Errorf("votes[%d]: %w", i, err))
			}
		}
		if src.Articles != "" {
			if _, err := os.Stat(run.Path(src.Articles)); err != nil {
				errs = append(errs, fmt.Errorf("votes[%d] articles: %w", i, err))
			}
		}
		if src.Format == "covidence" || src.Format == "covidence-ris" {
			if _, err := covidenceList(src); err != nil {
				errs = append(errs, fmt.Errorf("votes[%d] %s: %w", i, src.Path, err))
			}
		}
	}
	if p.PilotAction != "warn" && p.PilotAction != "fail" {
		errs = append(errs, fmt.Errorf("pilot_action: %q is not warn or fail", p.PilotAction))
	}
	if p.PilotRecords < 0 {
		errs = append(errs, fmt.Errorf("pilot_records: %d is negative", p.PilotRecords))
	}
	if p.PilotMinAgreement < 0 || p.PilotMinAgreement > 1 {
		errs = append(errs, fmt.Errorf("pilot_min_agreement: %g is not a proportion between 0 and 1", p.PilotMinAgreement))
	}
	if p.Tiebreaker != "" && p.Tiebreaker == p.Consensus {
		errs = append(errs, fmt.Errorf("tiebreaker and consensus are both %q", p.Tiebreaker))
	}
	return errors.Join(errs...)
}

// warner is the part of the run that collects warnings (a test can stub it).
type warner interface {
	Warn(format string, args ...any)
	WarnN(kind string, n int, format string, args ...any)
}

func run(_ context.Context, run *pipeline.Run, params any) error {
	p, err := pipeline.ParamsAs[Params](params)
	if err != nil {
		return err
	}
	if err := p.validate(run); err != nil {
		return err
	}
	if _, ok := pipeline.Len(run, "records"); !ok {
		return errors.New("screening needs the records table: enable the ingest stage")
	}
	works, err := readWorks(run, len(p.Votes) > 0)
	if err != nil {
		return err
	}
	var previous []tables.Decision
	if p.KeepEarlierDecisions {
		if previous, _, err = pipeline.Previous[tables.Decision](run, "decisions"); err != nil {
			return err
		}
	}
	var rounds, databases []string
	for _, r := range run.Config.Rounds {
		rounds = append(rounds, r.ID)
		for _, s := range r.Searches {
			if !slices.Contains(databases, s.Database) {
				databases = append(databases, s.Database)
			}
		}
	}

	var raw []rawVote
	for _, src := range p.Votes {
		vs, in, err := readSourceInput(run, src)
		if err != nil {
			return err
		}
		in.Path = run.RelPath(run.Path(src.Path))
		run.AddInput(in)
		if src.Articles != "" {
			if err := run.AddInputFile(run.Path(src.Articles), "votes (Rayyan articles)"); err != nil {
				return fmt.Errorf("votes %s: articles: %w", src.Path, err)
			}
		}
		raw = append(raw, vs...)
	}
	prog := run.Progress("screening votes", int64(len(raw)))
	quarantined, _, err := pipeline.Get[tables.Quarantine](run, "quarantine")
	if err != nil {
		return err
	}
	// Records are read chunk by chunk, only the columns screening uses:
	// without votes, those PRISMA counts.
	columns := []string{"record_id", "work_id", "round", "database"}
	if len(raw) > 0 {
		columns = append(columns, "source_key", "doi", "dois", "pmid", "title", "year")
	}
	sc := pipeline.Scan[tables.Record](run, "records", columns...)
	records := func(yield func(*tables.Record) bool) {
		for _, rows := range sc.Chunks() {
			for i := range rows {
				if !yield(&rows[i]) {
					return
				}
			}
		}
	}
	out, err := screen(input{records: records, quarantined: quarantined, works: works, previous: previous, rounds: rounds, databases: databases, votes: raw}, p, run)
	prog.Add(int64(len(raw)))
	prog.Done()
	if err == nil {
		err = sc.Err()
	}
	if err != nil {
		return err
	}
	for _, put := range []error{
		pipeline.Put(run, "votes", out.votes),
		pipeline.Put(run, "unmatched_votes", out.unmatched),
		pipeline.Put(run, "decisions", out.decisions),
		pipeline.Put(run, "agreement", out.agreement),
		pipeline.Put(run, "prisma", out.prisma),
	} {
		if put != nil {
			return put
		}
	}
	for name, data := range out.files {
		run.PutFile(name, data)
	}
	return nil
}

// workRow is what screening reads of a work, by column name: decisions
// and PRISMA need its id, study and first round; joining votes also needs
// the identifiers below, read only when there are votes. The works table's
// other columns (abstracts, member lists) are never decoded.
type workRow struct {
	WorkID     string `table:"work_id"`
	StudyID    string `table:"study_id"`
	FirstRound string `table:"first_round"`

	DOI   string `table:"doi,optional"`
	PMID  string `table:"pmid,optional"`
	Title string `table:"title,optional"`
	Year  *int32 `table:"year"`
}

// readWorks reads the works table as workRows, with the identifiers votes
// are joined by when joinVotes.
func readWorks(run *pipeline.Run, joinVotes bool) ([]workRow, error) {
	if _, ok := pipeline.Len(run, "works"); !ok {
		return nil, errors.New("screening needs the works table: enable the dedupe stage")
	}
	columns := []string{"work_id", "study_id", "first_round"}
	if joinVotes {
		columns = append(columns, "doi", "pmid", "title", "year")
	}
	return pipeline.Scan[workRow](run, "works", columns...).All()
}

// input is everything screening reads; output everything it writes.
type input struct {
	// records yields the records table, row by row (a row is valid until
	// the next; its strings may be kept).
	records iter.Seq[*tables.Record]
	// quarantined are export records ingest could not read: identified,
	// then removed before screening, so PRISMA loses none of them.
	quarantined []tables.Quarantine
	works       []workRow
	previous    []tables.Decision // decisions of the previous committed run
	rounds      []string          // round ids, oldest first
	databases   []string          // database names in the config's search order
	votes       []rawVote
}

type output struct {
	votes     []tables.Vote
	unmatched []tables.UnmatchedVote
	decisions []tables.Decision
	agreement []tables.Agreement
	prisma    []tables.PrismaCount
	files     map[string][]byte
}

// screen is the whole stage on in-memory tables.
func screen(in input, p *Params, w warner) (*output, error) {
	out := &output{files: map[string][]byte{}}
	// Works are found by id through their position in in.works, which also
	// numbers them for PRISMA's per-work marks.
	workPos := make(map[string]int, len(in.works))
	for i := range in.works {
		workPos[in.works[i].WorkID] = i
	}
	var ix *workIndex
	if len(in.votes) > 0 { // without votes, no index to join them by
		ix = newWorkIndex(in.records, in.works)
	}
	warnBadVotes := newExamples()
	for _, rv := range in.votes {
		if rv.Err != "" {
			out.unmatched = append(out.unmatched, unmatchedRow(rv, "invalid", nil))
			warnBadVotes.add(fmt.Sprintf("%s:%d: %s", rv.File, rv.Line, rv.Err))
			continue
		}
		m := ix.find(rv.Ref)
		if m.workID == "" {
			problem := "no_match"
			if len(m.candidates) > 0 {
				problem = "ambiguous"
			}
			out.unmatched = append(out.unmatched, unmatchedRow(rv, problem, m.candidates))
			warnBadVotes.add(fmt.Sprintf("%s:%d: %s matches %s", rv.File, rv.Line, describeRef(rv.Ref), map[bool]string{true: fmt.Sprintf("%d works", len(m.candidates)), false: "no work"}[problem == "ambiguous"]))
			continue
		}
		out.votes = append(out.votes, voteRow(rv, m, in.works[workPos[m.workID]].FirstRound, p))
	}
	if warnBadVotes.n > 0 {
		w.WarnN("unmatched_votes", warnBadVotes.n, "screening: %d vote(s) could not be joined to exactly one work; see unmatched_votes (%s)", warnBadVotes.n, warnBadVotes)
	}
	markSuperseded(out.votes)
	decisions, err := decide(in, p, out.votes, workPos, w)
	if err != nil {
		return nil, err
	}
	out.decisions = decisions
	out.agreement, err = agreementRows(out.votes, in.rounds, p, w)
	if err != nil {
		return nil, err
	}
	flows, err := prismaFlows(in, out.decisions, workPos, p)
	if err != nil {
		return nil, err
	}
	for _, f := range flows {
		out.prisma = append(out.prisma, f.rows()...)
	}
	warnUndecided(in.works, out.decisions, w)
	if len(flows) > 0 {
		last := flows[len(flows)-2] // the last round's own flow; the final entry is its cumulative flow
		cum := flows[len(flows)-1]
		out.files["prisma.csv"] = last.templateCSV()
		out.files["prisma.svg"] = last.svg()
		if len(in.rounds) > 1 {
			out.files["prisma-cumulative.csv"] = cum.templateCSV()
			out.files["prisma-cumulative.svg"] = cum.svg()
		}
	}
	sortOutput(out)
	return out, nil
}

// warnUndecided names the works PRISMA shows as awaiting screening or
// awaiting a full-text decision because nobody has voted on them yet
// (unresolved conflicts are warned about by decide). Without votes that is
// every work, so the examples are selected, not sorted (leastExamples).
func warnUndecided(works []workRow, decisions []tables.Decision, w warner) {
	decision := make(map[workStage]string, len(decisions))
	for _, d := range decisions {
		decision[workStage{d.WorkID, d.Stage}] = d.Decision
	}
	var ta, ft leastExamples
	for i := range works {
		id := works[i].WorkID
		taDecision, screened := decision[workStage{id, stageTA}]
		_, assessed := decision[workStage{id, stageFT}]
		switch {
		case !screened:
			ta.add(id)
		case taDecision == include && !assessed:
			ft.add(id)
		}
	}
	if ta.n > 0 {
		w.Warn("screening: %d work(s) have no title/abstract vote yet; PRISMA counts them as awaiting screening, not as screened: %s", ta.n, &ta)
	}
	if ft.n > 0 {
		w.Warn("screening: %d work(s) included at title/abstract have no full-text vote yet; PRISMA counts them as awaiting full text: %s", ft.n, &ft)
	}
}

func describeRef(r recordRef) string {
	var parts []string
	if r.Key != "" {
		parts = append(parts, "key "+r.Key)
	}
	if r.DOI != "" {
		parts = append(parts, "doi "+r.DOI)
	}
	if r.PMID != "" {
		parts = append(parts, "pmid "+r.PMID)
	}
	if r.Title != "" {
		t := r.Title
		if len(t) > 60 {
			t = t[:60] + "…"
		}
		parts = append(parts, fmt.Sprintf("title %q", t))
	}
	if len(parts) == 0 {
		return "an empty reference"
	}
	return strings.Join(parts, ", ")
}

// maxExamples is how many examples a warning names.
const maxExamples = 5

// examples counts problems and keeps the first few distinct ones to show
// in one warning (two reviewers' votes on one bad row are one example).
type examples struct {
	n     int
	seen  map[string]bool
	first []string
}

func newExamples() *examples { return &examples{seen: map[string]bool{}} }

func (e *examples) add(s string) {
	e.n++
	if e.seen[s] {
		return
	}
	e.seen[s] = true
	if len(e.first) < maxExamples {
		e.first = append(e.first, s)
	}
}

func (e *examples) String() string { return exampleList(e.first, len(e.seen)-len(e.first)) }

// leastExamples counts items and keeps the few that sort first: for
// distinct items (work ids), what examples shows once they are added in
// sorted order, without holding or sorting them all (every work of a
// review nobody has voted on yet).
type leastExamples struct {
	n     int
	least []string // sorted; at most maxExamples
}

func (e *leastExamples) add(s string) {
	e.n++
	if len(e.least) == maxExamples {
		if s >= e.least[maxExamples-1] {
			return
		}
		e.least = e.least[:maxExamples-1] // s displaces the last
	}
	i, _ := slices.BinarySearch(e.least, s)
	e.least = slices.Insert(e.least, i, s)
}

func (e *leastExamples) String() string { return exampleList(e.least, e.n-len(e.least)) }

// exampleList is a warning's examples: "a; b; c; and 7 more".
func exampleList(shown []string, more int) string {
	s := strings.Join(shown, "; ")
	if more > 0 {
		s += fmt.Sprintf("; and %d more", more)
	}
	return s
}

func unmatchedRow(rv rawVote, problem string, candidates []string) tables.UnmatchedVote {
	if candidates == nil {
		candidates = []string{}
	}
	return tables.UnmatchedVote{
		Problem: problem, Error: rv.Err, Candidates: candidates, Stage: rv.Stage, Reviewer: rv.Reviewer,
		Decision: rv.Decision, Reasons: nonNil(rv.Reasons),
		Timestamp: voteTime(rv.Timestamp), TimestampAsExported: rv.Timestamp,
		SourceFile: rv.File, SourceLine: rv.Line, Format: rv.Format, RecordRef: rv.Ref.display(),
		RefDOI: rv.Ref.DOI, RefPMID: rv.Ref.PMID, RefTitle: rv.Ref.Title, RefYear: rv.Ref.Year,
	}
}

func voteRow(rv rawVote, m match, round string, p *Params) tables.Vote {
	role := "screener"
	switch rv.Reviewer {
	case p.Tiebreaker:
		role = "tiebreaker"
	case p.Consensus:
		role = "consensus"
	}
	return tables.Vote{
		WorkID: m.workID, RecordID: m.recordID, MatchedBy: m.by, Round: round, Stage: rv.Stage,
		Reviewer: rv.Reviewer, Role: role, Decision: rv.Decision, Reasons: nonNil(rv.Reasons), Labels: nonNil(rv.Labels),
		Timestamp: voteTime(rv.Timestamp), TimestampAsExported: rv.Timestamp, SourceFile: rv.File, SourceLine: rv.Line, Format: rv.Format, RecordRef: rv.Ref.display(),
		RefDOI: rv.Ref.DOI, RefPMID: rv.Ref.PMID, RefTitle: rv.Ref.Title, RefYear: rv.Ref.Year,
	}
}

// voteTime reads an exported vote time; the zero time (null) when it does not read as one.
func voteTime(s string) time.Time {
	t, ok := parseTime(s)
	if !ok {
		return time.Time{}
	}
	return t.UTC()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// markSuperseded keeps one vote per reviewer, work and stage: the latest by
// timestamp when both votes have one, else the one read last (later files
// and lines replace earlier ones).
func markSuperseded(votes []tables.Vote) {
	type k struct{ work, stage, reviewer string }
	latest := map[k]int{}
	for i := range votes {
		v := &votes[i]
		key := k{v.WorkID, v.Stage, v.Reviewer}
		j, seen := latest[key]
		if !seen {
			latest[key] = i
			continue
		}
		prev := &votes[j]
		if !prev.Timestamp.IsZero() && !v.Timestamp.IsZero() && prev.Timestamp.After(v.Timestamp) {
			v.Superseded = true
			continue
		}
		prev.Superseded = true
		latest[key] = i
	}
}

func sortOutput(out *output) {
	sort.SliceStable(out.votes, func(i, j int) bool {
		a, b := &out.votes[i], &out.votes[j]
		if a.WorkID != b.WorkID {
			return a.WorkID < b.WorkID
		}
		if a.Stage != b.Stage {
			return stageOrder(a.Stage) < stageOrder(b.Stage)
		}
		if a.Reviewer != b.Reviewer {
			return a.Reviewer < b.Reviewer
		}
		if a.SourceFile != b.SourceFile {
			return a.SourceFile < b.SourceFile
		}
		return a.SourceLine < b.SourceLine
	})
	sort.SliceStable(out.unmatched, func(i, j int) bool {
		a, b := &out.unmatched[i], &out.unmatched[j]
		if a.SourceFile != b.SourceFile {
			return a.SourceFile < b.SourceFile
		}
		if a.SourceLine != b.SourceLine {
			return a.SourceLine < b.SourceLine
		}
		return a.Reviewer < b.Reviewer
	})
	sort.SliceStable(out.decisions, func(i, j int) bool {
		a, b := &out.decisions[i], &out.decisions[j]
		if a.WorkID != b.WorkID {
			return a.WorkID < b.WorkID
		}
		return stageOrder(a.Stage) < stageOrder(b.Stage)
	})
}

func stageOrder(s string) int {
	if s == stageTA {
		return 0
	}
	return 1
}
