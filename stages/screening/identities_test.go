package screening

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// CheckPrismaIdentities is checkPrismaIdentities for the external test
// package, which runs the demo review through the whole pipeline.
var CheckPrismaIdentities = checkPrismaIdentities

// checkPrismaIdentities checks every PRISMA 2020 identity on a review's
// outputs, from the written tables alone (not the stage's own flow structs,
// so that a bug shared by the stage's counting and its self-check is still
// caught):
//
//   - in each flow: records identified = Σ per database
//     = duplicates + automation + other + records screened + awaiting screening;
//     duplicates = within the round + already screened;
//     records screened = records excluded + reports sought;
//     reports sought = not retrieved + assessed + awaiting full text;
//     reports assessed = Σ reports excluded per reason + reports of new studies;
//     total = previous + new (studies and reports); new studies ≤ new reports;
//     each reason's rule breakdown adds up to its count;
//   - across flows: a round's previous studies/reports are the round before's
//     totals; the cumulative flow up to a round is the sum of the round flows;
//   - against decisions and works: the last cumulative flow's records
//     screened, excluded, sought, not retrieved, assessed, per-reason
//     exclusions and awaiting counts are the decisions counted directly;
//   - prisma.csv and prisma-cumulative.csv: the same numbers, and the same
//     identities on the file's own rows (records_awaiting, reports_awaiting).
func checkPrismaIdentities(t *testing.T, review string, rows []tables.PrismaCount, decisions []tables.Decision, works []tables.Work, files map[string][]byte) {
	t.Helper()
	type key struct{ scope, round string }
	flows := map[key]map[string]int64{}
	reasons := map[key]map[string]int64{}
	var order []key
	for _, r := range rows {
		k := key{r.Scope, r.Round}
		if flows[k] == nil {
			flows[k] = map[string]int64{}
			reasons[k] = map[string]int64{}
			order = append(order, k)
		}
		flows[k][r.Box] += r.N // per-item boxes are summed: Σ databases, Σ reasons
		if r.Box == "dbr_excluded" {
			reasons[k][r.Label] = r.N
			var sum int64
			for _, part := range strings.Split(r.Rule, "; ") {
				f := strings.Fields(part)
				if len(f) != 2 {
					t.Errorf("%s %v: dbr_excluded %q has rule %q, want \"rule n; rule n\"", review, k, r.Label, r.Rule)
					continue
				}
				n, _ := strconv.ParseInt(f[1], 10, 64)
				sum += n
			}
			if sum != r.N {
				t.Errorf("%s %v: dbr_excluded %q: rule breakdown %q adds up to %d, not %d", review, k, r.Label, r.Rule, sum, r.N)
			}
		}
	}
	if len(order) == 0 {
		t.Fatalf("%s: no prisma rows", review)
	}
	eq := func(where string, what string, left int64, parts ...int64) {
		t.Helper()
		var sum int64
		for _, p := range parts {
			sum += p
		}
		if left != sum {
			t.Errorf("%s %s: %s: %d ≠ %v (sum %d)", review, where, what, left, parts, sum)
		}
	}
	// database_specific_results rows were summed into their own key, so the
	// per-database sum is flows[k]["database_specific_results"].
	var prevRound map[string]int64
	var lastCum map[string]int64
	var lastCumKey key
	sumOfRounds := map[string]int64{}
	for _, k := range order {
		f := flows[k]
		where := fmt.Sprintf("%s %s", k.scope, k.round)
		eq(where, "records identified = Σ per database", f["database_results"], f["database_specific_results"])
		eq(where, "records identified = duplicates + automation + other + screened + awaiting screening", f["database_results"],
			f["duplicates"], f["excluded_automatic"], f["excluded_other"], f["records_screened"], f["awaiting_screening"])
		eq(where, "duplicates = within round + already screened", f["duplicates"], f["duplicates_within_round"], f["already_screened"])
		eq(where, "records screened = excluded + sought", f["records_screened"], f["records_excluded"], f["dbr_sought_reports"])
		eq(where, "reports sought = not retrieved + assessed + awaiting full text", f["dbr_sought_reports"],
			f["dbr_notretrieved_reports"], f["dbr_assessed"], f["awaiting_full_text"])
		eq(where, "reports assessed = Σ excluded + new reports", f["dbr_assessed"], f["dbr_excluded"], f["new_reports"])
		eq(where, "total studies = previous + new", f["total_studies"], f["previous_studies"], f["new_studies"])
		eq(where, "total reports = previous + new", f["total_reports"], f["previous_reports"], f["new_reports"])
		if f["new_studies"] > f["new_reports"] {
			t.Errorf("%s %s: new studies %d > new reports %d", review, where, f["new_studies"], f["new_reports"])
		}
		switch k.scope {
		case "round":
			if prevRound != nil {
				eq(where, "previous studies = the round before's total", f["previous_studies"], prevRound["total_studies"])
				eq(where, "previous reports = the round before's total", f["previous_reports"], prevRound["total_reports"])
			} else {
				eq(where, "first round: no previous studies", f["previous_studies"])
			}
			prevRound = f
			for box, n := range f {
				sumOfRounds[box] += n
			}
		case "cumulative":
			for _, box := range []string{"database_results", "duplicates", "records_screened", "records_excluded", "awaiting_screening",
				"dbr_sought_reports", "dbr_notretrieved_reports", "awaiting_full_text", "dbr_assessed", "dbr_excluded", "new_studies", "new_reports"} {
				eq(where, "cumulative "+box+" = Σ rounds", f[box], sumOfRounds[box])
			}
			eq(where, "cumulative: no previous studies", f["previous_studies"], 0)
			lastCum, lastCumKey = f, k
		}
	}
	if lastCum != nil {
		// The decisions, counted directly, give the last cumulative flow.
		byStage := map[string]map[string]*tables.Decision{stageTA: {}, stageFT: {}}
		for i := range decisions {
			d := &decisions[i]
			byStage[d.Stage][d.WorkID] = d
		}
		direct := map[string]int64{}
		directReasons := map[string]int64{}
		for _, w := range works {
			ta := byStage[stageTA][w.WorkID]
			if ta == nil || ta.Decision == conflict {
				direct["awaiting_screening"]++
				continue
			}
			direct["records_screened"]++
			if ta.Decision == exclude {
				direct["records_excluded"]++
				continue
			}
			direct["dbr_sought_reports"]++
			ft := byStage[stageFT][w.WorkID]
			switch {
			case ft == nil || ft.Decision == conflict:
				direct["awaiting_full_text"]++
			case ft.Decision == notRetrieved:
				direct["dbr_notretrieved_reports"]++
			case ft.Decision == exclude:
				direct["dbr_assessed"]++
				directReasons[ft.PrismaReason]++
				if ft.PrismaReason == "" || ft.ReasonRule == "" {
					t.Errorf("%s: work %s excluded at full text without prisma_reason/reason_rule", review, w.WorkID)
				}
			case ft.Decision == include:
				direct["dbr_assessed"]++
				direct["new_reports"]++
			}
		}
		where := fmt.Sprintf("%s %s", lastCumKey.scope, lastCumKey.round)
		for box, n := range direct {
			eq(where, box+" = decisions counted directly", lastCum[box], n)
		}
		for reason, n := range directReasons {
			eq(where, "dbr_excluded "+reason+" = decisions counted directly", reasons[lastCumKey][reason], n)
		}
		eq(where, "dbr_excluded reasons = decisions' prisma_reason values", int64(len(reasons[lastCumKey])), int64(len(directReasons)))
	}
	for name, data := range files {
		if !strings.HasSuffix(name, ".csv") || !strings.HasPrefix(name, "prisma") {
			continue
		}
		checkTemplateCSV(t, review+" "+name, data)
	}
	if _, ok := files["prisma.csv"]; !ok {
		t.Errorf("%s: no prisma.csv", review)
	}
}

