package screening

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
)

// named is a count per database or per exclusion reason.
type named struct {
	Name string
	N    int64
	// Rule says, for an exclusion reason, how many of its reports were
	// counted by which reason rule (decisions.reason_rule).
	Rule string
}

// flow is one PRISMA 2020 flow: a round's own (an update of the review as
// it stood after the earlier rounds) or the cumulative flow up to a round.
type flow struct {
	Scope, Round string
	Update       bool // draw the previous-version boxes

	PreviousStudies, PreviousReports int64

	DatabaseResults int64
	Databases       []named
	// Duplicates is DuplicatesWithinRound + AlreadyScreened: records of the
	// round that are another record of a work found earlier in the round, or
	// a work screened in an earlier round.
	Duplicates, DuplicatesWithinRound, AlreadyScreened int64
	ExcludedAutomatic, ExcludedOther                   int64

	// Screened counts works with a title/abstract decision; works without one
	// (never voted on, or an unresolved conflict) are AwaitingScreening, of
	// which ScreeningConflicts are conflicts.
	Screened, Excluded, AwaitingScreening, ScreeningConflicts int64
	// Sought are the works included at title/abstract; those without a
	// full-text decision are AwaitingFullText, of which FullTextConflicts
	// are conflicts.
	Sought, NotRetrieved, AwaitingFullText, FullTextConflicts int64
	Assessed                                                  int64
	ExcludedReasons                                           []named
	NewStudies, NewReports                                    int64
	TotalStudies, TotalReports                                int64
}

func (f *flow) excludedTotal() int64 {
	var n int64
	for _, r := range f.ExcludedReasons {
		n += r.N
	}
	return n
}

// check verifies the identities of the flow; each failure names the numbers.
func (f *flow) check() error {
	var errs []string
	eq := func(what string, left int64, right string, parts ...int64) {
		var sum int64
		for _, p := range parts {
			sum += p
		}
		if left != sum {
			vals := make([]string, len(parts))
			for i, p := range parts {
				vals[i] = strconv.FormatInt(p, 10)
			}
			errs = append(errs, fmt.Sprintf("%s: %d ≠ %s = %s = %d", what, left, right, strings.Join(vals, " + "), sum))
		}
	}
	var perDB int64
	for _, d := range f.Databases {
		perDB += d.N
	}
	eq("records identified = sum over databases", f.DatabaseResults, "Σ database_specific_results", perDB)
	eq("records identified = removed before screening + screened + awaiting screening", f.DatabaseResults,
		"duplicates + excluded_automatic + excluded_other + records_screened + awaiting_screening",
		f.Duplicates, f.ExcludedAutomatic, f.ExcludedOther, f.Screened, f.AwaitingScreening)
	eq("records screened = excluded + sought", f.Screened, "records_excluded + dbr_sought_reports", f.Excluded, f.Sought)
	eq("reports sought = not retrieved + assessed + awaiting", f.Sought, "dbr_notretrieved_reports + dbr_assessed + awaiting_full_text",
		f.NotRetrieved, f.Assessed, f.AwaitingFullText)
	eq("reports assessed = excluded + included", f.Assessed, "Σ dbr_excluded + new_reports", f.excludedTotal(), f.NewReports)
	eq("total studies = previous + new", f.TotalStudies, "previous_studies + new_studies", f.PreviousStudies, f.NewStudies)
	eq("total reports = previous + new", f.TotalReports, "previous_reports + new_reports", f.PreviousReports, f.NewReports)
	if f.NewStudies > f.NewReports {
		errs = append(errs, fmt.Sprintf("new studies %d > reports of new studies %d", f.NewStudies, f.NewReports))
	}
	if len(errs) > 0 {
		return fmt.Errorf("PRISMA flow (%s %s) does not add up: %s", f.Scope, f.Round, strings.Join(errs, "; "))
	}
	return nil
}

