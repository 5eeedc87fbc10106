package export

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	_ "github.com/realsynth/realsynth/internal/formats/bibtex"
	"github.com/realsynth/realsynth/internal/formats/csv"
	_ "github.com/realsynth/realsynth/internal/formats/endnote"
	_ "github.com/realsynth/realsynth/internal/formats/medline"
	"github.com/realsynth/realsynth/internal/formats/ris"
	_ "github.com/realsynth/realsynth/internal/formats/wos"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
)

// samples are the readers' own test files, one or two per format.
var samples = []struct{ format, path string }{
	{"ris", "../../internal/formats/ris/testdata/dialects.ris"},
	{"medline", "../../internal/formats/medline/testdata/three.nbib"},
	{"bibtex", "../../internal/formats/bibtex/testdata/sample.bib"},
	{"endnote", "../../internal/formats/endnote/testdata/library.xml"},
	{"wos", "../../internal/formats/wos/testdata/savedrecs.ciw"},
	{"csv", "../../internal/formats/csv/testdata/scopus.csv"},
	{"csv", "../../internal/formats/csv/testdata/asreview.csv"},
}

func readWith(t *testing.T, format string, r io.Reader) []tables.Record {
	t.Helper()
	f, ok := formats.Lookup(format)
	if !ok {
		t.Fatalf("format %s not registered", format)
	}
	rd := f.NewReader(r, formats.Options{})
	var out []tables.Record
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return out
		}
		if _, bad := formats.AsBadRecord(err); bad {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		rec.Format = format
		biblio.Complete(rec)
		out = append(out, *rec)
	}
}

func readSample(t *testing.T, format, path string) []tables.Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs := readWith(t, format, f)
	for i := range recs {
		recs[i].RecordID = "id-" + string(rune('a'+i))
	}
	return recs
}

// normalised is what a round trip must keep. RIS keeps every field on one
// line, so line breaks inside abstracts and notes compare as spaces there.
func normalised(r tables.Record, oneLine bool) []string {
	flat := func(s string) string {
		if oneLine {
			return biblio.Clean(s)
		}
		return s
	}
	year := ""
	if r.Year != nil {
		year = string(rune('0'+*r.Year/1000)) + "…" + string(rune('0'+*r.Year%10))
	}
	var notes []string
	for _, n := range r.Notes {
		notes = append(notes, flat(n))
	}
	return []string{
		"id=" + r.RecordID, "title=" + r.Title, "authors=" + strings.Join(r.Authors, "|"),
		"authors_normalised=" + strings.Join(r.AuthorsNormalised, "|"), "year=" + year, "date=" + r.Date,
		"journal=" + r.Journal, "journal_abbrev=" + r.JournalAbbrev, "volume=" + r.Volume, "issue=" + r.Issue,
		"page_start=" + r.PageStart, "page_end=" + r.PageEnd, "article_number=" + r.ArticleNumber,
		"dois=" + strings.Join(r.DOIs, "|"), "issn=" + strings.Join(r.ISSN, "|"), "isbn=" + strings.Join(r.ISBN, "|"),
		"abstract=" + flat(r.Abstract), "keywords=" + strings.Join(r.Keywords, "|"), "language=" + r.Language,
		"urls=" + strings.Join(r.URLs, "|"), "notes=" + strings.Join(notes, "|"),
		"publication_type=" + strings.Join(r.PublicationType, "|"), "accession_number=" + r.AccessionNumber,
	}
}

