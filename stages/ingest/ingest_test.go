package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/pipeline/table"
)

func ris(title, id string) string {
	s := "TY  - JOUR\nTI  - " + title + "\n"
	if id != "" {
		s += "ID  - " + id + "\n"
	}
	return s + "PY  - 2020\nER  - \n\n"
}

// ingestFiles writes files into a temp review and runs the stage on them:
// one search per file, in the order given, in round r1.
func ingestFiles(t *testing.T, files [][2]string) ([]tables.Record, []tables.Quarantine, *pipeline.Run) {
	t.Helper()
	dir := t.TempDir()
	cfg := &pipeline.Config{Dir: dir, Rounds: []pipeline.Round{{ID: "r1"}}}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f[0]), []byte(f[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		db := strings.TrimSuffix(f[0], filepath.Ext(f[0]))
		cfg.Rounds[0].Searches = append(cfg.Rounds[0].Searches, pipeline.Search{Database: db, Path: f[0]})
	}
	run := pipeline.NewRun(cfg, nil, nil)
	if err := IngestExports(context.Background(), run, &Params{}); err != nil {
		t.Fatal(err)
	}
	recs, _, _ := pipeline.Get[tables.Record](run, "records")
	quar, _, _ := pipeline.Get[tables.Quarantine](run, "quarantine")
	return recs, quar, run
}

// TestRecordIDsDoNotDependOnPosition: moving a record within its export
// (a re-export sorted differently) keeps its id; ids differ between
// databases, and a keyless record is identified by its content.
func TestRecordIDsDoNotDependOnPosition(t *testing.T) {
	a, _, _ := ingestFiles(t, [][2]string{{"embase.ris", ris("Peer work", "E1") + ris("Stigma", "E2") + ris("No key", "")}})
	b, _, _ := ingestFiles(t, [][2]string{{"embase.ris", ris("No key", "") + ris("Stigma", "E2") + ris("Peer work", "E1")}})
	ids := func(recs []tables.Record) map[string]string {
		m := map[string]string{}
		for _, r := range recs {
			m[r.Title] = r.RecordID
		}
		return m
	}
	ia, ib := ids(a), ids(b)
	for title, id := range ia {
		if ib[title] != id {
			t.Errorf("%q: id %s in one order, %s in the other", title, id, ib[title])
		}
	}
	c, _, _ := ingestFiles(t, [][2]string{{"scopus.ris", ris("Peer work", "E1")}})
	if c[0].RecordID == ia["Peer work"] {
		t.Error("the same key in another database gave the same id")
	}
}

// TestConcurrentFilesKeepTableOrder: files are parsed concurrently, but
// records come out in table order (round, database, file, line), every
// time, and a key repeated within one export is told apart by order of
// appearance.
func TestConcurrentFilesKeepTableOrder(t *testing.T) {
	var files [][2]string
	byDB := map[string][]string{}
	dbs := []string{"medline", "embase", "cinahl", "scopus", "psycinfo"}
	for i, db := range dbs {
		var body strings.Builder
		for j := 0; j < 50+i*7; j++ {
			title := db + "-" + string(rune('a'+j%26)) + strings.Repeat("x", j/26)
			body.WriteString(ris(title, ""))
			byDB[db] = append(byDB[db], title)
		}
		files = append(files, [2]string{db + ".ris", body.String()})
	}
	files = append(files, [2]string{"dup.ris", ris("First", "K") + ris("Second", "K")})
	byDB["dup"] = []string{"First", "Second"}
	var want []string
	for _, db := range []string{"cinahl", "dup", "embase", "medline", "psycinfo", "scopus"} {
		want = append(want, byDB[db]...)
	}
	for attempt := 0; attempt < 5; attempt++ {
		recs, quar, _ := ingestFiles(t, files)
		if len(quar) != 0 || len(recs) != len(want) {
			t.Fatalf("%d records, %d quarantined; want %d, 0", len(recs), len(quar), len(want))
		}
		for i := range want {
			if recs[i].Title != want[i] {
				t.Fatalf("attempt %d: record %d is %q, want %q", attempt, i, recs[i].Title, want[i])
			}
		}
		dup := len(byDB["cinahl"])
		first, second := recs[dup].RecordID, recs[dup+1].RecordID
		if second != first+"-2" {
			t.Errorf("repeated key: ids %s and %s, want the second to be the first plus -2", first, second)
		}
	}
}

