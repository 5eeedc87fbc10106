package synthesis

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/pipeline/table"
)

func stageRun(t *testing.T) (*pipeline.Run, error) {
	t.Helper()
	cfg := &pipeline.Config{Dir: "testdata/stage", Rounds: []pipeline.Round{{ID: "r1"}, {ID: "r2"}}}
	run := pipeline.NewRun(cfg, nil, nil)
	if err := pipeline.Put(run, "works", testWorks); err != nil {
		t.Fatal(err)
	}
	if err := pipeline.Put(run, "decisions", testScreening); err != nil {
		t.Fatal(err)
	}
	p := defaultParams().(*Params)
	p.Codebook, p.Configurations, p.Studies, p.Decisions = "../basic/codebook.yaml", "cmo.csv", "studies.csv", "decisions.csv"
	if err := Stage.Check(run, p); err != nil {
		t.Fatalf("check: %v", err)
	}
	return run, Stage.Run(context.Background(), run, p)
}

func get[T any](t *testing.T, run *pipeline.Run, name string) []T {
	t.Helper()
	rows, ok, err := pipeline.Get[T](run, name)
	if err != nil || !ok {
		t.Fatalf("table %s: ok %v err %v", name, ok, err)
	}
	return rows
}

// The stage end to end on testdata/stage: labels map to works (by work id
// and DOI), Lee2020's only work was excluded at full text.
//
//	C.STIGMA|M.TRUST|O.ESTEEM|positive: Smith2019 (P1) and Jones2021 (P2),
//	  no contradiction → consistency 1, flagged, and the team's "accepted" joined.
//	M.TRUST at r2: Smith2019 and Jones2021 = 2 of 2 included (Lee2020 left out).
//	C.PAY.UNFAIR: Smith2019 coded C.PAY.TOKEN, merged into it → 1.
//	alice–bob on IAP2.CONSULT: alice coded it in Smith2019, bob did not → only_a 1 of 2 studies.
func TestStageEndToEnd(t *testing.T) {
	run, err := stageRun(t)
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(run.Warnings(), "\n"); !strings.Contains(w, "study Lee2020 is not among the studies screening included") {
		t.Errorf("warnings %q lack the excluded study", w)
	}
	cands := get[tables.DemiRegularityCandidate](t, run, "demi_regularity_candidates")
	var found bool
	for _, c := range cands {
		if c.CandidateID == "C.STIGMA|M.TRUST|O.ESTEEM|positive" {
			found = true
			eqStrings(t, "support", c.SupportingStudyIDs, []string{"Jones2021", "Smith2019"})
			eqInt(t, "clusters", c.SupportingClusters, 2)
			eqFloat(t, "consistency", c.Consistency, 1)
			if !c.Flagged || c.Decision != "accepted" || c.SingleClusterOnly || c.OnlyLowRigourSupport {
				t.Errorf("candidate %+v", c)
			}
		}
	}
	if !found {
		t.Fatalf("candidate missing: %+v", cands)
	}
	for _, r := range get[tables.ThemeTally](t, run, "theme_tally") {
		switch {
		case r.CodeID == "M.TRUST" && r.Round == "r2":
			eqStrings(t, "M.TRUST r2", r.StudyIDs, []string{"Jones2021", "Smith2019"})
			eqInt(t, "included r2", r.IncludedStudies, 2)
		case r.CodeID == "C.PAY.UNFAIR" && r.Round == "r2":
			eqStrings(t, "C.PAY.UNFAIR", r.StudyIDs, []string{"Smith2019"})
		}
	}
	var consult bool
	for _, r := range get[tables.CodingAgreement](t, run, "coding_agreement") {
		if r.CodeID == "IAP2.CONSULT" {
			consult = true
			eqInt(t, "studies", r.Studies, 2)
			eqInt(t, "only alice", r.OnlyA, 1)
			eqInt(t, "both absent", r.BothAbsent, 1)
		}
	}
	if !consult {
		t.Errorf("no agreement row for IAP2.CONSULT")
	}
}

// Every table survives the Parquet writer and reader unchanged: list and
// struct columns, nullable pointers and optional strings included.
func TestTablesRoundTripThroughParquet(t *testing.T) {
	run, err := stageRun(t)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	check := func(name string, rows, back any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if reflect.ValueOf(rows).Len() == 0 {
			t.Errorf("%s is empty in the stage fixture; the round trip proves nothing", name)
		}
		if !reflect.DeepEqual(rows, back) {
			t.Errorf("%s differs after a Parquet round trip:\n got %+v\nwant %+v", name, back, rows)
		}
	}
	roundTrip(t, dir, "theme_tally", get[tables.ThemeTally](t, run, "theme_tally"), check)
	roundTrip(t, dir, "cmo_chains", get[tables.CMOChain](t, run, "cmo_chains"), check)
	roundTrip(t, dir, "demi_regularity_candidates", get[tables.DemiRegularityCandidate](t, run, "demi_regularity_candidates"), check)
	roundTrip(t, dir, "study_theme_matrix", get[tables.StudyTheme](t, run, "study_theme_matrix"), check)
	roundTrip(t, dir, "coding_agreement", get[tables.CodingAgreement](t, run, "coding_agreement"), check)
	roundTrip(t, dir, "scale_summary", get[tables.ScaleSummary](t, run, "scale_summary"), check)
	roundTrip(t, dir, "saturation", get[tables.Saturation](t, run, "saturation"), check)
	out := fixture{cmo: contradictionCMO}.analyse(t).must(t)
	roundTrip(t, dir, "contradictions", out.Contradicts, check)
}

