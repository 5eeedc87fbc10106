package stages_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/realsynth/realsynth/internal/synthgen"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages"
)

// BenchmarkFullRun is `realsynth run` on a synthetic corpus, whole: the
// config is loaded and every stage runs through the real runner, which
// writes every table into a fresh output folder, with the CLI's memory
// settings. Sub-benchmarks are <profile>-<size>: old or hard
// (internal/synthgen), 10k, 100k or 1M records. It reports wall and CPU
// seconds, peak RSS, pairs compared, each stage's share of the wall time,
// and precision, recall and false merges against the corpus's truth.
//
// It runs only when named, one size per process, so that peak RSS is that
// size's (scripts/bench.sh, `make bench`):
//
//	go test -run '^$' -bench 'FullRun/^hard-100k$' -benchtime 1x ./stages
//
// Corpora are generated once into $REALSYNTH_CORPORA (default: the temp
// folder's realsynth-corpora), best beforehand with gencorpus so that the
// generator's memory is not in the peak.
func BenchmarkFullRun(b *testing.B) {
	// Only a pattern naming the cases runs them: "-bench ." or "-bench
	// FullRun" would run all six in one process, for most of an hour,
	// with one peak RSS for all.
	if f := flag.Lookup("test.bench"); f == nil || !strings.Contains(f.Value.String(), "FullRun/") {
		b.Skip("name the cases to run, one size per process: -bench 'FullRun/^hard-100k$' (scripts/bench.sh runs them all)")
	}
	for _, profile := range []string{synthgen.ProfileOld, synthgen.ProfileHard} {
		for _, size := range []string{"10k", "100k", "1M"} {
			b.Run(profile+"-"+size, func(b *testing.B) { benchmarkFullRun(b, profile, size) })
		}
	}
}

// BenchSeed is the seed of every benchmark corpus.
const benchSeed = 20261122

// fullRuns counts the full runs in this process: peak RSS is a process's,
// so it is only one size's when one size ran.
var fullRuns int

func benchmarkFullRun(b *testing.B, profile, size string) {
	n, err := parseSize(size)
	if err != nil {
		b.Fatal(err)
	}
	dir := corpusDir(profile, size)
	generated := false
	if _, err := synthgen.ReadCorpusDir(dir); err != nil {
		b.Logf("generating the %s %s corpus in %s (better beforehand: gencorpus -profile %s -records %d -out %s)", profile, size, dir, profile, n, dir)
		generated = true
	}
	corpus, err := synthgen.EnsureCorpusDir(dir, synthgen.CorpusConfig{Profile: profile, Records: n, Seed: benchSeed})
	if err != nil {
		b.Fatal(err)
	}
	// The CLI's memory settings (cmd/realsynth), unless the environment sets them.
	defer pipeline.ApplyMemoryDefaults()()

	var m runMeasure
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m = fullRunT(b, filepath.Join(dir, synthgen.ReviewFile), filepath.Join(b.TempDir(), "out"))
	}
	b.StopTimer()
	fullRuns++

	truth, err := loadTruth(dir)
	if err != nil {
		b.Fatal(err)
	}
	records, _, _ := pipeline.Get[tables.Record](m.run, "records")
	works, _, _ := pipeline.Get[tables.Work](m.run, "works")
	score := truth.Score(synthgen.PredictionsFrom(records, works))

	b.ReportMetric(m.wall, "wall-s")
	b.ReportMetric(m.cpu, "cpu-s")
	b.ReportMetric(m.peakMiB, "peak-RSS-MiB")
	b.ReportMetric(float64(len(records)), "records")
	b.ReportMetric(float64(m.pairs), "pairs")
	b.ReportMetric(float64(m.pairs)/float64(max(1, len(records))), "pairs/record")
	b.ReportMetric(score.Report.Precision(), "precision")
	b.ReportMetric(score.Report.Recall(), "recall")
	b.ReportMetric(float64(score.FalseMergePairs), "false-merges")
	b.ReportMetric(score.Study.Recall(), "study-recall")
	for _, st := range m.stages {
		b.ReportMetric(100*st.seconds/m.wall, st.name+"-%")
	}
	var text strings.Builder
	fmt.Fprintf(&text, "%s %s: %d records in %d files; %.1f s wall, %.1f CPU-s, peak RSS %.0f MiB\n",
		profile, size, corpus.Records, len(corpus.Files), m.wall, m.cpu, m.peakMiB)
	for _, st := range m.stages {
		fmt.Fprintf(&text, "  %-10s %7.2f s  %5.1f%%\n", st.name, st.seconds, 100*st.seconds/m.wall)
	}
	fmt.Fprintf(&text, "  dedupe compared %d pairs (%.2f per record); ended by: %s\n", m.pairs, float64(m.pairs)/float64(max(1, len(records))), m.endedBy)
	score.WriteText(&text)
	if fullRuns > 1 || generated {
		text.WriteString("  note: peak RSS covers more than this run (another size ran in this process, or the corpus was generated here)\n")
	}
	// Straight to stdout: the testing package cuts a benchmark's log to ten lines.
	fmt.Print(text.String())
}

