package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/pipeline/table"
)

// review is a one-search review in a temp folder, run through the CLI.
type review struct {
	dir      string
	code     int
	stderr   string
	records  []tables.Record
	quar     []tables.Quarantine
	warnings []string
	inputs   []pipeline.InputFile
}

// runReview writes file and a config whose only search reads it (search
// holds extra flow-style keys, such as "format: medline"), then runs it.
func runReview(t *testing.T, file string, content []byte, search string, args ...string) review {
	t.Helper()
	r := review{dir: t.TempDir()}
	if err := os.WriteFile(filepath.Join(r.dir, file), content, 0o644); err != nil {
		t.Fatal(err)
	}
	if search != "" {
		search = ", " + search
	}
	cfg := "review: hostile input\noutput: out/review\nrounds:\n  - id: r1\n    searches:\n      - {database: Embase, path: " + file + search + "}\n"
	cfgPath := filepath.Join(r.dir, "review.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if len(args) == 0 {
		args = []string{"run", "-q"}
	}
	_, r.stderr, r.code = realsynth(t, nil, append(args, "--config", cfgPath)...)
	out := filepath.Join(r.dir, "out", "review")
	if r.code != 0 || args[0] != "run" {
		return r
	}
	var err error
	if r.records, err = table.ReadFile[tables.Record](filepath.Join(out, "records.parquet")); err != nil {
		t.Fatal(err)
	}
	if r.quar, err = table.ReadFile[tables.Quarantine](filepath.Join(out, "quarantine.parquet")); err != nil {
		t.Fatal(err)
	}
	var m pipeline.Manifest
	data, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	r.warnings, r.inputs = m.Warnings, m.Inputs
	return r
}

func (r review) warning(t *testing.T, parts ...string) {
	t.Helper()
	for _, w := range r.warnings {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(w, p)
		}
		if ok {
			return
		}
	}
	t.Errorf("no warning says %q; warnings: %q", parts, r.warnings)
}

func (r review) exits(t *testing.T, code int, parts ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, code, r.stderr)
	}
	for _, p := range parts {
		if !strings.Contains(r.stderr, p) {
			t.Errorf("stderr does not say %q:\n%s", p, r.stderr)
		}
	}
}

// TestStrayBytesKeepUTF8: five stray Windows-1252 bytes in a UTF-8 export
// are read as such, every valid UTF-8 name stays as it is (no "MÃ¼ller"),
// and the records whose bytes were repaired are named.
func TestStrayBytesKeepUTF8(t *testing.T) {
	ris := "TY  - JOUR\nID  - a1\nAU  - Müller, Anna\nTI  - Caf\xe9 culture \x96 peer work\nER  - \n\n" +
		"TY  - JOUR\nID  - a2\nAU  - Ødegård, Kari\nTI  - Zürich \x93outreach\x94\nER  - \n\n" +
		"TY  - JOUR\nID  - a3\nAU  - Šimić, Ana\nTI  - Trust\x92s role\nER  - \n"
	r := runReview(t, "embase.ris", []byte(ris), "")
	r.exits(t, 0)
	got := map[string]string{}
	for _, rec := range r.records {
		got[rec.SourceKey] = rec.Authors[0] + " | " + rec.Title
	}
	want := map[string]string{
		"a1": "Müller, Anna | Café culture – peer work",
		"a2": "Ødegård, Kari | Zürich “outreach”",
		"a3": "Šimić, Ana | Trust’s role",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("record %s: %q, want %q", k, got[k], w)
		}
	}
	r.warning(t, "embase.ris: repaired the bytes of 3 record(s): line 1 (key a1), line 7 (key a2), line 13 (key a3)", "3 line(s) had bytes that are not UTF-8")
	if enc := r.inputs[0].Encoding; enc != "utf-8+windows-1252" {
		t.Errorf("manifest encoding %q", enc)
	}
}

// TestNULBytesRemoved: NUL bytes never reach a title, and the record is named.
func TestNULBytesRemoved(t *testing.T) {
	r := runReview(t, "embase.ris", []byte("TY  - JOUR\nID  - n1\nTI  - Peer\x00 work\x00\nER  - \n"), "")
	r.exits(t, 0)
	if len(r.records) != 1 || r.records[0].Title != "Peer work" {
		t.Fatalf("records %+v", r.records)
	}
	r.warning(t, "line 1 (key n1)", "1 line(s) had NUL bytes, removed")
}

