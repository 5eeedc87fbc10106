package biblio

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/realsynth/realsynth/internal/tables"
)

// completeDOIs gathers the DOIs of rec (its DOI, DOIs, and doi.org links in
// its URLs when it has none), cleans and dedupes them. Values that are not
// DOIs at all are moved to Extra as "doi_unparsed" rather than dropped.
func completeDOIs(rec *tables.Record) {
	dois := make([]string, 0, len(rec.DOIs)+1)
	add := func(raw string) {
		found, rest := SplitDOIs(raw)
		dois = append(dois, found...)
		if rest != "" {
			rec.Extra = append(rec.Extra, tables.Field{Tag: "doi_unparsed", Value: rest})
		}
	}
	if rec.DOI != "" {
		add(rec.DOI)
	}
	for _, r := range rec.DOIs {
		add(r)
	}
	if len(dois) == 0 {
		for _, u := range rec.URLs {
			if isDOIURL(u) {
				found, _ := SplitDOIs(u)
				dois = append(dois, found...)
			}
		}
	}
	rec.DOIs = dedupe(dois)
	rec.DOI = ""
	if len(rec.DOIs) > 0 {
		rec.DOI = rec.DOIs[0]
	}
}

func isDOIURL(u string) bool { return indexFold(u, "doi.org/10.") >= 0 }

// SplitDOIs returns the DOIs written in s, lower-cased and without
// "https://doi.org/", "http://dx.doi.org/", "doi:" or "DOI " prefixes, and
// the parts of s that are not DOIs. Several DOIs may be separated by white
// space, ";" or ",": a separator only splits when what follows starts a new
// DOI, because old SICI-style DOIs contain ";" themselves
// ("10.1002/(sici)1097-4636(199603)30:3<287::aid-jbm2>3.0.co;2-a").
func SplitDOIs(s string) (dois []string, rest string) {
	var other []string
	for field := range strings.FieldsSeq(s) {
		start := 0
		for i := 0; i <= len(field); i++ {
			if i < len(field) && !startsNewDOI(field, i) {
				continue
			}
			part := field[start:i]
			start = i + 1
			if d, ok := cleanDOI(part); ok {
				if dois == nil {
					dois = make([]string, 0, 1)
				}
				dois = append(dois, d)
			} else if p := strings.Trim(part, ";,. "); p != "" && !isDOIWord(p) {
				other = append(other, p)
			}
		}
	}
	return dois, strings.Join(other, " ")
}

// startsNewDOI reports a ";" or "," at tok[i] followed by "10.", "doi:" or
// "http": the token splits there.
func startsNewDOI(tok string, i int) bool {
	if tok[i] != ';' && tok[i] != ',' {
		return false
	}
	next := tok[i+1:]
	return hasPrefixFold(next, "10.") || hasPrefixFold(next, "doi:") || hasPrefixFold(next, "http")
}

// hasPrefixFold is strings.HasPrefix(strings.ToLower(s), prefix) for an
// ASCII lower-case prefix, without the copy.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// indexFold is the first index of the ASCII lower-case pattern in s,
// compared without regard to ASCII case, or -1.
func indexFold(s, pattern string) int {
	for i := 0; i+len(pattern) <= len(s); i++ {
		if hasPrefixFold(s[i:], pattern) {
			return i
		}
	}
	return -1
}

// isDOIWord is the "DOI" of "DOI 10.1/x": a label, not data.
func isDOIWord(s string) bool {
	s = strings.ToLower(strings.TrimSuffix(s, ":"))
	return s == "doi" || s == "[doi]"
}

var doiPrefixes = []string{
	"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
	"doi.org/", "dx.doi.org/", "https://www.doi.org/", "http://www.doi.org/", "doi:", "doi/",
}

// cleanDOI turns one token into a bare lower-case DOI, if it is one.
//
// The prefixes are matched in place, case-insensitively, before the token
// is lower-cased: lower-casing can change a string's length ("İ", bytes
// that are not UTF-8), so offsets found in a lower-cased copy do not hold
// in the original.
func cleanDOI(tok string) (string, bool) {
	d := strings.TrimSpace(tok)
	for changed := true; changed; {
		changed = false
		for _, p := range doiPrefixes {
			if hasPrefixFold(d, p) {
				d = d[len(p):]
				changed = true
			}
		}
	}
	if i := indexFold(d, "doi.org/10."); i >= 0 {
		d = d[i+len("doi.org/"):]
	}
	if strings.Contains(d, "%") {
		if u, err := url.PathUnescape(d); err == nil {
			d = u
		}
	}
	lower := strings.ToLower(d)
	// Trailing punctuation is the sentence's, not the DOI's.
	lower = strings.TrimRightFunc(lower, func(r rune) bool {
		return r == '.' || r == ',' || r == ';' || r == ']' || r == '"' || r == '\''
	})
	lower = strings.TrimSuffix(lower, "[doi]")
	lower = strings.TrimRightFunc(lower, unicode.IsSpace)
	if !strings.HasPrefix(lower, "10.") {
		return "", false
	}
	slash := strings.IndexByte(lower, '/')
	if slash < 4 || slash == len(lower)-1 || !IsDigits(strings.ReplaceAll(lower[3:slash], ".", "")) {
		return "", false
	}
	return lower, true
}