// prismaFlows counts every round's own flow and the cumulative flow up to
// each round, in round order (round r, cumulative r, round r+1, ...), and
// checks them. Counts come from independent sources — records, works,
// decisions — so a contradiction between them is caught, not absorbed.
func prismaFlows(in input, decisions []tables.Decision, workPos map[string]int, p *Params) ([]*flow, error) {
	roundIdx := map[string]int{}
	for i, r := range in.rounds {
		roundIdx[r] = i
	}
	nr := len(in.rounds)
	perRound := make([]*flow, nr)
	for i, r := range in.rounds {
		perRound[i] = &flow{Scope: "round", Round: r, Update: i > 0}
	}
	dbCounts := make([]map[string]int64, nr)
	for i := range dbCounts {
		dbCounts[i] = map[string]int64{}
	}
	// Identification: records per database; the first record of a new work
	// in its first round is screened, every other one is removed as a duplicate.
	// seen[i][k] marks work k (its position in in.works) as met in round i.
	seen := make([][]bool, nr)
	for i := range seen {
		seen[i] = make([]bool, len(in.works))
	}
	var orphans []string
	for rec := range in.records {
		i, ok := roundIdx[rec.Round]
		if !ok {
			return nil, fmt.Errorf("PRISMA: record %s is from round %q, which is not in the config", rec.RecordID, rec.Round)
		}
		f := perRound[i]
		f.DatabaseResults++
		dbCounts[i][rec.Database]++
		k, known := workPos[rec.WorkID]
		switch {
		case !known:
			orphans = append(orphans, rec.RecordID)
		case roundIdx[in.works[k].FirstRound] < i:
			f.AlreadyScreened++
		case seen[i][k]:
			f.DuplicatesWithinRound++
		default:
			seen[i][k] = true
		}
	}
	// A record the export held but ingest could not read was identified by
	// the search all the same; PRISMA shows it removed for other reasons.
	for _, q := range in.quarantined {
		i, ok := roundIdx[q.Round]
		if !ok {
			continue // input outside any search round: not part of the flow
		}
		perRound[i].DatabaseResults++
		dbCounts[i][q.Database]++
		perRound[i].ExcludedOther++
	}
	if len(orphans) > 0 {
		sort.Strings(orphans)
		ex := newExamples()
		for _, o := range orphans {
			ex.add(o)
		}
		return nil, fmt.Errorf("PRISMA: %d record(s) belong to no work in the works table (dedupe output out of date?): %s", len(orphans), ex)
	}
	for i := range perRound {
		perRound[i].Databases = sortedNamed(dbCounts[i], in.databases)
		perRound[i].Duplicates = perRound[i].DuplicatesWithinRound + perRound[i].AlreadyScreened
	}
	for _, w := range in.works {
		if _, ok := roundIdx[w.FirstRound]; !ok {
			return nil, fmt.Errorf("PRISMA: work %s was first found in round %q, which is not in the config", w.WorkID, w.FirstRound)
		}
	}
	// Screening and eligibility, from the decisions, in the round each was made.
	byWorkStage := map[workStage]*tables.Decision{}
	for i := range decisions {
		d := &decisions[i]
		byWorkStage[workStage{d.WorkID, d.Stage}] = d
	}
	reasonCounts := make([]map[string]*ruleCounts, nr)
	for i := range reasonCounts {
		reasonCounts[i] = map[string]*ruleCounts{}
	}
	includedStudies := make([][]string, nr)
	for _, w := range in.works {
		i := roundIdx[w.FirstRound]
		f := perRound[i]
		ta := byWorkStage[workStage{w.WorkID, stageTA}]
		if ta == nil || ta.Decision == conflict {
			f.AwaitingScreening++
			if ta != nil {
				f.ScreeningConflicts++
			}
			continue
		}
		ti, ok := roundIdx[ta.Round]
		if !ok {
			return nil, fmt.Errorf("PRISMA: work %s has a title/abstract decision from round %q, which is not in the config", w.WorkID, ta.Round)
		}
		tf := perRound[ti]
		tf.Screened++
		if ta.Decision == exclude {
			tf.Excluded++
			continue
		}
		tf.Sought++
		ft := byWorkStage[workStage{w.WorkID, stageFT}]
		if ft == nil || ft.Decision == conflict {
			tf.AwaitingFullText++
			if ft != nil {
				tf.FullTextConflicts++
			}
			continue
		}
		fi, ok := roundIdx[ft.Round]
		if !ok {
			return nil, fmt.Errorf("PRISMA: work %s has a full-text decision from round %q, which is not in the config", w.WorkID, ft.Round)
		}
		ff := perRound[fi]
		switch ft.Decision {
		case notRetrieved:
			ff.NotRetrieved++
		case exclude:
			ff.Assessed++
			reason, rule := ft.PrismaReason, ft.ReasonRule
			if reason == "" {
				reason, rule = countedReason(ft.Reasons, false, p)
			}
			rc := reasonCounts[fi][reason]
			if rc == nil {
				rc = &ruleCounts{}
				reasonCounts[fi][reason] = rc
			}
			rc.add(rule)
		case include:
			ff.Assessed++
			ff.NewReports++
			includedStudies[fi] = append(includedStudies[fi], studyOf(&w))
		}
	}
	var flows []*flow
	seenStudies := map[string]bool{}
	var prevStudies, prevReports int64
	cum := &flow{Scope: "cumulative"}
	cumDB := map[string]int64{}
	cumReasons := map[string]*ruleCounts{}
	for i, f := range perRound {
		f.ExcludedReasons = reasonsNamed(reasonCounts[i], p.FullTextReasons)
		f.PreviousStudies, f.PreviousReports = prevStudies, prevReports
		for _, s := range includedStudies[i] {
			if !seenStudies[s] {
				seenStudies[s] = true
				f.NewStudies++
			}
		}
		f.TotalStudies, f.TotalReports = prevStudies+f.NewStudies, prevReports+f.NewReports
		prevStudies, prevReports = f.TotalStudies, f.TotalReports
		if err := f.check(); err != nil {
			return nil, err
		}
		// The cumulative flow treats rounds 1..i as one review: a record of a
		// work screened in an earlier round is a duplicate like any other.
		c := *cum
		c.Round = f.Round
		c.DatabaseResults += f.DatabaseResults
		for _, d := range f.Databases {
			cumDB[d.Name] += d.N
		}
		c.Databases = sortedNamed(cumDB, in.databases)
		c.Duplicates += f.Duplicates
		c.DuplicatesWithinRound += f.DuplicatesWithinRound
		c.AlreadyScreened += f.AlreadyScreened
		c.ExcludedAutomatic += f.ExcludedAutomatic
		c.ExcludedOther += f.ExcludedOther
		c.Screened += f.Screened
		c.Excluded += f.Excluded
		c.AwaitingScreening += f.AwaitingScreening
		c.ScreeningConflicts += f.ScreeningConflicts
		c.Sought += f.Sought
		c.NotRetrieved += f.NotRetrieved
		c.AwaitingFullText += f.AwaitingFullText
		c.FullTextConflicts += f.FullTextConflicts
		c.Assessed += f.Assessed
		for name, rc := range reasonCounts[i] {
			if cumReasons[name] == nil {
				cumReasons[name] = &ruleCounts{}
			}
			for k, n := range rc {
				cumReasons[name][k] += n
			}
		}
		c.ExcludedReasons = reasonsNamed(cumReasons, p.FullTextReasons)
		c.NewReports += f.NewReports
		c.NewStudies += f.NewStudies
		c.TotalStudies, c.TotalReports = c.NewStudies, c.NewReports
		if err := c.check(); err != nil {
			return nil, err
		}
		cum = &c
		cc := c
		flows = append(flows, f, &cc)
	}
	return flows, nil
}