// TestEveryRecordIsAccountedFor: records + quarantined = records in the
// files, and the manifest lists each file with its counts and hash.
func TestEveryRecordIsAccountedFor(t *testing.T) {
	recs, quar, run := ingestFiles(t, [][2]string{
		{"good.ris", ris("One", "1") + ris("Two", "2")},
		{"cut.ris", ris("Three", "3") + "TY  - JOUR\nTI  - Cut off\n"},
	})
	if len(recs) != 3 || len(quar) != 1 {
		t.Fatalf("%d records, %d quarantined; want 3 and 1", len(recs), len(quar))
	}
	if q := quar[0]; q.SourceFile != "cut.ris" || q.SourceLine != 7 || q.Database != "cut" || q.Round != "r1" {
		t.Errorf("quarantine row %+v: want cut.ris line 7 (6 lines of the first record, then TY) in database cut, round r1", q)
	}
	for _, r := range recs {
		if r.Round != "r1" || r.SourceFile == "" || r.SourceLine < 1 || r.Format != "ris" || r.RecordID == "" {
			t.Errorf("provenance missing: %+v", r)
		}
	}
	if w := run.Warnings(); len(w) != 1 || !strings.Contains(w[0], "1 input record(s) quarantined") {
		t.Errorf("warnings %q", w)
	}
}

// TestFileSpanningChunks: a file longer than one result chunk keeps every
// record, in order, across the chunk boundaries.
func TestFileSpanningChunks(t *testing.T) {
	n := 2*table.ChunkRows + 3
	var body strings.Builder
	for i := 0; i < n; i++ {
		body.WriteString(ris("T"+strconv.Itoa(i), "K"+strconv.Itoa(i)))
	}
	recs, quar, _ := ingestFiles(t, [][2]string{{"big.ris", body.String()}, {"small.ris", ris("Last", "L")}})
	if len(quar) != 0 || len(recs) != n+1 {
		t.Fatalf("%d records, %d quarantined; want %d, 0", len(recs), len(quar), n+1)
	}
	for i := 0; i < n; i++ {
		if recs[i].Title != "T"+strconv.Itoa(i) {
			t.Fatalf("record %d is %q", i, recs[i].Title)
		}
	}
	if recs[n].Title != "Last" {
		t.Errorf("the second file's record is %q", recs[n].Title)
	}
}

// TestRecordsSharingALine: an export whose records share a line (BibTeX
// entries on one line) comes out sorted by line, then id, like every
// other file of the table.
func TestRecordsSharingALine(t *testing.T) {
	recs, quar, _ := ingestFiles(t, [][2]string{{"scholar.bib",
		"@article{zeta, title={Zeta}, year={2020}} @article{alpha, title={Alpha}, year={2020}} @article{mid, title={Mid}, year={2020}}\n" +
			"@article{last, title={Last}, year={2020}}\n"}})
	if len(quar) != 0 || len(recs) != 4 {
		t.Fatalf("%d records, %d quarantined", len(recs), len(quar))
	}
	for i := 1; i < len(recs); i++ {
		a, b := recs[i-1], recs[i]
		if a.SourceLine > b.SourceLine || a.SourceLine == b.SourceLine && a.RecordID > b.RecordID {
			t.Fatalf("records %d and %d out of order: line %d %s, line %d %s", i-1, i, a.SourceLine, a.RecordID, b.SourceLine, b.RecordID)
		}
	}
	if recs[3].Title != "Last" || recs[0].SourceLine != 1 || recs[2].SourceLine != 1 {
		t.Errorf("records %+v", recs)
	}
}

// TestRepeatedKeyAcrossChunksAndFiles: a key repeated far into a file (in
// a later chunk) and in a second file of the same search gets -2 and -3 in
// order of appearance, and nothing else changes.
func TestRepeatedKeyAcrossChunksAndFiles(t *testing.T) {
	var body strings.Builder
	body.WriteString(ris("First", "K"))
	for i := 0; i < table.ChunkRows+5; i++ {
		body.WriteString(ris("T"+strconv.Itoa(i), "N"+strconv.Itoa(i)))
	}
	body.WriteString(ris("Second", "K"))
	dir := t.TempDir()
	cfg := &pipeline.Config{Dir: dir, Rounds: []pipeline.Round{{ID: "r1", Searches: []pipeline.Search{{Database: "Embase", Path: "embase-*.ris"}}}}}
	for name, text := range map[string]string{"embase-1.ris": body.String(), "embase-2.ris": ris("Third", "K")} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := pipeline.NewRun(cfg, nil, nil)
	if err := IngestExports(context.Background(), run, &Params{}); err != nil {
		t.Fatal(err)
	}
	recs, _, _ := pipeline.Get[tables.Record](run, "records")
	ids := map[string]string{}
	for _, r := range recs {
		ids[r.Title] = r.RecordID
	}
	if len(recs) != table.ChunkRows+8 || ids["Second"] != ids["First"]+"-2" || ids["Third"] != ids["First"]+"-3" {
		t.Fatalf("%d records; ids First %s, Second %s, Third %s", len(recs), ids["First"], ids["Second"], ids["Third"])
	}
	if recs[table.ChunkRows+6].Title != "Second" || recs[table.ChunkRows+7].Title != "Third" || recs[1].Title != "T0" {
		t.Errorf("order: %s, %s, %s", recs[1].Title, recs[table.ChunkRows+6].Title, recs[table.ChunkRows+7].Title)
	}
}
