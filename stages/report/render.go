package report

import (
	"bytes"
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
)

//go:embed page.html.tmpl
var pageTemplate string

//go:embed page.css
var pageCSS string

// TopRows is how many rows of a long table the page shows; the rest are in
// the Parquet table it names.
const TopRows = 15

var tmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"css":  func() template.CSS { return template.CSS(pageCSS) },
	"f2":   func(v *float64) string { return fmtFloat(v, 2) },
	"f3":   func(v *float64) string { return fmtFloat(v, 3) },
	"pct":  func(v *float64) string { return fmtPct(v) },
	"join": strings.Join,
	"year": func(y *int32) string {
		if y == nil {
			return ""
		}
		return strconv.Itoa(int(*y))
	},
	"human": humanise,
	// chain lets a long chain id (context|mechanism|outcome|polarity) wrap at its bars.
	"chain": func(id string) template.HTML {
		parts := strings.Split(id, "|")
		for i := range parts {
			parts[i] = template.HTMLEscapeString(parts[i])
		}
		return template.HTML(strings.Join(parts, "|<wbr>"))
	},
}).Parse(pageTemplate))

// Render writes report.html for in. The same input gives the same bytes.
func Render(in *Input) ([]byte, error) {
	pg, err := buildPage(in)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, pg); err != nil {
		return nil, fmt.Errorf("report.html: %w", err)
	}
	return b.Bytes(), nil
}

func fmtFloat(v *float64, digits int) string {
	if v == nil || math.IsNaN(*v) {
		return "–"
	}
	return strconv.FormatFloat(*v, 'f', digits, 64)
}

func fmtPct(v *float64) string {
	if v == nil || math.IsNaN(*v) {
		return "–"
	}
	return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
}

// humanise turns a code name (already_screened) into words (already screened).
func humanise(s string) string { return strings.ReplaceAll(s, "_", " ") }

// more says how much of a table is shown and where the rest is.
type more struct {
	Shown, Total int
	Table        string
}

func moreOf(shown, total int, table string) more { return more{shown, total, table} }

func top[T any](rows []T) []T { return rows[:min(len(rows), TopRows)] }

type page struct {
	Review, Version string
	Rounds          []pipeline.ManifestRound
	Latest          string
	Run             runSection
	Changes         changesSection
	Prisma          prismaSection
	Sources         sourcesSection
	Dedupe          dedupeSection
	Screening       screeningSection
	Synthesis       synthesisSection
}

func buildPage(in *Input) (*page, error) {
	pg := &page{Review: in.Review, Version: in.Version, Rounds: in.Rounds}
	if len(pg.Rounds) == 0 {
		// An output written before the manifest kept its rounds.
		seen := map[string]bool{}
		for _, c := range in.Contribution {
			if c.Round != "" && !seen[c.Round] {
				seen[c.Round] = true
				pg.Rounds = append(pg.Rounds, pipeline.ManifestRound{ID: c.Round})
			}
		}
	}
	if n := len(pg.Rounds); n > 0 {
		pg.Latest = pg.Rounds[n-1].ID
	}
	pg.Run = buildRun(in)
	pg.Changes = buildChanges(in)
	pg.Prisma = buildPrisma(in, pg.Latest)
	var err error
	if pg.Sources, err = buildSources(in, pg.Rounds); err != nil {
		return nil, err
	}
	pg.Dedupe = buildDedupe(in)
	if pg.Screening, err = buildScreening(in); err != nil {
		return nil, err
	}
	if pg.Synthesis, err = buildSynthesis(in, pg.Latest); err != nil {
		return nil, err
	}
	return pg, nil
}

// 1. Run

type runSection struct {
	Inputs         []pipeline.InputFile
	Records, Quar  int
	Quarantine     []tables.Quarantine
	QuarantineMore more
	Warnings       []warningKind
	WarningsTotal  int
	Tables         []tableCount
}

type warningKind struct {
	Kind     string
	Count    int
	Examples []string
	More     int
}

type tableCount struct {
	Name string
	Rows int
}

const warningExamples = 3