// ruleCounts counts the reports of one exclusion reason by the rule that
// chose the reason, in reasonRules order.
type ruleCounts [4]int64

var reasonRules = [4]string{ruleAdjudicator, ruleOnlyReason, rulePriorityOrder, ruleNotGiven}

func (rc *ruleCounts) add(rule string) {
	k := slices.Index(reasonRules[:], rule)
	if k < 0 {
		k = slices.Index(reasonRules[:], rulePriorityOrder) // a kept row with an unknown rule
	}
	rc[k]++
}

// String is the prisma table's rule column: "adjudicator 2; only_reason 5".
func (rc *ruleCounts) String() string {
	var parts []string
	for k, n := range rc {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", reasonRules[k], n))
		}
	}
	return strings.Join(parts, "; ")
}

func (rc *ruleCounts) total() int64 {
	var n int64
	for _, x := range rc {
		n += x
	}
	return n
}

// reasonsNamed lists exclusion reasons in full_text_reasons order, then the
// rest by name, each with its count and rule breakdown.
func reasonsNamed(counts map[string]*ruleCounts, order []string) []named {
	totals := make(map[string]int64, len(counts))
	for name, rc := range counts {
		totals[name] = rc.total()
	}
	out := sortedNamed(totals, order)
	for i := range out {
		out[i].Rule = counts[out[i].Name].String()
	}
	return out
}

