package stages_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/realsynth/realsynth/internal/synthgen"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages"
)

// TestUpdateRunIncrementalIsFull runs a review as a team does: a first
// round of searches, committed, then an update round read with the
// committed output. The update run de-duplicates incrementally (only the
// new round's records compared; dedupe's default) and, on a copy of the
// same committed output, comparing every pair again
// (stages.dedupe.incremental=false): both must give the same records'
// works and the same works table. The corpus is a generated hard one
// (internal/synthgen: title families, supplements, errata, Cochrane
// updates, seven databases), its second round two export files.
func TestUpdateRunIncrementalIsFull(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a corpus and runs the pipeline three times")
	}
	dir := t.TempDir()
	if _, err := synthgen.EnsureCorpusDir(dir, synthgen.CorpusConfig{Profile: synthgen.ProfileHard, Records: 5000, Seed: 20261204}); err != nil {
		t.Fatal(err)
	}
	round1 := `  - id: r1
    date: 2026-01-15
    searches:
      - {database: MEDLINE, path: "medline-*.nbib"}
      - {database: Embase, path: "embase-0[12].ris"}
      - {database: Scopus, path: "scopus-01.ris"}
      - {database: CINAHL, path: "cinahl-*.ris"}
      - {database: PsycINFO, path: "psycinfo-*.ris"}
      - {database: WebOfScience, path: "wos-*.ris"}
      - {database: GoogleScholar, path: "scholar-*.bib"}
`
	round2 := `  - id: r2
    date: 2026-06-15
    searches:
      - {database: Embase, path: "embase-03.ris"}
      - {database: Scopus, path: "scopus-02.ris"}
`
	write := func(name, rounds string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("review: update run\noutput: out\nrounds:\n"+rounds), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	first, update := write("round1.yaml", round1), write("update.yaml", round1+round2)
	only := []string{"stages.screening.enabled=false", "stages.synthesis.enabled=false", "stages.export.enabled=false", "stages.report.enabled=false"}
	// runTo runs config into out and says whether dedupe ran incrementally.
	runTo := func(config, out string, overrides ...string) (*pipeline.Run, string) {
		t.Helper()
		plan, err := pipeline.Load(config, stages.Pipeline, append(append([]string{"output=" + out}, only...), overrides...))
		if err != nil {
			t.Fatal(err)
		}
		stats := &dedupeStats{}
		run := pipeline.NewRun(plan.Config, slog.New(stats), nil)
		if _, err := pipeline.Execute(context.Background(), plan, run); err != nil {
			t.Fatal(err)
		}
		return run, stats.get("incremental")
	}
	committed := filepath.Join(dir, "committed")
	runTo(first, committed)
	incOut, fullOut := filepath.Join(dir, "incremental"), filepath.Join(dir, "full")
	for _, out := range []string{incOut, fullOut} {
		if err := os.CopyFS(out, os.DirFS(committed)); err != nil {
			t.Fatal(err)
		}
	}
	inc, incMode := runTo(update, incOut)
	full, fullMode := runTo(update, fullOut, "stages.dedupe.incremental=false")
	if incMode != "true" || fullMode != "false" {
		t.Fatalf("dedupe logged incremental=%s and %s, want true for the default, false when turned off", incMode, fullMode)
	}

	incRecords, _, _ := pipeline.Get[tables.Record](inc, "records")
	fullRecords, _, _ := pipeline.Get[tables.Record](full, "records")
	if len(incRecords) != len(fullRecords) || len(incRecords) < 5000 {
		t.Fatalf("%d and %d records", len(incRecords), len(fullRecords))
	}
	seen, moved := 0, 0
	for i := range incRecords {
		a, b := &incRecords[i], &fullRecords[i]
		if a.RecordID != b.RecordID || a.WorkID != b.WorkID {
			t.Fatalf("record %s in work %s (incremental), record %s in work %s (full)", a.RecordID, a.WorkID, b.RecordID, b.WorkID)
		}
	}
	incWorks, _, _ := pipeline.Get[tables.Work](inc, "works")
	fullWorks, _, _ := pipeline.Get[tables.Work](full, "works")
	if !reflect.DeepEqual(incWorks, fullWorks) {
		t.Fatalf("works differ (%d incremental, %d full)", len(incWorks), len(fullWorks))
	}
	for _, w := range incWorks {
		seen += len(w.AlreadySeenRecordIDs)
		if !w.PreviouslyIssued {
			moved++
		}
	}
	// The second round re-finds earlier papers (its records join earlier
	// works, not to be screened again) and adds new ones.
	if seen == 0 || moved == 0 {
		t.Errorf("update round: %d records already seen, %d new works; want both", seen, moved)
	}
}