func buildRun(in *Input) runSection {
	s := runSection{Inputs: in.Inputs, Quarantine: top(in.Quarantine), QuarantineMore: moreOf(min(len(in.Quarantine), TopRows), len(in.Quarantine), "quarantine")}
	for _, f := range in.Inputs {
		if f.Kind == "search export" {
			s.Records += f.Records
			s.Quar += f.Quarantined
		}
	}
	for _, w := range in.Warnings {
		k := warningKind{Kind: w.Kind, Count: w.Count, Examples: w.Messages[:min(len(w.Messages), warningExamples)]}
		k.More = len(w.Messages) - len(k.Examples)
		s.Warnings = append(s.Warnings, k)
		s.WarningsTotal += w.Count
	}
	for _, spec := range tables.Catalog() {
		if n, ok := in.Rows[spec.Name]; ok {
			s.Tables = append(s.Tables, tableCount{spec.Name, n})
		}
	}
	return s
}

// 2. What changed

type changesSection struct {
	Present, FirstRun bool
	PreviousWorks     int64
	PerDatabase       []dbChange
	Totals            dbChange
	NewlyIncluded     []includedStudy
	Decisions         []tables.Change
	DecisionsMore     more
	Support           []tables.Change
	SupportMore       more
}

type includedStudy struct {
	StudyID, Title, Year string
}

type dbChange struct {
	Database                          string
	NewRecords, NewWorks, AlreadySeen int64
}

func buildChanges(in *Input) changesSection {
	var s changesSection
	if _, ok := in.Rows["changes"]; !ok {
		return s
	}
	s.Present = true
	at := map[string]int{} // database → index in PerDatabase; rows arrive sorted by database
	var decisions, support []tables.Change
	for _, c := range in.Changes {
		switch c.Kind {
		case "previous_output":
			s.FirstRun = c.Subject == "none"
			s.PreviousWorks = c.Count
		case "new_records", "new_works", "already_screened":
			d := &s.Totals
			if c.Database != "" {
				i, ok := at[c.Database]
				if !ok {
					i = len(s.PerDatabase)
					at[c.Database] = i
					s.PerDatabase = append(s.PerDatabase, dbChange{Database: c.Database})
				}
				d = &s.PerDatabase[i]
			}
			switch c.Kind {
			case "new_records":
				d.NewRecords = c.Count
			case "new_works":
				d.NewWorks = c.Count
			case "already_screened":
				d.AlreadySeen = c.Count
			}
		case "newly_included":
			s.NewlyIncluded = append(s.NewlyIncluded, includedStudy{StudyID: c.Subject})
		case "decision_changed":
			decisions = append(decisions, c)
		case "support_changed":
			support = append(support, c)
		}
	}
	// A study's title: its work of the same id, else its work of the
	// smallest id (whatever the works table's order).
	title := map[string]*workRow{} // study ids from the works table; looked up only
	for i := range in.Works {
		w := &in.Works[i]
		t, ok := title[w.StudyID]
		if !ok || w.WorkID == w.StudyID || t.WorkID != t.StudyID && w.WorkID < t.WorkID {
			title[w.StudyID] = w
		}
	}
	for i := range s.NewlyIncluded {
		if w, ok := title[s.NewlyIncluded[i].StudyID]; ok {
			s.NewlyIncluded[i].Title = w.Title
			if w.Year != nil {
				s.NewlyIncluded[i].Year = strconv.Itoa(int(*w.Year))
			}
		}
	}
	s.Decisions, s.DecisionsMore = top(decisions), moreOf(min(len(decisions), TopRows), len(decisions), "changes")
	s.Support, s.SupportMore = top(support), moreOf(min(len(support), TopRows), len(support), "changes")
	return s
}

// 3. PRISMA 2020

