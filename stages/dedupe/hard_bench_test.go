package dedupe

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/realsynth/realsynth/internal/synthgen"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

// BenchmarkDedupeRecords de-duplicates the records table of an earlier run
// (REALSYNTH_DEDUPE_RECORDS: a records.parquet, e.g. of a run with only
// ingest enabled on a hard corpus), so that the stage's own cost can be
// profiled without ingest and table writing in the profile:
//
//	realsynth run --config $C/review.yaml --out /tmp/in --set stages.dedupe.enabled=false ...
//	REALSYNTH_DEDUPE_RECORDS=/tmp/in/records.parquet REALSYNTH_DEDUPE_CORPUS=$C \
//	  go test -run '^$' -bench DedupeRecords -benchtime 1x -cpuprofile cpu.pprof ./stages/dedupe
//
// It reports CPU seconds, pairs compared per record, the peak Go heap
// the stage adds to the records' (sampled every 20 ms), what it allocates, and, with REALSYNTH_DEDUPE_CORPUS naming the corpus,
// precision, recall and false merges against its truth.
// REALSYNTH_DEDUPE_SNAPSHOT names a file to write every record's work and
// study and every kept pair's verdict to, so that two versions of the
// stage can be compared line by line (diff).
func BenchmarkDedupeRecords(b *testing.B) {
	path := os.Getenv("REALSYNTH_DEDUPE_RECORDS")
	if path == "" {
		b.Skip("set REALSYNTH_DEDUPE_RECORDS to a records.parquet")
	}
	var res *testResult
	var timing stageTiming
	var cpu, peak float64
	var n int
	var before, after runtime.MemStats
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		records, err := table.ReadFile[tables.Record](path)
		if err != nil {
			b.Fatal(err)
		}
		for k := range records {
			records[k].WorkID = ""
		}
		n = len(records)
		res = nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		stop := watchHeap()
		cpu0 := cpuSeconds()
		b.StartTimer()
		var out *result
		out, timing, err = deduplicateFrom(context.Background(), directSource(records), options{maxBlock: 64, sizeHint: len(records)})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuSeconds() - cpu0
		peak = max(peak, stop()-float64(before.HeapAlloc)/(1<<20))
		runtime.ReadMemStats(&after)
		res = withRecords(out, records, options{})
	}
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/(1<<20), "alloc-MiB")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(max(n, 1)), "allocs/record")
	b.ReportMetric(float64(before.HeapAlloc)/(1<<20), "records-heap-MiB")
	b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(res.stats.pairs)/float64(max(n, 1)), "pairs/record")
	b.ReportMetric(peak, "peak-heap-MiB")
	fmt.Printf("dedupe %d records: %d pairs (%.2f per record); ended by: %s\n", n, res.stats.pairs,
		float64(res.stats.pairs)/float64(max(n, 1)), res.stats.String())
	fmt.Printf("phases: %s\nrule shares: %s\n", timing.Phases(), timing.RuleShares())
	if dir := os.Getenv("REALSYNTH_DEDUPE_CORPUS"); dir != "" {
		f, err := os.Open(filepath.Join(dir, synthgen.TruthFile))
		if err != nil {
			b.Fatal(err)
		}
		truth, err := synthgen.LoadTruth(f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		score := truth.Score(synthgen.PredictionsFrom(res.records, res.works))
		b.ReportMetric(score.Report.Precision(), "precision")
		b.ReportMetric(score.Report.Recall(), "recall")
		b.ReportMetric(float64(score.FalseMergePairs), "false-merges")
		var text strings.Builder
		score.WriteText(&text)
		fmt.Print(text.String())
	}
	if out := os.Getenv("REALSYNTH_DEDUPE_SNAPSHOT"); out != "" {
		if err := writeSnapshot(out, res); err != nil {
			b.Fatal(err)
		}
	}
}

// watchHeap samples the live Go heap every 20 ms until the returned
// function is called, which gives the peak in MiB.
func watchHeap() func() float64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		<-finished
		return float64(peak.Load()) / (1 << 20)
	}
}

// writeSnapshot writes what the stage decided, in a stable order: each
// record's work and study, then each pair row.
func writeSnapshot(path string, res *testResult) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	study := make(map[string]string, len(res.works))
	for i := range res.works {
		study[res.works[i].WorkID] = res.works[i].StudyID
	}
	for _, r := range res.records {
		fmt.Fprintf(w, "R %s %s %s\n", r.RecordID, r.WorkID, study[r.WorkID])
	}
	for _, p := range res.pairs {
		ts, as := -1.0, -1.0
		if p.TitleScore != nil {
			ts = *p.TitleScore
		}
		if p.AuthorScore != nil {
			as = *p.AuthorScore
		}
		fmt.Fprintf(w, "P %s %s %s %q %v %.3f %.3f %s %s %s %s %s %s %s %s %q\n", p.RecordA, p.RecordB, p.Decision, p.Rule, p.Merged, ts, as,
			p.FirstAuthor, p.Journal, p.DOI, p.PMID, p.Volume, p.Issue, p.Pages, p.Year, p.Note)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// BenchmarkPrepareRecords builds the matching keys of every record of
// REALSYNTH_DEDUPE_RECORDS on one core: the per-record cost of the stage.
func BenchmarkPrepareRecords(b *testing.B) {
	path := os.Getenv("REALSYNTH_DEDUPE_RECORDS")
	if path == "" {
		b.Skip("set REALSYNTH_DEDUPE_RECORDS to a records.parquet")
	}
	records, err := table.ReadFile[tables.Record](path)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for k := range records {
			prepare(&records[k], false)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(records)), "ns/record")
}

