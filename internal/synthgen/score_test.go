package synthgen

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScoreHandComputed scores a six-record case worked out by hand:
// report R1 = {a,b,c}, its erratum R2 = {d} (one study S1, one erratum
// group), R3 = {e,f}. The prediction merges d into a and b's work, leaves c
// alone in the same study, and gets R3 right.
func TestScoreHandComputed(t *testing.T) {
	tt := NewTruthTable()
	for _, r := range []TruthRow{
		{File: "x.ris", Line: 1, Report: "R1", Study: "S1", Kind: "article", Groups: []string{"erratum/1"}},
		{File: "x.ris", Line: 9, Report: "R1", Study: "S1", Kind: "article", Groups: []string{"erratum/1"}},
		{File: "y.nbib", Line: 1, Report: "R1", Study: "S1", Kind: "article", Groups: []string{"erratum/1"}, Tags: []string{"t"}},
		{File: "y.nbib", Line: 30, Report: "R2", Study: "S1", Kind: "erratum", Relation: "erratum", RelatedTo: "R1", Groups: []string{"erratum/1"}},
		{File: "x.ris", Line: 20, Report: "R3", Study: "S3", Kind: "article"},
		{File: "y.nbib", Line: 60, Report: "R3", Study: "S3", Kind: "article"},
	} {
		if err := tt.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	s := tt.Score([]Prediction{
		{"x.ris", 1, "W1", "St1"}, {"x.ris", 9, "W1", "St1"}, {"y.nbib", 30, "W1", "St1"},
		{"y.nbib", 1, "W2", "St1"},
		{"x.ris", 20, "W3", "St2"}, {"y.nbib", 60, "W3", "St2"},
		{"z.ris", 5, "W9", "St9"}, // not in the truth, so not a work either
	})
	// Reports: gold pairs ab ac bc ef = 4; predicted ab ad bd ef = 4;
	// correct ab ef = 2; false merges ad bd.
	if s.Report != (Pairs{Gold: 4, Predicted: 4, Correct: 2}) || s.FalseMergePairs != 2 || s.FalseMergeWorks != 1 {
		t.Errorf("report level %+v, false merges %d in %d works; want 4/4/2, 2 in 1", s.Report, s.FalseMergePairs, s.FalseMergeWorks)
	}
	if s.Report.Precision() != 0.5 || s.Report.Recall() != 0.5 {
		t.Errorf("precision %v recall %v, want 0.5 0.5", s.Report.Precision(), s.Report.Recall())
	}
	// Studies: S1 = abcd (6 pairs) + S3 = ef (1), all predicted right.
	if s.Study != (Pairs{Gold: 7, Predicted: 7, Correct: 7}) || s.FalseLinkPairs != 0 {
		t.Errorf("study level %+v, false links %d", s.Study, s.FalseLinkPairs)
	}
	if s.Records != 6 || s.Unknown != 1 || s.Missing != 0 || s.Reports != 3 || s.Works != 3 {
		t.Errorf("counts %+v", s)
	}
	// Related pairs ad bd cd: ad and bd merged, cd linked.
	if len(s.Related) != 1 || s.Related[0] != (RelatedScore{Kinds: "article~erratum", Pairs: 3, Linked: 1, Merged: 2}) {
		t.Errorf("related %+v", s.Related)
	}
	// The erratum family: R1's 3 duplicate pairs, 1 found; 2 false merges.
	if len(s.Families) != 1 || s.Families[0].Family != "erratum" || s.Families[0].Reports != 2 ||
		s.Families[0].GoldPairs != 3 || s.Families[0].FoundPairs != 1 || s.Families[0].FalseMergePairs != 2 {
		t.Errorf("families %+v", s.Families)
	}
	// Tag t is on c: pairs ac and bc, neither found.
	if len(s.Tags) != 1 || s.Tags[0] != (TagScore{Tag: "t", Records: 1, GoldPairs: 2, FoundPairs: 0}) {
		t.Errorf("tags %+v", s.Tags)
	}
	var out strings.Builder
	s.WriteText(&out)
	if !strings.Contains(out.String(), "reports: precision 0.5000 recall 0.5000 · false-merge pairs 2 in 1 works") {
		t.Errorf("text:\n%s", out.String())
	}
}

// TestTruthRoundTrip: truth.tsv reads back what was written, and a record
// named twice is an error.
func TestTruthRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	tw := NewTruthWriter(&buf)
	want := TruthRow{File: "a.ris", Line: 7, Database: "Embase", Key: "123", Report: "R0000001", Study: "S0000001",
		Kind: "erratum", Relation: "erratum", RelatedTo: "R0000000", Groups: []string{"erratum/3"}, Tags: []string{"x", "y"}}
	tw.Write(&want)
	tw.Write(&want)
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	var got []TruthRow
	if err := ReadTruth(bytes.NewReader(buf.Bytes()), func(r *TruthRow) error { got = append(got, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].File != want.File || got[0].Line != 7 || got[0].Tags[1] != "y" || got[0].Groups[0] != "erratum/3" || got[0].RelatedTo != "R0000000" {
		t.Errorf("read back %+v", got)
	}
	if _, err := LoadTruth(bytes.NewReader(buf.Bytes())); err == nil || !strings.Contains(err.Error(), "a.ris:7 is in the truth twice") {
		t.Errorf("a record twice: err %v", err)
	}
}

// TestOldProfileThroughCorpusAPI: GenerateCorpus's old profile writes the
// bytes Generate writes, and its truth agrees with Generate's.
func TestOldProfileThroughCorpusAPI(t *testing.T) {
	bufs, truth := generate(t, Config{Records: 3000, Seed: 11})
	files := map[string]*bytes.Buffer{}
	var tb bytes.Buffer
	c, err := GenerateCorpus(CorpusConfig{Profile: ProfileOld, Records: 3000, Seed: 11}, func(name string) (io.Writer, error) {
		files[name] = &bytes.Buffer{}
		return files[name], nil
	}, &tb)
	if err != nil {
		t.Fatal(err)
	}
	for db, b := range bufs {
		if !bytes.Equal(files[db+".ris"].Bytes(), b.Bytes()) {
			t.Errorf("%s.ris differs from Generate's %s", db, db)
		}
	}
	n := 0
	err = ReadTruth(&tb, func(r *TruthRow) error {
		n++
		if want := reportID(truth[r.Key]); r.Report != want {
			t.Fatalf("%s: report %s, Generate says %s", r.Key, r.Report, want)
		}
		return nil
	})
	if err != nil || n != len(truth) || c.Records != len(truth) {
		t.Errorf("err %v, %d truth rows, corpus %d, Generate %d", err, n, c.Records, len(truth))
	}
}

// TestEnsureCorpusDir: a complete corpus made with the same config is
// kept; another config, or a folder without corpus.json, is written again.
func TestEnsureCorpusDir(t *testing.T) {
	dir := t.TempDir()
	cfg := CorpusConfig{Profile: ProfileHard, Records: 600, Seed: 1}
	c, err := EnsureCorpusDir(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != Version || c.Records < 600 {
		t.Fatalf("corpus %+v", c)
	}
	marker := filepath.Join(dir, "medline-01.nbib")
	if err := os.WriteFile(marker, []byte("changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := EnsureCorpusDir(dir, cfg); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(marker); string(b) != "changed" {
		t.Error("a complete corpus with the same config was written again")
	}
	cfg.Seed = 2
	if _, err := EnsureCorpusDir(dir, cfg); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(marker); string(b) == "changed" {
		t.Error("a corpus with another seed was kept")
	}
	review, err := os.ReadFile(filepath.Join(dir, ReviewFile))
	if err != nil || !strings.Contains(string(review), `{database: MEDLINE, path: "medline-*.nbib"}`) {
		t.Errorf("review.yaml: %v\n%s", err, review)
	}
}
