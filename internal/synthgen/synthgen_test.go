package synthgen

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/ris"
)

func generate(t *testing.T, cfg Config) (map[string]*bytes.Buffer, Truth) {
	t.Helper()
	bufs := map[string]*bytes.Buffer{}
	truth, err := Generate(cfg, func(db string) (io.Writer, error) {
		bufs[db] = &bytes.Buffer{}
		return bufs[db], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return bufs, truth
}

// TestCorpusParsesAndMatchesTruth: every record the RIS reader finds is in
// the truth, the counts agree, and the corpus has duplicates across databases.
func TestCorpusParsesAndMatchesTruth(t *testing.T) {
	bufs, truth := generate(t, Config{Records: 2000, Seed: 7})
	if len(truth) < 2000 || len(truth) > 2004 {
		t.Errorf("%d records, want about 2000", len(truth))
	}
	parsed := 0
	perWork := map[int]int{}
	for db, buf := range bufs {
		rd := ris.NewReader(bytes.NewReader(buf.Bytes()))
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", db, err)
			}
			w, ok := truth[rec.SourceKey]
			if !ok {
				t.Fatalf("%s: record %q not in truth", db, rec.SourceKey)
			}
			if rec.Title == "" || rec.Year == nil || len(rec.Authors) == 0 {
				t.Errorf("%s: record %s lacks title, year or authors: %+v", db, rec.SourceKey, rec)
			}
			perWork[w]++
			parsed++
		}
	}
	if parsed != len(truth) {
		t.Errorf("parsed %d records, truth has %d", parsed, len(truth))
	}
	dup := 0
	for _, n := range perWork {
		if n > 1 {
			dup++
		}
	}
	if ratio := float64(len(truth)) / float64(len(perWork)); ratio < 1.4 || ratio > 2.2 {
		t.Errorf("%.2f records per work, want about 1.7", ratio)
	}
	if dup == 0 {
		t.Error("no work found by two databases")
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	a, _ := generate(t, Config{Records: 500, Seed: 3})
	b, _ := generate(t, Config{Records: 500, Seed: 3})
	c, _ := generate(t, Config{Records: 500, Seed: 4})
	for db := range a {
		if !bytes.Equal(a[db].Bytes(), b[db].Bytes()) {
			t.Errorf("%s differs between two runs with one seed", db)
		}
		if bytes.Equal(a[db].Bytes(), c[db].Bytes()) {
			t.Errorf("%s identical for two seeds", db)
		}
	}
	if !strings.Contains(a["MEDLINE"].String(), "TY  - JOUR") {
		t.Error("no RIS records")
	}
}

// TestOldCorpusBytesUnchanged pins the old profile byte for byte: its
// figures in the READMEs stay comparable only while it does not move. The
// hashes are those of the generator before the hard profile was added.
func TestOldCorpusBytesUnchanged(t *testing.T) {
	bufs, truth := generate(t, Config{Records: 3000, Seed: 20261122})
	want := map[string]string{
		"MEDLINE":  "51972467c10eb7011007865bd98fddb3d981045d1cf4cad1380d7ebc19d7c4e9",
		"Embase":   "f8d61b48c17b57feaf134d2b307041995bf3b1e9a66ec7c57086db2471a437d4",
		"PsycINFO": "ea46d372d1d0b3a07983f3b7136804100b624669670009ff6c5bf67921f17cd6",
		"Scopus":   "fd26370c2f205636c72df3ae3f1fb4a8fc0407d0ebaf3c736fdae6ee2f64b41c",
	}
	for db, h := range want {
		if got := fmt.Sprintf("%x", sha256.Sum256(bufs[db].Bytes())); got != h {
			t.Errorf("%s: sha256 %s, want %s", db, got, h)
		}
	}
	if len(truth) != 3002 {
		t.Errorf("%d records, want 3002", len(truth))
	}
}
