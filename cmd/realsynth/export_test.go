package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

// TestExportCommand writes works and records tables, exports them, and
// checks the RIS and CSV that come out.
func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	y := int32(2021)
	records := []tables.Record{{RecordID: "rec-1", Round: "r1", Database: "MEDLINE", SourceFile: "a.ris", SourceLine: 1,
		Format: "ris", Type: "JOUR", Title: "Peer support", Authors: []string{"Smith, J."}, AuthorsNormalised: []string{"Smith, J."},
		Keywords: []string{"peer"}, DOIs: []string{}, ISSN: []string{}, ISBN: []string{}, URLs: []string{}, Notes: []string{},
		PublicationType: []string{}, Extra: []tables.Field{}}}
	works := []tables.Work{{WorkID: "work-1", StudyID: "work-1", CanonicalRecordID: "rec-1", RecordIDs: []string{"rec-1"},
		Databases: []string{"MEDLINE"}, FirstRound: "r1", Rounds: []string{"r1"}, Title: "Peer support", Authors: []string{"Smith, J."},
		Year: &y, DOI: "10.1/peer", ReportKind: "article", RelatedWorkIDs: []string{}, AlreadySeenRecordIDs: []string{}, MemberCount: 1}}
	if err := table.WriteFile(filepath.Join(dir, "records.parquet"), records, table.Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := table.WriteFile(filepath.Join(dir, "works.parquet"), works, table.Meta{}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "works.ris")
	if code := runExport(t, "--format", "ris", "--in", filepath.Join(dir, "works.parquet"), "--out", out); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	ris, _ := os.ReadFile(out)
	for _, want := range []string{"TY  - JOUR\r\n", "ID  - work-1\r\n", "PY  - 2021\r\n", "DO  - 10.1/peer\r\n", "KW  - peer\r\n"} {
		if !strings.Contains(string(ris), want) {
			t.Errorf("RIS lacks %q:\n%s", want, ris)
		}
	}
	out = filepath.Join(dir, "records.csv")
	if code := runExport(t, "--format", "csv", "--in", filepath.Join(dir, "records.parquet"), "--out", out); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	csv, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(csv), "id,type,title,") || !strings.Contains(string(csv), "rec-1,JOUR,Peer support,") {
		t.Errorf("CSV:\n%s", csv)
	}
	if code := runExport(t, "--format", "xml", "--in", "x", "--out", "y"); code != exitUsage {
		t.Errorf("bad format: exit %d, want %d", code, exitUsage)
	}
	if code := runExport(t, "--in", filepath.Join(dir, "table.parquet"), "--out", "y"); code != exitUsage {
		t.Errorf("unknown table kind: exit %d, want %d", code, exitUsage)
	}
}

// runExport runs `realsynth export args…` as execute does, on a root
// command that has the export command even before main registers it.
func runExport(t *testing.T, args ...string) int {
	t.Helper()
	root := newRootCmd()
	found := false
	for _, c := range root.Commands() {
		found = found || c.Name() == "export"
	}
	if !found {
		root.AddCommand(newExportCmd())
	}
	root.SetArgs(append([]string{"export"}, args...))
	started := false
	root.PersistentPreRun = func(*cobra.Command, []string) { started = true }
	err := root.Execute()
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case !started || errors.As(err, &ue):
		return exitUsage
	}
	return exitRunFailed
}
