// Package biblio turns the bibliographic fields of a record, as a reader
// copied them from an export, into the normalised form every later stage
// relies on: whitespace and Unicode normalised, DOIs cleaned and split, page
// ranges expanded, authors in a comparable "Family, I.J." form, a year.
//
// Readers copy what the export says; Complete derives. Keeping the two apart
// means every format gets the same normalisation, and the golden tests of one
// format do not change when a rule here is refined.
package biblio

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/realsynth/realsynth/internal/tables"
)

// Complete normalises rec in place and fills its derived fields: DOIs/DOI,
// PageStart/PageEnd, AuthorsNormalised, ISSN/ISBN cleaned, Year from Date.
// It is idempotent: completing a completed record changes nothing.
func Complete(rec *tables.Record) {
	for _, s := range []*string{&rec.Type, &rec.Title, &rec.OriginalTitle, &rec.Date,
		&rec.Journal, &rec.JournalAbbrev, &rec.Volume, &rec.Issue, &rec.Pages,
		&rec.PageStart, &rec.PageEnd, &rec.ArticleNumber, &rec.DOI, &rec.PMID,
		&rec.PMCID, &rec.Language, &rec.AccessionNumber, &rec.SourceKey} {
		*s = Clean(*s)
	}
	rec.Abstract = CleanText(rec.Abstract)
	rec.AuthorsNormalised = cleanList(rec.AuthorsNormalised, Clean)
	rec.Authors = cleanList(rec.Authors, Clean)
	rec.Keywords = cleanList(rec.Keywords, Clean)
	rec.URLs = cleanList(rec.URLs, Clean)
	rec.Notes = cleanList(rec.Notes, CleanText)
	rec.PublicationType = cleanList(rec.PublicationType, Clean)
	for i := range rec.Extra {
		rec.Extra[i].Value = CleanText(rec.Extra[i].Value)
	}

	rec.PMID = strings.TrimPrefix(strings.TrimPrefix(rec.PMID, "PMID:"), "PMID: ")
	rec.PMID = strings.TrimSpace(rec.PMID)
	if rec.PMCID != "" && !strings.HasPrefix(strings.ToUpper(rec.PMCID), "PMC") && isDigits(rec.PMCID) {
		rec.PMCID = "PMC" + rec.PMCID
	}

	completeDOIs(rec)
	rec.ISSN = dedupe(cleanList(rec.ISSN, normaliseISSN))
	rec.ISBN = dedupe(cleanList(rec.ISBN, normaliseISBN))

	if rec.Pages == "" && rec.PageStart != "" {
		rec.Pages = rec.PageStart
		if rec.PageEnd != "" {
			rec.Pages += "-" + rec.PageEnd
		}
	}
	if rec.Pages != "" {
		rec.PageStart, rec.PageEnd = ExpandPages(rec.Pages)
	}

	if len(rec.AuthorsNormalised) != len(rec.Authors) {
		rec.AuthorsNormalised = make([]string, len(rec.Authors))
		for i, a := range rec.Authors {
			rec.AuthorsNormalised[i] = NormaliseAuthor(a)
		}
	} else {
		rec.AuthorsNormalised = cleanList(rec.AuthorsNormalised, Clean)
	}

	if y, ok := YearOf(rec.Date); ok && rec.Year == nil {
		rec.Year = &y
	} else if !ok && rec.Date != "" && rec.Year != nil {
		// "Jun", "SEP": a month without its year (EndNote pub-dates, WoS DA).
		rec.Date += " " + strconv.Itoa(int(*rec.Year))
	}
	rec.PublicationDate, rec.PublicationDatePrecision = PublicationDate(rec.Date, rec.Year)
	ensureSlices(rec)
}

// ensureSlices replaces nil lists with empty ones: a Parquet LIST column is
// then an empty list rather than null, which is what "no keywords" means.
func ensureSlices(rec *tables.Record) {
	for _, l := range []*[]string{&rec.Authors, &rec.AuthorsNormalised, &rec.DOIs, &rec.ISSN,
		&rec.ISBN, &rec.Keywords, &rec.URLs, &rec.Notes, &rec.PublicationType} {
		if *l == nil {
			*l = []string{}
		}
	}
	if rec.Extra == nil {
		rec.Extra = []tables.Field{}
	}
}

