package csv

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

type result = testutil.Result

func read(t testing.TB, r io.Reader, opt formats.Options) result {
	t.Helper()
	return testutil.ReadAll(t, NewReader(r, opt))
}

func readFile(t testing.TB, path string, opt formats.Options) result {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec, _, err := formats.Decode(f, "")
	if err != nil {
		t.Fatal(err)
	}
	return read(t, dec, opt)
}

type check struct{ name, got, want string }

func runChecks(t *testing.T, checks []check) {
	t.Helper()
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

func j(s []string) string { return strings.Join(s, "|") }

func TestScopus(t *testing.T) {
	res := readFile(t, "testdata/scopus.csv", formats.Options{})
	if res.Err != nil || len(res.Recs) != 2 || len(res.Bad) != 0 {
		t.Fatalf("%d records, %d bad, err %v", len(res.Recs), len(res.Bad), res.Err)
	}
	r := res.Recs[0]
	runChecks(t, []check{
		{"SourceKey", r.SourceKey, "2-s2.0-85140000000"},
		{"Authors", j(r.Authors), "Tulloch, Catherine|Hing, Nerilee"}, // full names, Scopus author ids cut
		{"AuthorsNormalised", j(r.AuthorsNormalised), "Tulloch, C.|Hing, N."},
		{"Journal", r.Journal, "Addictive Behaviors"},
		{"JournalAbbrev", r.JournalAbbrev, "Addict. Behav."},
		{"ArticleNumber", r.ArticleNumber, "107538"},
		{"DOI", r.DOI, "10.1016/j.addbeh.2022.107538"},
		{"PMID", r.PMID, "36240000"},
		{"ISSN", j(r.ISSN), "0306-4603"},
		{"Abstract", r.Abstract, "Gambling harms can impact the health\nand wellbeing of both individuals who gamble and those close to them."},
		{"Keywords", j(r.Keywords), "gambling harm|wellbeing|adult|Australia|household"},
		{"PublicationType", j(r.PublicationType), "Article"},
		{"Extra", testutil.FieldsString(r.Extra), "Authors=Tulloch C.; Hing N.|Author(s) ID=57190000001; 6602000002|Cited by=3|Publication Stage=Final|Source=Scopus"},
	})
	if r.SourceLine != 2 || res.Recs[1].SourceLine != 4 { // the first row's abstract spans two lines
		t.Errorf("SourceLines %d, %d", r.SourceLine, res.Recs[1].SourceLine)
	}
	r = res.Recs[1]
	runChecks(t, []check{
		{"Pages", r.Pages, "4395-4410"},
		{"Authors", j(r.Authors), "Browne, Matthew|Rawat, Vijay"},
	})
}

func TestASReview(t *testing.T) {
	res := readFile(t, "testdata/asreview.csv", formats.Options{})
	if res.Err != nil || len(res.Recs) != 2 {
		t.Fatalf("%d records, err %v", len(res.Recs), res.Err)
	}
	r := res.Recs[0]
	runChecks(t, []check{
		{"SourceKey", r.SourceKey, "0"},
		{"Authors", j(r.Authors), "Smith, John|Doe, Jane"},
		{"Keywords", j(r.Keywords), "peer support|gambling"},
		{"DOI", r.DOI, "10.1000/peer.1"},
		{"Extra", testutil.FieldsString(r.Extra), "included=1|asreview_ranking=1"},
	})
}

func TestGenericMapping(t *testing.T) {
	opt := formats.Options{Columns: map[string]string{"title": "Titre", "authors": "Auteurs", "year": "Année", "journal": "Revue", "source_key": "Identifiant"}}
	res := readFile(t, "testdata/generic-semicolon.csv", opt)
	if res.Err != nil || len(res.Recs) != 1 {
		t.Fatalf("%d records, err %v", len(res.Recs), res.Err)
	}
	r := res.Recs[0]
	runChecks(t, []check{
		{"Title", r.Title, "Le jeu; une revue"},
		{"Authors", j(r.Authors), "Dupont, J.|Martin, A."},
		{"Journal", r.Journal, "Revue X"},
		{"SourceKey", r.SourceKey, "R-1"},
	})
	if r.Year == nil || *r.Year != 2021 {
		t.Errorf("Year = %v", r.Year)
	}
	// Without the mapping there is no title column: a clear error.
	res = readFile(t, "testdata/generic-semicolon.csv", formats.Options{})
	if res.Err == nil || !strings.Contains(res.Err.Error(), "neither a title nor a DOI column") {
		t.Errorf("err = %v", res.Err)
	}
	res = readFile(t, "testdata/generic-semicolon.csv", formats.Options{Columns: map[string]string{"title": "Title"}})
	if res.Err == nil || !strings.Contains(res.Err.Error(), `"Title", which the header does not have`) {
		t.Errorf("err = %v", res.Err)
	}
	res = readFile(t, "testdata/generic-semicolon.csv", formats.Options{Columns: map[string]string{"headline": "Titre"}})
	if res.Err == nil || !strings.Contains(res.Err.Error(), `unknown field "headline"`) {
		t.Errorf("err = %v", res.Err)
	}
}

func TestSharedScreeningTools(t *testing.T) {
	dir := testutil.SharedData(t, "exports", "screening-tools")
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(files) == 0 {
		t.Skip("no CSV files in " + dir)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			res := readFile(t, path, formats.Options{})
			if res.Err != nil || len(res.Bad) != 0 || len(res.Recs) != 10 {
				t.Fatalf("%d records (want 10), %d bad, err %v", len(res.Recs), len(res.Bad), res.Err)
			}
			for _, r := range res.Recs {
				if r.Title == "" || r.SourceKey == "" || len(r.Authors) == 0 {
					t.Errorf("line %d: title %q key %q authors %q", r.SourceLine, r.Title, r.SourceKey, r.Authors)
				}
			}
		})
	}
}

