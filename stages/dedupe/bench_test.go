package dedupe

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/ris"
	"github.com/realsynth/realsynth/internal/synthgen"
	"github.com/realsynth/realsynth/internal/tables"
)

// The benchmarks read synthetic RIS exports (internal/synthgen) the way
// ingest does — decode, RIS reader, biblio.Complete, record id — and
// de-duplicate them. Corpus generation is not timed; the corpus is cached
// under the system temp folder so repeated runs reuse it.

func BenchmarkDedupe10k(b *testing.B)  { benchmarkDedupe(b, 10_000) }
func BenchmarkDedupe100k(b *testing.B) { benchmarkDedupe(b, 100_000) }

// BenchmarkDedupe1M runs only when asked for by name (-bench Dedupe1M):
// generating its corpus takes a while and writes about 0.5 GB.
func BenchmarkDedupe1M(b *testing.B) {
	if f := flag.Lookup("test.bench"); f == nil || !strings.Contains(f.Value.String(), "1M") {
		b.Skip("run with -bench Dedupe1M")
	}
	benchmarkDedupe(b, 1_000_000)
}

// BenchmarkDedupeRerun100k is the scheduled run after an update search:
// every record of a committed run comes back with the previous records and
// works, so each must keep its work id. It reports how many records changed
// work (should be 0) and guards the cost of matching earlier works.
func BenchmarkDedupeRerun100k(b *testing.B) {
	dir, _ := benchCorpus(b, 100_000)
	first := deduplicate(ingestDir(b, dir), options{maxBlock: 64})
	opt := options{maxBlock: 64, incremental: true}
	withPrevious(&opt, first)
	prevWork := map[string]string{}
	for _, r := range first.records {
		prevWork[r.RecordID] = r.WorkID
	}
	b.ResetTimer()
	var res *testResult
	for i := 0; i < b.N; i++ {
		res = deduplicate(ingestDir(b, dir), opt)
	}
	b.StopTimer()
	changed := 0
	for _, r := range res.records {
		if r.WorkID != prevWork[r.RecordID] {
			changed++
		}
	}
	b.ReportMetric(float64(changed), "changed-work-ids")
	b.ReportMetric(float64(maxRSSKiB())/1024, "peak-RSS-MiB")
}

const benchSeed = 20261122

func benchmarkDedupe(b *testing.B, n int) {
	dir, truth := benchCorpus(b, n)
	cpuBefore := cpuSeconds()
	b.ResetTimer()
	var res *testResult
	var records []tables.Record
	for i := 0; i < b.N; i++ {
		records, res = nil, nil // let the previous iteration's memory go
		records = ingestDir(b, dir)
		res = deduplicate(records, options{maxBlock: 64})
	}
	b.StopTimer()
	// CPU seconds tell the cost apart from the machine's load; the peak
	// resident set covers corpus generation too, which streams to disk.
	b.ReportMetric((cpuSeconds()-cpuBefore)/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(maxRSSKiB())/1024, "peak-RSS-MiB")
	b.ReportMetric(float64(len(records))/b.Elapsed().Seconds()*float64(b.N), "records/s")
	m := scoreAgainstTruth(res, truth)
	b.ReportMetric(m.precision, "precision")
	b.ReportMetric(m.recall, "recall")
	b.ReportMetric(float64(m.falseMerges), "false-merges")
	b.ReportMetric(float64(len(res.pairs)), "pairs")
}

