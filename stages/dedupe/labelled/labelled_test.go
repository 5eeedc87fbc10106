package labelled

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLoadAndScore: gold groups {a,b,c} and {d,e}; predicted clusters
// {a,b}, {c}, {d,e,f}. By hand: gold pairs ab ac bc de = 4; predicted pairs
// ab de df ef = 4; true ab de = 2; false merges df ef = 2; precision 2/4,
// recall 2/4, F1 0.5.
func TestLoadAndScore(t *testing.T) {
	dir := t.TempDir()
	recs := "\"ID\",\"title\",\"year\",\"author\",\"pages\",\"volume\",\"number\",\"ENTRYTYPE\",\"journal\"\n" +
		"\"a\",\"T\",2001,\"Smith, J and Jones, K\",\"1-2\",1,1,\"article\",\"J\"\n" +
		"\"b\",\"T\",2001,,,,,\"article\",\n\"c\",\"T\",,,,,,\"article\",\n\"d\",\"U\",2002,,,,,\"article\",\n" +
		"\"e\",\"U\",2002,,,,,\"article\",\n\"f\",\"V\",2003,,,,,\"article\",\n"
	if err := os.WriteFile(filepath.Join(dir, "records_pre_merged.csv"), []byte(recs), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "merged_record_ids.csv"), []byte("merged_ids\n\"a;b;c\"\n\"d;e\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Records) != 6 || len(s.Groups) != 2 {
		t.Fatalf("%d records, %d groups; want 6, 2", len(s.Records), len(s.Groups))
	}
	if a := s.Records[0]; len(a.Authors) != 2 || a.Authors[1] != "Jones, K" || *a.Year != 2001 || a.Pages != "1-2" {
		t.Errorf("record a read as %+v", a)
	}
	if s.Records[2].Year != nil {
		t.Errorf("empty year read as %d", *s.Records[2].Year)
	}
	m := s.Score(map[string]string{"a": "1", "b": "1", "c": "2", "d": "3", "e": "3", "f": "3"})
	want := Metrics{Records: 6, GoldPairs: 4, PredictedPairs: 4, TruePairs: 2, FalseMerges: 2, Precision: 0.5, Recall: 0.5, F1: 0.5}
	if m != want {
		t.Errorf("metrics %+v, want %+v", m, want)
	}
	// Gold pairs ac and bc are split across clusters 1 and 2.
	if got, want := s.Missed(map[string]string{"a": "1", "b": "1", "c": "2", "d": "3", "e": "3", "f": "3"}), [][2]string{{"a", "c"}, {"b", "c"}}; !slices.Equal(got, want) {
		t.Errorf("missed %v, want %v", got, want)
	}
}

func TestLoadNamesBadYear(t *testing.T) {
	dir := t.TempDir()
	recs := "ID,title,year,author,pages,volume,number,ENTRYTYPE,journal\na,T,20x1,,,,,article,\n"
	os.WriteFile(filepath.Join(dir, "records_pre_merged.csv"), []byte(recs), 0o644)
	os.WriteFile(filepath.Join(dir, "merged_record_ids.csv"), []byte("merged_ids\n"), 0o644)
	_, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "records_pre_merged.csv:2") {
		t.Errorf("error %v, want file:line", err)
	}
}