// TestRoundTrip: for every sample of every format, writing RIS (or CSV) and
// reading it back gives the same normalised fields.
func TestRoundTrip(t *testing.T) {
	for _, s := range samples {
		recs := readSample(t, s.format, s.path)
		if len(recs) == 0 {
			t.Fatalf("%s: no records", s.path)
		}
		for _, out := range []string{"ris", "csv"} {
			t.Run(filepath.Base(s.path)+"→"+out, func(t *testing.T) {
				data, err := Encode(out, recs)
				if err != nil {
					t.Fatal(err)
				}
				back := readWith(t, out, bytes.NewReader(data))
				if len(back) != len(recs) {
					t.Fatalf("%d records written, %d read back", len(recs), len(back))
				}
				for i := range recs {
					want, got := normalised(recs[i], out == "ris"), normalised(back[i], out == "ris")
					if out == "ris" {
						back[i].RecordID = back[i].SourceKey // RIS ID
					} else {
						back[i].RecordID = back[i].SourceKey // CSV id column
					}
					got = normalised(back[i], out == "ris")
					for k := range want {
						if want[k] != got[k] {
							t.Errorf("record %d: %s\n   read back as %s", i, want[k], got[k])
						}
					}
				}
			})
		}
	}
}

func TestRISShape(t *testing.T) {
	y := int32(2022)
	data, err := Encode("ris", []tables.Record{{
		RecordID: "work-1", Format: "medline", Type: "Journal Article", Title: "A title\nover two lines",
		Authors: []string{"Dupont, Jean-Pierre", "Smith JA"}, Year: &y, Journal: "J Gambl Stud",
		PageStart: "221", PageEnd: "228", DOIs: []string{"10.1/a", "10.1/b"}, Keywords: []string{"k1"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := "TY  - JOUR\r\nID  - work-1\r\nTI  - A title over two lines\r\nAU  - Dupont, Jean-Pierre\r\nAU  - Smith JA\r\n" +
		"PY  - 2022\r\nT2  - J Gambl Stud\r\nSP  - 221\r\nEP  - 228\r\nDO  - 10.1/a\r\nDO  - 10.1/b\r\nKW  - k1\r\nER  - \r\n\r\n"
	if string(data) != want {
		t.Errorf("RIS:\n%q\nwant\n%q", data, want)
	}
}

func TestWorksExport(t *testing.T) {
	y := int32(2021)
	records := []tables.Record{
		{RecordID: "rec-1", Title: "Peer support", Authors: []string{"Smith, J."}, Keywords: []string{"peer"}, ISSN: []string{"1050-5350"}, Journal: "J Gambl Stud", Pages: "221-8", PageStart: "221", PageEnd: "228"},
		{RecordID: "rec-2", Title: "Peer support.", Authors: []string{"Smith J"}},
		{RecordID: "rec-3", Title: "Another", Authors: []string{"Lee, K."}},
	}
	// In the order dedupe writes works: their canonical records' order.
	works := []tables.Work{
		{WorkID: "work-b", CanonicalRecordID: "rec-1", RecordIDs: []string{"rec-1", "rec-2"}, Title: "Peer support",
			Authors: []string{"Smith, J."}, Year: &y, DOI: "10.1/peer", Pages: "221-8", Databases: []string{"Embase", "MEDLINE"}, FirstRound: "r1"},
		{WorkID: "work-a", CanonicalRecordID: "rec-3", Title: "Another", Databases: []string{"Embase"}, FirstRound: "r1"},
	}
	run := pipeline.NewRun(&pipeline.Config{}, nil, nil)
	if err := pipeline.Put(run, "records", records); err != nil {
		t.Fatal(err)
	}
	if err := pipeline.Put(run, "works", works); err != nil {
		t.Fatal(err)
	}
	name, data, n, err := build(run, &Params{Format: "ris"})
	if err != nil {
		t.Fatal(err)
	}
	if name != "works.ris" || n != 2 {
		t.Fatalf("name %s, %d rows", name, n)
	}
	back := readWith(t, "ris", bytes.NewReader(data))
	if len(back) != 2 || back[0].SourceKey != "work-b" || back[1].SourceKey != "work-a" {
		t.Fatalf("read back %d records: %+v", len(back), back)
	}
	a := back[0]
	// Fields from the work, and from its canonical record (keywords, ISSN, journal).
	if a.DOI != "10.1/peer" || a.Year == nil || *a.Year != 2021 || strings.Join(a.Keywords, "") != "peer" ||
		strings.Join(a.ISSN, "") != "1050-5350" || a.Journal != "J Gambl Stud" || a.PageEnd != "228" {
		t.Errorf("work-b exported as %+v", a)
	}
	if records[0].RecordID != "rec-1" || len(records[0].DOIs) != 0 {
		t.Errorf("the records table was changed: %+v", records[0])
	}

	name, _, n, err = build(run, &Params{Format: "csv", Table: "records", File: "all.csv"})
	if err != nil || name != "all.csv" || n != 3 {
		t.Errorf("records export: %s %d %v", name, n, err)
	}
	for _, p := range []Params{{Format: "xml"}, {Format: "ris", Table: "studies"}, {Format: "ris", File: "../x.ris"}} {
		if _, _, _, err := build(run, &p); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
	empty := pipeline.NewRun(&pipeline.Config{}, nil, nil)
	if _, _, _, err := build(empty, &Params{Format: "ris", Table: "works"}); err == nil || !strings.Contains(err.Error(), "dedupe") {
		t.Errorf("works without dedupe: %v", err)
	}
}

// TestCSVHeaderReadsBack: every column Write produces is one the CSV
// reader maps (or keeps as extra provenance).
func TestCSVHeaderReadsBack(t *testing.T) {
	data, _ := Encode("csv", []tables.Record{{RecordID: "x", Title: "t", Database: "Embase", Round: "r1"}})
	back := readWith(t, "csv", bytes.NewReader(data))
	if len(back) != 1 || back[0].SourceKey != "x" || back[0].Title != "t" {
		t.Fatalf("%+v", back)
	}
	var extra []string
	for _, f := range back[0].Extra {
		extra = append(extra, f.Tag)
	}
	if strings.Join(extra, ",") != "database,round" {
		t.Errorf("columns read back as extra: %v (header %v)", extra, csv.Columns)
	}
	_ = ris.TypeCode
}

// TestOnlyNewWorks: after an update search, only the works first found in
// the last round are exported for screening; a work found in r1 and again
// in r2 was screened in r1 and stays out.
func TestOnlyNewWorks(t *testing.T) {
	records := []tables.Record{{RecordID: "rec-1", Title: "Old"}, {RecordID: "rec-2", Title: "New"}, {RecordID: "rec-3", Title: "Old, found again"}}
	works := []tables.Work{
		{WorkID: "work-old", CanonicalRecordID: "rec-1", Title: "Old", FirstRound: "r1", Rounds: []string{"r1"}},
		{WorkID: "work-new", CanonicalRecordID: "rec-2", Title: "New", FirstRound: "r2", Rounds: []string{"r2"}},
		{WorkID: "work-again", CanonicalRecordID: "rec-3", Title: "Old, found again", FirstRound: "r1", Rounds: []string{"r1", "r2"}},
	}
	run := pipeline.NewRun(&pipeline.Config{Rounds: []pipeline.Round{{ID: "r1"}, {ID: "r2"}}}, nil, nil)
	if err := pipeline.Put(run, "records", records); err != nil {
		t.Fatal(err)
	}
	if err := pipeline.Put(run, "works", works); err != nil {
		t.Fatal(err)
	}
	_, data, n, err := build(run, &Params{Format: "ris", OnlyNew: true, File: "to-screen.ris"})
	if err != nil {
		t.Fatal(err)
	}
	back := readWith(t, "ris", bytes.NewReader(data))
	if n != 1 || len(back) != 1 || back[0].SourceKey != "work-new" {
		t.Fatalf("exported %d works (%+v), want only work-new", n, back)
	}
	if _, _, _, err := build(run, &Params{Format: "ris", Table: "records", OnlyNew: true}); err == nil {
		t.Error("only_new with the records table accepted")
	}
}