// Clean is NFC with surrounding space trimmed and every run of white space
// (including line breaks) collapsed to one space.
func Clean(s string) string {
	if s == "" {
		return s
	}
	s = norm.NFC.String(validUTF8(s))
	if isCleanASCII(s) {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

// CleanText is Clean for long text (abstracts, notes): line breaks are kept,
// as single newlines, because they separate structured-abstract sections.
func CleanText(s string) string {
	if s == "" {
		return s
	}
	s = norm.NFC.String(strings.ReplaceAll(validUTF8(s), "\r\n", "\n"))
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = Clean(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// validUTF8 replaces bytes that are not UTF-8 with U+FFFD: the tables are
// Arrow strings, which must be valid UTF-8 whatever a reader let through.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || r == '\ufeff' }

// isCleanASCII is the fast path of Clean: most fields need no change.
func isCleanASCII(s string) bool {
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c < 0x20 || c == 0x7f {
			return false
		}
		if c == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
		} else {
			prevSpace = false
		}
	}
	return true
}

func cleanList(in []string, clean func(string) string) []string {
	if in == nil {
		return nil
	}
	out := in[:0]
	for _, s := range in {
		if s = clean(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func dedupe(in []string) []string {
	if len(in) < 2 {
		return in
	}
	out := in[:0]
	for i, s := range in {
		seen := false
		for _, t := range in[:i] {
			if t == s {
				seen = true
				break
			}
		}
		if !seen {
			out = append(out, s)
		}
	}
	return out
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// YearOf finds the first plausible publication year (1000–2999) in a date
// as exports write it: "2021/06//", "2020 Jan 15", "SEP 2018", "15.03.2019".
func YearOf(date string) (int32, bool) {
	run := 0
	for i := 0; i <= len(date); i++ {
		if i < len(date) && date[i] >= '0' && date[i] <= '9' {
			run++
			continue
		}
		if run == 4 {
			y, _ := strconv.Atoi(date[i-4 : i])
			if y >= 1000 && y < 3000 {
				return int32(y), true
			}
		}
		run = 0
	}
	return 0, false
}

// SplitStandardNumbers sorts the values of a field that mixes ISSNs and
// ISBNs (RIS SN, MEDLINE IS): "0028-3932 (Print)", "1873-3514; 0028-3932",
// "978-0-12-345678-9". Tokens that are neither are returned in other.
func SplitStandardNumbers(values []string) (issn, isbn, other []string) {
	for _, v := range values {
		v = stripParenthetical(v)
		for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' || unicode.IsSpace(r) }) {
			compact := strings.ToUpper(strings.ReplaceAll(tok, "-", ""))
			switch {
			case len(compact) == 8 && isDigits(compact[:7]) && (isDigits(compact[7:]) || compact[7] == 'X'):
				issn = append(issn, normaliseISSN(tok))
			case (len(compact) == 10 && isDigits(compact[:9]) && (isDigits(compact[9:]) || compact[9] == 'X')) ||
				(len(compact) == 13 && isDigits(compact)):
				isbn = append(isbn, normaliseISBN(tok))
			default:
				other = append(other, tok)
			}
		}
	}
	return issn, isbn, other
}

// stripParenthetical drops "(Print)", "(Electronic)", "(Linking)" and the like.
func stripParenthetical(s string) string {
	for {
		i := strings.IndexByte(s, '(')
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + " " + s[i+j+1:]
	}
}

// normaliseISSN writes an ISSN as NNNN-NNNC.
func normaliseISSN(s string) string {
	c := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(stripParenthetical(s)), "-", ""))
	c = strings.TrimSpace(c)
	if len(c) == 8 {
		return c[:4] + "-" + c[4:]
	}
	return c
}

// normaliseISBN writes an ISBN as its digits (and X), without hyphens.
func normaliseISBN(s string) string {
	s = strings.TrimSpace(stripParenthetical(s))
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
}
