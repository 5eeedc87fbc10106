package report

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/pipeline/table"
)

// verdicts gives a pair's eight evidence columns, in the order
// first author, journal, DOI, PMID, volume, issue, pages, year.
func verdicts(p tables.DuplicatePair, v [8]string) tables.DuplicatePair {
	p.FirstAuthor, p.Journal, p.DOI, p.PMID, p.Volume, p.Issue, p.Pages, p.Year = v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
	return p
}

// Two evidence patterns no swap of two columns leaves both unchanged:
// columns i and j agree in the first when i/2 = j/2, in the second when
// i%4 = j%4.
var (
	byTwos  = [8]string{"agree", "agree", "conflict", "conflict", "missing", "missing", "near", "near"}
	byFours = [8]string{"agree", "conflict", "missing", "near", "agree", "conflict", "missing", "near"}
)

// A hand-made duplicate_pairs in two chunks and its review queue: the
// queue shows r05-r06 (first chunk) and r13-r14 (second chunk), then
// r90-r91, which has no pair, then fillers up to TopRows, and past them
// r23-r24, whose evidence the page does not show. r21-r22 is decided
// review under a duplicate rule (a refused merge): it is not a merge.
var (
	pairsChunk1 = []tables.DuplicatePair{
		{RecordA: "r01", RecordB: "r02", Decision: "duplicate", Rule: "doi+title"},
		{RecordA: "r03", RecordB: "r04", Decision: "related", Rule: "related:erratum"},
		verdicts(tables.DuplicatePair{RecordA: "r05", RecordB: "r06", Decision: "review", Rule: "title-only"}, byTwos),
		{RecordA: "r07", RecordB: "r08", Decision: "duplicate", Rule: "pmid+title"},
		{RecordA: "r09", RecordB: "r10", Decision: "distinct", Rule: "guard:doi-conflict"},
	}
	pairsChunk2 = []tables.DuplicatePair{
		{RecordA: "r11", RecordB: "r12", Decision: "duplicate", Rule: "doi+title"},
		verdicts(tables.DuplicatePair{RecordA: "r13", RecordB: "r14", Decision: "review", Rule: "close-title"}, byFours),
		{RecordA: "r15", RecordB: "r16", Decision: "related", Rule: "related:erratum"},
		{RecordA: "r17", RecordB: "r18", Decision: "related", Rule: "related:article/preprint"},
		{RecordA: "r19", RecordB: "r20", Decision: "duplicate", Rule: "title+authors+year+source"},
		{RecordA: "r21", RecordB: "r22", Decision: "review", Rule: "doi+title"},
		verdicts(tables.DuplicatePair{RecordA: "r23", RecordB: "r24", Decision: "review", Rule: "title-only"}, byTwos),
	}
)

func handQueue() []tables.ReviewItem {
	q := []tables.ReviewItem{{RecordA: "r05", RecordB: "r06"}, {RecordA: "r13", RecordB: "r14"}, {RecordA: "r90", RecordB: "r91"}}
	for i := len(q); i < TopRows; i++ {
		q = append(q, tables.ReviewItem{RecordA: fmt.Sprintf("f%02da", i), RecordB: fmt.Sprintf("f%02db", i)})
	}
	return append(q, tables.ReviewItem{RecordA: "r23", RecordB: "r24"})
}

func evidenceOf(v [8]string) []evidence {
	return []evidence{{"first author", v[0]}, {"journal", v[1]}, {"DOI", v[2]}, {"PMID", v[3]},
		{"volume", v[4]}, {"issue", v[5]}, {"pages", v[6]}, {"year", v[7]}}
}

