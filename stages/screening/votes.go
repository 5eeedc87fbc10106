package screening

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/ris"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
)

// Stages and decisions, as written in the tables.
const (
	stageTA = "title_abstract"
	stageFT = "full_text"

	include      = "include"
	exclude      = "exclude"
	maybe        = "maybe"
	notRetrieved = "not_retrieved"
	conflict     = "conflict"
)

// recordRef is how a screening tool names a record. Key is compared with
// records' source keys; ToolID is the tool's own id, shown to the user.
type recordRef struct {
	Key, ToolID, DOI, PMID, Title string
	Year                          *int32
}

func (r recordRef) display() string {
	switch {
	case r.ToolID != "":
		return r.ToolID
	case r.Key != "":
		return r.Key
	case r.DOI != "":
		return r.DOI
	}
	return r.Title
}

// rawVote is one vote as read, before it is joined to a work. Err is set for
// a row that could not be read as a vote; it is reported, never dropped.
type rawVote struct {
	File      string // relative to the config file
	Line      int64
	Format    string
	Ref       recordRef
	Stage     string
	Reviewer  string
	Decision  string
	Reasons   []string
	Labels    []string
	Timestamp string
	Err       string
}

// VoteSource is one vote export named in the config.
type VoteSource struct {
	Path string `mapstructure:"path" doc:"vote export, relative to the config file"`
	// Format picks the reader; see the README for each layout.
	Format string `mapstructure:"format" doc:"long, rayyan, rayyan-ris, rayyan-log, covidence, covidence-ris or asreview"`
	Stage  string `mapstructure:"stage" doc:"title_abstract or full_text, for exports that do not say (long: fills an empty stage column)"`
	// Reviewer names the voter of single-voter exports (Covidence, ASReview)
	// and fills an empty reviewer column of a long CSV.
	Reviewer string `mapstructure:"reviewer" doc:"reviewer name for exports without one (covidence, asreview; default: the format name)"`
	// List is the Covidence list the export holds; by default it is taken
	// from the file name (Covidence names exports after the list).
	List string `mapstructure:"list" doc:"covidence list: select, irrelevant, full_text, included or excluded (default: from the file name)"`
	// Articles is the Rayyan articles CSV that goes with a customizations_log.csv.
	Articles string `mapstructure:"articles" doc:"rayyan-log: the articles.csv of the same export, to match by DOI and title"`
	// ReviewerNames turns Rayyan user ids (or e-mails) into names: "12345=Alice".
	ReviewerNames []string `mapstructure:"reviewer_names" doc:"rayyan-log: \"user_id=Name\" pairs; e-mails are never written out"`
}

var voteReaders = map[string]func(run pathResolver, src VoteSource, rel string, r io.Reader) ([]rawVote, error){
	"long":          readLong,
	"rayyan":        readRayyanCSV,
	"rayyan-ris":    readRayyanRIS,
	"rayyan-log":    readRayyanLog,
	"covidence":     readCovidence,
	"covidence-ris": readCovidenceRIS,
	"asreview":      readASReview,
}

// pathResolver resolves config-relative paths (the run, or a test's folder).
type pathResolver interface{ Path(p string) string }