// prismaLabels are the PRISMA 2020 template's box texts; a box the table
// has and this list lacks is shown under its own name, so new boxes appear
// without a change here.
var prismaLabels = map[string]string{ // keys are the prisma table's box names, never user data
	"previous_studies":          "Studies included in the previous version of the review",
	"previous_reports":          "Reports of studies included in the previous version",
	"database_results":          "Records identified from databases",
	"register_results":          "Records identified from registers",
	"website_results":           "Records identified from websites",
	"organisation_results":      "Records identified from organisations",
	"citations_results":         "Records identified from citation searching",
	"duplicates":                "Duplicate records removed",
	"duplicates_within_round":   "duplicates within the round",
	"already_screened":          "already screened in an earlier round",
	"excluded_automatic":        "Records marked ineligible by automation tools",
	"excluded_other":            "Records removed for other reasons",
	"records_screened":          "Records screened",
	"records_excluded":          "Records excluded",
	"awaiting_screening":        "Records awaiting screening",
	"dbr_sought_reports":        "Reports sought for retrieval",
	"dbr_notretrieved_reports":  "Reports not retrieved",
	"awaiting_full_text":        "Reports awaiting full-text assessment",
	"dbr_assessed":              "Reports assessed for eligibility",
	"dbr_excluded":              "Reports excluded",
	"new_studies":               "New studies included in the review",
	"new_reports":               "Reports of new included studies",
	"total_studies":             "Total studies included in the review",
	"total_reports":             "Reports of total included studies",
	"database_specific_results": "Records per database",
	"register_specific_results": "Records per register",
}

// prismaLayout places boxes: per phase, rows of a main box (left) and the
// boxes that branch off it (right). parts are shown inside their box.
var prismaLayout = []struct {
	Phase string
	Rows  []struct{ Main, Side []string }
}{
	{"Previous review", []struct{ Main, Side []string }{{Main: []string{"previous_studies", "previous_reports"}}}},
	{"Identification", []struct{ Main, Side []string }{{
		Main: []string{"database_results", "register_results", "website_results", "organisation_results", "citations_results"},
		Side: []string{"duplicates", "excluded_automatic", "excluded_other"}}}},
	{"Screening", []struct{ Main, Side []string }{
		{Main: []string{"records_screened"}, Side: []string{"records_excluded", "awaiting_screening"}},
		{Main: []string{"dbr_sought_reports"}, Side: []string{"dbr_notretrieved_reports", "awaiting_full_text"}},
		{Main: []string{"dbr_assessed"}, Side: []string{"dbr_excluded"}}}},
	{"Included", []struct{ Main, Side []string }{
		{Main: []string{"new_studies", "new_reports"}},
		{Main: []string{"total_studies", "total_reports"}}}},
}

// prismaItems: a box whose per-item rows are shown inside another box.
var prismaItems = map[string]string{"database_specific_results": "database_results", "register_specific_results": "register_results",
	"duplicates_within_round": "duplicates", "already_screened": "duplicates"}

type prismaSection struct {
	Present bool
	Flows   []prismaFlow
	Counts  []prismaCount
}

type prismaFlow struct {
	Title  string
	Phases []prismaPhase
}

type prismaPhase struct {
	Name string
	Rows []prismaRow
}

type prismaRow struct{ Main, Side []prismaBox }

type prismaBox struct {
	Box, Label string
	N          int64
	Items      []prismaItem
}

type prismaItem struct {
	Label string
	N     int64
}

type prismaCount struct {
	Box, Label, Text  string
	Round, Cumulative string
}

func buildPrisma(in *Input, latest string) prismaSection {
	var s prismaSection
	if _, ok := in.Rows["prisma"]; !ok {
		return s
	}
	s.Present = true
	for _, scope := range []struct{ scope, title string }{{"round", "Round " + latest + " (an update of the earlier rounds)"}, {"cumulative", "All rounds to " + latest + " (cumulative)"}} {
		var rows []tables.PrismaCount
		for _, r := range in.Prisma {
			if r.Scope == scope.scope && r.Round == latest {
				rows = append(rows, r)
			}
		}
		if len(rows) > 0 {
			s.Flows = append(s.Flows, prismaFlowOf(scope.title, rows))
		}
	}
	// The counts table: every box and item of both flows, in table order.
	type key struct{ box, label string }
	at := map[key]int{} // prisma box names and labels → row; only iterated in table order
	// The cumulative flow has every database and reason: its order first.
	var ordered []tables.PrismaCount
	for _, scope := range []string{"cumulative", "round"} {
		for _, r := range in.Prisma {
			if r.Scope == scope && r.Round == latest {
				ordered = append(ordered, r)
			}
		}
	}
	for _, r := range ordered {
		k := key{r.Box, r.Label}
		i, ok := at[k]
		if !ok {
			i = len(s.Counts)
			at[k] = i
			s.Counts = append(s.Counts, prismaCount{Box: r.Box, Label: r.Label, Text: boxText(r.Box), Round: "–", Cumulative: "–"})
		}
		if r.Scope == "round" {
			s.Counts[i].Round = strconv.FormatInt(r.N, 10)
		} else {
			s.Counts[i].Cumulative = strconv.FormatInt(r.N, 10)
		}
	}
	return s
}