// The counts and evidence worked out by hand from the pairs above, as both
// FromRun (a chunked table in the run) and FromDir (Parquet files) must
// give them, and as the de-duplication section shows them.
func TestPairSummaryCountsRulesAndFindsShownEvidence(t *testing.T) {
	want := pairSummary{
		Duplicate: []ruleCount{{"doi+title", 2}, {"pmid+title", 1}, {"title+authors+year+source", 1}},
		Related:   []ruleCount{{"related:erratum", 2}, {"related:article/preprint", 1}},
		Evidence: map[recordPair][]evidence{
			{"r05", "r06"}: evidenceOf(byTwos),
			{"r13", "r14"}: evidenceOf(byFours),
		},
	}
	queue := handQueue()

	run := pipeline.NewRun(&pipeline.Config{Review: "pairs by hand"}, nil, nil)
	pairs, err := pipeline.NewChunked[tables.DuplicatePair](run, "duplicate_pairs")
	if err != nil {
		t.Fatal(err)
	}
	// Two appends, two chunks: the scan reuses the first chunk's rows for the second.
	for _, rows := range [][]tables.DuplicatePair{pairsChunk1, pairsChunk2} {
		if err := table.AppendRows(pairs, rows); err != nil {
			t.Fatal(err)
		}
	}
	if pairs.NumChunks() != 2 {
		t.Fatalf("duplicate_pairs has %d chunks, want 2", pairs.NumChunks())
	}
	if err := pipeline.PutChunked(run, "duplicate_pairs", pairs); err != nil {
		t.Fatal(err)
	}
	if err := pipeline.Put(run, "review_queue", queue); err != nil {
		t.Fatal(err)
	}
	if err := pipeline.Put(run, "works", []tables.Work{}); err != nil {
		t.Fatal(err)
	}
	fromRun, err := FromRun(run)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromRun.Pairs, want) {
		t.Errorf("FromRun: pairs summarized as\n%+v\nwant\n%+v", fromRun.Pairs, want)
	}

	dir := t.TempDir()
	allPairs := append(append([]tables.DuplicatePair(nil), pairsChunk1...), pairsChunk2...)
	if err := table.WriteFile(filepath.Join(dir, "duplicate_pairs.parquet"), allPairs, table.Meta{Table: "duplicate_pairs"}); err != nil {
		t.Fatal(err)
	}
	if err := table.WriteFile(filepath.Join(dir, "review_queue.parquet"), queue, table.Meta{Table: "review_queue"}); err != nil {
		t.Fatal(err)
	}
	if err := table.WriteFile(filepath.Join(dir, "works.parquet"), []tables.Work{}, table.Meta{Table: "works"}); err != nil {
		t.Fatal(err)
	}
	m := pipeline.Manifest{Review: "pairs by hand"}
	for _, name := range []string{"duplicate_pairs", "review_queue", "works"} {
		m.Tables = append(m.Tables, pipeline.ManifestTable{Name: name, File: name + ".parquet"})
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	fromDir, err := FromDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromDir.Pairs, want) {
		t.Errorf("FromDir: pairs summarized as\n%+v\nwant\n%+v", fromDir.Pairs, want)
	}

	// The section puts each shown queue item beside its pair's evidence.
	s := buildDedupe(fromRun)
	if !reflect.DeepEqual(s.ByRule, want.Duplicate) || !reflect.DeepEqual(s.Related, want.Related) {
		t.Errorf("section counts %v and %v, want %v and %v", s.ByRule, s.Related, want.Duplicate, want.Related)
	}
	if len(s.Queue) != TopRows {
		t.Fatalf("section shows %d queue items, want %d", len(s.Queue), TopRows)
	}
	for i, q := range s.Queue {
		var wantEvidence []evidence // none past the two queued pairs that have a row
		switch i {
		case 0:
			wantEvidence = evidenceOf(byTwos)
		case 1:
			wantEvidence = evidenceOf(byFours)
		}
		if !reflect.DeepEqual(q.Evidence, wantEvidence) {
			t.Errorf("queue item %d (%s, %s): evidence %v, want %v", i, q.Item.RecordA, q.Item.RecordB, q.Evidence, wantEvidence)
		}
	}
}
