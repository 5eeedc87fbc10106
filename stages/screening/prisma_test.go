package screening

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestTemplateLayout checks prisma.csv against the PRISMA2020 package's own
// template: the same header, and the same rows with the same texts; only n
// differs. Then come realsynth's two awaiting rows.
func TestTemplateLayout(t *testing.T) {
	shared := os.Getenv("REALSYNTH_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "..", "shared")
	}
	path := filepath.Join(shared, "data", "prisma", "PRISMA.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("PRISMA2020 template not found at %s (set REALSYNTH_SHARED to the shared folder): %v", path, err)
	}
	defer f.Close()
	want, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fl := &flow{Scope: "round", Round: "r1", DatabaseResults: 6, Databases: []named{{Name: "MEDLINE", N: 4}, {Name: "Embase", N: 2}},
		Duplicates: 1, Screened: 4, AwaitingScreening: 1, Excluded: 2, Sought: 2, NotRetrieved: 1, Assessed: 1,
		NewStudies: 1, NewReports: 1, TotalStudies: 1, TotalReports: 1}
	if err := fl.check(); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(bytes.NewReader(fl.templateCSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want)+len(awaitingRows) {
		t.Fatalf("%d rows, want the template's %d and %d awaiting rows", len(got), len(want), len(awaitingRows))
	}
	for i := range want {
		last := len(want[i]) - 1
		if !reflect.DeepEqual(got[i][:last], want[i][:last]) {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, got[i][:last], want[i][:last])
		}
	}
	n := map[string]string{}
	for _, r := range got[1:] {
		n[r[0]] = r[len(r)-1]
	}
	for k, v := range map[string]string{"database_results": "6", "database_specific_results": "MEDLINE, 4; Embase, 2",
		"records_screened": "4", "records_awaiting": "1", "reports_awaiting": "0", "dbr_notretrieved_reports": "1", "dbr_excluded": "", "new_studies": "1"} {
		if n[k] != v {
			t.Errorf("n[%s] = %q, want %q", k, n[k], v)
		}
	}
}

// TestTemplateLookups: the PRISMA2020 package's PRISMA_data looks each
// number up with grep(pattern, data[, 1]) and breaks when a pattern matches
// two rows. These are its patterns (R/PRISMA_data.R); each must still match
// exactly one row once realsynth's awaiting rows are added.
func TestTemplateLookups(t *testing.T) {
	patterns := []string{"previous_studies", "previous_reports", "register_results", "database_results",
		"database_specific_results", "register_specific_results", "website_results", "organisation_results",
		"citations_results", "duplicates", "excluded_automatic", "excluded_other", "records_screened",
		"records_excluded", "dbr_sought_reports", "dbr_notretrieved_reports", "other_sought_reports",
		"other_notretrieved_reports", "dbr_assessed", "dbr_excluded", "other_assessed", "other_excluded",
		"new_studies", "new_reports", "total_studies$", "total_reports$", "total_studies_ma", "total_reports_ma",
		"identification", "screening", "included"}
	rows, err := csv.NewReader(bytes.NewReader((&flow{}).templateCSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		var hits []string
		for _, r := range rows[1:] {
			if re.MatchString(r[0]) {
				hits = append(hits, r[0])
			}
		}
		if len(hits) != 1 {
			t.Errorf("grep(%q) matches %q, want exactly one row", p, hits)
		}
	}
}

// TestSVGWellFormed parses the diagram as XML and looks for its counts.
func TestSVGWellFormed(t *testing.T) {
	out, _ := runSmall(t, smallParams(), nil)
	for _, name := range []string{"prisma.svg", "prisma-cumulative.svg"} {
		svg := out.files[name]
		dec := xml.NewDecoder(bytes.NewReader(svg))
		var texts []string
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", name, err)
			}
			if cd, ok := tok.(xml.CharData); ok {
				texts = append(texts, string(cd))
			}
		}
		all := strings.Join(strings.Fields(strings.Join(texts, " ")), " ") // lines wrap: compare words
		wantText := map[string][]string{
			// round r2's own flow, as an update of round r1
			"prisma.svg": {"Records identified from databases (n = 4): MEDLINE (n = 2) Embase (n = 2)", "Records screened (n = 2)",
				"Studies included in previous version of review (n = 2)", "Wrong intervention (n = 1)",
				"Records awaiting screening (n = 1) no title/abstract decision yet: 1"},
			"prisma-cumulative.svg": {"Records identified from databases (n = 12)", "Records screened (n = 7)",
				"Records awaiting screening (n = 2) no title/abstract decision yet: 1 unresolved conflict: 1",
				"Reports not retrieved (n = 1)", "Studies included in review (n = 2)"},
		}[name]
		for _, w := range wantText {
			if !strings.Contains(all, w) {
				t.Errorf("%s lacks %q; texts: %s", name, w, all)
			}
		}
	}
}