// sortedNamed lists counts in the order of order (configured reasons), then
// the rest by name.
func sortedNamed(counts map[string]int64, order []string) []named {
	var out []named
	done := map[string]bool{}
	for _, name := range order {
		if n, ok := counts[name]; ok && !done[name] {
			out = append(out, named{Name: name, N: n})
			done[name] = true
		}
	}
	var rest []string
	for name := range counts {
		if !done[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		out = append(out, named{Name: name, N: counts[name]})
	}
	return out
}

// rows turns the flow into prisma table rows.
func (f *flow) rows() []tables.PrismaCount {
	var rows []tables.PrismaCount
	add := func(box, label string, n int64) {
		rows = append(rows, tables.PrismaCount{Scope: f.Scope, Round: f.Round, Box: box, Label: label, N: n})
	}
	add("previous_studies", "", f.PreviousStudies)
	add("previous_reports", "", f.PreviousReports)
	add("database_results", "", f.DatabaseResults)
	for _, d := range f.Databases {
		add("database_specific_results", d.Name, d.N)
	}
	add("duplicates", "", f.Duplicates)
	add("duplicates_within_round", "", f.DuplicatesWithinRound)
	add("already_screened", "", f.AlreadyScreened)
	add("excluded_automatic", "", f.ExcludedAutomatic)
	add("excluded_other", "", f.ExcludedOther)
	add("records_screened", "", f.Screened)
	add("records_excluded", "", f.Excluded)
	add("awaiting_screening", "", f.AwaitingScreening)
	add("dbr_sought_reports", "", f.Sought)
	add("dbr_notretrieved_reports", "", f.NotRetrieved)
	add("awaiting_full_text", "", f.AwaitingFullText)
	add("dbr_assessed", "", f.Assessed)
	for _, r := range f.ExcludedReasons {
		add("dbr_excluded", r.Name, r.N)
		rows[len(rows)-1].Rule = r.Rule
	}
	add("new_studies", "", f.NewStudies)
	add("new_reports", "", f.NewReports)
	add("total_studies", "", f.TotalStudies)
	add("total_reports", "", f.TotalReports)
	return rows
}

// templateRows is the layout of the PRISMA2020 R package's data template
// (PRISMA.csv; Haddaway et al. 2022, MIT licence): every row's data name,
// node, box, texts and url, in order. Only the n column is ours.
var templateHeader = []string{"data", "node", "box", "description", "boxtext", "tooltips", "url", "n"}

var templateRows = [][]string{
	{"NA", "node4", "prevstud", "Grey title box; Previous studies", "Previous studies", "Grey title box; Previous studies", "prevstud.html"},
	{"previous_studies", "node5", "box1", "Studies included in previous version of review", "Studies included in previous version of review", "Studies included in previous version of review", "previous_studies.html"},
	{"previous_reports", "NA", "box1", "Reports of studies included in previous version of review", "Reports of studies included in previous version of review", "NA", "previous_reports.html"},
	{"NA", "node6", "newstud", "Yellow title box; Identification of new studies via databases and registers", "Identification of new studies via databases and registers", "Yellow title box; Identification of new studies via databases and registers", "newstud.html"},
	{"database_results", "node7", "box2", "Records identified from: Databases", "Databases", "Records identified from: Databases and Registers", "database_results.html"},
	{"database_specific_results", "NA", "box2", "Records identified from: specific databases", "Specific Databases", "NA", "database_results.html"},
	{"register_results", "NA", "box2", "Records identified from: Registers", "Registers", "NA", "NA"},
	{"register_specific_results", "NA", "box2", "Records identified from: specific registers", "Specific Registers", "NA", "database_results.html"},
	{"NA", "node16", "othstud", "Grey title box; Identification of new studies via other methods", "Identification of new studies via other methods", "Grey title box; Identification of new studies via other methods", "othstud.html"},
	{"website_results", "node17", "box11", "Records identified from: Websites", "Websites", "Records identified from: Websites, Organisations and Citation Searching", "website_results.html"},
	{"organisation_results", "", "box11", "Records identified from: Organisations", "Organisations", "NA", "NA"},
	{"citations_results", "NA", "box11", "Records identified from: Citation searching", "Citation searching", "NA", "NA"},
	{"duplicates", "node8", "box3", "Duplicate records", "Duplicate records", "Duplicate records", "duplicates.html"},
	{"excluded_automatic", "NA", "box3", "Records marked as ineligible by automation tools", "Records marked as ineligible by automation tools", "NA", "NA"},
	{"excluded_other", "NA", "box3", "Records removed for other reasons", "Records removed for other reasons", "NA", "NA"},
	{"records_screened", "node9", "box4", "Records screened (databases and registers)", "Records screened", "Records screened (databases and registers)", "records_screened.html"},
	{"records_excluded", "node10", "box5", "Records excluded (databases and registers)", "Records excluded", "Records excluded (databases and registers)", "records_excluded.html"},
	{"dbr_sought_reports", "node11", "box6", "Reports sought for retrieval (databases and registers)", "Reports sought for retrieval", "Reports sought for retrieval (databases and registers)", "dbr_sought_reports.html"},
	{"dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved (databases and registers)", "Reports not retrieved", "Reports not retrieved (databases and registers)", "dbr_notretrieved_reports.html"},
	{"other_sought_reports", "node18", "box12", "Reports sought for retrieval (other)", "Reports sought for retrieval", "Reports sought for retrieval (other)", "other_sought_reports.html"},
	{"other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other)", "Reports not retrieved", "Reports not retrieved (other)", "other_notretrieved_reports.html"},
	{"dbr_assessed", "node13", "box8", "Reports assessed for eligibility (databases and registers)", "Reports assessed for eligibility", "Reports assessed for eligibility (databases and registers)", "dbr_assessed.html"},
	{"dbr_excluded", "node14", "box9", "Reports excluded (databases and registers): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (databases and registers)", "dbrexcludedrecords.html"},
	{"other_assessed", "node20", "box14", "Reports assessed for eligibility (other)", "Reports assessed for eligibility", "Reports assessed for eligibility (other)", "other_assessed.html"},
	{"other_excluded", "node21", "box15", "Reports excluded (other): [separate reasons and numbers using ; e.g. Reason1, xxx; Reason2, xxx; Reason3, xxx]", "Reports excluded", "Reports excluded (other)", "other_excluded.html"},
	{"new_studies", "node15", "box10", "New studies included in review", "New studies included in review", "New studies included in review", "new_studies.html"},
	{"new_reports", "NA", "box10", "Reports of new included studies", "Reports of new included studies", "NA", "NA"},
	{"total_studies", "node22", "box16", "Total studies included in review", "Total studies included in review", "Total studies included in review", "total_studies.html"},
	{"total_reports", "NA", "box16", "Reports of total included studies", "Reports of total included studies", "NA", "NA"},
	{"identification", "node1", "identification", "Blue identification box", "Identification", "Blue identification box", "identification.html"},
	{"screening", "node2", "screening", "Blue screening box", "Screening", "Blue screening box", "screening.html"},
	{"included", "node3", "included", "Blue included box", "Included", "Blue included box", "included.html"},
	{"total_studies_ma", "node23", "box17", "Total studies included in meta-analysis", "Total studies included in meta-analysis", "Total studies included in meta-analysis", "total_studies_meta_analysis.html"},
	{"total_reports_ma", "NA", "box17", "Reports of total included studies in meta-analysis", "Reports of total included studies in meta-analysis", "NA", "NA"},
}

// awaitingRows follow the template's rows: the works still undecided, which
// the template has no box for but without which its numbers would not add
// up (records screened = records identified − removed − awaiting screening;
// reports assessed = sought − not retrieved − awaiting full text). Their data
// names contain none of the names the PRISMA2020 package looks rows up by
// (it greps the data column: a row named "awaiting_screening" would be taken
// for the "screening" title box), so the package reads the file as before.
var awaitingRows = [][]string{
	{"records_awaiting", "NA", "box4", "Records awaiting screening (databases and registers): no title/abstract decision yet, or an unresolved conflict; not part of the PRISMA2020 template",
		"Records awaiting screening", "NA", "NA"},
	{"reports_awaiting", "NA", "box6", "Reports sought for retrieval awaiting a full-text decision (databases and registers), or with an unresolved conflict; not part of the PRISMA2020 template",
		"Reports awaiting full-text assessment", "NA", "NA"},
}

// joinNamed writes per-item counts the way the template does: "Name, n; Name, n".
func joinNamed(items []named) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = fmt.Sprintf("%s, %d", it.Name, it.N)
	}
	return strings.Join(parts, "; ")
}

