package endnote

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"

	"github.com/realsynth/realsynth/internal/formats"
)

type result = testutil.Result

func read(t testing.TB, r io.Reader) result {
	t.Helper()
	return testutil.MustReadAll(t, NewReader(r))
}

func TestLibrary(t *testing.T) {
	f, err := os.Open("testdata/library.xml")
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
		{"SourceKey", r.SourceKey, "12"},
		{"Type", r.Type, "Journal Article"},
		{"Authors", strings.Join(r.Authors, "|"), "Dupont, Jean-Pierre|van der Berg, A. M."},
		{"AuthorsNormalised", strings.Join(r.AuthorsNormalised, "|"), "Dupont, J.P.|van der Berg, A.M."},
		{"Title", r.Title, "Gambling harms among older adults: a realist review"}, // three <style> runs joined
		{"Journal", r.Journal, "Journal of Gambling Studies"},
		{"JournalAbbrev", r.JournalAbbrev, "J Gambl Stud"},
		{"Date", r.Date, "Jun 2022"}, // month-only pub-date gets the year
		{"Pages", r.PageStart + "-" + r.PageEnd, "221-228"},
		{"DOI", r.DOI, "10.1007/s10899-021-10012-3"},
		{"PMID", r.PMID, "35012345"},
		{"PMCID", r.PMCID, "PMC8765432"},
		{"ISSN", strings.Join(r.ISSN, "|"), "1573-3602|1050-5350"},
		{"Keywords", strings.Join(r.Keywords, "|"), "Aged|*Gambling/psychology"},
		{"URLs", strings.Join(r.URLs, "|"), "https://pubmed.ncbi.nlm.nih.gov/35012345/"},
		{"Extra", testutil.FieldsString(r.Extra), `database=Gambling.enl|source-app=EndNote|foreign-keys/key=12|auth-address=University of Lyon, France.|titles/secondary-title=J Gambl Stud|edition=2021/01/06|custom2=PMC8765432|custom1=Include: older adults|caption=Table 2|label=FT-include|remote-database-name=PubMed|remote-database-provider=NLM`},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if r.Year == nil || *r.Year != 2022 || r.SourceLine != 1 {
		t.Errorf("Year %v SourceLine %d", r.Year, r.SourceLine)
	}
	r = res.Recs[1]
	if r.Title != "A chapter & its <subtitle>" || r.Journal != "Handbook of Gambling" || strings.Join(r.ISBN, "") != "9780123456789" || r.SourceLine != 2 {
		t.Errorf("second record: %+v", r)
	}
	if b := res.Bad[0]; b.Line != 3 || !strings.Contains(b.Msg, "undefined") {
		t.Errorf("bad record at line %d: %s", b.Line, b.Msg)
	}
	if r := res.Recs[2]; r.SourceKey != "15" || r.Title != "After the broken one" || r.SourceLine != 4 {
		t.Errorf("record after the broken one: key %q title %q line %d", r.SourceKey, r.Title, r.SourceLine)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
}

// TestEntityBomb: encoding/xml does not expand entities declared in a DTD,
// so the billion-laughs document costs nothing; the record that uses the
// entity is quarantined and the next one is read.
func TestEntityBomb(t *testing.T) {
	var dtd strings.Builder
	dtd.WriteString(`<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol "lol">`)
	for i := 1; i <= 9; i++ {
		prev := "lol"
		if i > 1 {
			prev = "lol" + string(rune('0'+i-1))
		}
		dtd.WriteString(`<!ENTITY lol` + string(rune('0'+i)) + ` "` + strings.Repeat("&"+prev+";", 10) + `">`)
	}
	dtd.WriteString("]>\n")
	in := dtd.String() + "<xml><records>\n<record><rec-number>1</rec-number><titles><title>&lol9;</title></titles></record>\n" +
		"<record><rec-number>2</rec-number><titles><title>Fine</title></titles></record>\n</records></xml>"
	res := read(t, strings.NewReader(in))
	if len(res.Recs) != 1 || res.Recs[0].Title != "Fine" || len(res.Bad) != 1 || res.Bad[0].Line != 3 {
		t.Fatalf("%d records, %d bad: %v", len(res.Recs), len(res.Bad), res.Bad)
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
		{"deep nesting", "<xml><records><record>" + strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000) + "</record><record><titles><title>ok</title></titles></record></records></xml>", 1, 1, "nest deeper"},
		{"huge text", "<xml><records><record><abstract>" + strings.Repeat("x", MaxRecordBytes+10) + "</abstract></record><record><titles><title>ok</title></titles></record></records></xml>", 1, 1, "record limit"},
		{"truncated", "<xml><records><record><titles><title>cut", 0, 1, ""},
		{"binary", "\x00\x01\xff\xfe<<<>>>", 0, 1, "not an EndNote XML export"},
		{"not endnote", "<html><body>hello</body></html>", 0, 1, "root element is <html>"},
		{"empty export", "<?xml version=\"1.0\"?><xml><records></records></xml>", 0, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := read(t, strings.NewReader(c.in))
			if len(res.Recs) != c.records || len(res.Bad) != c.bad {
				t.Fatalf("%d records %d bad (%v), want %d %d", len(res.Recs), len(res.Bad), res.Bad, c.records, c.bad)
			}
			for _, b := range res.Bad {
				if !strings.Contains(b.Msg, c.msg) || len(b.Raw) > formats.MaxRawBytes {
					t.Errorf("msg %q raw %d", b.Msg, len(b.Raw))
				}
			}
		})
	}
}

// FuzzReader: no panic, and the records and bad records together are at
// most the "<record" tags in the input (or one file-level bad record).
func FuzzReader(f *testing.F) {
	seed, _ := os.ReadFile("testdata/library.xml")
	f.Add(seed)
	f.Add([]byte("<xml><records><record><rec-number>1</rec-number></record></records></xml>"))
	f.Add([]byte("<record><record></record>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := NewReader(bytes.NewReader(data))
		n := 0
		for {
			_, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if _, ok := formats.AsBadRecord(err); !ok && err != nil {
				t.Fatal(err)
			}
			n++
		}
		// A file with no record at all may give one file-level bad record.
		if tags := recordTags(data); n > tags && n > 1 {
			t.Fatalf("%d records and bad records from %d <record> tags", n, tags)
		}
	})
}

func recordTags(data []byte) int {
	n := 0
	for i := 0; i+len("<record") <= len(data); i++ {
		if bytes.HasPrefix(data[i:], []byte("<record")) {
			if j := i + len("<record"); j < len(data) && (data[j] == '>' || data[j] == ' ' || data[j] == '\t' || data[j] == '\n' || data[j] == '\r' || data[j] == '/') {
				n++
			}
		}
	}
	return n
}
