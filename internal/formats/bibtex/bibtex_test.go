package bibtex

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
)

type result = testutil.Result

func read(t testing.TB, r io.Reader) result {
	t.Helper()
	return testutil.MustReadAll(t, NewReader(r))
}

func TestDecodeLaTeX(t *testing.T) {
	cases := []struct{ in, want string }{
		{`M{\"u}ller`, "Müller"},
		{`M\"uller`, "Müller"},
		{`M\"{u}ller`, "Müller"},
		{`{\'e}cole`, "école"},
		{`Garc{\'\i}a`, "García"},
		{`Fa\c{c}ade`, "Façade"},
		{`\v{S}koda`, "Škoda"},
		{`\v Skoda`, "Škoda"},
		{`{\ss}`, "ß"},
		{`Ni\~no`, "Niño"},
		{`R \& D`, "R & D"},
		{`50\%`, "50%"},
		{`{\em realist} review`, "realist review"},
		{`\emph{harm}`, "harm"},
		{`\textit{in vivo}`, "in vivo"},
		{`221--228`, "221–228"},
		{`yes---no`, "yes—no"},
		{`Fig.~1`, "Fig. 1"},
		{`{{Gambling}}`, "Gambling"},
		{"``quoted''", "“quoted”"},
		{`$\alpha$-level`, "α-level"},
		{`\unknown{kept}`, "kept"},
		{`trailing \`, "trailing "},
	}
	for _, c := range cases {
		if got := DecodeLaTeX(c.in); got != c.want {
			t.Errorf("DecodeLaTeX(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSample(t *testing.T) {
	f, err := os.Open("testdata/sample.bib")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res := read(t, f)
	if len(res.Recs) != 3 || len(res.Bad) != 1 {
		t.Fatalf("%d records, %d bad: %v", len(res.Recs), len(res.Bad), res.Bad)
	}
	r := res.Recs[0]
	checks := []struct{ name, got, want string }{
		{"SourceKey", r.SourceKey, "Muller2021"},
		{"Type", r.Type, "article"},
		{"Authors", strings.Join(r.Authors, "|"), "Müller, Jürgen|García-López, María|World Health Organization"},
		{"AuthorsNormalised", strings.Join(r.AuthorsNormalised, "|"), "Müller, J.|García-López, M.|World Health Organization"},
		{"Title", r.Title, "Gambling harm in École–based programmes: a realist review & synthesis"},
		{"Journal", r.Journal, "Journal of Gambling Studies"}, // @string macro
		{"Date", r.Date, "2021 June"}, // month macro
		{"Pages", r.PageStart + "-" + r.PageEnd, "221-228"},
		{"DOI", r.DOI, "10.1007/s10899-021-10012-3"},
		{"ISSN", strings.Join(r.ISSN, "|"), "1050-5350"},
		{"Keywords", strings.Join(r.Keywords, "|"), "gambling|peer support|realist"},
		{"Abstract", r.Abstract, "Contact: j.muller@example.org. Gambling harm is common."}, // "#" concatenation, "@" in a value
		{"Extra", testutil.FieldsString(r.Extra), "publisher=Springer"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if r.Year == nil || *r.Year != 2021 || r.SourceLine != 7 {
		t.Errorf("Year %v SourceLine %d", r.Year, r.SourceLine)
	}
	r = res.Recs[1]
	if r.SourceKey != "Smith:2019a" || r.Title != "Naïve Bayes for Screening" || r.Journal != "Proceedings of the ACM Conference" ||
		r.Pages != "12-15" || strings.Join(r.URLs, "") != "https://example.org/a_b" || strings.Join(r.Notes, "") != "Cited by 3" {
		t.Errorf("second entry: %+v", r)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], `"12-15"`) {
		t.Errorf("warnings = %q", res.Warnings)
	}
	if b := res.Bad[0]; b.Line != 33 || !strings.Contains(b.Msg, "not closed") {
		t.Errorf("bad record at line %d: %s", b.Line, b.Msg)
	}
	r = res.Recs[2]
	if r.SourceKey != "after_broken" || strings.Join(r.Authors, "|") != "Škoda, Jiří" || r.Title != "Façade" || r.SourceLine != 37 {
		t.Errorf("entry after the broken one: %+v", r)
	}
}

func TestAdversarial(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		records int
		bad     int
		msg     string
	}{
		{"deep braces", "@article{k, title = " + strings.Repeat("{", 100000) + strings.Repeat("}", 100000) + "}\n@article{ok, title={T}}", 1, 1, "nest deeper"},
		{"unclosed to EOF", "@article{k, title = {" + strings.Repeat("x", 1000), 0, 1, "end of the file"},
		{"huge entry", "@article{k, abstract = {" + strings.Repeat("x", MaxEntryBytes+10) + "}}\n@article{ok, title={T}}", 1, 1, "entry limit"},
		{"binary", "\x00\x01\xff\xfe garbage \x00", 0, 1, "binary"},
		{"no fields", "@article{lonely}", 0, 1, "no fields"},
		{"syntax error", "@article{k, title = {a} junk junk}", 0, 1, "k"},
		{"non-ASCII key", "@article{Müller2021, title={T}}", 1, 0, ""},
		{"plain text", "Title,Authors\nA study,Smith\n", 0, 1, "no BibTeX entry"},
		{"comments only", "% exported by JabRef\n% nothing selected\n", 0, 0, ""},
		{"email outside entries", "write to me@example.org\n@article{k, title={T}}", 1, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := read(t, strings.NewReader(c.in))
			if len(res.Recs) != c.records || len(res.Bad) != c.bad {
				t.Fatalf("%d records, %d bad (%v); want %d, %d", len(res.Recs), len(res.Bad), res.Bad, c.records, c.bad)
			}
			for _, b := range res.Bad {
				if !strings.Contains(b.Msg, c.msg) || len(b.Raw) > formats.MaxRawBytes {
					t.Errorf("message %q (want %q), raw %d bytes", b.Msg, c.msg, len(b.Raw))
				}
			}
		})
	}
}

// FuzzReader: no panic, lines move forward, and (conservation) every entry
// start the splitter finds is exactly one record, bad record or non-record
// entry (@string, @comment, @preamble).
func FuzzReader(f *testing.F) {
	seed, _ := os.ReadFile("testdata/sample.bib")
	f.Add(seed)
	f.Add([]byte("@article{k, title = {a} # b # \"c\", year = 2020}"))
	f.Add([]byte("@string(x = \"y\")\n@book(k, title = x)\n@article{\n"))
	f.Add([]byte("{{{{@article{k,}}}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var entries, nonRecords int
		sp := newSplitter(bytes.NewReader(data))
		for {
			ch, err := sp.next()
			if err != nil {
				break
			}
			entries++
			if ch.Problem == "" && (ch.Type == "string" || ch.Type == "comment" || ch.Type == "preamble") {
				nonRecords++
			}
		}
		rd := NewReader(bytes.NewReader(data))
		var recs, bad int
		var last int64
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			var line int64
			if b, ok := formats.AsBadRecord(err); ok {
				bad++
				line = b.Line
			} else if err != nil {
				t.Fatal(err)
			} else {
				recs++
				line = rec.SourceLine
				biblio.Complete(rec)
			}
			if line < last {
				t.Fatalf("line %d after %d", line, last)
			}
			last = line
		}
		if recs+bad != entries-nonRecords {
			t.Fatalf("%d entries (%d not records), %d records, %d bad", entries, nonRecords, recs, bad)
		}
	})
}