func formatNames() []string {
	var names []string
	for n := range voteReaders {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// readSource reads every vote of one export. An error means the file as a
// whole cannot be read (missing, wrong layout); bad rows come back as votes
// with Err set.
func readSource(run pathResolver, src VoteSource) ([]rawVote, error) {
	votes, _, err := readSourceInput(run, src)
	return votes, err
}

// readSourceInput is readSource that also describes the file for the
// run's manifest: its hash, size, encoding, votes read and rows reported.
func readSourceInput(run pathResolver, src VoteSource) ([]rawVote, pipeline.InputFile, error) {
	in := pipeline.InputFile{Path: src.Path, Kind: "votes", Format: src.Format}
	read, ok := voteReaders[src.Format]
	if !ok {
		return nil, in, fmt.Errorf("vote source %s: unknown format %q (want one of %s)", src.Path, src.Format, strings.Join(formatNames(), ", "))
	}
	f, err := os.Open(run.Path(src.Path))
	if err != nil {
		return nil, in, fmt.Errorf("vote source: %w", err)
	}
	defer f.Close()
	hr := pipeline.NewHashingReader(f)
	decoded, enc, err := formats.Decode(hr, "")
	if err != nil {
		return nil, in, fmt.Errorf("%s: %w", src.Path, err)
	}
	votes, err := read(run, src, src.Path, decoded)
	if err != nil {
		return nil, in, fmt.Errorf("%s %s: %w", src.Format, src.Path, err)
	}
	if _, err := io.Copy(io.Discard, hr); err != nil { // hash all of it, whatever the reader left
		return nil, in, fmt.Errorf("%s: %w", src.Path, err)
	}
	checkVotes(votes)
	in.Bytes, in.SHA256, in.Encoding = hr.N, hr.SHA256(), enc
	for _, v := range votes {
		if v.Err != "" {
			in.Quarantined++
		} else {
			in.Records++
		}
	}
	return votes, in, nil
}

// checkVotes marks votes that lack what every vote needs, whatever the
// format, so that they are reported instead of joined.
func checkVotes(votes []rawVote) {
	for i := range votes {
		v := &votes[i]
		if v.Err != "" {
			continue
		}
		var missing []string
		if v.Stage == "" {
			missing = append(missing, "stage")
		}
		if v.Reviewer == "" {
			missing = append(missing, "reviewer")
		}
		if v.Decision == "" {
			missing = append(missing, "decision")
		}
		if v.Ref.Key == "" && v.Ref.DOI == "" && v.Ref.PMID == "" && v.Ref.Title == "" {
			missing = append(missing, "record (no key, DOI, PMID or title)")
		}
		if len(missing) > 0 {
			v.Err = "empty " + strings.Join(missing, ", ")
		}
	}
}

// csvTable reads a CSV with a header and finds columns by header name,
// case-insensitively, so that column order never matters.
type csvTable struct {
	err  error // a read error that ended rows()
	r    *csv.Reader
	cols map[string]int
}

func newCSVTable(r io.Reader) (*csvTable, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("empty file: no header")
	}
	if err != nil {
		return nil, err
	}
	cols := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := cols[h]; !dup {
			cols[h] = i
		}
	}
	return &csvTable{r: cr, cols: cols}, nil
}

// rows iterates over the data rows with their 1-based lines. A read error
// ends the loop and is kept in t.err (with its line) for the caller to check
// after it; the end of the file is not an error.
func (t *csvTable) rows() iter.Seq2[[]string, int64] {
	return func(yield func([]string, int64) bool) {
		for {
			row, line, err := t.next()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.err = fmt.Errorf("line %d: %w", line, err)
				return
			}
			if !yield(row, line) {
				return
			}
		}
	}
}

// col returns the index of the first of names present in the header, or -1.
func (t *csvTable) col(names ...string) int {
	for _, n := range names {
		if i, ok := t.cols[n]; ok {
			return i
		}
	}
	return -1
}

// require is col for a column the layout cannot do without.
func (t *csvTable) require(names ...string) (int, error) {
	if i := t.col(names...); i >= 0 {
		return i, nil
	}
	return -1, fmt.Errorf("line 1: no %q column in the header", names[0])
}

// next returns the next row and its 1-based line; io.EOF at the end.
func (t *csvTable) next() ([]string, int64, error) {
	row, err := t.r.Read()
	if err != nil {
		if pe, ok := err.(*csv.ParseError); ok {
			return nil, int64(pe.StartLine), err
		}
		return nil, 0, err
	}
	line, _ := t.r.FieldPos(0)
	return row, int64(line), nil
}

