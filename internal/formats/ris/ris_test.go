package ris

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
)

// result is what a reader made of one input: records and bad stretches.
type result = testutil.Result

func read(t testing.TB, input string) result {
	t.Helper()
	return testutil.MustReadAll(t, NewReader(strings.NewReader(input)))
}

func TestRecordFields(t *testing.T) {
	// An Embase/Ovid-style record (JF/JO, Y1, continuation line in AB, L3
	// holding the DOI, unknown tags), with CRLF line ends and a BOM.
	in := "\ufeffTY  - JOUR\r\nID  - 12345\r\nT1  - Harm from gambling\r\nA1  - Smith, John Adam\r\nAU  - Dupont JP\r\n" +
		"JF  - Journal of Gambling Studies\r\nJO  - J Gambl Stud\r\nY1  - 2021/06//\r\nVL  - 29\r\nIS  - 3\r\n" +
		"SP  - 221\r\nEP  - 8\r\nAB  - First line\r\n  second line.\r\nKW  - harm\r\nKW  - gambling\r\n" +
		"L3  - https://doi.org/10.1000/ABC.1\r\nSN  - 0028-3932 (Print)\r\nSN  - 1873-3514\r\nN1  - a note\r\n" +
		"Z9  - unknown tag\r\nER  - \r\n"
	res := read(t, in)
	if len(res.Recs) != 1 || len(res.Bad) != 0 {
		t.Fatalf("got %d records, %d bad", len(res.Recs), len(res.Bad))
	}
	r := res.Recs[0]
	checks := []struct{ name, got, want string }{
		{"SourceKey", r.SourceKey, "12345"},
		{"Type", r.Type, "JOUR"},
		{"Title", r.Title, "Harm from gambling"},
		{"Authors", strings.Join(r.Authors, "|"), "Smith, John Adam|Dupont JP"},
		{"AuthorsNormalised", strings.Join(r.AuthorsNormalised, "|"), "Smith, J.A.|Dupont, J.P."},
		{"Journal", r.Journal, "Journal of Gambling Studies"},
		{"JournalAbbrev", r.JournalAbbrev, "J Gambl Stud"},
		{"Date", r.Date, "2021/06//"},
		{"Pages", r.Pages, "221-8"},
		{"PageStart", r.PageStart, "221"},
		{"PageEnd", r.PageEnd, "228"},
		{"Abstract", r.Abstract, "First line\nsecond line."},
		{"Keywords", strings.Join(r.Keywords, "|"), "harm|gambling"},
		{"DOI", r.DOI, "10.1000/abc.1"},
		{"ISSN", strings.Join(r.ISSN, "|"), "0028-3932|1873-3514"},
		{"Notes", strings.Join(r.Notes, "|"), "a note"},
		{"Extra", testutil.FieldsString(r.Extra), "Z9=unknown tag"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if r.Year == nil || *r.Year != 2021 {
		t.Errorf("Year = %v, want 2021", r.Year)
	}
	if r.SourceLine != 1 {
		t.Errorf("SourceLine = %d, want 1", r.SourceLine)
	}
}

func TestGluedTags(t *testing.T) {
	// Web of Science and Rayyan glue the next tag onto a value.
	in := "TY  - JOUR\nTI  - T\nWE  - Social Science Citation Index (SSCI)AN  - WOS:000440314900007\n" +
		"UR  - https://example.org/x     U2  - L2029880245\nAB  - Scores rose (p  - 0.1 not a tag)\nER  -\n"
	res := read(t, in)
	if len(res.Recs) != 1 {
		t.Fatalf("got %d records, %d bad", len(res.Recs), len(res.Bad))
	}
	r := res.Recs[0]
	if r.SourceKey != "WOS:000440314900007" || r.AccessionNumber != "WOS:000440314900007" {
		t.Errorf("SourceKey %q AccessionNumber %q", r.SourceKey, r.AccessionNumber)
	}
	if strings.Join(r.URLs, "|") != "https://example.org/x" {
		t.Errorf("URLs = %q", r.URLs)
	}
	if got := testutil.FieldsString(r.Extra); got != "WE=Social Science Citation Index (SSCI)|U2=L2029880245" {
		t.Errorf("Extra = %q", got)
	}
	if r.Abstract != "Scores rose (p - 0.1 not a tag)" {
		t.Errorf("Abstract = %q", r.Abstract)
	}
}

func TestSourceKeyFallbacks(t *testing.T) {
	cases := []struct{ in, want string }{
		{"TY  - JOUR\nID  - id1\nAN  - an1\nU1  - 99\nER  - \n", "id1"},
		{"TY  - JOUR\nAN  - an1\nU1  - 99\nER  - \n", "an1"},
		{"TY  - JOUR\nU1  - 102199191\nER  - \n", "102199191"},
		// PsycINFO writes sponsor text in U1: not a key.
		{"TY  - JOUR\nU1  - Sponsor: Wellcome Trust. Grant: 1\nER  - \n", ""},
	}
	for _, c := range cases {
		res := read(t, c.in)
		if len(res.Recs) != 1 || res.Recs[0].SourceKey != c.want {
			t.Errorf("%q: key %q, want %q", c.in, res.Recs[0].SourceKey, c.want)
		}
	}
}

// TestBadInput: each bad stretch becomes one BadRecord with the line where
// it starts, and the good records around it are still read.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name      string
		in        string
		records   int
		badLines  []int64
		badSubstr string
	}{
		{"no ER before next TY", "TY  - JOUR\nTI  - a\nTY  - JOUR\nTI  - b\nER  - \n", 1, []int64{1}, "next record at line 3"},
		{"no ER at EOF", "TY  - JOUR\nTI  - a\nER  - \nTY  - JOUR\nTI  - truncated", 1, []int64{4}, "before the end of the file"},
		{"preamble with a tag line", "AU  - Lost, TY\nsecond line\n\nTY  - JOUR\nTI  - a\nER  - \n", 1, []int64{1}, "outside a record"},
		{"text only", "Title,Authors\nA,B\n", 0, []int64{1}, "outside a record"},
		{"junk between records", "TY  - JOUR\nTI  - a\nER  - \nstray\nTY  - JOUR\nTI  - b\nER  - \n", 2, []int64{4}, "outside a record"},
		{"binary", "\x00\x01\x02\xff\xfe garbage\x00", 0, []int64{1}, "outside a record"},
		{"empty", "", 0, nil, ""},
		{"blank lines only", "\n\r\n\n", 0, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := read(t, c.in)
			if len(res.Recs) != c.records {
				t.Errorf("%d records, want %d", len(res.Recs), c.records)
			}
			if len(res.Bad) != len(c.badLines) {
				t.Fatalf("%d bad records, want %d: %v", len(res.Bad), len(c.badLines), res.Bad)
			}
			for i, b := range res.Bad {
				if b.Line != c.badLines[i] {
					t.Errorf("bad record at line %d, want %d", b.Line, c.badLines[i])
				}
				if !strings.Contains(b.Msg, c.badSubstr) {
					t.Errorf("message %q does not say %q", b.Msg, c.badSubstr)
				}
				if b.Raw == "" {
					t.Error("no raw text kept")
				}
			}
		})
	}
}