// allZero: a cumulative flow has no previous version of the review.
func allZero(rows []prismaRow) bool {
	for _, r := range rows {
		for _, b := range append(append([]prismaBox(nil), r.Main...), r.Side...) {
			if b.N != 0 {
				return false
			}
		}
	}
	return true
}

func boxText(box string) string {
	if t, ok := prismaLabels[box]; ok {
		return t
	}
	return humanise(box)
}

func prismaFlowOf(title string, rows []tables.PrismaCount) prismaFlow {
	boxes := map[string]*prismaBox{} // box names from the prisma table; read through the layout and a sorted list
	var order []string
	for _, r := range rows {
		name := r.Box
		if parent, ok := prismaItems[r.Box]; ok {
			name = parent
		}
		b, ok := boxes[name]
		if !ok {
			b = &prismaBox{Box: name, Label: boxText(name), N: -1}
			boxes[name] = b
			order = append(order, name)
		}
		switch {
		case r.Box != name && r.Label != "":
			b.Items = append(b.Items, prismaItem{r.Label, r.N})
		case r.Box != name:
			b.Items = append(b.Items, prismaItem{boxText(r.Box), r.N})
		case r.Label != "":
			b.Items = append(b.Items, prismaItem{r.Label, r.N})
		default:
			b.N = r.N
		}
	}
	for _, b := range boxes {
		if b.N < 0 { // only per-item rows: the box is their sum
			b.N = 0
			for _, it := range b.Items {
				b.N += it.N
			}
		}
	}
	placed := map[string]bool{}
	pick := func(names []string) []prismaBox {
		var out []prismaBox
		for _, n := range names {
			if b, ok := boxes[n]; ok {
				out = append(out, *b)
				placed[n] = true
			}
		}
		return out
	}
	f := prismaFlow{Title: title}
	for _, ph := range prismaLayout {
		p := prismaPhase{Name: ph.Phase}
		for _, r := range ph.Rows {
			row := prismaRow{Main: pick(r.Main), Side: pick(r.Side)}
			if len(row.Main)+len(row.Side) > 0 {
				p.Rows = append(p.Rows, row)
			}
		}
		if len(p.Rows) > 0 && (ph.Phase != "Previous review" || !allZero(p.Rows)) {
			f.Phases = append(f.Phases, p)
		}
	}
	var rest []string
	for _, n := range order {
		if !placed[n] {
			rest = append(rest, n)
		}
	}
	if len(rest) > 0 {
		f.Phases = append(f.Phases, prismaPhase{Name: "Other counts", Rows: []prismaRow{{Main: pick(rest)}}})
	}
	return f
}

// 4. Sources

type sourcesSection struct {
	Present     bool
	Rounds      []string
	Rows        []sourceRow
	Chart       chart
	Overlap     chart
	OverlapRows []tables.SourceOverlap
}

type sourceRow struct {
	Database                       string
	PerRound                       []string
	Records, Works, Unique, Shared int64
}