func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// readLong reads the long layout: record,reviewer,stage,decision,reason,timestamp,
// one vote a row, plus optional doi, pmid, title and year columns.
func readLong(_ pathResolver, src VoteSource, rel string, r io.Reader) ([]rawVote, error) {
	t, err := newCSVTable(r)
	if err != nil {
		return nil, err
	}
	cRecord := t.col("record", "record_id", "key")
	cReviewer, err := t.require("reviewer")
	if err != nil {
		return nil, err
	}
	cDecision, err := t.require("decision")
	if err != nil {
		return nil, err
	}
	cStage := t.col("stage")
	if cStage < 0 && src.Stage == "" {
		return nil, errors.New(`line 1: no "stage" column and no stage set for this source`)
	}
	cReason, cTime := t.col("reason", "reasons"), t.col("timestamp", "time", "date")
	cDOI, cPMID, cTitle, cYear := t.col("doi"), t.col("pmid"), t.col("title"), t.col("year")
	if cRecord < 0 && cDOI < 0 && cTitle < 0 {
		return nil, errors.New(`line 1: no "record" column (nor doi or title) to say which record a vote is about`)
	}
	var votes []rawVote
	for row, line := range t.rows() {
		v := rawVote{File: rel, Line: line, Format: "long", Timestamp: cell(row, cTime)}
		v.Ref = refFromText(cell(row, cRecord))
		if d := cell(row, cDOI); d != "" {
			v.Ref.DOI = normaliseDOI(d)
		}
		if p := cell(row, cPMID); p != "" {
			v.Ref.PMID = p
		}
		if ti := cell(row, cTitle); ti != "" {
			v.Ref.Title = ti
		}
		if y, ok := biblio.YearOf(cell(row, cYear)); ok {
			v.Ref.Year = &y
		}
		v.Reviewer = cell(row, cReviewer)
		if v.Reviewer == "" {
			v.Reviewer = src.Reviewer
		}
		v.Reasons = splitList(cell(row, cReason), ";|")
		var problems []string
		if v.Stage, err = parseStage(cell(row, cStage), src.Stage); err != nil {
			problems = append(problems, "stage: "+err.Error())
		}
		if v.Decision, err = parseDecision(cell(row, cDecision)); err != nil {
			problems = append(problems, "decision: "+err.Error())
		}
		if v.Reviewer == "" {
			problems = append(problems, "reviewer: empty")
		}
		if v.Ref == (recordRef{}) {
			problems = append(problems, "record: empty")
		}
		v.Err = strings.Join(problems, "; ")
		votes = append(votes, v)
	}
	if t.err != nil {
		return nil, t.err
	}
	return votes, nil
}

// refFromText reads a record reference that may be a source key, a DOI, a
// PMID or a title.
func refFromText(s string) recordRef {
	s = strings.TrimSpace(s)
	if s == "" {
		return recordRef{}
	}
	ref := recordRef{Key: s}
	if d := normaliseDOI(s); d != "" && (strings.HasPrefix(strings.ToLower(s), "10.") || strings.Contains(strings.ToLower(s), "doi")) {
		ref.DOI = d
	}
	if biblio.IsDigits(s) {
		ref.PMID = s
	}
	if strings.Count(s, " ") >= 3 { // keys have no spaces; four words or more is a title
		ref.Title = s
	}
	return ref
}

// normaliseDOI returns the first DOI written in s, in biblio's canonical form.
func normaliseDOI(s string) string {
	dois, _ := biblio.SplitDOIs(s)
	if len(dois) == 0 {
		return ""
	}
	return dois[0]
}

func splitList(s, seps string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// key turns a stage or decision spelling into a comparable token: lower case,
// every run of non-letters one underscore.
func key(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' && b.Len() == 0 {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
		} else {
			under = true
		}
	}
	return b.String()
}

var stageNames = map[string]string{
	"title_abstract": stageTA, "ta": stageTA, "tiab": stageTA, "ti_ab": stageTA, "title_and_abstract": stageTA,
	"abstract": stageTA, "title": stageTA, "screening": stageTA, "title_abstract_screening": stageTA,
	"full_text": stageFT, "ft": stageFT, "fulltext": stageFT, "full_text_review": stageFT, "eligibility": stageFT,
	"full_text_screening": stageFT,
}

