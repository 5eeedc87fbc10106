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
	if rec.PMCID != "" && !strings.HasPrefix(strings.ToUpper(rec.PMCID), "PMC") && IsDigits(rec.PMCID) {
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
	if s == "" || isClean(s, false) {
		return s // most fields: no copy
	}
	var b strings.Builder
	b.Grow(len(s))
	appendCollapsed(&b, norm.NFC.String(validUTF8(s)), 0)
	return b.String()
}

// CleanText is Clean for long text (abstracts, notes): line breaks are kept,
// as single newlines, because they separate structured-abstract sections.
func CleanText(s string) string {
	if s == "" || isClean(s, true) {
		return s
	}
	s = norm.NFC.String(strings.ReplaceAll(validUTF8(s), "\r\n", "\n"))
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		var sep byte
		if b.Len() > 0 {
			sep = '\n'
		}
		appendCollapsed(&b, line, sep) // an empty line is dropped
	}
	return b.String()
}

// appendCollapsed writes the words of s (split on isSpace) to b, one space
// between them — strings.Join of strings.FieldsFunc(s, isSpace) without the
// slice — preceded by sep (unless 0) when s has a word.
func appendCollapsed(b *strings.Builder, s string, sep byte) {
	wrote, gap := false, false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				gap = true
				i++
				continue
			}
			if gap && wrote {
				b.WriteByte(' ')
			} else if !wrote && sep != 0 {
				b.WriteByte(sep)
			}
			b.WriteByte(c)
			wrote, gap = true, false
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			gap = true
		} else {
			if gap && wrote {
				b.WriteByte(' ')
			} else if !wrote && sep != 0 {
				b.WriteByte(sep)
			}
			b.WriteString(s[i : i+size])
			wrote, gap = true, false
		}
		i += size
	}
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

// asciiSpace is isSpace for the ASCII range.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// Byte classes of isClean.
const (
	cleanOrdinary = iota
	cleanSpace
	cleanNewline
	cleanControl
	cleanHigh
)

var cleanClass = func() (t [256]uint8) {
	for c := 0; c < 0x20; c++ {
		t[c] = cleanControl
	}
	t[0x7f] = cleanControl
	t[' '] = cleanSpace
	t['\n'] = cleanNewline
	for c := 0x80; c < 0x100; c++ {
		t[c] = cleanHigh
	}
	return t
}()

// isClean is the fast path of Clean (text false) and CleanText (text true):
// it reports, in one pass and without copying, that s would come back
// unchanged: no space at either end, no two spaces in a row, no control
// character or white space other than the plain space (and, for text,
// single line breaks between non-empty lines with no space beside them),
// and, when s is not ASCII, valid UTF-8 in NFC without Unicode spaces.
// A false answer only means the slow path will decide.
func isClean(s string, text bool) bool {
	prev := uint8(cleanNewline) // the start is like a line's start
	high := false
	for i := 0; i < len(s); {
		// Eight bytes at a time while they are printable ASCII: only
		// doubled spaces (and a space after a space or a line start) matter.
		if i+8 <= len(s) {
			x := load64(s, i)
			if x&hiBits|(x-0x20*loBits)&^x&hiBits|hasZeroByte(x^0x7f*loBits) == 0 {
				sp := zeroBytes(x ^ 0x20*loBits)
				if sp&(sp<<8) != 0 || (sp&0x80 != 0 && prev != cleanOrdinary) {
					return false
				}
				prev = cleanOrdinary
				if sp>>63 != 0 {
					prev = cleanSpace
				}
				i += 8
				continue
			}
		}
		for end := min(i+8, len(s)); i < end; i++ {
			c := cleanClass[s[i]]
			switch c {
			case cleanOrdinary:
			case cleanHigh:
				high, c = true, cleanOrdinary
			case cleanSpace:
				if prev != cleanOrdinary {
					return false
				}
			case cleanNewline:
				if !text || prev != cleanOrdinary {
					return false
				}
			default:
				return false
			}
			prev = c
		}
	}
	if prev != cleanOrdinary {
		return false
	}
	return !high || (utf8.ValidString(s) && !hasUnicodeSpace(s) && norm.NFC.IsNormalString(s))
}

const (
	loBits = 0x0101010101010101
	hiBits = 0x8080808080808080
)

// load64 is s[i:i+8] as a little-endian word (one load on amd64 and arm64).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// hasZeroByte is non-zero when a byte of x is zero.
func hasZeroByte(x uint64) uint64 { return (x - loBits) &^ x & hiBits }

// zeroBytes has the top bit of each byte of x that is zero set, and no other.
func zeroBytes(x uint64) uint64 {
	const low7 = ^uint64(hiBits)
	return ^((x&low7 + low7) | x) & hiBits
}

// hasUnicodeSpace reports a rune beyond ASCII that isSpace counts (U+00A0,
// U+2009, U+3000, U+FEFF…).
func hasUnicodeSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < utf8.RuneSelf {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			return true
		}
		i += size - 1
	}
	return false
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

// IsDigits: s is a non-empty run of ASCII digits (a plain volume, issue,
// year or accession number).
func IsDigits(s string) bool {
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
			case len(compact) == 8 && IsDigits(compact[:7]) && (IsDigits(compact[7:]) || compact[7] == 'X'):
				issn = append(issn, normaliseISSN(tok))
			case (len(compact) == 10 && IsDigits(compact[:9]) && (IsDigits(compact[9:]) || compact[9] == 'X')) ||
				(len(compact) == 13 && IsDigits(compact)):
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
	if isISSNForm(s) {
		return s // the readers' SplitStandardNumbers already wrote it so
	}
	c := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(stripParenthetical(s)), "-", ""))
	c = strings.TrimSpace(c)
	if len(c) == 8 {
		return c[:4] + "-" + c[4:]
	}
	return c
}

// isISSNForm is "NNNN-NNNC": what normaliseISSN gives, so it gives it back.
func isISSNForm(s string) bool {
	return len(s) == 9 && s[4] == '-' && IsDigits(s[:4]) && IsDigits(s[5:8]) && (IsDigits(s[8:]) || s[8] == 'X')
}

var isbnSeparators = strings.NewReplacer("-", "", " ", "")

// normaliseISBN writes an ISBN as its digits (and X), without hyphens.
func normaliseISBN(s string) string {
	s = strings.TrimSpace(stripParenthetical(s))
	return strings.ToUpper(isbnSeparators.Replace(s))
}