func buildSources(in *Input, rounds []pipeline.ManifestRound) (sourcesSection, error) {
	var s sourcesSection
	if _, ok := in.Rows["source_contribution"]; !ok {
		return s, nil
	}
	s.Present = true
	for _, r := range rounds {
		s.Rounds = append(s.Rounds, r.ID)
	}
	var dbs []string
	perRound := map[[2]string]int64{} // (database, round) → records; names from the config
	all := map[string]tables.SourceContribution{}
	for _, c := range in.Contribution {
		if c.Round == "" {
			all[c.Database] = c
			dbs = append(dbs, c.Database)
		} else {
			perRound[[2]string{c.Database, c.Round}] = c.Records
		}
	}
	slices.Sort(dbs)
	values := make([][]float64, len(s.Rounds))
	for i := range values {
		values[i] = make([]float64, len(dbs))
	}
	for j, db := range dbs {
		c := all[db]
		row := sourceRow{Database: db, Records: c.Records, Works: c.Works, Unique: c.UniqueWorks, Shared: c.Works - c.UniqueWorks}
		for i, r := range s.Rounds {
			n, ok := perRound[[2]string{db, r}]
			values[i][j] = float64(n)
			if ok {
				row.PerRound = append(row.PerRound, strconv.FormatInt(n, 10))
			} else {
				row.PerRound = append(row.PerRound, "–")
			}
		}
		s.Rows = append(s.Rows, row)
	}
	var err error
	s.Chart, err = groupedBars("chart-sources", "Records per database and round", "database", "records", dbs, s.Rounds, values,
		"Bar chart of the records each database returned in each round; the same numbers are in the table above.")
	if err != nil {
		return s, err
	}
	// Overlap: works retrieved by both databases, over all rounds; the
	// diagonal is each database's own works.
	idx := map[string]int{}
	for i, db := range dbs {
		idx[db] = i
	}
	z := make([][]float64, len(dbs))
	for i, db := range dbs {
		z[i] = make([]float64, len(dbs))
		z[i][i] = float64(all[db].Works)
	}
	for _, o := range in.Overlap {
		if o.Round != "" {
			continue
		}
		s.OverlapRows = append(s.OverlapRows, o)
		a, okA := idx[o.DatabaseA]
		b, okB := idx[o.DatabaseB]
		if okA && okB {
			z[a][b], z[b][a] = float64(o.SharedWorks), float64(o.SharedWorks)
		}
	}
	s.Overlap, err = heatMap("chart-overlap", "Works found by both databases (all rounds)", "", "", dbs, dbs, z,
		4.5*vg.Inch, 3.6*vg.Inch, "Heat map of the works each pair of databases both retrieved over all rounds; the diagonal is each database's works. The same numbers are in the overlap table.")
	return s, err
}

// 5. De-duplication

type dedupeSection struct {
	Present                     bool
	Records, Works, Duplicates  int
	Studies, MultiReportStudies int
	ByRule                      []ruleCount
	Related                     []ruleCount
	Kinds                       []ruleCount
	Queue                       []queuePair
	QueueMore                   more
	Bridges                     int
}

type ruleCount struct {
	Rule string
	N    int
}

type queuePair struct {
	Item     tables.ReviewItem
	Evidence []evidence
}

type evidence struct{ Field, Verdict string }

func countBy[T any](rows []T, keep func(T) (string, bool)) []ruleCount {
	n := map[string]int{} // rule names and kinds from the tables; sorted below
	for _, r := range rows {
		if k, ok := keep(r); ok {
			n[k]++
		}
	}
	return sortedCounts(n)
}

// sortedCounts lists counts most first, ties by name: the map's order
// never reaches the page.
func sortedCounts(n map[string]int) []ruleCount {
	out := make([]ruleCount, 0, len(n))
	for k, v := range n {
		out = append(out, ruleCount{k, v})
	}
	slices.SortFunc(out, func(a, b ruleCount) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Rule, b.Rule)) })
	return out
}

func buildDedupe(in *Input) dedupeSection {
	var s dedupeSection
	if _, ok := in.Rows["works"]; !ok {
		return s
	}
	s.Present = true
	s.Records = in.Rows["records"]
	s.Works = len(in.Works)
	s.Duplicates = s.Records - s.Works
	studies := map[string]int{}
	for _, w := range in.Works {
		studies[w.StudyID]++
	}
	s.Studies = len(studies)
	for _, n := range studies {
		if n > 1 {
			s.MultiReportStudies++
		}
	}
	s.ByRule = in.Pairs.Duplicate
	s.Related = in.Pairs.Related
	s.Kinds = countBy(in.Works, func(w workRow) (string, bool) { return w.ReportKind, true })
	for _, q := range top(in.Queue) {
		s.Queue = append(s.Queue, queuePair{Item: q, Evidence: in.Pairs.Evidence[recordPair{q.RecordA, q.RecordB}]})
	}
	s.QueueMore = moreOf(len(s.Queue), len(in.Queue), "review_queue")
	s.Bridges = len(in.Bridges)
	return s
}

// 6. Screening

type screeningSection struct {
	Present      bool
	Stages       []stageTally
	Agreement    []tables.Agreement
	Forest       chart
	Conflicts    []tables.Decision
	ConflictMore more
	Unmatched    int
	Pilot        []tables.Agreement
	PilotVerdict string
	PilotPassed  bool
}

