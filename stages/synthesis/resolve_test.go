package synthesis

import (
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// The records behind testWorks, as dedupe leaves them: W2 (the article of
// study ST1) was found by MEDLINE and Embase, W3 by Scopus.
var testRecords = []tables.Record{
	{RecordID: "r1", WorkID: "W2", Database: "MEDLINE", SourceKey: "31234567", PMID: "31234567", DOI: "10.1000/art.1"},
	{RecordID: "r2", WorkID: "W2", Database: "Embase", SourceKey: "2001234567", DOIs: []string{"10.1000/art.1"}},
	{RecordID: "r3", WorkID: "W3", Database: "Scopus", SourceKey: "2-s2.0-85000000001", PMID: "32000001"},
	{RecordID: "r4", WorkID: "W3", Database: "PsycINFO", SourceKey: "2021-00001-001", DOIs: []string{"10.1000/art.3", "10.1000/art.3.suppl"}},
}

// TestReportReferences: the studies CSV and report_id name reports by
// PMID, DOI (any of a record's, not only the work's), database:key or work
// id, before any run has told the team the work ids.
func TestReportReferences(t *testing.T) {
	studies := "study_id,work_id,report_id\nSmith2019,PMID:31234567,\nJones2021,,Scopus:2-s2.0-85000000001\n"
	f := fixture{rounds: []string{"r1", "r2"}, works: testWorks, records: testRecords, screening: testScreening, studies: studies, cmo: cmoHeader +
		// Three ways to name W2 (Smith2019's report): one report.
		"1,Smith2019,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,q1,3,Embase:2001234567,\n" +
		"2,Smith2019,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,q2,4,pmid 31234567,\n" +
		"3,Smith2019,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,q3,5,W2,\n" +
		// A DOI only a PsycINFO record carries, and a bare PMID.
		"1,Jones2021,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,q,3,10.1000/art.3.suppl,\n" +
		"2,Jones2021,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,q,4,32000001,\n"}
	out := f.analyse(t).must(t)
	s := out.tally(t, "C.STIGMA", "r2")
	eqStrings(t, "studies", s.StudyIDs, []string{"Jones2021", "Smith2019"})
	eqInt(t, "reports (W2 named three ways counts once, W3 twice once)", s.Reports, 2)
	for _, m := range out.Matrix {
		switch m.StudyID {
		case "Smith2019":
			eqStrings(t, "Smith2019 works", m.WorkIDs, []string{"W2"})
		case "Jones2021":
			eqStrings(t, "Jones2021 works", m.WorkIDs, []string{"W3"})
		}
	}
}

func TestReportReferenceErrors(t *testing.T) {
	cases := []struct {
		name, studies, cmo string
		want               []string
	}{
		{"a PMID of no record", "study_id,work_id\nSmith2019,PMID:99999999\n",
			cmoHeader + "1,Smith2019,consensus,C.STIGMA,,,,,,,,,,\n",
			[]string{"studies.csv:2:", "study Smith2019: work_id PMID:99999999 is not a work of this review, nor a DOI, PMID or database:key"}},
		{"a database key of another study's report", "study_id,work_id\nSmith2019,W2\nJones2021,W3\n",
			cmoHeader + "1,Smith2019,consensus,C.STIGMA,,,,,,,quote,4,PsycINFO:2021-00001-001,\n",
			[]string{"cmo.csv:2:", "excerpt cites report PsycINFO:2021-00001-001 of study ST3, not of Smith2019"}},
		{"a key in a database with no such record", "study_id,work_id\nSmith2019,W2\n",
			cmoHeader + "1,Smith2019,consensus,C.STIGMA,,,,,,,quote,4,Embase:31234567,\n",
			[]string{"cmo.csv:2:", "report_id Embase:31234567 is not a work id, DOI, PMID, database:key or study"}},
		{"a CMO label that is a PMID resolves to its study", "",
			cmoHeader + "1,PMID:31234567,consensus,C.STIGMA,,,,,,,,,,\n1,W1,consensus,C.STIGMA,,,,,,,,,,\n",
			[]string{"cmo.csv:3:", "studies PMID:31234567 and W1 are reports of one study (ST1)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := fixture{rounds: []string{"r1", "r2"}, works: testWorks, records: testRecords, screening: testScreening, studies: tc.studies, cmo: tc.cmo}.analyse(t)
			wantError(t, r.err, tc.want...)
		})
	}
}

func TestRefKey(t *testing.T) {
	for ref, want := range map[string]string{
		"10.1000/ABC":                  "doi:10.1000/abc",
		"https://doi.org/10.1000/abc":  "doi:10.1000/abc",
		"PMID:31234567":                "pmid:31234567",
		"pmid 31234567":                "pmid:31234567",
		"31234567":                     "pmid:31234567",
		"Embase:2001234567":            "key:embase:2001234567",
		"Web of Science:WOS:000123456": "key:web of science:WOS:000123456",
		"2001234567":                   "", // ten digits: no PMID, and no database named
		"Smith2019":                    "",
	} {
		if got := refKey(ref); got != want {
			t.Errorf("refKey(%q) = %q, want %q", ref, got, want)
		}
	}
}