func TestBadRows(t *testing.T) {
	in := "title,doi\nok one,10.1/a\ntoo,many,fields,here\n,\n\"bare \"quote\" inside\",10.1/b\nlast,10.1/c\n"
	res := read(t, strings.NewReader(in), formats.Options{})
	if res.Err != nil || len(res.Recs) != 3 || len(res.Bad) != 1 {
		t.Fatalf("%d records %d bad err %v", len(res.Recs), len(res.Bad), res.Err)
	}
	if res.Bad[0].Line != 3 || !strings.Contains(res.Bad[0].Msg, "4 fields, the header has 2") {
		t.Errorf("bad: line %d %s", res.Bad[0].Line, res.Bad[0].Msg)
	}
	if res.Recs[1].Title != `bare "quote" inside` || res.Recs[2].SourceLine != 6 {
		t.Errorf("records after the bad row: %q line %d", res.Recs[1].Title, res.Recs[2].SourceLine)
	}
}

// repeatReader yields n copies of b without holding them.
type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

// TestHugeRow: a 100 MB row (a quote that is not closed before the line
// ends) is quarantined, the rows before and after it are read, and memory
// stays bounded.
func TestHugeRow(t *testing.T) {
	in := io.MultiReader(strings.NewReader("title,doi\nbefore,10.1/a\n\"huge"), &repeatReader{'x', 100 << 20}, strings.NewReader("\nafter,10.1/b\n"))
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	res := read(t, in, formats.Options{})
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if res.Err != nil || len(res.Recs) != 2 || len(res.Bad) != 1 {
		t.Fatalf("%d records %d bad err %v", len(res.Recs), len(res.Bad), res.Err)
	}
	if res.Bad[0].Line != 3 || !strings.Contains(res.Bad[0].Msg, "record limit") || len(res.Bad[0].Raw) > formats.MaxRawBytes {
		t.Errorf("bad: line %d %q raw %d", res.Bad[0].Line, res.Bad[0].Msg, len(res.Bad[0].Raw))
	}
	// The quote is never closed; the huge cell ends at its line break, so
	// "after" is a record of its own, on line 4.
	if r := res.Recs[1]; r.Title != "after" || r.SourceLine != 4 {
		t.Errorf("record after the huge row: %q on line %d", r.Title, r.SourceLine)
	}
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 64<<20 {
		t.Errorf("heap grew by %d MB reading a 100 MB row", grew>>20)
	}
}

// FuzzReader: no panic; conservation: every non-blank row after the header
// that encoding/csv sees is one record or one bad record. Where a quote
// never closed, encoding/csv sees one row for several; the reader takes
// the damaged row apart, so it may find more rows, never fewer.
func FuzzReader(f *testing.F) {
	for _, p := range []string{"testdata/scopus.csv", "testdata/asreview.csv", "testdata/generic-semicolon.csv"} {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Add([]byte("title\n\"a\"\"b\"\n\"unclosed\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := NewReader(bytes.NewReader(data), formats.Options{})
		var recs, bad int
		damaged := false
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if b, ok := formats.AsBadRecord(err); ok {
				bad++
				damaged = damaged || strings.Contains(b.Msg, "never closed")
				continue
			}
			if err != nil {
				return // a header without title/DOI: the whole file is refused
			}
			recs++
			biblio.Complete(rec)
		}
		if want := rowsSeen(data); recs+bad != want && !(damaged && recs+bad > want) {
			t.Fatalf("%d rows, %d records + %d bad", want, recs, bad)
		}
	})
}

// rowsSeen counts the non-blank data rows (or parse errors) encoding/csv
// finds, with the reader's delimiter, for inputs below the record limit.
func rowsSeen(data []byte) int {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := stdcsvReader(bytes.NewReader(data), sniffDelimiter(data))
	n := -1 // the header
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err == nil && isBlank(row) && n >= 0 {
			continue
		}
		n++
	}
	if n < 0 {
		return 0
	}
	return n
}