// TestOverLimit: a record with a line over formats.MaxLineBytes goes to
// quarantine with its raw text cut to formats.MaxRawBytes; the next record
// is still read.
func TestOverLimit(t *testing.T) {
	long := strings.Repeat("x", formats.MaxLineBytes+10)
	res := read(t, "TY  - JOUR\nAB  - "+long+"\nER  - \nTY  - JOUR\nTI  - ok\nER  - \n")
	if len(res.Recs) != 1 || res.Recs[0].Title != "ok" {
		t.Fatalf("records: %v", res.Recs)
	}
	if len(res.Bad) != 1 || !strings.Contains(res.Bad[0].Msg, "line limit") || len(res.Bad[0].Raw) > formats.MaxRawBytes {
		t.Fatalf("bad: %d, msg %q, raw %d bytes", len(res.Bad), res.Bad[0].Msg, len(res.Bad[0].Raw))
	}
}

// TestHeaderSkipped: plain text before the first record (an Ovid header) is
// skipped with a warning, not quarantined.
func TestHeaderSkipped(t *testing.T) {
	rd := NewReader(strings.NewReader("Provider: Ovid Technologies\nDatabase: Embase\n\nTY  - JOUR\nTI  - a\nER  - \n"))
	rec, err := rd.Next()
	if err != nil || rec.Title != "a" {
		t.Fatalf("%v %v", rec, err)
	}
	if w := rd.Warnings(); len(w) != 1 || !strings.Contains(w[0], "lines 1-3") {
		t.Errorf("warnings = %q", w)
	}
}