// checkScreened checks the identities on the output of screen.
func checkScreened(t *testing.T, review string, works []tables.Work, out *output) {
	t.Helper()
	checkPrismaIdentities(t, review, out.prisma, out.decisions, works, out.files)
}

// checkTemplateCSV checks the PRISMA identities on prisma.csv's own rows, as
// a reader of the file would: numbers parsed from the n column, per-item
// lists ("Name, n; Name, n") summed.
func checkTemplateCSV(t *testing.T, where string, data []byte) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	n := map[string]int64{}
	for _, r := range recs[1:] {
		v := r[len(r)-1]
		if v == "" {
			continue
		}
		if x, err := strconv.ParseInt(v, 10, 64); err == nil {
			n[r[0]] = x
			continue
		}
		for _, item := range strings.Split(v, "; ") {
			i := strings.LastIndex(item, ", ")
			if i < 0 {
				t.Errorf("%s: %s: %q is not \"Name, n\"", where, r[0], item)
				continue
			}
			x, err := strconv.ParseInt(item[i+2:], 10, 64)
			if err != nil {
				t.Errorf("%s: %s: %q is not \"Name, n\"", where, r[0], item)
				continue
			}
			n[r[0]] += x
		}
	}
	eq := func(what string, left int64, parts ...int64) {
		t.Helper()
		var sum int64
		for _, p := range parts {
			sum += p
		}
		if left != sum {
			t.Errorf("%s: %s: %d ≠ %v (sum %d)", where, what, left, parts, sum)
		}
	}
	eq("database_results = Σ database_specific_results", n["database_results"], n["database_specific_results"])
	eq("database_results − duplicates − excluded_automatic − excluded_other − records_awaiting = records_screened",
		n["database_results"], n["duplicates"], n["excluded_automatic"], n["excluded_other"], n["records_awaiting"], n["records_screened"])
	eq("records_screened − records_excluded = dbr_sought_reports", n["records_screened"], n["records_excluded"], n["dbr_sought_reports"])
	eq("dbr_sought_reports − dbr_notretrieved_reports − reports_awaiting = dbr_assessed",
		n["dbr_sought_reports"], n["dbr_notretrieved_reports"], n["reports_awaiting"], n["dbr_assessed"])
	eq("dbr_assessed − Σ dbr_excluded = new_reports", n["dbr_assessed"], n["dbr_excluded"], n["new_reports"])
	eq("total_studies = previous_studies + new_studies", n["total_studies"], n["previous_studies"], n["new_studies"])
	eq("total_reports = previous_reports + new_reports", n["total_reports"], n["previous_reports"], n["new_reports"])
}
