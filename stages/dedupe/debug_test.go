package dedupe

import (
	"github.com/realsynth/realsynth/internal/synthgen"
	"github.com/realsynth/realsynth/internal/tables"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"
)

func TestDebugPair(t *testing.T) {
	ids := os.Getenv("DEDUPE_PAIR")
	if ids == "" {
		t.Skip()
	}
	s := loadSet(t, os.Getenv("DEDUPE_SET"))
	want := strings.Split(ids, ",")
	var ps []prepared
	for _, id := range want {
		for i := range s.Records {
			if s.Records[i].RecordID == id {
				ps = append(ps, prepare(&s.Records[i], false))
				t.Logf("%+v", ps[len(ps)-1])
			}
		}
	}
	ev := compareFields(&ps[0], &ps[1])
	t.Logf("%s prefix=%v", ev.String(), ev.titleContained)
	t.Logf("%+v", decide(&ps[0], &ps[1], &ev, false))
}

func TestDebugRun(t *testing.T) {
	ids := os.Getenv("DEDUPE_PAIR")
	if ids == "" {
		t.Skip()
	}
	s := loadSet(t, os.Getenv("DEDUPE_SET"))
	want := strings.Split(ids, ",")
	res := deduplicate(s.Records, options{})
	for _, p := range res.pairs {
		if (p.RecordA == want[0] || p.RecordB == want[0]) || (p.RecordA == want[1] || p.RecordB == want[1]) {
			t.Logf("%+v", p)
		}
	}
	for _, r := range res.records {
		for _, w := range want {
			if r.RecordID == w {
				t.Logf("%s → %s", w, r.WorkID)
			}
		}
	}
}

func TestDebugSynth(t *testing.T) {
	if os.Getenv("DEDUPE_SYNTH") == "" {
		t.Skip()
	}
	b := &testing.B{}
	_ = b
	dir := "/tmp/realsynth-synth-100000-20261122"
	truth, _ := synthgenTruth(100000)
	records := ingestDirT(t, dir)
	res := deduplicate(records, options{maxBlock: 64})
	byID := map[string]*tables.Record{}
	for i := range res.records {
		byID[res.records[i].RecordID] = &res.records[i]
	}
	for _, p := range res.pairs {
		if !p.Merged {
			continue
		}
		a, b := byID[p.RecordA], byID[p.RecordB]
		if truth[a.SourceKey] != truth[b.SourceKey] {
			t.Logf("FALSE %s %s %s\n  %s | %v | %v | %s %s %s %s %v\n  %s | %v | %v | %s %s %s %s %v", p.Decision, p.Rule, p.Note,
				a.Title, a.Authors, *a.Year, a.Journal, a.Volume, a.Issue, a.Pages, a.DOIs,
				b.Title, b.Authors, *b.Year, b.Journal, b.Volume, b.Issue, b.Pages, b.DOIs)
		}
	}
}

func synthgenTruth(n int) (synthgen.Truth, error) {
	return synthgen.Generate(synthgen.Config{Records: n, Seed: benchSeed}, func(string) (io.Writer, error) { return io.Discard, nil })
}

func ingestDirT(t *testing.T, dir string) []tables.Record {
	return ingestDir(&testing.B{}, dir)
}

func TestDebugRelated(t *testing.T) {
	if os.Getenv("DEDUPE_SET") == "" {
		t.Skip()
	}
	s := loadSet(t, os.Getenv("DEDUPE_SET"))
	gold := map[string]int{}
	for g, ids := range s.Groups {
		for _, id := range ids {
			gold[id] = g + 1
		}
	}
	byID := map[string]*tables.Record{}
	for i := range s.Records {
		byID[s.Records[i].RecordID] = &s.Records[i]
	}
	res := deduplicate(s.Records, options{})
	for _, p := range res.pairs {
		if p.Decision == "related" && (gold[p.RecordA] == 0 || gold[p.RecordA] != gold[p.RecordB]) {
			a, b := byID[p.RecordA], byID[p.RecordB]
			t.Logf("%s %s\n  %s | %v | %s %s\n  %s | %v | %s %s", p.Rule, p.Journal, a.Title, a.Authors, a.Journal, a.Pages, b.Title, b.Authors, b.Journal, b.Pages)
		}
	}
}

func TestDebugMemory(t *testing.T) {
	if os.Getenv("DEDUPE_MEM") == "" {
		t.Skip()
	}
	live := func(what string) {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		t.Logf("%-12s live %6.0f MB", what, float64(m.HeapAlloc)/1e6)
	}
	live("start")
	records := ingestDirT(t, "/tmp/realsynth-synth-100000-20261122")
	live("ingested")
	e := newEngine(records, options{maxBlock: 64})
	live("prepared")
	e.humanPairs()
	cands := candidatePairs(e.prep, 64)
	live("candidates")
	t.Logf("candidates %d", len(cands))
	cands = nil
	e.comparePairs()
	live("compared")
	e.cluster()
	e.dropMatchingKeys()
	live("clustered")
	res := &result{}
	workOf := e.assignWorkIDs(res)
	e.buildOutputs(res, workOf)
	live("outputs")
	runtime.KeepAlive(res)
}

func TestDebugHeap(t *testing.T) {
	if os.Getenv("DEDUPE_HEAP") == "" {
		t.Skip()
	}
	records := ingestDirT(t, "/tmp/realsynth-synth-100000-20261122")
	runtime.MemProfileRate = 512
	e := newEngine(records, options{maxBlock: 64})
	runtime.GC()
	f, _ := os.Create("/tmp/dedupe-heap.out")
	pprof.WriteHeapProfile(f)
	f.Close()
	runtime.KeepAlive(e)
}

func TestDebugPhases(t *testing.T) {
	dir := os.Getenv("DEDUPE_PHASES")
	if dir == "" {
		t.Skip()
	}
	last := cpuSeconds()
	lastWall := time.Now()
	phase := func(what string) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		c := cpuSeconds()
		t.Logf("%-12s cpu %6.2fs wall %6.2fs heap %6.0f MB sys %6.0f MB", what, c-last, time.Since(lastWall).Seconds(), float64(m.HeapAlloc)/1e6, float64(m.Sys)/1e6)
		last, lastWall = c, time.Now()
	}
	records := ingestDirT(t, dir)
	phase("ingest")
	e := newEngine(records, options{maxBlock: 64})
	phase("prepare")
	e.humanPairs()
	cands := candidatePairs(e.prep, 64)
	t.Logf("candidates %d", len(cands))
	cands = nil
	phase("candidates")
	e.comparePairs()
	phase("compare")
	e.cluster()
	e.dropMatchingKeys()
	phase("cluster")
	res := &result{}
	workOf := e.assignWorkIDs(res)
	phase("ids")
	e.buildOutputs(res, workOf)
	phase("outputs")
	t.Logf("pairs kept %d", len(e.pairs))
}