func TestInvalidUTF8Warns(t *testing.T) {
	rd := NewReader(strings.NewReader("TY  - JOUR\nTI  - caf\xe9\nER  - \n"))
	rec, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Title != "caf\uFFFD" {
		t.Errorf("Title = %q", rec.Title)
	}
	if w := rd.Warnings(); len(w) != 1 || !strings.Contains(w[0], "line 2") {
		t.Errorf("warnings = %q", w)
	}
}

func TestSplitTag(t *testing.T) {
	cases := []struct {
		line, tag, value string
		ok               bool
	}{
		{"AU  - Smith, J.", "AU", "Smith, J.", true},
		{"ER  -", "ER", "", true},
		{"ER  - ", "ER", "", true},
		{"T1 - one space", "T1", "one space", true},
		{"Total Times Cited:  12", "", "", false},
		{"ab  - lower", "", "", false},
		{"AB  -x", "", "", false},
	}
	for _, c := range cases {
		tag, value, ok := SplitTag(c.line)
		if tag != c.tag || value != c.value || ok != c.ok {
			t.Errorf("SplitTag(%q) = %q, %q, %v", c.line, tag, value, ok)
		}
	}
}

// FuzzReader: any input is read to EOF without panic; every TY line is the
// start of exactly one record or bad record (conservation), and no record
// is invented from nothing.
func FuzzReader(f *testing.F) {
	f.Add([]byte("TY  - JOUR\nTI  - a\nER  - \n"))
	f.Add([]byte("TY  - JOUR\r\nAU  - A\r\nAU  - B\r\n cont\r\nER  -\r\nTY  - BOOK\r\n"))
	f.Add([]byte("junk\nTY  - JOUR\nWE  - x (SSCI)AN  - WOS:1\nER  - \n\x00\xff"))
	f.Add([]byte("\ufeffTY  - JOUR\rTI  - cr only\rER  - \r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := NewReader(bytes.NewReader(data))
		tyLines := tyLineNumbers(data)
		var recs, badAtTY int
		var lastLine int64
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			var line int64
			if b, ok := formats.AsBadRecord(err); ok {
				line = b.Line
				if tyLines[line] {
					badAtTY++
				}
				if len(b.Raw) > formats.MaxRawBytes {
					t.Fatalf("raw text of %d bytes", len(b.Raw))
				}
			} else if err != nil {
				t.Fatal(err)
			} else {
				recs++
				line = rec.SourceLine
				if !tyLines[line] {
					t.Fatalf("record at line %d, which is not a TY line", line)
				}
				biblio.Complete(rec)
			}
			if line <= lastLine {
				t.Fatalf("record at line %d after one at line %d", line, lastLine)
			}
			lastLine = line
		}
		// Conservation: every TY line opens exactly one record or bad record.
		if recs+badAtTY != len(tyLines) {
			t.Fatalf("%d TY lines, %d records, %d bad records at TY lines", len(tyLines), recs, badAtTY)
		}
	})
}

// tyLineNumbers lists the lines a reader must treat as record starts.
func tyLineNumbers(data []byte) map[int64]bool {
	n := map[int64]bool{}
	lr := formats.NewLineReader(bytes.NewReader(data))
	first := true
	for {
		l, err := lr.Next()
		if err != nil {
			return n
		}
		if first {
			l.Text = strings.TrimPrefix(l.Text, "\ufeff")
			first = false
		}
		if tag, _, ok := SplitTag(l.Text); ok && tag == "TY" {
			n[l.No] = true
		}
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

// TestHundredMBLine: a record whose abstract is one 100 MB line is
// quarantined, the next record is read, and memory does not follow the line.
func TestHundredMBLine(t *testing.T) {
	in := io.MultiReader(strings.NewReader("TY  - JOUR\nAB  - "), &repeatReader{'x', 100 << 20},
		strings.NewReader("\nER  - \nTY  - JOUR\nTI  - after\nER  - \n"))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rd := NewReader(in)
	var recs, bad int
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if b, ok := formats.AsBadRecord(err); ok {
			bad++
			if b.Line != 1 || len(b.Raw) > formats.MaxRawBytes {
				t.Errorf("bad record at line %d, %d raw bytes", b.Line, len(b.Raw))
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		recs++
		if rec.Title != "after" {
			t.Errorf("title %q", rec.Title)
		}
	}
	runtime.ReadMemStats(&after)
	if recs != 1 || bad != 1 {
		t.Fatalf("%d records, %d bad", recs, bad)
	}
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 32<<20 {
		t.Errorf("heap grew by %d MB reading a 100 MB line", grew>>20)
	}
}