// templateCSV writes the flow in the PRISMA2020 template layout, then the
// awaiting rows. Boxes realsynth does not count (registers, other methods,
// meta-analysis) are 0 or empty lists; title boxes keep the template's 0.
func (f *flow) templateCSV() []byte {
	values := map[string]string{
		"previous_studies": itoa(f.PreviousStudies), "previous_reports": itoa(f.PreviousReports),
		"database_results": itoa(f.DatabaseResults), "database_specific_results": joinNamed(f.Databases),
		"register_specific_results": "", "other_excluded": "",
		"duplicates": itoa(f.Duplicates), "excluded_automatic": itoa(f.ExcludedAutomatic), "excluded_other": itoa(f.ExcludedOther),
		"records_screened": itoa(f.Screened), "records_excluded": itoa(f.Excluded),
		"dbr_sought_reports": itoa(f.Sought), "dbr_notretrieved_reports": itoa(f.NotRetrieved),
		"dbr_assessed": itoa(f.Assessed), "dbr_excluded": joinNamed(f.ExcludedReasons),
		"new_studies": itoa(f.NewStudies), "new_reports": itoa(f.NewReports),
		"total_studies": itoa(f.TotalStudies), "total_reports": itoa(f.TotalReports),
		"records_awaiting": itoa(f.AwaitingScreening), "reports_awaiting": itoa(f.AwaitingFullText),
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(templateHeader) // writes to a bytes.Buffer cannot fail
	for _, r := range slices.Concat(templateRows, awaitingRows) {
		n, ok := values[r[0]]
		if !ok {
			n = "0"
		}
		_ = w.Write(append(append([]string(nil), r...), n))
	}
	w.Flush()
	return buf.Bytes()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