type stageTally struct {
	Stage                                    string
	Include, Exclude, Conflict, NotRetrieved int
}

func buildScreening(in *Input) (screeningSection, error) {
	var s screeningSection
	if _, ok := in.Rows["decisions"]; !ok {
		return s, nil
	}
	s.Present = true
	for _, stage := range []string{"title_abstract", "full_text"} {
		t := stageTally{Stage: stage}
		for _, d := range in.Decisions {
			if d.Stage != stage {
				continue
			}
			switch d.Decision {
			case "include":
				t.Include++
			case "exclude":
				t.Exclude++
			case "conflict":
				t.Conflict++
			case "not_retrieved":
				t.NotRetrieved++
			}
		}
		s.Stages = append(s.Stages, t)
	}
	var forestRows []forestRow
	for _, a := range in.Agreement {
		if a.Subset == "pilot" {
			s.Pilot = append(s.Pilot, a)
			continue
		}
		s.Agreement = append(s.Agreement, a)
		if a.Kappa != nil && a.KappaCILow != nil && a.KappaCIHigh != nil {
			forestRows = append(forestRows, forestRow{
				Label: fmt.Sprintf("%s · %s · %s / %s", shortStage(a.Stage), a.Round, a.ReviewerA, a.ReviewerB),
				Est:   *a.Kappa, Low: *a.KappaCILow, High: *a.KappaCIHigh})
		}
	}
	var err error
	s.Forest, err = forest("chart-kappa", "Cohen's κ with 95% CI, per stage, round and reviewer pair", "Cohen's κ", forestRows, -1, 1,
		"Forest plot: each reviewer pair's Cohen's kappa as a square with its 95% confidence interval as a line, per screening stage and round; the values are in the agreement table.")
	if err != nil {
		return s, err
	}
	var conflicts []tables.Decision
	for _, d := range in.Decisions {
		if d.Decision == "conflict" {
			conflicts = append(conflicts, d)
		}
	}
	s.Conflicts, s.ConflictMore = top(conflicts), moreOf(min(len(conflicts), TopRows), len(conflicts), "decisions")
	s.Unmatched = len(in.Unmatched)
	var gate []string
	for _, w := range in.Warnings {
		if w.Kind == "pilot_gate" {
			gate = append(gate, w.Messages...)
		}
	}
	switch {
	case len(gate) > 0:
		s.PilotVerdict = strings.Join(gate, " ")
	case len(s.Pilot) > 0:
		s.PilotPassed = true
		s.PilotVerdict = "Passed: every screener pair reached the configured agreement on the pilot works."
	default:
		s.PilotVerdict = "No pilot gate was configured (pilot_records is 0)."
	}
	return s, nil
}

func shortStage(s string) string {
	switch s {
	case "title_abstract":
		return "T/A"
	case "full_text":
		return "FT"
	}
	return s
}

// 7. Synthesis

type synthesisSection struct {
	Present        bool
	Tally          []tables.ThemeTally
	TallyMore      more
	Matrix         chart
	MatrixNote     string
	Candidates     []candidateView
	CandidatesMore more
	Contradictions []tables.Contradiction
	ContraMore     more
	Saturation     chart
	SaturationRows []tables.Saturation
	Scale          []scaleView
}

type candidateView struct {
	tables.DemiRegularityCandidate
	Quotes []tables.Quote
}

type scaleView struct {
	tables.ScaleSummary
	Percent int // bar length: studies as a share of the scale's largest level
}

const (
	matrixCodes   = 24
	matrixStudies = 40
	quotesShown   = 2
)