// benchCorpus generates (once) a corpus of n records and its truth.
func benchCorpus(b *testing.B, n int) (string, synthgen.Truth) {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("realsynth-synth-%d-%d", n, benchSeed))
	done := filepath.Join(dir, ".complete")
	cfg := synthgen.Config{Records: n, Seed: benchSeed}
	open := func(db string) (io.Writer, error) {
		return os.Create(filepath.Join(dir, db+".ris"))
	}
	if _, err := os.Stat(done); err == nil {
		// Regenerate the truth only (cheap), writing to nowhere.
		truth, err := synthgen.Generate(cfg, func(string) (io.Writer, error) { return io.Discard, nil })
		if err != nil {
			b.Fatal(err)
		}
		return dir, truth
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	var files []*os.File
	truth, err := synthgen.Generate(cfg, func(db string) (io.Writer, error) {
		w, err := open(db)
		if f, ok := w.(*os.File); ok {
			files = append(files, f)
		}
		return w, err
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range files {
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, truth
}

// ingestDir reads every RIS file of dir as the ingest stage does, one
// goroutine per file. Records are counted first (a scan for "ER  -" lines)
// so that each file parses straight into its own range of one slice: the
// wide records are never copied by a growing append, which at a million
// records would double the peak memory.
func ingestDir(b *testing.B, dir string) []tables.Record {
	b.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.ris"))
	if err != nil || len(paths) == 0 {
		b.Fatalf("no RIS files in %s: %v", dir, err)
	}
	counts := make([]int, len(paths))
	total := 0
	for i, path := range paths {
		if counts[i], err = countRIS(path); err != nil {
			b.Fatal(err)
		}
		total += counts[i]
	}
	records := make([]tables.Record, total)
	errs := make([]error, len(paths))
	got := make([]int, len(paths))
	var wg sync.WaitGroup
	offset := 0
	for i, path := range paths {
		slot := records[offset : offset+counts[i]]
		offset += counts[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = ingestFile(path, slot)
		}()
	}
	wg.Wait()
	for i := range paths {
		if errs[i] != nil {
			b.Fatal(errs[i])
		}
		if got[i] != counts[i] {
			b.Fatalf("%s: %d records parsed, %d counted", paths[i], got[i], counts[i])
		}
	}
	return records
}

// countRIS counts the records of a RIS file by their end tags.
func countRIS(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return bytes.Count(data, []byte("\nER  -")), nil
}

func ingestFile(path string, slot []tables.Record) (int, error) {
	db := strings.TrimSuffix(filepath.Base(path), ".ris")
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	decoded, _, err := formats.Decode(f, "")
	if err != nil {
		return 0, err
	}
	rd := ris.NewReader(decoded)
	n := 0
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("%s: %w", path, err)
		}
		if n == len(slot) {
			return n + 1, fmt.Errorf("%s: more records than counted", path)
		}
		rec.Round, rec.Database, rec.SourceFile = "r1", db, filepath.Base(path)
		biblio.Complete(rec)
		h := sha256.Sum256([]byte("r1\x1f" + strings.ToLower(db) + "\x1fkey\x1f" + rec.SourceKey))
		rec.RecordID = "rec-" + hex.EncodeToString(h[:8])
		slot[n] = *rec
		n++
	}
}

type truthMetrics struct {
	precision, recall float64
	falseMerges       int64
}

// scoreAgainstTruth scores pairwise, as the labelled-set evaluation does.
func scoreAgainstTruth(res *testResult, truth synthgen.Truth) truthMetrics {
	type cell struct{ work, truth int }
	workIdx := map[string]int{}
	byWork := map[int]map[int]int64{} // predicted work → true work → records
	trueSize := map[int]int64{}
	for _, r := range res.records {
		w, ok := workIdx[r.WorkID]
		if !ok {
			w = len(workIdx)
			workIdx[r.WorkID] = w
		}
		tw := truth[r.SourceKey]
		if byWork[w] == nil {
			byWork[w] = map[int]int64{}
		}
		byWork[w][tw]++
		trueSize[tw]++
	}
	var predicted, correct, gold int64
	for _, m := range byWork {
		var size int64
		for _, c := range m {
			size += c
			correct += c * (c - 1) / 2
		}
		predicted += size * (size - 1) / 2
	}
	for _, s := range trueSize {
		gold += s * (s - 1) / 2
	}
	m := truthMetrics{precision: 1, falseMerges: predicted - correct}
	if predicted > 0 {
		m.precision = float64(correct) / float64(predicted)
	}
	if gold > 0 {
		m.recall = float64(correct) / float64(gold)
	}
	return m
}
