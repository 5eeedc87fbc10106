package stages_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/realsynth/realsynth/internal/synthgen"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages"
)

// These benchmarks run the real ingest and dedupe stages, as `realsynth
// run` does, on synthetic RIS exports of known duplicate structure
// (internal/synthgen, about 4 databases). Corpus generation is not timed
// and is cached in the temp folder.

func BenchmarkRunIngestDedupe10k(b *testing.B)  { benchmarkRun(b, 10_000) }
func BenchmarkRunIngestDedupe100k(b *testing.B) { benchmarkRun(b, 100_000) }

// BenchmarkRunIngestDedupe1M runs only when named (-bench 1M): its corpus
// is about 0.5 GB. It runs with the CLI's memory settings (pipeline.ApplyMemoryDefaults).
func BenchmarkRunIngestDedupe1M(b *testing.B) {
	if f := flag.Lookup("test.bench"); f == nil || !strings.Contains(f.Value.String(), "1M") {
		b.Skip("run with -bench RunIngestDedupe1M")
	}
	benchmarkRun(b, 1_000_000)
}

func benchmarkRun(b *testing.B, n int) {
	dir := corpus(b, n)
	cfg := &pipeline.Config{Dir: dir, Rounds: []pipeline.Round{{ID: "r1"}}}
	files, _ := filepath.Glob(filepath.Join(dir, "*.ris"))
	for _, f := range files {
		db := strings.TrimSuffix(filepath.Base(f), ".ris")
		cfg.Rounds[0].Searches = append(cfg.Rounds[0].Searches, pipeline.Search{Database: db, Path: filepath.Base(f)})
	}
	defer pipeline.ApplyMemoryDefaults()()
	var works int
	// Seconds per stage, so a slower run shows which stage moved.
	stageSeconds := make([]float64, 2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run := pipeline.NewRun(cfg, discardLog(), nil)
		for k, st := range stages.Pipeline[:2] { // ingest, dedupe
			start := time.Now()
			if err := st.Run(context.Background(), run, st.Params()); err != nil {
				b.Fatal(err)
			}
			stageSeconds[k] += time.Since(start).Seconds()
		}
		w, _, _ := pipeline.Get[tables.Work](run, "works")
		works = len(w)
	}
	b.StopTimer()
	b.ReportMetric(float64(works), "works")
	for k, st := range stages.Pipeline[:2] {
		b.ReportMetric(stageSeconds[k]/float64(b.N), st.Name+"-s")
	}
	b.ReportMetric(float64(n)/(b.Elapsed().Seconds()/float64(b.N)), "records/s")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB")
	}
}

func corpus(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("realsynth-synth-%d-20261122", n))
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return dir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	var files []*os.File
	_, err := synthgen.Generate(synthgen.Config{Records: n, Seed: 20261122}, func(db string) (io.Writer, error) {
		f, err := os.Create(filepath.Join(dir, db+".ris"))
		files = append(files, f)
		return f, err
	})
	for _, f := range files {
		f.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