// parseStage reads a stage name; an empty one falls back to def.
func parseStage(s, def string) (string, error) {
	if strings.TrimSpace(s) == "" {
		s = def
	}
	if strings.TrimSpace(s) == "" {
		return "", errors.New("empty")
	}
	if st, ok := stageNames[key(s)]; ok {
		return st, nil
	}
	return "", fmt.Errorf("%q is not title_abstract or full_text", s)
}

var decisionNames = map[string]string{
	"include": include, "included": include, "yes": include, "y": include, "1": include, "in": include, "relevant": include,
	"exclude": exclude, "excluded": exclude, "no": exclude, "n": exclude, "-1": exclude, "out": exclude, "irrelevant": exclude,
	"maybe": maybe, "unsure": maybe, "undecided": maybe, "uncertain": maybe,
	"not_retrieved": notRetrieved, "not_retrievable": notRetrieved, "notretrieved": notRetrieved,
	"not_found": notRetrieved, "no_full_text": notRetrieved,
}

func parseDecision(s string) (string, error) {
	if strings.TrimSpace(s) == "?" {
		return maybe, nil
	}
	if d, ok := decisionNames[key(s)]; ok {
		return d, nil
	}
	if strings.TrimSpace(s) == "" {
		return "", errors.New("empty")
	}
	return "", fmt.Errorf("%q is not include, exclude, maybe or not_retrieved", s)
}

