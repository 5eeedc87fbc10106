package biblio

import (
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

func TestExpandPages(t *testing.T) {
	cases := []struct{ in, start, end string }{
		{"221-8", "221", "228"},        // MEDLINE abbreviation: 22|8 → 228
		{"221-228", "221", "228"},      // already full
		{"1234-56", "1234", "1256"},    // 12|56 → 1256
		{"99-101", "99", "101"},        // end longer than start: as written
		{"95-3", "95", "3"},            // 9|3 = 93 < 95: a typo, kept as written
		{"e1234", "e1234", ""},         // article number in the pages field
		{"S12-S15", "S12", "S15"},      // supplement pages
		{"S12-5", "S12", "S15"},        // supplement, abbreviated: S1|5
		{"xii-xv", "xii", "xv"},        // roman numerals kept
		{"OP-18", "OP-18", ""},         // a meeting's oral abstract 18, not pages OP to 18
		{"PO-123", "PO-123", ""},       // poster 123
		{"S-12", "S-12", ""},           // one capital and a number: a locator too
		{"pp. 3–10", "3", "10"},        // "pp." prefix, en dash
		{"212-222, 230", "212", "222"}, // first range only
		{"20", "20", ""},
		{"318 - 332", "318", "332"},
		{"", "", ""},
	}
	for _, c := range cases {
		s, e := ExpandPages(c.in)
		if s != c.start || e != c.end {
			t.Errorf("ExpandPages(%q) = %q, %q; want %q, %q", c.in, s, e, c.start, c.end)
		}
	}
}

func TestNormaliseAuthor(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Smith, John Adam", "Smith, J.A."},
		{"Smith, J. A.", "Smith, J.A."},
		{"Smith, JA", "Smith, J.A."},           // WoS RIS
		{"Mock, SE", "Mock, S.E."},             // WoS RIS
		{"McNamara, M.E.", "McNamara, M.E."},   // Scopus
		{"Smith JA", "Smith, J.A."},            // MEDLINE AU
		{"Brownstein C D", "Brownstein, C.D."}, // EPPI-Reviewer A1
		{"van der Berg AM", "van der Berg, A.M."},
		{"van der Maas, M", "van der Maas, M."},
		{"J. A. Smith", "Smith, J.A."},
		{"John A. Smith", "Smith, J.A."},
		{"Ludwig van Beethoven", "van Beethoven, L."},
		{"Dupont, Jean-Pierre", "Dupont, J.P."},
		{"Russell, Alex M T", "Russell, A.M.T."},
		{"Müller, Jürgen", "Müller, J."},
		{"Mu\u0308ller, J", "Müller, J."}, // decomposed umlaut → NFC
		{"Smith, John, Jr.", "Smith, J."},
		{"Smith JA Jr", "Smith, J.A."},
		{"  Rockloff,   Matthew ", "Rockloff, M."},
		{"Elton-Marshall, T", "Elton-Marshall, T."},
		{"Aristotle", "Aristotle"},
		{"World Health Organization", "World Health Organization"},
		{"GBD 2019 Collaborators", "GBD 2019 Collaborators"},
		{"Gambling Harms Research Collaborative", "Gambling Harms Research Collaborative"},
		{"Boardman, Anna", "Boardman, A."},                       // "board" inside a name is not a group
		{"ANZICS WRITING COMMITTEE", "ANZICS WRITING COMMITTEE"}, // upper-case group words
		{"Müller-Lüdenscheidt, Hans", "Müller-Lüdenscheidt, H."}, // non-ASCII words are not groups
	}
	for _, c := range cases {
		if got := NormaliseAuthor(c.in); got != c.want {
			t.Errorf("NormaliseAuthor(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSplitDOIs(t *testing.T) {
	cases := []struct {
		in   string
		dois string
		rest string
	}{
		{"10.1000/ABC.1", "10.1000/abc.1", ""},
		{"https://doi.org/10.1000/x", "10.1000/x", ""},
		{"http://dx.doi.org/10.1186/s12862-024-02210-9", "10.1186/s12862-024-02210-9", ""},
		{"doi:10.1000/x.", "10.1000/x", ""},
		{"DOI 10.1000/x", "10.1000/x", ""},
		{"10.1000/a; 10.1000/b", "10.1000/a|10.1000/b", ""},
		{"10.1000/a;10.1000/b", "10.1000/a|10.1000/b", ""},
		{"10.1000/a 10.1000/b", "10.1000/a|10.1000/b", ""},
		// SICI DOIs contain ";" themselves: not split.
		{"10.1002/(SICI)1097-4636(199603)30:3<287::AID-JBM2>3.0.CO;2-A", "10.1002/(sici)1097-4636(199603)30:3<287::aid-jbm2>3.0.co;2-a", ""},
		{"https://doi.org/10.1038%2Fs41467-024-48400-3", "10.1038/s41467-024-48400-3", ""},
		{"10.1007/s10899-021-10012-3 [doi]", "10.1007/s10899-021-10012-3", ""},
		{"S071498081800017X", "", "S071498081800017X"},
		// Lower-casing "İ" makes the text longer: no offset mix-up (it panicked).
		{"İİİİİİİİdoi.org/10.1/X", "10.1/x", ""},
		{"\xc90\x9ddoi.org/10.", "", "\xc90\x9ddoi.org/10"},
	}
	for _, c := range cases {
		dois, rest := SplitDOIs(c.in)
		if strings.Join(dois, "|") != c.dois || rest != c.rest {
			t.Errorf("SplitDOIs(%q) = %q, %q; want %q, %q", c.in, dois, rest, c.dois, c.rest)
		}
	}
}

func TestYearOf(t *testing.T) {
	cases := []struct {
		in   string
		want int32
		ok   bool
	}{
		{"2021/06//", 2021, true}, {"2020 Jan 15", 2020, true}, {"SEP 2018", 2018, true},
		{"15.03.2019", 2019, true}, {"20210105", 0, false}, {"SEP", 0, false}, {"", 0, false},
	}
	for _, c := range cases {
		y, ok := YearOf(c.in)
		if y != c.want || ok != c.ok {
			t.Errorf("YearOf(%q) = %d, %v", c.in, y, ok)
		}
	}
}

func TestSplitStandardNumbers(t *testing.T) {
	issn, isbn, other := SplitStandardNumbers([]string{"0028-3932 (Print)", "16066359", "978-0-12-345678-9; 0-306-40615-2", "n/a"})
	if strings.Join(issn, "|") != "0028-3932|1606-6359" || strings.Join(isbn, "|") != "9780123456789|0306406152" || strings.Join(other, "|") != "n/a" {
		t.Errorf("issn %q isbn %q other %q", issn, isbn, other)
	}
}

func TestComplete(t *testing.T) {
	rec := &tables.Record{
		Title:    "  Gambling\n  harms\u00a0in  Victoria ",
		Authors:  []string{"Francis, Louise", " ", "WHO Study Group"},
		Date:     "2021/06//",
		Pages:    "212-22",
		DOIs:     []string{"https://doi.org/10.1080/ABC", "doi:10.1080/abc", "pending"},
		Abstract: "BACKGROUND:  one\n\n  METHODS: two ",
		URLs:     []string{"https://example.org"},
	}
	Complete(rec)
	if rec.Title != "Gambling harms in Victoria" {
		t.Errorf("Title = %q", rec.Title)
	}
	if strings.Join(rec.Authors, "|") != "Francis, Louise|WHO Study Group" ||
		strings.Join(rec.AuthorsNormalised, "|") != "Francis, L.|WHO Study Group" {
		t.Errorf("Authors %q normalised %q", rec.Authors, rec.AuthorsNormalised)
	}
	if rec.Year == nil || *rec.Year != 2021 {
		t.Errorf("Year = %v", rec.Year)
	}
	if rec.PageStart != "212" || rec.PageEnd != "222" {
		t.Errorf("pages %q-%q", rec.PageStart, rec.PageEnd)
	}
	if rec.DOI != "10.1080/abc" || len(rec.DOIs) != 1 {
		t.Errorf("DOI %q DOIs %q", rec.DOI, rec.DOIs)
	}
	if len(rec.Extra) != 1 || rec.Extra[0] != (tables.Field{Tag: "doi_unparsed", Value: "pending"}) {
		t.Errorf("Extra = %v", rec.Extra)
	}
	if rec.Abstract != "BACKGROUND: one\nMETHODS: two" {
		t.Errorf("Abstract = %q", rec.Abstract)
	}
	if rec.Keywords == nil || rec.ISBN == nil {
		t.Error("empty lists must be empty, not nil")
	}
	// Idempotent: a second pass changes nothing.
	before := *rec
	Complete(rec)
	if rec.Title != before.Title || strings.Join(rec.AuthorsNormalised, "|") != strings.Join(before.AuthorsNormalised, "|") || len(rec.Extra) != 1 {
		t.Errorf("second Complete changed the record: %+v", rec)
	}
}

func TestMonthOnlyDate(t *testing.T) {
	y := int32(2018)
	rec := &tables.Record{Date: "SEP", Year: &y}
	Complete(rec)
	Complete(rec) // idempotent: the year is added once
	if rec.Date != "SEP 2018" {
		t.Errorf("Date = %q, want %q", rec.Date, "SEP 2018")
	}
}

func TestDOIFromURL(t *testing.T) {
	rec := &tables.Record{URLs: []string{"https://lens.org/1", "http://dx.doi.org/10.1186/S12862-024-02210-9"}}
	Complete(rec)
	if rec.DOI != "10.1186/s12862-024-02210-9" {
		t.Errorf("DOI = %q", rec.DOI)
	}
}

// TestInvalidUTF8: whatever a reader lets through, Complete leaves only
// valid UTF-8 (the tables are Arrow strings).
func TestInvalidUTF8(t *testing.T) {
	rec := &tables.Record{Title: "Caf\xe9", Authors: []string{"M\xfcller, J"}, Extra: []tables.Field{{Tag: "X", Value: "a\xffb"}}}
	Complete(rec)
	if rec.Title != "Caf\uFFFD" || rec.Authors[0] != "M\uFFFDller, J" || rec.Extra[0].Value != "a\uFFFDb" {
		t.Errorf("%q %q %q", rec.Title, rec.Authors, rec.Extra)
	}
}
