package dedupe

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// Matching keys are built here, apart from the displayed values: a record's
// title, authors and journal are folded for comparison only; the tables keep
// them as exported.

// greek spells out Greek letters so "α-synuclein" and "alpha-synuclein" agree.
var greek = map[rune]string{
	'α': "alpha", 'β': "beta", 'γ': "gamma", 'δ': "delta", 'ε': "epsilon", 'ζ': "zeta",
	'η': "eta", 'θ': "theta", 'ι': "iota", 'κ': "kappa", 'λ': "lambda", 'μ': "mu", 'µ': "mu",
	'ν': "nu", 'ξ': "xi", 'ο': "omicron", 'π': "pi", 'ρ': "rho", 'σ': "sigma", 'ς': "sigma",
	'τ': "tau", 'υ': "upsilon", 'φ': "phi", 'χ': "chi", 'ψ': "psi", 'ω': "omega",
	'Α': "alpha", 'Β': "beta", 'Γ': "gamma", 'Δ': "delta", 'Ε': "epsilon", 'Ζ': "zeta",
	'Η': "eta", 'Θ': "theta", 'Ι': "iota", 'Κ': "kappa", 'Λ': "lambda", 'Μ': "mu",
	'Ν': "nu", 'Ξ': "xi", 'Ο': "omicron", 'Π': "pi", 'Ρ': "rho", 'Σ': "sigma",
	'Τ': "tau", 'Υ': "upsilon", 'Φ': "phi", 'Χ': "chi", 'Ψ': "psi", 'Ω': "omega",
}

// ligatures are letters NFKD does not decompose.
var ligatures = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'þ': "th", 'Þ': "th", 'ı': "i",
}

// fold lower-cases s, spells out Greek letters, drops diacritics (NFKD, then
// no combining marks) and turns every other non-alphanumeric rune into a
// single space. The result is ASCII letters, digits and single spaces.
func fold(s string) string {
	if f, ok := foldASCII(s); ok {
		return f
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading spaces
	put := func(r rune) {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			space = false
			return
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			put(rune(c))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if g, ok := greek[r]; ok {
			for _, x := range g {
				put(x)
			}
			continue
		}
		if l, ok := ligatures[r]; ok {
			for _, x := range l {
				put(x)
			}
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		var buf [utf8.UTFMax]byte
		n := utf8.EncodeRune(buf[:], r)
		// Into a buffer on the stack: a rune decomposes into a few runes
		// (NFKD's longest, U+FDFA, is 18 runes), not worth an allocation each.
		var out [64]byte
		decomposed := norm.NFKD.Append(out[:0], buf[:n]...)
		for _, d := range string(decomposed) {
			if d < utf8.RuneSelf {
				put(d)
				continue
			}
			if unicode.Is(unicode.Mn, d) {
				continue
			}
			if unicode.IsLetter(d) || unicode.IsDigit(d) {
				// A letter of another script: keep it, lower-cased, so
				// CJK or Cyrillic titles still compare.
				b.WriteRune(unicode.ToLower(d))
				space = false
				continue
			}
			put(' ')
		}
	}
	out := b.String()
	return strings.TrimRight(out, " ")
}

// asciiFold maps each ASCII byte to itself lower-cased when it is a letter
// or digit, and to ' ' otherwise.
var asciiFold = func() (t [128]byte) {
	for c := 0; c < 128; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			t[c] = byte(c)
		case c >= 'A' && c <= 'Z':
			t[c] = byte(c) + 'a' - 'A'
		default:
			t[c] = ' '
		}
	}
	return t
}()

// foldASCII is fold for pure-ASCII input (most titles and names), a byte
// loop without rune decoding; ok is false when s has other bytes.
func foldASCII(s string) (string, bool) {
	f, _, ok := foldASCIICut(s, -1)
	return f, ok
}

