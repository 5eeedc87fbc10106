package medline

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/tables"
)

type result = testutil.Result

func read(t testing.TB, r io.Reader) result {
	t.Helper()
	return testutil.MustReadAll(t, NewReader(r))
}

func TestThreeCitations(t *testing.T) {
	f, err := os.Open("testdata/three.nbib")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res := read(t, f)
	if len(res.Bad) != 0 || len(res.Recs) != 4 {
		t.Fatalf("%d records, %d bad: %v", len(res.Recs), len(res.Bad), res.Bad)
	}
	r := res.Recs[0]
	checks := []struct{ name, got, want string }{
		{"SourceKey", r.SourceKey, "35012345"},
		{"PMID", r.PMID, "35012345"},
		{"Title", r.Title, "Gambling harms among older adults: a realist review of peer support programmes."},
		{"Authors", strings.Join(r.Authors, "|"), "Dupont, Jean-Pierre|van der Berg, Anna M|Gambling Harms Research Collaborative"},
		// From AU, aligned with FAU; the CN group author is kept whole.
		{"AuthorsNormalised", strings.Join(r.AuthorsNormalised, "|"), "Dupont, J.P.|van der Berg, A.M.|Gambling Harms Research Collaborative"},
		{"Date", r.Date, "2022 Jun"},
		{"Journal", r.Journal, "Journal of gambling studies"},
		{"JournalAbbrev", r.JournalAbbrev, "J Gambl Stud"},
		{"Volume/Issue", r.Volume + "/" + r.Issue, "38/2"},
		{"Pages", r.Pages + " " + r.PageStart + " " + r.PageEnd, "221-8 221 228"},
		// LID and AID give the same DOI in two cases: one after normalisation.
		{"DOIs", strings.Join(r.DOIs, "|"), "10.1007/s10899-021-10012-3"},
		{"ISSN", strings.Join(r.ISSN, "|"), "1573-3602|1050-5350"},
		{"Abstract", r.Abstract, "BACKGROUND: Peer support is widely used. METHODS: We searched six\ndatabases. RESULTS: Twelve studies were included."},
		{"Keywords", strings.Join(r.Keywords, "|"), "Aged|*Gambling/psychology|peer support"},
		{"Language", r.Language, "eng"},
		{"PublicationType", strings.Join(r.PublicationType, "|"), "Journal Article|Review"},
		{"Extra", testutil.FieldsString(r.Extra), "OWN=NLM|STAT=MEDLINE|DCOM=20220315|AD=University of Lyon, France.|DEP=20210105|JID=9425991|EDAT=2021/01/06 06:00|AID=10.1007/s10899-021-10012-3 [pii]|SO=J Gambl Stud. 2022 Jun;38(2):221-228. doi: 10.1007/s10899-021-10012-3."},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if r.Year == nil || *r.Year != 2022 || r.SourceLine != 1 {
		t.Errorf("Year %v, SourceLine %d", r.Year, r.SourceLine)
	}

	r = res.Recs[1]
	if r.OriginalTitle != "Aide par les pairs et jeu : une étude qualitative." || r.PMCID != "PMC8765432" ||
		r.ArticleNumber != "e0262345" || r.DOI != "10.1371/journal.pone.0262345" || r.SourceLine != 37 {
		t.Errorf("second citation: %+v", r)
	}
	if got := strings.Join(r.AuthorsNormalised, "|"); got != "Müller, J." {
		t.Errorf("AuthorsNormalised = %q", got)
	}
	if res.Recs[2].SourceKey != "33000001" || res.Recs[3].SourceKey != "33000002" || res.Recs[3].SourceLine != 61 {
		t.Errorf("citations without a blank line between them: %q line %d, %q line %d",
			res.Recs[2].SourceKey, res.Recs[2].SourceLine, res.Recs[3].SourceKey, res.Recs[3].SourceLine)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name     string
		in       string
		records  int
		badLines []int64
	}{
		{"preamble", "Search results\nexported 2022\n\nPMID- 1\nTI  - a\n", 1, []int64{1}},
		{"preamble running into PMID", "Search results\nPMID- 1\nTI  - a\n", 1, []int64{1}},
		{"binary", "\x00\x01\xff\xfe\x00garbage", 0, []int64{1}},
		{"over-long line", "PMID- 1\nAB  - " + strings.Repeat("x", formats.MaxLineBytes+1) + "\n\nPMID- 2\nTI  - ok\n", 1, []int64{1}},
		{"empty", "", 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := read(t, strings.NewReader(c.in))
			if len(res.Recs) != c.records || len(res.Bad) != len(c.badLines) {
				t.Fatalf("%d records, %d bad, want %d and %d", len(res.Recs), len(res.Bad), c.records, len(c.badLines))
			}
			for i, b := range res.Bad {
				if b.Line != c.badLines[i] || b.Raw == "" || len(b.Raw) > formats.MaxRawBytes {
					t.Errorf("bad record at line %d (want %d), raw %d bytes", b.Line, c.badLines[i], len(b.Raw))
				}
			}
		})
	}
}