func buildSynthesis(in *Input, latest string) (synthesisSection, error) {
	var s synthesisSection
	if _, ok := in.Rows["theme_tally"]; !ok {
		return s, nil
	}
	s.Present = true
	var tally []tables.ThemeTally
	for _, t := range in.Tally {
		if t.Round == latest && t.Studies > 0 {
			tally = append(tally, t)
		}
	}
	slices.SortStableFunc(tally, func(a, b tables.ThemeTally) int {
		return cmp.Or(cmp.Compare(b.Studies, a.Studies), cmp.Compare(a.CodeID, b.CodeID))
	})
	s.Tally, s.TallyMore = top(tally), moreOf(min(len(tally), TopRows), len(tally), "theme_tally")

	// Study × theme: included studies, the codes most studies use.
	perCode := map[string]map[string]int64{} // code → study → configurations; codes and labels from the codebook, read sorted
	label := map[string]string{}
	studySet := map[string]bool{}
	for _, m := range in.Matrix {
		if m.Status != "included" {
			continue
		}
		if perCode[m.CodeID] == nil {
			perCode[m.CodeID] = map[string]int64{}
		}
		perCode[m.CodeID][m.StudyID] += m.Configurations
		label[m.CodeID] = m.Label
		studySet[m.StudyID] = true
	}
	codes := make([]string, 0, len(perCode))
	for c := range perCode {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b string) int { return cmp.Or(cmp.Compare(len(perCode[b]), len(perCode[a])), cmp.Compare(a, b)) })
	studies := make([]string, 0, len(studySet))
	for st := range studySet {
		studies = append(studies, st)
	}
	slices.Sort(studies)
	var cut []string
	if len(codes) > matrixCodes {
		cut = append(cut, fmt.Sprintf("the %d codes most studies use, of %d", matrixCodes, len(codes)))
	}
	if len(studies) > matrixStudies {
		cut = append(cut, fmt.Sprintf("the first %d studies, of %d", matrixStudies, len(studies)))
	}
	if len(cut) > 0 {
		s.MatrixNote = "Showing " + strings.Join(cut, " and ") + "; all are in study_theme_matrix.parquet."
	}
	codes, studies = codes[:min(len(codes), matrixCodes)], studies[:min(len(studies), matrixStudies)]
	z := make([][]float64, len(studies))
	for i, st := range studies {
		z[i] = make([]float64, len(codes))
		for j, c := range codes {
			z[i][j] = math.NaN() // blank: the study does not code it
			if n := perCode[c][st]; n > 0 {
				z[i][j] = float64(n)
			}
		}
	}
	var err error
	s.Matrix, err = heatMap("chart-matrix", "Configurations per included study and code", "code", "study", codes, studies, z,
		6.5*vg.Inch, vg.Length(float64(len(studies))*20+150),
		"Heat map of included studies (rows) against codes (columns); each cell counts the consensus configurations coding the code in the study, blank where none.")
	if err != nil {
		return s, err
	}

	quotes := map[string][]tables.Quote{} // chain ids from the coding; looked up by candidate id
	for _, c := range in.Chains {
		quotes[c.ChainID] = c.Quotes
	}
	var cands []candidateView
	for _, c := range in.Candidates {
		q := quotes[c.CandidateID]
		cands = append(cands, candidateView{c, q[:min(len(q), quotesShown)]})
	}
	s.Candidates, s.CandidatesMore = top(cands), moreOf(min(len(cands), TopRows), len(cands), "demi_regularity_candidates")
	s.Contradictions, s.ContraMore = top(in.Contradictions), moreOf(min(len(in.Contradictions), TopRows), len(in.Contradictions), "contradictions")

	var xs []float64
	ys := [][]float64{{}, {}}
	for _, r := range in.Saturation {
		xs = append(xs, float64(r.Order))
		ys[0] = append(ys[0], float64(r.CumulativeCodes))
		ys[1] = append(ys[1], float64(r.CumulativeChains))
	}
	s.SaturationRows = in.Saturation
	s.Saturation, err = lines("chart-saturation", "Saturation: distinct codes and chains as studies are coded", "studies coded (in coding order)", "distinct, cumulative",
		[]string{"codes", "CMO chains"}, xs, ys,
		"Line chart of the cumulative number of distinct codes and of CMO chains after each study in coding order; a flattening line means new studies add little. The values are in the saturation table.")
	if err != nil {
		return s, err
	}
	peak := map[string]int64{} // scale names from the codebook
	for _, r := range in.Scale {
		if r.Scope == "all" {
			peak[r.Scale] = max(peak[r.Scale], r.Studies)
		}
	}
	for _, r := range in.Scale {
		if r.Scope == "all" {
			pct := 0
			if peak[r.Scale] > 0 {
				pct = int(100 * r.Studies / peak[r.Scale])
			}
			s.Scale = append(s.Scale, scaleView{r, pct})
		}
	}
	return s, nil
}