// foldASCIICut is foldASCII that also gives fold(s[:cut]), a prefix of
// fold(s) since folding reads left to right: "Smith, John" folds to
// "smith john" and its family name, before the comma, to "smith" (no
// second string built).
func foldASCIICut(s string, cut int) (folded, head string, ok bool) {
	buf := make([]byte, 0, len(s))
	space := true
	headLen := -1
	for i := 0; i < len(s); i++ {
		if i == cut {
			headLen = len(buf)
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			return "", "", false
		}
		f := asciiFold[c]
		if f == ' ' {
			if !space {
				buf = append(buf, ' ')
				space = true
			}
			continue
		}
		buf = append(buf, f)
		space = false
	}
	if cut >= len(s) {
		headLen = len(buf)
	}
	if len(buf) > 0 && buf[len(buf)-1] == ' ' {
		buf = buf[:len(buf)-1]
	}
	folded = unsafe.String(unsafe.SliceData(buf), len(buf))
	if headLen >= 0 {
		head = strings.TrimSuffix(folded[:min(headLen, len(folded))], " ")
	}
	return folded, head, true
}

var (
	markupTag = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>`)
	// Embase writes a correction notice's title with the corrected article's
	// citation: "Title (New England Journal of Medicine (2009) 360 (542-544))".
	embaseCitation = regexp.MustCompile(`\s*\([^()]*\(\d{4}\)\s*\d+[^()]*\([^()]*\)\)\s*$`)
	wosCitation    = regexp.MustCompile(`\s*\((?:vol|volume)\.?\s*\d+[^()]*,\s*pg\.?\s*[a-zA-Z]?\d+[^()]*\)\s*$`)
)

// cleanTitle removes what databases add around a title: HTML entities and
// tags, trailing bracketed notes ("[Article in German]", "[Review] [88
// refs]"), brackets around a translated title, trailing periods.
func cleanTitle(t string) string {
	if strings.IndexByte(t, '&') >= 0 {
		t = html.UnescapeString(t)
	}
	if strings.IndexByte(t, '<') >= 0 {
		t = markupTag.ReplaceAllString(t, "")
	}
	// A bracketed note cut off by the database's title length limit
	// ("....[Erratum appears in Am J Transplant. 2009 Sep;9(9):2205 Note: ...",
	// or a second note cut after a whole first one: "...[added]].[Erratum"):
	// cut first, so that the whole notes before it are removed below.
	if open := strings.LastIndexByte(t, '['); open > 20 && strings.LastIndexByte(t, ']') < open {
		t = strings.TrimRight(t[:open], " .")
	}
	for {
		t = strings.TrimRight(t, " .\t")
		if !strings.HasSuffix(t, "]") {
			break
		}
		open := matchingOpen(t)
		if open < 0 {
			break
		}
		if open == 0 {
			// The whole title is bracketed: a translated title.
			t = t[1 : len(t)-1]
			break
		}
		t = t[:open]
	}
	// Web of Science marks a correction notice with the corrected article's
	// citation; the notice's subject is the title before it.
	if m := noticeCitation(t); m != nil && m[0] > 0 {
		t = strings.TrimRight(t[:m[0]], " .")
	}
	return strings.TrimSpace(t)
}

// languageNotes are the trailing notes MEDLINE and Embase put after a
// translated title: "[Spanish]", "[Article in German]".
var languageNotes = map[string]bool{}

func init() {
	for _, l := range strings.Fields("afrikaans arabic bulgarian catalan chinese croatian czech danish dutch estonian finnish french " +
		"german greek hebrew hungarian icelandic indonesian italian japanese korean latvian lithuanian malay norwegian persian " +
		"polish portuguese romanian russian serbian slovak slovenian spanish swedish thai turkish ukrainian vietnamese") {
		languageNotes[l] = true
	}
}

// isTranslatedTitle: the whole title is bracketed (MEDLINE's convention for
// a translated title), or a bracketed note names the original language.
func isTranslatedTitle(t string) bool {
	t = strings.TrimRight(t, " .\t")
	if !strings.HasSuffix(t, "]") {
		return false
	}
	for strings.HasSuffix(t, "]") {
		open := matchingOpen(t)
		if open < 0 {
			return false
		}
		if open == 0 {
			return true
		}
		note := strings.ToLower(strings.TrimSpace(t[open+1 : len(t)-1]))
		if languageNotes[note] || strings.HasPrefix(note, "article in ") {
			return true
		}
		t = strings.TrimRight(t[:open], " .\t")
	}
	return false
}

// erratumNote finds MEDLINE's "[Erratum appears in <journal>. <date>;<volume>(<issue>):<page>"
// notes, also when the title's length limit cut the bracket off.
var erratumNote = regexp.MustCompile(`(?i)erratum appears in [^\[\];]*;\s*([0-9]+)\s*(?:\([^()]*\))?\s*:\s*[a-z]?([0-9]+)`)

// erratumLocations returns the "volume:page" of every erratum the title
// cites, space-separated.
func erratumLocations(t string) string {
	// Nearly every title has no such note; skip the case-folding regexp.
	if !strings.Contains(t, "rratum") && !strings.Contains(t, "RRATUM") {
		return ""
	}
	var out []string
	for _, m := range erratumNote.FindAllStringSubmatch(t, -1) {
		out = append(out, volumeKey(m[1])+":"+pageKey(m[2]))
	}
	return strings.Join(out, " ")
}

// matchingOpen returns the index of the '[' matching the final ']' of t.
func matchingOpen(t string) int {
	depth := 0
	for i := len(t) - 1; i >= 0; i-- {
		switch t[i] {
		case ']':
			depth++
		case '[':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// normaliseDOI lower-cases a DOI and strips URL and "doi:" prefixes.
func normaliseDOI(d string) string {
	d = strings.ToLower(strings.TrimSpace(d))
	for _, p := range []string{"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/", "doi:", "doi "} {
		d = strings.TrimPrefix(d, p)
	}
	d = strings.TrimSpace(d)
	d = strings.TrimRight(d, ".,; ")
	if !strings.HasPrefix(d, "10.") {
		return ""
	}
	return d
}

// digitsOnly keeps the digits of s (PMIDs are sometimes exported with a prefix).
func digitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return strings.TrimLeft(b.String(), "0")
}

// pageKey reduces a page field or page start to a comparable start page:
// "221-8" → "221", "e24083" → "e24083", "S23" → "s23"; "Suppl" alone → "".
func pageKey(pages string) string {
	p := strings.TrimSpace(pages)
	if i := rangeSep(p, "-–—,;"); i >= 0 {
		p = p[:i]
	}
	f := strings.ReplaceAll(fold(p), " ", "")
	hasDigit := false
	for i := 0; i < len(f); i++ {
		if f[i] >= '0' && f[i] <= '9' {
			hasDigit = true
		}
	}
	if !hasDigit {
		return ""
	}
	return strings.TrimLeft(f, "0")
}

// pageRange splits "221-8" into the keys of its first and last page,
// expanding the abbreviated last page (221-8 → 221, 228).
func pageRange(pages string) (start, end string) {
	start = pageKey(pages)
	i := rangeSep(pages, "-–—")
	if i < 0 || start == "" {
		return start, ""
	}
	end = pageKey(pages[i+len(string([]rune(pages[i:])[0])):])
	sd, ed := pageDigits(start), pageDigits(end)
	if sd != "" && ed != "" && len(ed) < len(sd) && end == ed {
		end = sd[:len(sd)-len(ed)] + ed
	}
	return start, end
}

// rangeSep is the index of the first of seps in p, or -1, where a hyphen
// after a session prefix of one to three capitals ("OP-18", "PO-12") does
// not count: those number a meeting's oral and poster abstracts. Other
// text before a hyphen ("Suppl-29", "t-20") is a range whose start was lost.
func rangeSep(p, seps string) int {
	i := strings.IndexAny(p, seps)
	if i < 1 || i > 3 || p[i] != '-' || i+1 >= len(p) || p[i+1] < '0' || p[i+1] > '9' {
		return i
	}
	for k := 0; k < i; k++ {
		if p[k] < 'A' || p[k] > 'Z' {
			return i
		}
	}
	if j := strings.IndexAny(p[i+1:], seps); j >= 0 {
		return i + 1 + j
	}
	return -1
}

// pageDigits is the page key without letters, for "e24083" against "24083".
func pageDigits(k string) string {
	return strings.TrimLeft(strings.TrimLeftFunc(k, func(r rune) bool { return r < '0' || r > '9' }), "0")
}

// volumeKey is the first number of a volume ("45 Suppl 1" → "45"); a volume
// without digits gives "".
func volumeKey(v string) string {
	f := fold(v)
	start := -1
	for i := 0; i < len(f); i++ {
		if f[i] >= '0' && f[i] <= '9' {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			return strings.TrimLeft(f[start:i], "0")
		}
	}
	if start >= 0 {
		return strings.TrimLeft(f[start:], "0")
	}
	// No number ("(Jul)", "Ph.D."): nothing to compare.
	return ""
}

// journalStop are words dropped when comparing journal names, so that
// "Journal of Clinical Virology" and "J Clin Virol" line up.
var journalStop = map[string]bool{"the": true, "of": true, "and": true, "for": true, "in": true, "on": true, "de": true, "la": true, "le": true, "und": true, "fur": true, "et": true, "du": true, "des": true, "electronic": true, "resource": true,
	"y": true, "och": true, "og": true} // "and" in Spanish and Scandinavian names; "der", "di", "e" can be abbreviations

// journalTokens folds a journal name without its bracketed notes
// ("PLoS ONE [Electronic Resource]") or what follows a ". " or " - " (a
// translated subtitle, "Rinsho Byori - Japanese Journal of ...").
func journalTokens(j string) []string {
	j = stripBrackets(j)
	if strings.TrimSpace(j) == "" {
		return nil
	}
	var out []string
	for t := range strings.FieldsSeq(fold(j)) {
		if !journalStop[t] {
			out = append(out, t)
		}
	}
	return out
}

// stripBrackets removes [...] and (...) groups.
func stripBrackets(s string) string {
	if !strings.ContainsAny(s, "[(") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '[', '(':
			depth++
			b.WriteByte(' ')
			continue
		case ']', ')':
			if depth > 0 {
				depth--
				continue
			}
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// journalsAgree is abbreviation-aware: each token of the shorter name must be
// a prefix of the corresponding token of the longer one ("j clin virol" vs
// "journal clinical virology"), or one name must start with the other (a
// subtitle or translation appended).
func journalsAgree(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if prefixTokens(a, b) || (len(a) == len(b) && prefixTokens(b, a)) {
		return true
	}
	ca, cb := strings.Join(a, ""), strings.Join(b, "")
	if ca == cb {
		return true
	}
	if len(ca) >= 8 && (strings.HasPrefix(cb, ca) || strings.HasPrefix(ca, cb)) {
		return true
	}
	// A meeting named after its journal ("Journal of Thrombosis and
	// Haemostasis.Conference: 23rd Congress of …" and "23rd Congress of …").
	if len(ca) > len(cb) {
		ca, cb = cb, ca
	}
	if len(ca) >= 24 && strings.Contains(cb, ca) {
		return true
	}
	return false
}

// prefixTokens reports whether the tokens of a are, in order, prefixes of
// the first len(a) tokens of b. The longer name may continue (a subtitle).
func prefixTokens(a, b []string) bool {
	if len(a) < len(b) && len(a) < 2 {
		return false
	}
	for i, t := range a {
		if !strings.HasPrefix(b[i], t) {
			return false
		}
	}
	return true
}

// noticeCitation finds a trailing citation of a corrected article, as Web of
// Science or Embase append it to a correction notice's title.
func noticeCitation(t string) []int {
	if !strings.HasSuffix(strings.TrimSpace(t), ")") {
		return nil
	}
	if m := wosCitation.FindStringIndex(t); m != nil {
		return m
	}
	return embaseCitation.FindStringIndex(t)
}