func TestSplitTag(t *testing.T) {
	cases := []struct {
		line, tag, value string
		ok               bool
	}{
		{"PMID- 35012345", "PMID", "35012345", true},
		{"FAU - Smith, John", "FAU", "Smith, John", true},
		{"TI  - A title", "TI", "A title", true},
		{"OT  -", "OT", "", true},
		{"      continuation", "", "", false},
		{"T I - x", "", "", false},
		{"TI - x", "", "", false},
	}
	for _, c := range cases {
		tag, value, ok := SplitTag(c.line)
		if tag != c.tag || value != c.value || ok != c.ok {
			t.Errorf("SplitTag(%q) = %q, %q, %v", c.line, tag, value, ok)
		}
	}
}

// FuzzReader: any input is read to EOF without panic, lines only move
// forward, and (conservation) every PMID line is in exactly one
// record or bad record.
func FuzzReader(f *testing.F) {
	seed, _ := os.ReadFile("testdata/three.nbib")
	f.Add(seed)
	f.Add([]byte("PMID- 1\r\nTI  - a\r\n      b\r\n\r\nPMID- 2\r\n"))
	f.Add([]byte("junk\nPMID- 1\nFAU - A, B\nAU  - A B\n\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := NewReader(bytes.NewReader(data))
		var lastLine int64
		pmids := 0
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			var line int64
			if b, ok := formats.AsBadRecord(err); ok {
				line = b.Line
				pmids += pmidLines([]byte(b.Raw))
				if len(b.Raw) > formats.MaxRawBytes {
					t.Fatalf("raw text of %d bytes", len(b.Raw))
				}
			} else if err != nil {
				t.Fatal(err)
			} else {
				line = rec.SourceLine
				pmids += countTag(rec, "PMID")
			}
			if line <= lastLine {
				t.Fatalf("record at line %d after one at line %d", line, lastLine)
			}
			lastLine = line
		}
		if want := pmidLines(data); len(data) < formats.MaxRawBytes && pmids != want {
			t.Fatalf("%d PMID lines in the input, %d accounted for", want, pmids)
		}
	})
}

func countTag(rec *tables.Record, tag string) int {
	n := 0
	if rec.PMID != "" {
		n++
	}
	for _, f := range rec.Extra {
		if f.Tag == tag {
			n++
		}
	}
	return n
}

func pmidLines(data []byte) int {
	n := 0
	lr := formats.NewLineReader(bytes.NewReader(data))
	for {
		l, err := lr.Next()
		if err != nil {
			return n
		}
		if tag, _, ok := SplitTag(strings.TrimPrefix(l.Text, "\ufeff")); ok && tag == "PMID" {
			n++
		}
	}
}
