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
	var raw []string
	if rec.DOI != "" {
		raw = append(raw, rec.DOI)
	}
	raw = append(raw, rec.DOIs...)
	var dois []string
	for _, r := range raw {
		found, rest := SplitDOIs(r)
		dois = append(dois, found...)
		if rest != "" {
			rec.Extra = append(rec.Extra, tables.Field{Tag: "doi_unparsed", Value: rest})
		}
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

func isDOIURL(u string) bool {
	l := strings.ToLower(u)
	return strings.Contains(l, "doi.org/10.")
}

// SplitDOIs returns the DOIs written in s, lower-cased and without
// "https://doi.org/", "http://dx.doi.org/", "doi:" or "DOI " prefixes, and
// the parts of s that are not DOIs. Several DOIs may be separated by white
// space, ";" or ",": a separator only splits when what follows starts a new
// DOI, because old SICI-style DOIs contain ";" themselves
// ("10.1002/(sici)1097-4636(199603)30:3<287::aid-jbm2>3.0.co;2-a").
func SplitDOIs(s string) (dois []string, rest string) {
	var other []string
	for _, field := range strings.Fields(s) {
		for _, part := range splitBeforeDOIStart(field) {
			if d, ok := cleanDOI(part); ok {
				dois = append(dois, d)
			} else if p := strings.Trim(part, ";,. "); p != "" && !isDOIWord(p) {
				other = append(other, p)
			}
		}
	}
	return dois, strings.Join(other, " ")
}

// isDOIWord is the "DOI" of "DOI 10.1/x": a label, not data.
func isDOIWord(s string) bool {
	s = strings.ToLower(strings.TrimSuffix(s, ":"))
	return s == "doi" || s == "[doi]"
}

// splitBeforeDOIStart splits a token at ";" or "," followed by "10.",
// "doi:" or "http".
func splitBeforeDOIStart(tok string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(tok); i++ {
		if tok[i] != ';' && tok[i] != ',' {
			continue
		}
		next := strings.ToLower(tok[i+1:])
		if strings.HasPrefix(next, "10.") || strings.HasPrefix(next, "doi:") || strings.HasPrefix(next, "http") {
			parts = append(parts, tok[start:i])
			start = i + 1
		}
	}
	return append(parts, tok[start:])
}

var doiPrefixes = []string{
	"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/",
	"doi.org/", "dx.doi.org/", "https://www.doi.org/", "http://www.doi.org/", "doi:", "doi/",
}

// cleanDOI turns one token into a bare lower-case DOI, if it is one.
func cleanDOI(tok string) (string, bool) {
	d := strings.TrimSpace(tok)
	lower := strings.ToLower(d)
	for changed := true; changed; {
		changed = false
		for _, p := range doiPrefixes {
			if strings.HasPrefix(lower, p) {
				d, lower = d[len(p):], lower[len(p):]
				changed = true
			}
		}
	}
	if i := strings.Index(lower, "doi.org/10."); i >= 0 {
		d, lower = d[i+len("doi.org/"):], lower[i+len("doi.org/"):]
	}
	if strings.Contains(d, "%") {
		if u, err := url.PathUnescape(d); err == nil {
			d = u
			lower = strings.ToLower(u)
		}
	}
	_ = d
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
	if slash < 4 || slash == len(lower)-1 || !isDigits(strings.ReplaceAll(lower[3:slash], ".", "")) {
		return "", false
	}
	return lower, true
}
