package screening_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages"
	"github.com/realsynth/realsynth/stages/screening"
)

// TestDemoReviewPrisma runs the demo review in testdata/ through the whole
// pipeline, as `make run` does, and checks every PRISMA identity on its
// prisma table, prisma.csv and prisma-cumulative.csv, against its decisions
// and works.
func TestDemoReviewPrisma(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	plan, err := pipeline.Load("../../configs/demo.yaml", stages.Pipeline, []string{"output=" + out})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Execute(t.Context(), plan, pipeline.NewRun(plan.Config, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	prisma, _, err := pipeline.Get[tables.PrismaCount](res.Run, "prisma")
	if err != nil {
		t.Fatal(err)
	}
	decisions, _, err := pipeline.Get[tables.Decision](res.Run, "decisions")
	if err != nil {
		t.Fatal(err)
	}
	works, _, err := pipeline.Get[tables.Work](res.Run, "works")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, name := range []string{"prisma.csv", "prisma-cumulative.csv"} {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	screening.CheckPrismaIdentities(t, "demo review", prisma, decisions, works, files)

	// Databases in the config's search order, not alphabetically.
	order := map[string][]string{}
	for _, r := range prisma {
		if r.Box == "database_specific_results" {
			k := r.Scope + " " + r.Round
			order[k] = append(order[k], r.Label)
		}
	}
	want := map[string][]string{
		"round r1": {"MEDLINE", "Embase", "CINAHL", "Scopus"}, "cumulative r1": {"MEDLINE", "Embase", "CINAHL", "Scopus"},
		"round r2": {"MEDLINE", "Embase", "Scopus"}, "cumulative r2": {"MEDLINE", "Embase", "CINAHL", "Scopus"},
	}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("database order %v, want the config's %v", order, want)
	}
	if !strings.Contains(string(files["prisma-cumulative.csv"]), `"MEDLINE, `) {
		t.Errorf("prisma-cumulative.csv does not list MEDLINE first:\n%s", files["prisma-cumulative.csv"])
	}
	// prisma.csv is round r2's flow, checked by hand against the demo data:
	// 61 records (MEDLINE 15, Embase 23, Scopus 23) = 42 duplicates (26
	// within the round, 16 of works screened in r1) + 18 screened + 1 awaiting
	// (600013130 has no title/abstract vote yet); 18 = 16 excluded + 2 sought;
	// 2 assessed = 1 excluded (Wrong study design) + 1 new report of 1 new
	// study; 14 + 1 = 15 studies, 15 + 1 = 16 reports in total.
	n := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(files["prisma.csv"])), "\n")[1:] {
		cells := splitCSVLine(t, line)
		n[cells[0]] = cells[len(cells)-1]
	}
	for k, v := range map[string]string{
		"database_results": "61", "database_specific_results": "MEDLINE, 15; Embase, 23; Scopus, 23", "duplicates": "42",
		"excluded_automatic": "0", "excluded_other": "0", "records_screened": "18", "records_awaiting": "1", "records_excluded": "16",
		"dbr_sought_reports": "2", "dbr_notretrieved_reports": "0", "reports_awaiting": "0", "dbr_assessed": "2",
		"dbr_excluded": "Wrong study design, 1", "new_studies": "1", "new_reports": "1", "previous_studies": "14",
		"previous_reports": "15", "total_studies": "15", "total_reports": "16",
	} {
		if n[k] != v {
			t.Errorf("prisma.csv %s = %q, want %q", k, n[k], v)
		}
	}
	// The two screeners excluded 600010706 for different reasons (No data on
	// mechanisms or outcomes; Wrong study design) and the tie-breaker chose
	// the first: PRISMA counts her reason, not the one earlier in
	// full_text_reasons.
	adjudicated := 0
	for _, d := range decisions {
		if d.Stage == "full_text" && slices.Contains(d.Votes, "R. Lindqvist: exclude") {
			adjudicated++
			if d.PrismaReason != "No data on mechanisms or outcomes" || d.ReasonRule != "adjudicator" {
				t.Errorf("%s: counted under %q by %q, want the tie-breaker's reason", d.WorkID, d.PrismaReason, d.ReasonRule)
			}
		}
	}
	if adjudicated != 1 {
		t.Errorf("%d full-text exclusions with the tie-breaker's vote, want 1 (600010706)", adjudicated)
	}
}

func splitCSVLine(t *testing.T, line string) []string {
	t.Helper()
	cells, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	return cells
}
