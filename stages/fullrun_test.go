package stages_test

import (
	"path/filepath"
	"testing"

	"github.com/realsynth/realsynth/internal/synthgen"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
)

// TestHardCorpusRunsWhole runs a small hard corpus's review.yaml through the
// real runner, as BenchmarkFullRun does: nothing is quarantined, every record
// finds its truth row by file and line (so the benchmark's score is about
// every record), and the dedupe stage logs the pairs it compared.
func TestHardCorpusRunsWhole(t *testing.T) {
	dir := t.TempDir()
	c, err := synthgen.WriteCorpusDir(dir, synthgen.CorpusConfig{Profile: synthgen.ProfileHard, Records: 3000, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	m := fullRunT(t, filepath.Join(dir, synthgen.ReviewFile), filepath.Join(t.TempDir(), "out"))
	quarantine, _, _ := pipeline.Get[tables.Quarantine](m.run, "quarantine")
	records, _, _ := pipeline.Get[tables.Record](m.run, "records")
	works, _, _ := pipeline.Get[tables.Work](m.run, "works")
	if len(quarantine) != 0 || len(records) != c.Records {
		t.Fatalf("%d records, %d quarantined; the corpus has %d", len(records), len(quarantine), c.Records)
	}
	truth, err := loadTruth(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := truth.Score(synthgen.PredictionsFrom(records, works))
	if s.Unknown != 0 || s.Missing != 0 || s.Records != c.Records {
		t.Errorf("score covers %d records, %d unknown, %d missing; want all %d", s.Records, s.Unknown, s.Missing, c.Records)
	}
	if m.pairs < int64(c.Records) || m.endedBy == "" {
		t.Errorf("dedupe compared %d pairs, ended by %q", m.pairs, m.endedBy)
	}
	var staged float64
	for _, st := range m.stages {
		staged += st.seconds
	}
	if d := staged - m.wall; d > 1e-6 || d < -1e-6 || m.stages[0].name != "ingest" || m.stages[len(m.stages)-1].name != "write" {
		t.Errorf("stage times %+v do not add up to the wall time %.3f", m.stages, m.wall)
	}
}