// TestInvalidBytes: a Windows-1252 byte in a file read as UTF-8 becomes
// U+FFFD, with a warning naming the line and column.
func TestInvalidBytes(t *testing.T) {
	rd := NewReader(strings.NewReader("title,doi\nCaf\xe9 culture,10.1/a\n"), formats.Options{})
	rec, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Title != "Caf\uFFFD culture" {
		t.Errorf("Title = %q", rec.Title)
	}
	if w := rd.Warnings(); len(w) != 1 || !strings.Contains(w[0], `line 2, column "title"`) {
		t.Errorf("warnings = %q", w)
	}
}

// TestUnclosedQuote: a quote that never closes must not swallow the rows
// after it. Six rows in: five records and the damaged row quarantined with
// its line, and every row after it read on its own line.
func TestUnclosedQuote(t *testing.T) {
	cases := []struct {
		name, in string
		titles   string // of the records, in order
		lines    string // their source lines
		badLine  int64
	}{
		{
			// Today's LazyQuotes reading: row 3's cell runs to the quote of
			// "Fourth title", and row 4 disappears into it.
			name: "next quote closes it",
			in: "id,title,authors\n1,\"First title\",Smith\n2,Second title,Jones\n3,\"Broken title,Lee\n" +
				"4,\"Fourth title\",Khan\n5,Fifth title,Ng\n6,\"Sixth, with comma\",Wu\n",
			titles: "First title|Second title|Fourth title|Fifth title|Sixth, with comma", lines: "2|3|5|6|7", badLine: 4,
		},
		{
			name:   "no quote until the end",
			in:     "id,title,authors\n1,\"Broken,Lee\n2,Two,Ng\n3,Three,Wu\n4,Four,Li\n5,Five,Ma\n6,Six,Xu",
			titles: "Two|Three|Four|Five|Six", lines: "3|4|5|6|7", badLine: 2,
		},
		{
			// The damaged cell opens on the second line of a row whose
			// first cell ran over a line break properly.
			name:   "after a good multi-line cell",
			in:     "id,title,authors\n1,\"Two\nlines\",\"Lee\n2,Two,Ng\n3,\"Three\",Wu\n4,Four,Li\n5,Five,Ma\n6,Six,Xu\n",
			titles: "Two|Three|Four|Five|Six", lines: "4|5|6|7|8", badLine: 2,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := read(t, strings.NewReader(c.in), formats.Options{})
			if res.Err != nil || len(res.Recs) != 5 || len(res.Bad) != 1 {
				t.Fatalf("%d records, %d quarantined (err %v); want 5 and 1", len(res.Recs), len(res.Bad), res.Err)
			}
			var titles, lines []string
			for _, r := range res.Recs {
				titles = append(titles, r.Title)
				lines = append(lines, strconv.FormatInt(r.SourceLine, 10))
			}
			if j(titles) != c.titles || j(lines) != c.lines {
				t.Errorf("records %q on lines %s, want %q on %s", j(titles), j(lines), c.titles, c.lines)
			}
			if b := res.Bad[0]; b.Line != c.badLine || !strings.Contains(b.Msg, "never closed") {
				t.Errorf("quarantined line %d %q, want line %d", b.Line, b.Msg, c.badLine)
			}
		})
	}
}

// TestQuotedLineBreaksStayWhole: cells that run over line breaks with their
// quotes doubled, as every CSV writer does, are never taken for damage.
func TestQuotedLineBreaksStayWhole(t *testing.T) {
	in := "title,notes\n\"Line one\nHe said \"\"hi\"\"\",\"a\r\n\r\nb\"\r\nNext,\"x\"\n"
	res := read(t, strings.NewReader(in), formats.Options{})
	if res.Err != nil || len(res.Recs) != 2 || len(res.Bad) != 0 {
		t.Fatalf("%d records, %d bad, err %v", len(res.Recs), len(res.Bad), res.Err)
	}
	if res.Recs[0].Title != "Line one He said \"hi\"" || res.Recs[1].SourceLine != 6 {
		t.Errorf("title %q, second record on line %d", res.Recs[0].Title, res.Recs[1].SourceLine)
	}
}

// TestShortRow: a row with fewer cells than the header is read, with a
// warning naming its line.
func TestShortRow(t *testing.T) {
	res := read(t, strings.NewReader("title,authors,year,doi\nFull,Lee,2020,10.1/a\nShort,Ng\n"), formats.Options{})
	if res.Err != nil || len(res.Recs) != 2 {
		t.Fatalf("%d records, err %v", len(res.Recs), res.Err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], `line 3: row has 2 cells, the header has 4; the missing ones (from "year" on)`) {
		t.Errorf("warnings %q", res.Warnings)
	}
}