// TestAdjudicatorReasonCounts: the reason PRISMA counts a full-text
// exclusion under is the adjudicating vote's; full_text_reasons order (here
// Wrong population < Wrong intervention < Wrong study design) decides only
// when nobody adjudicated. Worked by hand:
//
//	W1  Ana: design, Ben: population, Cy (tie-breaker): design  → design (adjudicator; priority order would say population)
//	W3  Ana: design, Ben: intervention, consensus: design       → design (adjudicator)
//	W7  Ana: include, Ben: intervention, Cy: design             → design (adjudicator settles the conflict)
//	W5  Ana: design, Ben: population                            → population (priority_order)
//	W2  Ana: design, Ben: population, Cy: exclude, no reason    → population (priority_order: the adjudicator gave none)
//	W4  Ana: intervention, Ben: intervention                    → intervention (only_reason)
//	W6  Ana: exclude, Ben: exclude, no reasons                  → reason not given (not_given)
func TestAdjudicatorReasonCounts(t *testing.T) {
	records, works := smallReview()
	p := smallParams()
	var raw []rawVote
	line := int64(1)
	vote := func(key, reviewer, stage, decision string, reasons ...string) {
		line++
		raw = append(raw, rawVote{File: "votes.csv", Line: line, Format: "long", Ref: recordRef{Key: key},
			Stage: stage, Reviewer: reviewer, Decision: decision, Reasons: reasons})
	}
	const pop, inter, design = "Wrong population", "Wrong intervention", "Wrong study design"
	for _, key := range []string{"1001", "1002", "1003", "1004", "1005", "1006", "1007"} {
		vote(key, "Ana", stageTA, include)
		vote(key, "Ben", stageTA, include)
	}
	vote("1001", "Ana", stageFT, exclude, design)
	vote("1001", "Ben", stageFT, exclude, pop)
	vote("1001", "Cy", stageFT, exclude, design)
	vote("1003", "Ana", stageFT, exclude, design)
	vote("1003", "Ben", stageFT, exclude, inter)
	vote("1003", "consensus", stageFT, exclude, design)
	vote("1007", "Ana", stageFT, include)
	vote("1007", "Ben", stageFT, exclude, inter)
	vote("1007", "Cy", stageFT, exclude, design)
	vote("1005", "Ana", stageFT, exclude, design)
	vote("1005", "Ben", stageFT, exclude, pop)
	vote("1002", "Ana", stageFT, exclude, design)
	vote("1002", "Ben", stageFT, exclude, pop)
	vote("1002", "Cy", stageFT, exclude)
	vote("1004", "Ana", stageFT, exclude, inter)
	vote("1004", "Ben", stageFT, exclude, inter)
	vote("1006", "Ana", stageFT, exclude)
	vote("1006", "Ben", stageFT, exclude)
	var w warnings
	out, err := screen(input{records: recordsOf(records), works: workRowsOf(works), rounds: []string{"r1", "r2"}, databases: smallDatabases, votes: raw}, p, &w)
	if err != nil {
		t.Fatal(err)
	}
	checkScreened(t, "adjudicated reasons", works, out)
	got := map[string]string{}
	for _, d := range out.decisions {
		if d.Stage == stageFT {
			got[d.WorkID] = fmt.Sprintf("%s by %s: %s (%s) from %q", d.Decision, d.ResolvedBy, d.PrismaReason, d.ReasonRule, d.Reasons)
		}
	}
	want := map[string]string{
		"W1": `exclude by unanimous: Wrong study design (adjudicator) from ["Wrong study design"]`,
		"W3": `exclude by consensus: Wrong study design (adjudicator) from ["Wrong study design"]`,
		"W7": `exclude by tiebreaker: Wrong study design (adjudicator) from ["Wrong study design"]`,
		"W5": `exclude by unanimous: Wrong population (priority_order) from ["Wrong population" "Wrong study design"]`,
		"W2": `exclude by unanimous: Wrong population (priority_order) from ["Wrong population" "Wrong study design"]`,
		"W4": `exclude by unanimous: Wrong intervention (only_reason) from ["Wrong intervention"]`,
		"W6": `exclude by unanimous: reason not given (not_given) from []`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("full-text decisions:\n got %v\nwant %v", got, want)
	}
	type reasonRow struct {
		n    int64
		rule string
	}
	rows := map[string]reasonRow{}
	for _, r := range out.prisma {
		if r.Scope == "cumulative" && r.Round == "r2" && r.Box == "dbr_excluded" {
			rows[r.Label] = reasonRow{r.N, r.Rule}
		}
	}
	wantRows := map[string]reasonRow{
		pop:                {2, "priority_order 2"},
		inter:              {1, "only_reason 1"},
		design:             {3, "adjudicator 3"},
		"reason not given": {1, "not_given 1"},
	}
	if !reflect.DeepEqual(rows, wantRows) {
		t.Errorf("cumulative dbr_excluded:\n got %v\nwant %v", rows, wantRows)
	}
	if r1 := prismaMap(out.prisma, "round", "r1"); r1["dbr_excluded/"+design] != 2 || r1["dbr_excluded/"+pop] != 2 {
		t.Errorf("round r1 dbr_excluded: %v, want design 2 (W1, W3), population 2 (W2, W5)", r1)
	}
}
