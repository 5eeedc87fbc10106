package biblio

import (
	"strings"
	"unicode/utf8"
)

// ExpandPages splits a page range into its first and last page, writing
// the abbreviated end page of MEDLINE style in full:
//
//	"221-8"    → "221", "228"
//	"1234-56"  → "1234", "1256"
//	"S12-5"    → "S12", "S15"
//	"S12-S15"  → "S12", "S15"
//	"e1234"    → "e1234", ""
//	"xii-xv"   → "xii", "xv" (roman numerals are kept as written)
//	"pp. 3–10" → "3", "10"
//
// An end that would come out smaller than the start ("95-3") is kept as
// written: it is a typo, and guessing would invent a page.
func ExpandPages(pages string) (start, end string) {
	p := strings.TrimSpace(pages)
	for _, prefix := range []string{"pp.", "pp", "p."} {
		if hasPrefixFold(p, prefix) && len(p) > len(prefix) && !isLetter(p[len(prefix)]) {
			p = strings.TrimSpace(p[len(prefix):])
			break
		}
	}
	// Only the first range of "221-228, 230" is the article's extent.
	if i := strings.IndexAny(p, ",;"); i >= 0 {
		p = strings.TrimSpace(p[:i])
	}
	if !isASCII(p) { // every dash but "-" is beyond ASCII
		p = dashes.Replace(p)
	}
	if sessionCode(p) {
		return p, ""
	}
	start, end, found := strings.Cut(p, "-")
	start = strings.TrimSpace(start)
	if !found {
		return start, ""
	}
	end = strings.TrimLeft(strings.TrimSpace(end), "-")
	if start == end {
		return start, ""
	}
	sp, sd := splitPrefixDigits(start)
	ep, ed := splitPrefixDigits(end)
	if sd == "" || ed == "" {
		return start, end
	}
	if ep == "" && sp != "" {
		ep = sp // "S12-5": the end page carries the start's letter
	}
	if ep != sp {
		return start, end
	}
	if len(ed) < len(sd) {
		full := sd[:len(sd)-len(ed)] + ed
		if numLess(full, sd) {
			return start, end
		}
		ed = full
	}
	return start, ep + ed
}

var dashes = strings.NewReplacer("–", "-", "—", "-", "‐", "-", "‑", "-", "−", "-")

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// splitPrefixDigits splits "S12" into "S", "12"; digits is empty when the
// page is not letters followed by digits (roman numerals, "12a").
func splitPrefixDigits(s string) (prefix, digits string) {
	i := 0
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	if i == len(s) || !IsDigits(s[i:]) {
		return s, ""
	}
	return s[:i], s[i:]
}

// numLess compares two digit strings as numbers.
func numLess(a, b string) bool {
	a = strings.TrimLeft(a, "0")
	b = strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// sessionCode: one to three capitals, a hyphen and a number ("OP-18",
// "PO-12"): how an abstract book numbers a meeting's oral and poster
// abstracts, one locator, not a range from page "OP" to page 18.
func sessionCode(p string) bool {
	i := strings.IndexByte(p, '-')
	if i < 1 || i > 3 || i+1 >= len(p) {
		return false
	}
	for k := 0; k < i; k++ {
		if p[k] < 'A' || p[k] > 'Z' {
			return false
		}
	}
	return IsDigits(p[i+1:])
}