// BenchmarkDedupeCancel cancels the de-duplication of
// REALSYNTH_DEDUPE_RECORDS at several points of its run and reports the
// longest wait from the cancellation to the stage's return (SIGTERM must
// stop a run within a second).
func BenchmarkDedupeCancel(b *testing.B) {
	path := os.Getenv("REALSYNTH_DEDUPE_RECORDS")
	if path == "" {
		b.Skip("set REALSYNTH_DEDUPE_RECORDS to a records.parquet")
	}
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		for _, after := range []time.Duration{200 * time.Millisecond, time.Second, 3 * time.Second, 6 * time.Second, 10 * time.Second, 20 * time.Second} {
			records, err := table.ReadFile[tables.Record](path)
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				_, _, err := deduplicateFrom(ctx, directSource(records), options{maxBlock: 64})
				done <- err
			}()
			var wait time.Duration
			select {
			case err = <-done:
				fmt.Printf("finished before the cancellation at %v\n", after)
				cancel()
				continue
			case <-time.After(after):
				at := time.Now()
				cancel()
				err = <-done
				wait = time.Since(at)
			}
			fmt.Printf("cancelled after %v: returned %v in %v\n", after, err, wait.Round(time.Millisecond))
			if err == nil {
				b.Errorf("cancelled after %v, but no error", after)
			}
			worst = max(worst, wait)
		}
	}
	b.ReportMetric(worst.Seconds(), "worst-wait-s")
}

// BenchmarkDedupeUpdate is an update run over a committed review: the
// records of REALSYNTH_DEDUPE_RECORDS, one in twenty put into a second
// round (a new round of 50k over a million), round 1 de-duplicated and
// committed, then both rounds de-duplicated again, comparing every pair
// (full) and only the new round's (incremental). It reports each run's
// CPU and wall seconds and checks that both give the same works; the
// duplicate_pairs rows that differ are counted.
func BenchmarkDedupeUpdate(b *testing.B) {
	path := os.Getenv("REALSYNTH_DEDUPE_RECORDS")
	if path == "" {
		b.Skip("set REALSYNTH_DEDUPE_RECORDS to a records.parquet")
	}
	records, err := table.ReadFile[tables.Record](path)
	if err != nil {
		b.Fatal(err)
	}
	c := splitRounds(records, 20)
	records = nil
	roundOf := map[string]int{"r1": 0, "r2": 1}
	rounds := func(id string) int { return roundOf[id] }
	first := deduplicate(c.round1, options{maxBlock: 64, roundIndex: rounds})
	var previous options
	withPrevious(&previous, first)
	first, c.round1 = nil, nil
	var out [2]*runDigest
	for i := 0; i < b.N; i++ {
		for k, incremental := range []bool{false, true} {
			opt := previous
			opt.maxBlock, opt.roundIndex, opt.incremental, opt.sizeHint = 64, rounds, incremental, len(c.all)
			runtime.GC()
			cpu0, start := cpuSeconds(), time.Now()
			name := map[bool]string{false: "full", true: "incremental"}[incremental]
			var r *result
			var timing stageTiming
			var err error
			// Labelled, so that a -cpuprofile tells the two runs apart (-tagfocus run=incremental).
			pprof.Do(context.Background(), pprof.Labels("run", name), func(ctx context.Context) {
				r, timing, err = deduplicateFrom(ctx, directSource(c.all), opt)
			})
			if err != nil {
				b.Fatal(err)
			}
			cpu, wall := cpuSeconds()-cpu0, time.Since(start)
			// Only ids and works are compared: no second copy of the records.
			ids := make([]tables.Record, len(c.all))
			for k := range c.all {
				ids[k] = tables.Record{RecordID: c.all[k].RecordID, Round: c.all[k].Round, Database: c.all[k].Database,
					SourceFile: c.all[k].SourceFile, SourceLine: c.all[k].SourceLine}
			}
			res := withRecords(r, ids, opt)
			fmt.Printf("%s update run: %.2f CPU-s, %.2f s wall; %d pairs compared, %d carried; %s\n", name, cpu, wall.Seconds(), res.stats.pairs, res.stats.carried, timing.Phases())
			b.ReportMetric(cpu, name+"-cpu-s")
			b.ReportMetric(wall.Seconds(), name+"-wall-s")
			// Digested: a decoded million works kept alive slowed the next
			// run by a third (a heap twice the size to grow into).
			out[k] = digest(res)
			res = nil
		}
	}
	if why := out[0].differs(out[1]); why != "" {
		b.Errorf("incremental and full update runs differ: %s", why)
	}
	rows := differentRows(out[0].pairs, out[1].pairs)
	fmt.Printf("works: identical; duplicate_pairs rows differing: %d of %d\n", rows, len(out[0].pairs))
	b.ReportMetric(float64(rows), "pair-rows-differing")
}