// Rayyan writes votes into the notes field as
// `RAYYAN-INCLUSION: {"Alice"=>"Included", "Bob"=>"Excluded"} | RAYYAN-LABELS: a,b | RAYYAN-EXCLUSION-REASONS: x,y`.
var (
	rayyanSection = regexp.MustCompile(`(?:^|\|)\s*(RAYYAN-[A-Z-]+|USER-NOTES):`)
	rayyanPair    = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"\s*=>\s*"((?:[^"\\]|\\.)*)"`)
)

var rayyanDecisions = map[string]string{"included": include, "excluded": exclude, "maybe": maybe, "undecided": maybe}

type rayyanNotes struct {
	Inclusion [][2]string // reviewer, Rayyan decision, in written order
	Labels    []string
	Reasons   []string
}

func parseRayyanNotes(s string) rayyanNotes {
	var out rayyanNotes
	locs := rayyanSection.FindAllStringSubmatchIndex(s, -1)
	for i, loc := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := strings.TrimSpace(s[loc[1]:end])
		switch s[loc[2]:loc[3]] {
		case "RAYYAN-INCLUSION":
			for _, m := range rayyanPair.FindAllStringSubmatch(body, -1) {
				out.Inclusion = append(out.Inclusion, [2]string{unescapeRuby(m[1]), unescapeRuby(m[2])})
			}
		case "RAYYAN-LABELS":
			out.Labels = splitList(body, ",")
		case "RAYYAN-EXCLUSION-REASONS":
			out.Reasons = splitList(body, ",")
		}
	}
	return out
}

func unescapeRuby(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, `\"`, `"`), `\\`, `\`)
}

// rayyanVotes turns one article's notes into one vote per reviewer. Rayyan
// pools exclusion reasons over reviewers, so each excluding vote carries all.
func rayyanVotes(base rawVote, notes string, stage string) []rawVote {
	n := parseRayyanNotes(notes)
	var votes []rawVote
	for _, p := range n.Inclusion {
		v := base
		v.Reviewer, v.Stage, v.Labels = p[0], stage, n.Labels
		d, ok := rayyanDecisions[strings.ToLower(strings.TrimSpace(p[1]))]
		if !ok {
			v.Err = fmt.Sprintf("notes: reviewer %q: decision %q is not Included, Excluded or Maybe", p[0], p[1])
		}
		v.Decision = d
		if d == exclude {
			v.Reasons = n.Reasons
		}
		votes = append(votes, v)
	}
	return votes
}

// reviewerOr is the reviewer a source's votes are credited to: the one the
// config names, else the tool's name (team-decision exports carry none).
func reviewerOr(src VoteSource, tool string) string {
	if src.Reviewer != "" {
		return src.Reviewer
	}
	return tool
}

func sourceStage(src VoteSource) (string, error) {
	st, err := parseStage(src.Stage, stageTA)
	if err != nil {
		return "", fmt.Errorf("stage: %w", err)
	}
	return st, nil
}

// readRayyanCSV reads Rayyan's articles CSV (key,title,...,notes,doi,...,pubmed_id).
func readRayyanCSV(_ pathResolver, src VoteSource, rel string, r io.Reader) ([]rawVote, error) {
	stage, err := sourceStage(src)
	if err != nil {
		return nil, err
	}
	t, err := newCSVTable(r)
	if err != nil {
		return nil, err
	}
	cNotes, err := t.require("notes")
	if err != nil {
		return nil, err
	}
	cKey, cTitle, cYear, cDOI, cPMID := t.col("key"), t.col("title"), t.col("year"), t.col("doi"), t.col("pubmed_id", "pmid")
	var votes []rawVote
	for row, line := range t.rows() {
		base := rawVote{File: rel, Line: line, Format: "rayyan", Ref: recordRef{
			ToolID: cell(row, cKey), Key: cell(row, cKey), DOI: normaliseDOI(cell(row, cDOI)),
			PMID: cell(row, cPMID), Title: cell(row, cTitle),
		}}
		if y, ok := biblio.YearOf(cell(row, cYear)); ok {
			base.Ref.Year = &y
		}
		votes = append(votes, rayyanVotes(base, cell(row, cNotes), stage)...)
	}
	if t.err != nil {
		return nil, t.err
	}
	return votes, nil
}

// readRayyanRIS reads Rayyan's RIS export; votes are in N1.
func readRayyanRIS(_ pathResolver, src VoteSource, rel string, r io.Reader) ([]rawVote, error) {
	stage, err := sourceStage(src)
	if err != nil {
		return nil, err
	}
	return votesFromRIS(r, rel, "rayyan-ris", func(rec *tables.Record) []rawVote {
		base := rawVote{File: rel, Line: rec.SourceLine, Format: "rayyan-ris", Ref: recordRef{
			ToolID: rec.SourceKey, Key: rec.SourceKey, DOI: rec.DOI, PMID: rec.PMID, Title: rec.Title, Year: rec.Year,
		}}
		var votes []rawVote
		for _, n := range rec.Notes {
			votes = append(votes, rayyanVotes(base, n, stage)...)
		}
		return votes
	})
}

// votesFromRIS reads a screening tool's RIS export with the RIS reader and
// turns each record into votes; an unreadable record becomes an invalid
// vote row (reported in unmatched_votes) rather than being dropped.
func votesFromRIS(r io.Reader, rel, format string, votesOf func(*tables.Record) []rawVote) ([]rawVote, error) {
	rd := ris.NewReader(r)
	var votes []rawVote
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return votes, nil
		}
		if bad, ok := formats.AsBadRecord(err); ok {
			votes = append(votes, rawVote{File: rel, Line: bad.Line, Format: format, Err: "unreadable RIS record: " + bad.Msg})
			continue
		}
		if err != nil {
			return nil, err
		}
		biblio.Complete(rec)
		votes = append(votes, votesOf(rec)...)
	}
}

// readRayyanLog reads Rayyan's customizations_log.csv, an event log
// (article_id,user_id,user_email,key,value,created_at): key "included" with
// value 1, -1 or 0 (include, exclude, maybe), "__EXR__<reason>" keys with 1
// or 0 for a reason set or cleared. The latest event per article and user wins.
func readRayyanLog(run pathResolver, src VoteSource, rel string, r io.Reader) ([]rawVote, error) {
	stage, err := sourceStage(src)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, p := range src.ReviewerNames {
		id, name, ok := strings.Cut(p, "=")
		if !ok || strings.TrimSpace(id) == "" || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("reviewer_names: %q is not \"user_id=Name\"", p)
		}
		names[strings.TrimSpace(id)] = strings.TrimSpace(name)
	}
	articles := map[string]recordRef{}
	if src.Articles != "" {
		articles, err = readRayyanArticles(run.Path(src.Articles))
		if err != nil {
			return nil, fmt.Errorf("articles %s: %w", src.Articles, err)
		}
	}
	t, err := newCSVTable(r)
	if err != nil {
		return nil, err
	}
	cArticle, err := t.require("article_id")
	if err != nil {
		return nil, err
	}
	cKey, err := t.require("key")
	if err != nil {
		return nil, err
	}
	cValue, err := t.require("value")
	if err != nil {
		return nil, err
	}
	cUser, cEmail, cTime := t.col("user_id"), t.col("user_email"), t.col("created_at")
	if cUser < 0 && cEmail < 0 {
		return nil, errors.New(`line 1: no "user_id" or "user_email" column`)
	}
	type event struct {
		line                        int64
		article, user, k, value, at string
	}
	var events []event
	var bad []rawVote
	for row, line := range t.rows() {
		user := cell(row, cUser)
		if n, ok := names[user]; ok {
			user = n
		} else if n, ok := names[cell(row, cEmail)]; ok {
			user = n
		} else if user == "" {
			// Never write an e-mail address out: a user known only by e-mail
			// must be named in reviewer_names.
			bad = append(bad, rawVote{File: rel, Line: line, Format: "rayyan-log", Stage: stage,
				Ref: recordRef{ToolID: "rayyan-" + cell(row, cArticle)}, Err: "user_id: empty and the e-mail is not in reviewer_names"})
			continue
		} else {
			user = "rayyan-user-" + user
		}
		events = append(events, event{line, cell(row, cArticle), user, strings.Trim(cell(row, cKey), `"`), cell(row, cValue), cell(row, cTime)})
	}
	if t.err != nil {
		return nil, t.err
	}
	// Created_at is ISO-like ("2023-05-02 10:11:12 UTC"), so text order is time order.
	sort.SliceStable(events, func(i, j int) bool { return events[i].at < events[j].at })
	type state struct {
		decision string
		e        event
		reasons  []string
	}
	type au struct{ article, user string }
	states := map[au]*state{}
	var order []au
	for _, e := range events {
		k := au{e.article, e.user}
		s := states[k]
		if s == nil {
			s = &state{}
			states[k] = s
			order = append(order, k)
		}
		switch {
		case e.k == "included":
			switch e.value {
			case "1":
				s.decision, s.e = include, e
			case "-1":
				s.decision, s.e = exclude, e
			case "0":
				s.decision, s.e = maybe, e
			case "deleted", "":
				s.decision, s.e = "", e
			default:
				bad = append(bad, rawVote{File: rel, Line: e.line, Format: "rayyan-log", Stage: stage, Reviewer: e.user,
					Ref: recordRef{ToolID: "rayyan-" + e.article}, Timestamp: e.at, Err: fmt.Sprintf("value: %q is not 1, -1 or 0", e.value)})
			}
		case strings.HasPrefix(e.k, "__EXR__"):
			reason := strings.TrimPrefix(e.k, "__EXR__")
			s.reasons = removeString(s.reasons, reason)
			if e.value == "1" {
				s.reasons = append(s.reasons, reason)
			}
		}
	}
	votes := bad
	for _, k := range order {
		s := states[k]
		if s.decision == "" {
			continue
		}
		ref, ok := articles["rayyan-"+k.article]
		if !ok {
			ref = recordRef{Key: "rayyan-" + k.article}
		}
		ref.ToolID = "rayyan-" + k.article
		v := rawVote{File: rel, Line: s.e.line, Format: "rayyan-log", Ref: ref, Stage: stage,
			Reviewer: k.user, Decision: s.decision, Timestamp: s.e.at}
		if s.decision == exclude {
			v.Reasons = append([]string(nil), s.reasons...)
			sort.Strings(v.Reasons)
		}
		votes = append(votes, v)
	}
	sort.SliceStable(votes, func(i, j int) bool { return votes[i].Line < votes[j].Line })
	return votes, nil
}

func removeString(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func readRayyanArticles(path string) (map[string]recordRef, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	decoded, _, err := formats.Decode(f, "")
	if err != nil {
		return nil, err
	}
	t, err := newCSVTable(decoded)
	if err != nil {
		return nil, err
	}
	cKey, err := t.require("key")
	if err != nil {
		return nil, err
	}
	cTitle, cYear, cDOI, cPMID := t.col("title"), t.col("year"), t.col("doi"), t.col("pubmed_id", "pmid")
	out := map[string]recordRef{}
	for row := range t.rows() {
		ref := recordRef{Key: cell(row, cKey), DOI: normaliseDOI(cell(row, cDOI)), PMID: cell(row, cPMID), Title: cell(row, cTitle)}
		if y, ok := biblio.YearOf(cell(row, cYear)); ok {
			ref.Year = &y
		}
		out[ref.Key] = ref
	}
	if t.err != nil {
		return nil, t.err
	}
	return out, nil
}

// Covidence lists, and the votes a record in each list implies.
var covidenceLists = map[string][][2]string{ // list → (stage, decision) pairs
	"select":     nil, // awaiting title/abstract screening: no vote yet
	"irrelevant": {{stageTA, exclude}},
	"full_text":  {{stageTA, include}},
	"included":   {{stageTA, include}, {stageFT, include}},
	"excluded":   {{stageTA, include}, {stageFT, exclude}},
}

// covidenceList finds the list in the source or in the file name.
func covidenceList(src VoteSource) (string, error) {
	if src.List != "" {
		l := key(src.List)
		if l == "fulltext" || l == "full_text_review" {
			l = "full_text"
		}
		if _, ok := covidenceLists[l]; !ok {
			return "", fmt.Errorf("list %q is not select, irrelevant, full_text, included or excluded", src.List)
		}
		return l, nil
	}
	base := key(filepath.Base(src.Path))
	var found []string
	for _, l := range []string{"select", "irrelevant", "included", "excluded"} {
		if strings.Contains(base, l) {
			found = append(found, l)
		}
	}
	if strings.Contains(base, "full_text") || strings.Contains(base, "fulltext") {
		found = append(found, "full_text")
	}
	if len(found) != 1 {
		return "", fmt.Errorf("cannot tell the Covidence list from the file name %q: set list (select, irrelevant, full_text, included or excluded)", filepath.Base(src.Path))
	}
	return found[0], nil
}

var covidenceReason = regexp.MustCompile(`(?i)exclusion reason:\s*([^\n;|]+)`)

// readCovidence reads a Covidence references export of one list
// (Title,Authors,...,Accession Number,DOI,Ref,Covidence #,Study,Notes,Tags).
// Covidence exports the team's decisions, not each reviewer's vote.
func readCovidence(_ pathResolver, src VoteSource, rel string, r io.Reader) ([]rawVote, error) {
	list, err := covidenceList(src)
	if err != nil {
		return nil, err
	}
	reviewer := reviewerOr(src, "covidence")
	t, err := newCSVTable(r)
	if err != nil {
		return nil, err
	}
	cID := t.col("covidence #", "covidence_id", "covidence")
	cTitle, cYear, cDOI, cAN := t.col("title"), t.col("published year", "year"), t.col("doi"), t.col("accession number")
	cNotes, cTags, cRef := t.col("notes"), t.col("tags"), t.col("ref")
	if cID < 0 && cTitle < 0 && cDOI < 0 {
		return nil, errors.New(`line 1: no "Covidence #", "Title" or "DOI" column`)
	}
	var votes []rawVote
	for row, line := range t.rows() {
		ref := recordRef{ToolID: cell(row, cID), Key: cell(row, cAN), DOI: normaliseDOI(cell(row, cDOI)), Title: cell(row, cTitle)}
		if ref.Key == "" {
			ref.Key = cell(row, cRef)
		}
		if biblio.IsDigits(ref.Key) {
			ref.PMID = ref.Key
		}
		if y, ok := biblio.YearOf(cell(row, cYear)); ok {
			ref.Year = &y
		}
		v := rawVote{File: rel, Line: line, Format: "covidence", Ref: ref, Reviewer: reviewer, Labels: splitList(cell(row, cTags), ";")}
		votes = append(votes, covidenceVotes(list, v, cell(row, cNotes))...)
	}
	if t.err != nil {
		return nil, t.err
	}
	return votes, nil
}

// readCovidenceRIS reads a Covidence RIS export of one list; reasons come
// from N1 ("Exclusion reason: ...") as in the CSV's Notes.
func readCovidenceRIS(_ pathResolver, src VoteSource, rel string, r io.Reader) ([]rawVote, error) {
	list, err := covidenceList(src)
	if err != nil {
		return nil, err
	}
	reviewer := reviewerOr(src, "covidence")
	return votesFromRIS(r, rel, "covidence-ris", func(rec *tables.Record) []rawVote {
		ref := recordRef{Key: rec.SourceKey, DOI: rec.DOI, PMID: rec.PMID, Title: rec.Title, Year: rec.Year}
		if ref.PMID == "" && biblio.IsDigits(ref.Key) {
			ref.PMID = ref.Key
		}
		v := rawVote{File: rel, Line: rec.SourceLine, Format: "covidence-ris", Ref: ref, Reviewer: reviewer, Labels: rec.Keywords}
		return covidenceVotes(list, v, strings.Join(rec.Notes, "\n"))
	})
}

// covidenceVotes turns one reference of a Covidence list export into the
// votes its list implies (an "included" record was included at both
// stages), taking full-text exclusion reasons from its notes. base holds
// the reference and provenance shared by the votes.
func covidenceVotes(list string, base rawVote, notes string) []rawVote {
	var votes []rawVote
	for _, sd := range covidenceLists[list] {
		v := base
		v.Stage, v.Decision = sd[0], sd[1]
		if sd[0] == stageFT && sd[1] == exclude {
			for _, m := range covidenceReason.FindAllStringSubmatch(notes, -1) {
				v.Reasons = append(v.Reasons, strings.TrimSpace(m[1]))
			}
		}
		votes = append(votes, v)
	}
	return votes
}

// readASReview reads an ASReview LAB export: the imported columns plus a
// label column (asreview_label, or included / label_included /
// final_included in older versions): 1 relevant, 0 irrelevant, empty unseen.
func readASReview(_ pathResolver, src VoteSource, rel string, r io.Reader) ([]rawVote, error) {
	stage, err := sourceStage(src)
	if err != nil {
		return nil, err
	}
	reviewer := reviewerOr(src, "asreview")
	t, err := newCSVTable(r)
	if err != nil {
		return nil, err
	}
	cLabel := t.col("asreview_label", "label_included", "final_included", "included", "label")
	if cLabel < 0 {
		return nil, errors.New(`line 1: no label column (asreview_label, label_included, final_included or included)`)
	}
	cID, cKey := t.col("record_id"), t.col("key", "source_key", "id", "accession_number", "an")
	cTitle, cYear, cDOI, cPMID := t.col("title", "primary_title"), t.col("year", "publication_year"), t.col("doi"), t.col("pmid", "pubmed_id")
	cTime := t.col("asreview_time", "labeling_time")
	var votes []rawVote
	for row, line := range t.rows() {
		label := cell(row, cLabel)
		if label == "" || label == "-1" || strings.EqualFold(label, "nan") {
			continue // not labelled: the record was never shown
		}
		v := rawVote{File: rel, Line: line, Format: "asreview", Stage: stage, Reviewer: reviewer, Timestamp: cell(row, cTime)}
		v.Ref = recordRef{ToolID: cell(row, cID), Key: cell(row, cKey), DOI: normaliseDOI(cell(row, cDOI)), PMID: cell(row, cPMID), Title: cell(row, cTitle)}
		if y, ok := biblio.YearOf(cell(row, cYear)); ok {
			v.Ref.Year = &y
		}
		switch n, err := strconv.ParseFloat(label, 64); {
		case err == nil && n == 1:
			v.Decision = include
		case err == nil && n == 0:
			v.Decision = exclude
		default:
			v.Err = fmt.Sprintf("%s: %q is not 1 or 0", "label", label)
		}
		votes = append(votes, v)
	}
	if t.err != nil {
		return nil, t.err
	}
	return votes, nil
}