func roundTrip[T any](t *testing.T, dir, name string, rows []T, check func(string, any, any, error)) {
	path := filepath.Join(dir, name+".parquet")
	if err := table.WriteFile(path, rows, table.Meta{Table: name}); err != nil {
		t.Fatalf("%s: write: %v", name, err)
	}
	back, err := table.ReadFile[T](path)
	check(name, rows, back, err)
}

func TestStageRejectsBadParams(t *testing.T) {
	cases := []struct {
		set  func(*Params)
		want string
	}{
		{func(p *Params) { p.Unit = "report" }, `unit "report", want study or cluster`},
		{func(p *Params) { p.MinStudies = 0 }, "min_studies 0"},
		{func(p *Params) { p.MinConsistency = 1.5 }, "min_consistency 1.5"},
		{func(p *Params) { p.Codebook = "" }, "codebook is required"},
	}
	for _, tc := range cases {
		p := defaultParams().(*Params)
		p.Codebook, p.Configurations = "x.yaml", "x.csv"
		tc.set(p)
		run := pipeline.NewRun(&pipeline.Config{Dir: "."}, nil, nil)
		wantError(t, Stage.Check(run, p), tc.want)
	}
}

// A review with no coding yet (no synthesis block) runs the other stages:
// the synthesis stage does nothing and writes no table.
func TestStageWithoutCodingDoesNothing(t *testing.T) {
	run := pipeline.NewRun(&pipeline.Config{Dir: "."}, nil, nil)
	p := defaultParams().(*Params)
	if err := Stage.Check(run, p); err != nil {
		t.Fatalf("check: %v", err)
	}
	if err := Stage.Run(context.Background(), run, p); err != nil {
		t.Fatalf("run: %v", err)
	}
	if _, ok, _ := pipeline.Get[tables.ThemeTally](run, "theme_tally"); ok {
		t.Error("theme_tally written without any coding")
	}
	p.Configurations = "cmo.csv"
	wantError(t, Stage.Check(run, p), "codebook is required")
}

// The demo review's coding validates and gives the patterns it was written
// to show (checked by reading cmo-configurations.csv):
//
//	C.STIGMA.COMMUNITY|MX.TRUST|O.ACCESS|positive: consensus rows of Tremblay2015 (2),
//	  Lindqvist2018 (3), Jozaghi2021 (1), Okafor2015 (3), Marshall2017 (2), Olding2026 (1) = 6;
//	  accepted by the team.
//	C.PAY.UNFAIR|MX.PURPOSE|O.BURNOUT|negative: Lindqvist2018 (1), Marshall2017 (1);
//	  contradicted by Wong2020 (1: unfair pay, purpose → self-esteem, positive) → 2/3.
//	Patel2017 has reviewer rows only: provisional.
func TestDemoCoding(t *testing.T) {
	const dir = "../../testdata/demo-review/synthesis"
	cfg := &pipeline.Config{Dir: dir, Rounds: []pipeline.Round{{ID: "r1"}, {ID: "r2"}}}
	run := pipeline.NewRun(cfg, nil, nil)
	p := defaultParams().(*Params)
	p.Codebook, p.Configurations, p.Studies, p.Decisions = "codebook.yaml", "cmo-configurations.csv", "studies.csv", "candidate-decisions.csv"
	p.MinClusters, p.MinConsistency = 2, 0.6
	if err := Stage.Check(run, p); err != nil {
		t.Fatal(err)
	}
	if err := Stage.Run(context.Background(), run, p); err != nil {
		t.Fatal(err)
	}
	byID := map[string]tables.DemiRegularityCandidate{}
	for _, c := range get[tables.DemiRegularityCandidate](t, run, "demi_regularity_candidates") {
		byID[c.CandidateID] = c
	}
	trust := byID["C.STIGMA.COMMUNITY|MX.TRUST|O.ACCESS|positive"]
	eqStrings(t, "trust support", trust.SupportingStudyIDs, []string{"Jozaghi2021", "Lindqvist2018", "Marshall2017", "Okafor2015", "Olding2026", "Tremblay2015"})
	if trust.Decision != "accepted" || !trust.Flagged {
		t.Errorf("trust candidate decision %q flagged %v", trust.Decision, trust.Flagged)
	}
	pay := byID["C.PAY.UNFAIR|MX.PURPOSE|O.BURNOUT|negative"]
	eqStrings(t, "unfair pay support", pay.SupportingStudyIDs, []string{"Lindqvist2018", "Marshall2017"})
	eqStrings(t, "unfair pay contradicting", pay.ContradictingStudyIDs, []string{"Wong2020"})
	eqFloat(t, "unfair pay consistency", pay.Consistency, 2.0/3)
	if !pay.HasNegativeCases {
		t.Error("unfair pay candidate lacks has_negative_cases")
	}
	provisional := false
	for _, m := range get[tables.StudyTheme](t, run, "study_theme_matrix") {
		if m.StudyID == "Patel2017" {
			provisional = m.Status == "provisional"
		}
	}
	if !provisional {
		t.Error("Patel2017 is not shown as provisional")
	}
}