// runMeasure is one whole run: wall and CPU seconds, peak RSS, the seconds
// of each stage and of writing the tables, and the dedupe stage's counts.
type runMeasure struct {
	run       *pipeline.Run
	wall, cpu float64
	peakMiB   float64
	stages    []stageTime
	pairs     int64
	endedBy   string
}

type stageTime struct {
	name    string
	seconds float64
}

// fullRunT loads config and runs it whole into out, as `realsynth run` does.
func fullRunT(b testing.TB, config, out string) runMeasure {
	b.Helper()
	stats := &dedupeStats{}
	log := slog.New(stats)
	start, cpu0 := time.Now(), cpuSeconds()
	plan, err := pipeline.Load(config, stages.Pipeline, []string{"output=" + out})
	if err != nil {
		b.Fatal(err)
	}
	run := pipeline.NewRun(plan.Config, log, nil)
	res, err := pipeline.Execute(context.Background(), plan, run)
	if err != nil {
		b.Fatal(err)
	}
	m := runMeasure{run: run, wall: time.Since(start).Seconds(), cpu: cpuSeconds() - cpu0, peakMiB: float64(maxRSSKiB()) / 1024}
	staged := 0.0
	for _, st := range res.Manifest.Stages {
		if st.Enabled {
			m.stages = append(m.stages, stageTime{st.Name, st.Seconds})
			staged += st.Seconds
		}
	}
	// What is not in a stage is loading the config and writing the tables
	// (and the manifest), which the runner does after the last stage.
	m.stages = append(m.stages, stageTime{"write", m.wall - staged})
	m.pairs, _ = strconv.ParseInt(stats.get("pairs"), 10, 64)
	m.endedBy = stats.get("ended_by")
	return m
}

// dedupeStats is a log handler that keeps the dedupe stage's "dedupe
// compared" line and drops the rest.
type dedupeStats struct {
	mu    sync.Mutex
	attrs map[string]string
}

func (h *dedupeStats) Enabled(context.Context, slog.Level) bool { return true }
func (h *dedupeStats) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *dedupeStats) WithGroup(string) slog.Handler            { return h }
func (h *dedupeStats) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "dedupe compared" {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.attrs = map[string]string{}
	r.Attrs(func(a slog.Attr) bool {
		h.attrs[a.Key] = a.Value.String()
		return true
	})
	return nil
}

func (h *dedupeStats) get(key string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.attrs[key]
}

func parseSize(s string) (int, error) {
	mult := 1
	switch {
	case strings.HasSuffix(s, "k"):
		mult, s = 1000, strings.TrimSuffix(s, "k")
	case strings.HasSuffix(s, "M"):
		mult, s = 1_000_000, strings.TrimSuffix(s, "M")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("size %q: want a number of records such as 10k, 100k or 1M", s)
	}
	return n * mult, nil
}

// corpusDir is where the benchmark corpus of a profile and size lives.
func corpusDir(profile, size string) string {
	root := os.Getenv("REALSYNTH_CORPORA")
	if root == "" {
		root = filepath.Join(os.TempDir(), "realsynth-corpora")
	}
	return filepath.Join(root, fmt.Sprintf("%s-%s-%d", profile, size, benchSeed))
}

func loadTruth(dir string) (*synthgen.TruthTable, error) {
	f, err := os.Open(filepath.Join(dir, synthgen.TruthFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return synthgen.LoadTruth(f)
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// maxRSSKiB is the peak resident set of this process so far (Linux: KiB).
func maxRSSKiB() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return int64(ru.Maxrss)
}
