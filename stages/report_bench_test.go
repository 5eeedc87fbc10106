package stages_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages"
	"github.com/realsynth/realsynth/stages/report"
)

// BenchmarkReport100k times the report stage (the changes table and
// report.html) on a 100k-record review: the synthetic corpus of
// BenchmarkRunIngestDedupe100k, ingested and de-duplicated untimed first.
// It reports the page's size. Run it alone: -bench Report100k -benchtime 1x.
func BenchmarkReport100k(b *testing.B) {
	dir := corpus(b, 100_000)
	cfg := &pipeline.Config{Dir: dir, Review: "synthetic 100k review", Rounds: []pipeline.Round{{ID: "r1", Date: "2026-01-15"}}}
	files, _ := filepath.Glob(filepath.Join(dir, "*.ris"))
	for _, f := range files {
		db := strings.TrimSuffix(filepath.Base(f), ".ris")
		cfg.Rounds[0].Searches = append(cfg.Rounds[0].Searches, pipeline.Search{Database: db, Path: filepath.Base(f)})
	}
	run := pipeline.NewRun(cfg, discardLog(), nil)
	for _, st := range stages.Pipeline[:2] { // ingest, dedupe
		if err := st.Run(context.Background(), run, st.Params()); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := report.Stage.Run(context.Background(), run, report.Stage.Params()); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	in, err := report.FromRun(run)
	if err != nil {
		b.Fatal(err)
	}
	page, err := report.Render(in)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(page))/1024, "report-KiB")
}
