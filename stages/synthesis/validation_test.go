package synthesis

import (
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// Every validation error names file and line; unknown codes come with the
// closest code as a suggestion.
func TestValidationErrors(t *testing.T) {
	cases := []struct {
		name string
		cmo  string
		want []string
	}{
		{"unknown code suggests the closest",
			cmoHeader + "1,S1,consensus,C.STIGMAA,,M.TRUST,O.ESTEEM,,,positive,,,,\n",
			[]string{"cmo.csv:2:", `context: unknown code "C.STIGMAA"`, "did you mean C.STIGMA?"}},
		{"unknown label suggests by label",
			cmoHeader + "1,S1,consensus,C.STIGMA,,M.TRUST,self esteem,,,positive,,,,\n",
			[]string{"cmo.csv:2:", `outcome: unknown code "self esteem"`, "did you mean O.ESTEEM?"}},
		{"code in a role it does not allow",
			cmoHeader + "1,S1,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,,,,\n2,S1,consensus,O.BURNOUT,,M.TRUST,O.ESTEEM,,,positive,,,,\n",
			[]string{"cmo.csv:3:", "context: code O.BURNOUT (Burnout) may not be used as C; its roles are O"}},
		{"mechanism resource in the response slot",
			cmoHeader + "1,S1,consensus,,,R.BRIDGE,O.ESTEEM,,,positive,,,,\n",
			[]string{"cmo.csv:2:", "mechanism_response: code R.BRIDGE", "as MX"}},
		{"bad polarity",
			cmoHeader + "1,S1,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,good,,,,\n",
			[]string{"cmo.csv:2:", `polarity "good"`}},
		{"duplicate configuration id",
			cmoHeader + "1,S1,consensus,C.STIGMA,,,,,,,,,,\n1,S1,consensus,C.ROLE,,,,,,,,,,\n",
			[]string{"cmo.csv:3:", "cmoc_id 1 is used twice in study S1 by reviewer consensus (also line 2)"}},
		{"dangling upstream",
			"cmoc_id,study_id,reviewer,context,upstream_cmoc_id\n1,S1,consensus,C.STIGMA,9\n",
			[]string{"cmo.csv:2:", "upstream_cmoc_id 9 is not a configuration of reviewer consensus in study S1"}},
		{"upstream cycle",
			"cmoc_id,study_id,reviewer,context,upstream_cmoc_id\n1,S1,consensus,C.STIGMA,2\n2,S1,consensus,C.ROLE,1\n",
			[]string{"cmo.csv:2:", "cycle in upstream_cmoc_id: 1 → 2 → 1"}},
		{"missing study",
			cmoHeader + "1,,consensus,C.STIGMA,,,,,,,,,,\n",
			[]string{"cmo.csv:2:", "study_id is empty"}},
		{"unknown round",
			cmoHeader + "1,S1,consensus,C.STIGMA,,,,,,,,,,r9\n",
			[]string{"cmo.csv:2:", `round "r9" is not a round of this review (r1, r2)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := fixture{cmo: tc.cmo, rounds: []string{"r1", "r2"}}.analyse(t)
			wantError(t, r.err, tc.want...)
		})
	}
}

func TestCodebookValidationErrors(t *testing.T) {
	cases := []struct {
		name, file, text string
		want             []string
	}{
		{"parent cycle", "cb.yaml", "codes:\n" +
			"  - {code_id: A, parent_id: B, label: A, roles: [C]}\n" +
			"  - {code_id: B, parent_id: A, label: B, roles: [C]}\n",
			[]string{"cb.yaml:2:", "cycle in parent_id: A → B → A"}},
		{"self parent", "cb.yaml", "codes:\n  - {code_id: A, parent_id: A, label: A, roles: [C]}\n",
			[]string{"cb.yaml:2:", "cycle in parent_id: A → A"}},
		{"merge cycle", "cb.yaml", "codes:\n" +
			"  - {code_id: A, label: A, roles: [C]}\n" +
			"  - {code_id: B, label: B, roles: [C], status: merged, merged_into: C}\n" +
			"  - {code_id: C, label: C, roles: [C], status: merged, merged_into: B}\n",
			[]string{"cb.yaml:3:", "cycle in merged_into: B → C → B"}},
		{"unknown field (strict YAML)", "cb.yaml", "codes:\n  - {code_id: A, label: A, roles: [C], parent: B}\n",
			[]string{"cb.yaml:2:", "codes[0].parent: unknown key (known: code_id, parent_id, label,"}},
		{"unknown top-level key", "cb.yaml", "titel: Peer engagement\ncodes:\n  - {code_id: A, label: A, roles: [C]}\n",
			[]string{"cb.yaml:1:", "titel: unknown key (known: title, description, version, codebook_version, codes)"}},
		{"every unknown key at once", "cb.yaml", "title: T\nauthor: me\ncodes:\n  - {code_id: A, label: A, roles: [C]}\n  - {code_id: B, label: B, roles: [C], note: x}\n",
			[]string{"cb.yaml:2: author: unknown key", "cb.yaml:5: codes[1].note: unknown key"}},
		{"metadata of the wrong type", "cb.yaml", "title: [a, b]\ncodes:\n  - {code_id: A, label: A, roles: [C]}\n",
			[]string{"cb.yaml", "line 1", "cannot unmarshal"}},
		{"two versions that disagree", "cb.yaml", "version: \"2\"\ncodebook_version: \"3\"\ncodes:\n  - {code_id: A, label: A, roles: [C]}\n",
			[]string{"cb.yaml", `version "2" and codebook_version "3" disagree`}},
		{"empty file", "cb.yaml", "",
			[]string{"cb.yaml", "the file is empty"}},
		{"unknown parent", "cb.yaml", "codes:\n  - {code_id: A, parent_id: Z, label: A, roles: [C]}\n",
			[]string{"cb.yaml:2:", "parent_id Z is not a code"}},
		{"bad role", "cb.yaml", "codes:\n  - {code_id: A, label: A, roles: [M]}\n",
			[]string{"cb.yaml:2:", `unknown role "M"`}},
		{"merged without target", "cb.yaml", "codes:\n  - {code_id: A, label: A, roles: [C], status: merged}\n",
			[]string{"cb.yaml:2:", "status merged needs merged_into"}},
		{"reused id", "cb.yaml", "codes:\n  - {code_id: A, label: A, roles: [C]}\n  - {code_id: A, label: Again, roles: [C]}\n",
			[]string{"defined twice"}},
		{"synonym collision", "cb.yaml", "codes:\n  - {code_id: A, label: Alpha, roles: [C]}\n  - {code_id: B, label: Beta, roles: [C], synonyms: [alpha]}\n",
			[]string{"cb.yaml:3:", `synonym "alpha" is already the label of A`}},
		{"CSV misspelt column", "cb.csv", "code_id,parent,label,roles\nA,,Alpha,C\n",
			[]string{"cb.csv:1:", "unknown columns parent"}},
		{"CSV bad rank", "cb.csv", "code_id,label,roles,scale,rank\nA,Alpha,I,IAP2,two\n",
			[]string{"cb.csv:2:", `rank: "two" is not a whole number`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadCodebook(writeTemp(t, tc.file, tc.text), tc.file)
			wantError(t, err, tc.want...)
		})
	}
}

// A CSV codebook reads like the YAML one: lists are `;`-separated.
func TestCSVCodebook(t *testing.T) {
	cb, err := LoadCodebook(writeTemp(t, "cb.csv", "code_id,parent_id,label,roles,synonyms,status,merged_into,scale,rank\n"+
		"C,,Contexts,C,,,,,\nC.STIGMA,C,Stigma,C,discrimination;prejudice,,,,\nC.OLD,C,Old stigma,C,,merged,C.STIGMA,,\nL.2,,Consult,I;C,,,,IAP2,2\n"), "cb.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"prejudice", "C.OLD", "Old stigma", "stigma"} {
		if got, _, ok := cb.Resolve(name); !ok || cb.Codes[got].ID != "C.STIGMA" {
			t.Errorf("Resolve(%q) = %v %v, want C.STIGMA", name, got, ok)
		}
	}
	l, _, _ := cb.Resolve("L.2")
	if c := cb.Codes[l]; c.Rank == nil || *c.Rank != 2 || !cb.HasRole(l, RoleContext) || !cb.HasRole(l, RoleIntervention) {
		t.Errorf("L.2 = %+v", c)
	}
}

// Studies tie to works and screening decisions.
//
//	works: W1, W2 (one study ST1: preprint and article), W3 (ST3), W4 (ST4)
//	decisions: W2 and W3 included at full text; W4 excluded.
var (
	testWorks = []tables.Work{
		{WorkID: "W1", StudyID: "ST1", DOI: "10.1000/pre.1"},
		{WorkID: "W2", StudyID: "ST1", DOI: "10.1000/art.1"},
		{WorkID: "W3", StudyID: "ST3", DOI: "10.1000/art.3"},
		{WorkID: "W4", StudyID: "ST4", DOI: "10.1000/art.4"},
	}
	testScreening = []tables.Decision{
		{WorkID: "W2", Stage: "full_text", Round: "r1", Decision: "include"},
		{WorkID: "W3", Stage: "full_text", Round: "r2", Decision: "include"},
		{WorkID: "W4", Stage: "full_text", Round: "r1", Decision: "exclude"},
		{WorkID: "W4", Stage: "title_abstract", Round: "r1", Decision: "include"},
	}
)

func TestStudiesMapToIncludedWorks(t *testing.T) {
	studies := "study_id,work_id,doi,cluster_id\nSmith2019,W1,,P1\nJones2021,,https://doi.org/10.1000/ART.3,P1\nLee2020,W4,,\n"
	f := fixture{rounds: []string{"r1", "r2"}, works: testWorks, screening: testScreening, studies: studies, cmo: cmoHeader +
		"1,Smith2019,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,q,3,W2,\n" +
		"1,Jones2021,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,q,3,10.1000/art.3,\n" +
		"1,Lee2020,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,,,,\n"}
	r := f.analyse(t)
	out := r.must(t)
	// Smith2019 is included through W2, the other report of its study;
	// Jones2021 by DOI, from round 2; Lee2020's work was excluded: a warning,
	// and it is left out of the tallies.
	s1 := out.tally(t, "C.STIGMA", "r1")
	eqStrings(t, "r1 studies", s1.StudyIDs, []string{"Smith2019"})
	eqInt(t, "r1 included", s1.IncludedStudies, 1)
	s2 := out.tally(t, "C.STIGMA", "r2")
	eqStrings(t, "r2 studies", s2.StudyIDs, []string{"Jones2021", "Smith2019"})
	eqInt(t, "r2 included", s2.IncludedStudies, 2)
	eqInt(t, "r2 clusters (both P1)", s2.Clusters, 1)
	eqInt(t, "r2 reports", s2.Reports, 2)
	if !strings.Contains(strings.Join(r.warnings, "\n"), "cmo.csv:4: study Lee2020 is not among the studies screening included") {
		t.Errorf("no warning for the excluded study: %q", r.warnings)
	}
	for _, m := range out.Matrix {
		if m.StudyID == "Lee2020" && m.Status != "not_included" {
			t.Errorf("Lee2020 matrix status %q, want not_included", m.Status)
		}
		if m.StudyID == "Smith2019" {
			eqStrings(t, "Smith2019 works", m.WorkIDs, []string{"W1"})
		}
	}
}

func TestStudyErrors(t *testing.T) {
	studies := "study_id,work_id,doi\nSmith2019,W1,\nJones2021,W3,\nBad2020,W9,\n"
	cases := []struct {
		name, studies, cmo string
		want               []string
	}{
		{"excerpt citing another study's report", "study_id,work_id\nSmith2019,W1\nJones2021,W3\n",
			cmoHeader + "1,Smith2019,consensus,C.STIGMA,,,,,,,quote,4,W3,\n",
			[]string{"cmo.csv:2:", "excerpt cites report W3 of study ST3, not of Smith2019"}},
		{"excerpt citing another study's label", "study_id,work_id\nSmith2019,W1\nJones2021,W3\n",
			cmoHeader + "1,Smith2019,consensus,C.STIGMA,,,,,,,quote,4,Jones2021,\n",
			[]string{"cmo.csv:2:", "excerpt cites Jones2021, another study than Smith2019"}},
		{"unknown study with suggestion", "study_id,work_id\nSmith2019,W1\n",
			cmoHeader + "1,Smtih2019,consensus,C.STIGMA,,,,,,,,,,\n",
			[]string{"cmo.csv:2:", `unknown study "Smtih2019"`, "did you mean Smith2019?"}},
		{"unknown work in studies CSV", studies,
			cmoHeader + "1,Bad2020,consensus,C.STIGMA,,,,,,,,,,\n",
			[]string{"studies.csv:4:", "work_id W9 is not a work"}},
		{"two labels for one study", "study_id,work_id\nSmith2019,W1\nSmith2020,W2\n",
			cmoHeader + "1,Smith2019,consensus,C.STIGMA,,,,,,,,,,\n1,Smith2020,consensus,C.STIGMA,,,,,,,,,,\n",
			[]string{"cmo.csv:3:", "studies Smith2019 and Smith2020 are reports of one study (ST1)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := fixture{rounds: []string{"r1", "r2"}, works: testWorks, screening: testScreening, studies: tc.studies, cmo: tc.cmo}.analyse(t)
			wantError(t, r.err, tc.want...)
		})
	}
}

// Without screening (no decisions table), every coded study counts, with a warning.
func TestNoScreeningTreatsAllAsIncluded(t *testing.T) {
	r := fixture{cmo: cmoHeader + "1,S1,consensus,C.STIGMA,,,,,,,,,,\n"}.analyse(t)
	out := r.must(t)
	eqInt(t, "studies", out.tally(t, "C.STIGMA", "all").Studies, 1)
	if !strings.Contains(strings.Join(r.warnings, "\n"), "every study in the CMO file is treated as included") {
		t.Errorf("no warning: %q", r.warnings)
	}
}

// Jones2021 was included in round 2 (W3's full-text include); coding dated
// round 1 moves to round 2 with a warning, so round 1 counts only Smith2019
// against a denominator of 1.
func TestCodingBeforeInclusionCountsFromInclusionRound(t *testing.T) {
	r := fixture{rounds: []string{"r1", "r2"}, works: testWorks, screening: testScreening,
		studies: "study_id,work_id\nSmith2019,W2\nJones2021,W3\n",
		cmo:     cmoHeader + "1,Smith2019,consensus,C.STIGMA,,,,,,,,,,r1\n1,Jones2021,consensus,C.STIGMA,,,,,,,,,,r1\n"}.analyse(t)
	out := r.must(t)
	r1 := out.tally(t, "C.STIGMA", "r1")
	eqStrings(t, "r1 studies", r1.StudyIDs, []string{"Smith2019"})
	eqFloat(t, "r1 share", r1.ShareOfIncluded, 1)
	eqInt(t, "r2 studies", out.tally(t, "C.STIGMA", "r2").Studies, 2)
	if !strings.Contains(strings.Join(r.warnings, "\n"), "cmo.csv:3: study Jones2021 is coded in round r1 but was included in round r2") {
		t.Errorf("no warning: %q", r.warnings)
	}
}

// Odd but possible inputs end in a clear error or in empty tables, never a panic.
func TestEdgeInputs(t *testing.T) {
	out := fixture{cmo: cmoHeader}.analyse(t).must(t)
	if len(out.Chains) != 0 || len(out.Saturation) != 0 {
		t.Errorf("header-only coding gave %d chains, %d saturation rows", len(out.Chains), len(out.Saturation))
	}
	if r := out.tally(t, "C", "all"); r.Studies != 0 || r.ShareOfIncluded != nil {
		t.Errorf("empty tally row %+v, want 0 studies and a null share", r)
	}
	// Only reviewer rows: every study provisional, nothing tallied, agreement computed.
	out = fixture{cmo: cmoHeader + "1,S1,alice,C.STIGMA,,,,,,,,,,\n1,S1,bob,C.ROLE,,,,,,,,,,\n"}.analyse(t).must(t)
	eqInt(t, "provisional", out.tally(t, "C", "all").ProvisionalStudies, 1)
	if len(out.Agreement) == 0 {
		t.Error("no agreement rows from two reviewers")
	}
	empty := writeTemp(t, "empty.yaml", "codes: []\n")
	wantError(t, fixture{codebook: empty, cmo: cmoHeader + "1,S1,consensus,C.X,,,,,,,,,,\n"}.analyse(t).err, `unknown code "C.X" (did you mean none?)`)
	wantError(t, fixture{cmo: "cmoc_id,study_id,reviewer,context\n1,S1,consensus,\"C.STIGMA\n"}.analyse(t).err, "cmo.csv:2:")
	wantError(t, fixture{cmo: "cmoc_id,study_id\n1,S1\n"}.analyse(t).err, `cmo.csv:1: missing column "reviewer"`)
	_, err := LoadCodebook(writeTemp(t, "list.yaml", "- code_id: A\n"), "list.yaml")
	wantError(t, err, "codebook list.yaml")
}

// A team's codebook file commonly documents itself: title, description and
// a version (spelt version or codebook_version). They are accepted and kept;
// the version reaches every candidate row.
func TestCodebookMetadataIsKept(t *testing.T) {
	cb, err := LoadCodebook(writeTemp(t, "cb.yaml", "title: Peer engagement codebook\n"+
		"description: |\n  Contexts, mechanisms and outcomes of peer work.\n  Piloted on five studies.\n"+
		"codebook_version: \"2.1\"\n"+
		"codes:\n  - {code_id: C, label: Contexts, roles: [C]}\n"), "cb.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := CodebookMetadata{Title: "Peer engagement codebook",
		Description: "Contexts, mechanisms and outcomes of peer work.\nPiloted on five studies.", Version: "2.1"}
	if cb.Metadata != want {
		t.Errorf("metadata = %+v, want %+v", cb.Metadata, want)
	}
	// The test codebook says version: "test-1"; every candidate carries it.
	out := fixture{cmo: candidateCMO, studies: candidateStudies}.analyse(t).must(t)
	if len(out.Candidates) == 0 {
		t.Fatal("no candidates")
	}
	for _, c := range out.Candidates {
		if c.CodebookVersion != "test-1" {
			t.Errorf("candidate %s: codebook_version %q, want test-1", c.CandidateID, c.CodebookVersion)
		}
	}
}