// TestUTF16WithoutBOM is read as UTF-16, not as Windows-1252 text full of NULs.
func TestUTF16WithoutBOM(t *testing.T) {
	var b []byte
	for _, u := range utf16.Encode([]rune("TY  - JOUR\r\nTI  - Müller’s café\r\nER  - \r\n")) {
		b = append(b, byte(u), byte(u>>8))
	}
	r := runReview(t, "embase.ris", b, "")
	r.exits(t, 0)
	if len(r.records) != 1 || r.records[0].Title != "Müller’s café" || r.inputs[0].Encoding != "utf-16le" {
		t.Fatalf("records %+v, encoding %q", r.records, r.inputs[0].Encoding)
	}
	for _, w := range r.warnings {
		if strings.Contains(w, "embase.ris") {
			t.Errorf("warning about the file: %q", w)
		}
	}
}

const medlineRecord = "PMID- 31234567\nOWN - NLM\nTI  - Peer work in harm reduction.\nFAU - Smith, John\nAU  - Smith J\nDP  - 2019\n\n"

// TestContentAgainstFormat: a file that looks like another format than the
// one declared or named by its extension is refused before anything is
// read, naming the format it looks like.
func TestContentAgainstFormat(t *testing.T) {
	r := runReview(t, "medline.ris", []byte(medlineRecord+medlineRecord), "")
	r.exits(t, 2, "rounds[0].searches[0]: ", "/medline.ris looks like PubMed/MEDLINE, not RIS (the format its extension .ris names): set format: medline")
	r = runReview(t, "embase.ris", []byte(goodRIS), "format: medline")
	r.exits(t, 2, "rounds[0].searches[0]: ", "/embase.ris looks like RIS, not PubMed/MEDLINE (format: medline): set format: ris")
	r = runReview(t, "embase.ris", []byte(goodRIS), "format: medline", "validate", "-q")
	r.exits(t, 2, "looks like RIS")
}

// TestNoRecords: a non-empty file that gives no record is an error saying
// what it looks like; an empty file, or an export without entries, is a
// warning.
func TestNoRecords(t *testing.T) {
	r := runReview(t, "library.xml", []byte("Dear colleagues,\nhere are the references we found.\n"), "")
	r.exits(t, 1, `library.xml gave no records: it looks like plain text (it starts "Dear colleagues,"), not EndNote XML`)
	r = runReview(t, "embase.ris", nil, "")
	r.exits(t, 0)
	r.warning(t, "embase.ris is empty")
	r = runReview(t, "scopus.csv", []byte("Title,Authors,Year,DOI\r\n"), "")
	r.exits(t, 0)
	r.warning(t, "scopus.csv holds no records: a CSV export without entries")
}

// TestCSVUnclosedQuote: six rows in, five records and one quarantined row
// with its line; the short row is read with a warning naming its line.
func TestCSVUnclosedQuote(t *testing.T) {
	csv := "Title,Authors,Year\n\"First title\",Smith,2020\nSecond title,Jones,2021\n\"Broken title,Lee,2019\n" +
		"\"Fourth title\",Khan,2018\nFifth title,Ng\n\"Sixth, with comma\",Wu,2017\n"
	r := runReview(t, "scopus.csv", []byte(csv), "")
	r.exits(t, 0)
	if len(r.records) != 5 || len(r.quar) != 1 {
		t.Fatalf("%d records, %d quarantined; want 5 and 1", len(r.records), len(r.quar))
	}
	if q := r.quar[0]; q.SourceFile != "scopus.csv" || q.SourceLine != 4 || !strings.Contains(q.Error, "never closed") || q.Raw != `"Broken title,Lee,2019` {
		t.Errorf("quarantine %+v", q)
	}
	r.warning(t, "scopus.csv: line 6: row has 2 cells, the header has 3")
}

// TestUnknownEncoding is a config error, named by its key path, in run and
// in validate.
func TestUnknownEncoding(t *testing.T) {
	for _, cmd := range [][]string{{"run", "-q"}, {"validate", "-q"}} {
		r := runReview(t, "embase.ris", []byte(goodRIS), "encoding: klingon", cmd...)
		r.exits(t, 2, `rounds[0].searches[0].encoding: unknown encoding "klingon": use utf-8, utf-16le, utf-16be, latin1 or windows-1252`)
	}
}
