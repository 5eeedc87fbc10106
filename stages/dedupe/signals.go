package dedupe

import (
	"regexp"
	"strings"

	"github.com/realsynth/realsynth/internal/biblio"
)

// Record-level signals that some rules read besides the matching keys: how
// a database garbled a supplement's volume, a page count in the pages, a
// Cochrane review number, the language of a title, and the qualifiers that
// tell one member of a title family from another. Each is computed once per
// record in prepare, so that comparing a pair stays a few field tests.

// supplementRe finds a supplement marker and its number: "5 SUPPL. 1",
// "Suppl 2", "Supplement 1", "S1" is not one (a page-like code).
var supplementRe = regexp.MustCompile(`(?i)\bsup(?:plement|pl|p)?\.?\s*([0-9]+)?`)

// supplementOf returns whether s (an issue or volume field) names a
// supplement, and the supplement's number ("" when none is given).
func supplementOf(s string) (bool, string) {
	if !strings.Contains(s, "up") && !strings.Contains(s, "UP") && !strings.Contains(s, "Up") {
		return false, ""
	}
	m := supplementRe.FindStringSubmatch(s)
	if m == nil {
		return false, ""
	}
	return true, strings.TrimLeft(m[1], "0")
}

// volumeGarbled: the volume field cannot be trusted because the export
// split "138 (5 SUPPL. 1)" badly. Either the volume holds an unbalanced
// parenthesis ("1)"), or it is the supplement number its own issue names
// (VL 1, IS 5 SUPPL. 1).
func volumeGarbled(volume, issue string) bool {
	if strings.Count(volume, "(") != strings.Count(volume, ")") {
		return true
	}
	isSuppl, n := supplementOf(issue)
	return isSuppl && n != "" && volumeKey(volume) == n
}

// inSupplement: the volume or issue names a supplement, or the page is a
// supplement page ("S52").
func inSupplement(volume, issue, page string) bool {
	if ok, _ := supplementOf(issue); ok {
		return true
	}
	if ok, _ := supplementOf(volume); ok {
		return true
	}
	return len(page) > 1 && page[0] == 's' && page[1] >= '0' && page[1] <= '9'
}

// sessionNumber: the pages are a meeting's oral or poster number ("OP-18",
// "PO-12", "P19", "OC3"), as abstract books number their abstracts.
func sessionNumber(pages string) bool {
	p := strings.TrimSpace(pages)
	for _, prefix := range []string{"OP", "PO", "OC", "P"} {
		if rest, ok := strings.CutPrefix(p, prefix); ok {
			rest = strings.TrimPrefix(rest, "-")
			return rest != "" && rest[0] >= '0' && rest[0] <= '9'
		}
	}
	return false
}

// meetingVenue: the journal's folded words name a meeting ("Pediatric
// Nephrology.Conference: 44th Annual Scientific Meeting …", "Abstracts of …").
func meetingVenue(journal []string) bool {
	for _, w := range journal {
		switch w {
		case "conference", "congress", "meeting", "symposium", "abstracts", "proceedings":
			return true
		}
		if strings.HasSuffix(w, "conference") { // "nephrologyconference" from "Nephrology.Conference"
			return true
		}
	}
	return false
}

// pageCountRe matches a page count written where pages go ("215 p",
// "xii, 215 pp.", "215 pages"): a thesis or book, not a location.
var pageCountRe = regexp.MustCompile(`(?i)^\s*(?:[ivxlc]+\s*,\s*)?[0-9]+\s*(?:p|pp|pages?|leaves|l)\.?\s*$`)

func isPageCount(pages string) bool {
	if pages == "" || (pages[len(pages)-1] >= '0' && pages[len(pages)-1] <= '9') {
		return false // nearly every page field ends in a digit
	}
	return pageCountRe.MatchString(pages)
}

// cochraneNumber is the review number of a Cochrane record ("CD006828"
// in the pages, the article number or the DOI 10.1002/14651858.CD006828.pub2),
// as its digits without leading zeros; "" when none is given.
func cochraneNumber(page string, dois []string) string {
	if len(page) > 2 && page[0] == 'c' && page[1] == 'd' && biblio.IsDigits(page[2:]) {
		return strings.TrimLeft(page[2:], "0")
	}
	for _, d := range dois {
		if i := strings.Index(d, "14651858.cd"); i >= 0 {
			rest := d[i+len("14651858.cd"):]
			end := 0
			for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
				end++
			}
			if end > 0 {
				return strings.TrimLeft(rest[:end], "0")
			}
		}
	}
	return ""
}

// Title language, from function words: enough to tell an English title
// from a German, French, Spanish, Italian, Portuguese, Dutch or
// Scandinavian one, which is all the "same DOI, title in two languages"
// rule needs. Words shared by English and another language ("in", "a")
// count for neither.
const (
	langUnknown byte = iota
	langEnglish
	langOther
)

// titleWord is what one title word tells: its language, its contrast class.
type titleWord struct {
	lang     byte
	contrast uint64
}

// titleWords holds the function words and contrast qualifiers; other
// words tell nothing.
var titleWords = map[string]titleWord{}

func init() {
	for w := range strings.FieldsSeq("the of and with for on to an by from after at is are versus between among during without its their how what which " +
		"does do across into within before through using toward towards over than not can who when why") {
		titleWords[w] = titleWord{lang: langEnglish}
	}
	for w := range strings.FieldsSeq("der die das und mit bei von zur zum des den dem ein eine einer eines im nach fur uber " +
		"le la les du et dans pour avec sur une au aux chez par " +
		"el los las del y con por para una entre sobre " +
		"il di della dei delle nel nella gli " +
		"em com uma dos nos pelo pela " +
		"het een van voor bij naar " +
		"och av med ved til hos fra paa") {
		titleWords[w] = titleWord{lang: langOther}
	}
}

// titleWordsByHash is titleWords by the word hashes prepare computes
// anyway (uint32 FNV-1a), so reading a title's signals costs one integer
// map lookup a word.
var titleWordsByHash map[uint32]titleWord

func wordsByHash() map[uint32]titleWord {
	m := make(map[uint32]titleWord, len(titleWords))
	for w, tw := range titleWords {
		m[uint32(hashString(w))] = tw
	}
	return m
}

// titleSignals reads a title's word hashes (one per word, in order, before
// sorting): the language its function words suggest, and its contrast
// classes.
func titleSignals(wordHashes []uint32) (lang byte, contrast uint64) {
	en, other := 0, 0
	for _, h := range wordHashes {
		tw, ok := titleWordsByHash[h]
		if !ok {
			continue
		}
		switch tw.lang {
		case langEnglish:
			en++
		case langOther:
			other++
		}
		contrast |= tw.contrast
	}
	switch {
	case en > other:
		lang = langEnglish
	case other > en:
		lang = langOther
	}
	return lang, contrast
}

// foldedSignals is titleSignals of a folded title (words separated by
// single spaces), for tests.
func foldedSignals(folded string) (byte, uint64) {
	var hs []uint32
	for w := range strings.FieldsSeq(folded) {
		hs = append(hs, uint32(hashString(w)))
	}
	return titleSignals(hs)
}

// Contrasting qualifiers. Titles of one family ("… in adult patients with
// plasma therapy-sensitive aHUS", "… in adolescent patients with plasma
// therapy-resistant aHUS") differ in a word that names another population,
// arm or stage. Words of one class are synonyms ("child", "paediatric");
// classes of one group exclude each other. A title holding a class the
// other lacks, while the other holds another class of the same group,
// describes something else: no typo or translation turns "adult" into
// "adolescent".
var contrastGroups = [][]string{
	{"adult adults", "adolescent adolescents teenage teenagers teen teens youth", "child children childhood paediatric pediatric", "infant infants neonatal neonate neonates newborn newborns", "elderly"},
	{"sensitive responsive", "resistant refractory"},
	{"male males men boys", "female females women girls"},
	{"acute", "chronic"},
	{"positive", "negative"},
	{"early", "late"},
	{"high", "low"},
	{"primary", "secondary", "tertiary"},
	{"inpatient inpatients", "outpatient outpatients"},
	{"mild", "moderate", "severe"},
	{"benign", "malignant"},
	{"urban", "rural"},
	{"prospective", "retrospective"},
	{"systolic", "diastolic"},
	{"first", "second", "third", "fourth", "fifth"},
	{"preliminary", "final"},
	{"increase increased increases increasing", "decrease decreased decreases decreasing reduced reduction"},
}

// contrastGroupMask lists the class bits of each group; titleWords gives
// each qualifier its class bit.
var contrastGroupMask []uint64

func init() {
	bit := 0
	for _, g := range contrastGroups {
		var mask uint64
		for _, class := range g {
			for w := range strings.FieldsSeq(class) {
				tw := titleWords[w]
				tw.contrast = 1 << bit
				titleWords[w] = tw
			}
			mask |= 1 << bit
			bit++
		}
		contrastGroupMask = append(contrastGroupMask, mask)
	}
	if bit > 64 {
		panic("dedupe: more than 64 contrast classes")
	}
	titleWordsByHash = wordsByHash()
}

// contrasting reports whether two titles' masks name different classes of
// one group, each class missing from the other title.
func contrasting(a, b uint64) bool {
	onlyA, onlyB := a&^b, b&^a
	if onlyA == 0 || onlyB == 0 {
		return false
	}
	for _, g := range contrastGroupMask {
		if onlyA&g != 0 && onlyB&g != 0 {
			return true
		}
	}
	return false
}

// cutOpenParen removes a trailing parenthetical that the title length
// limit cut before its closing parenthesis: Embase's citation of the
// corrected article after an erratum's title, "Erratum: <title> (Proceeding
// of the National Academy of Science (Januar".
func cutOpenParen(t string) string {
	depth, first := 0, -1
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '(':
			if depth == 0 {
				first = i
			}
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		}
	}
	if depth > 0 && first > 20 {
		return strings.TrimRight(t[:first], " .")
	}
	return t
}

// keyTwin: two BibTeX keys that a reference manager made unique by a
// letter suffix ("smith2019peer", "smith2019peera"): one export listed the
// same author, year and title word twice.
func keyTwin(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 4 || len(b) != len(a)+1 || !strings.HasPrefix(b, a) {
		return false
	}
	c := b[len(b)-1]
	return c >= 'a' && c <= 'z'
}

// venueAcronymOf returns the first acronym a venue name holds: a word of
// two to ten capital letters (a hyphen between them dropped) in a name that also has lower-case letters,
// or that is the whole name ("AMCIS 2017 Proceedings", "JAMA"), lower-cased;
// "" when none. All-capital names (Web of Science) hold no acronym.
func venueAcronymOf(name string) string {
	// One pass, no allocation unless an acronym is found: most names have none.
	hasLower, hasSpace := false, false
	start, upper := -1, true
	found := ""
	for k := 0; k <= len(name); k++ {
		var c byte
		if k < len(name) {
			c = name[k]
		}
		isLetter := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		if c >= 'a' && c <= 'z' {
			hasLower = true
		}
		if c == ' ' {
			hasSpace = true
		}
		switch {
		case isLetter && start < 0:
			start, upper = k, c <= 'Z'
		case isLetter:
			upper = upper && c <= 'Z'
		case c == '-' && start >= 0 && upper && k+1 < len(name) && name[k+1] >= 'A' && name[k+1] <= 'Z':
			// "EC-TEL" is one acronym across its hyphen.
		case start >= 0:
			if n := k - start; found == "" && upper && n >= 2 && n <= 11 {
				found = name[start:k]
			}
			start = -1
		}
	}
	if found == "" || (!hasLower && hasSpace) {
		return ""
	}
	return strings.ToLower(strings.ReplaceAll(found, "-", ""))
}

// acronymOf reports whether acr is made of prefixes of three or more
// consecutive words of a venue name ("amcis": AMericas Conference on
// Information Systems).
func acronymOf(acr string, words []string) bool {
	if len(acr) < 3 || len(words) < 3 {
		return false
	}
	for start := 0; start+3 <= len(words); start++ {
		if acronymFrom(acr, words[start:], 0) {
			return true
		}
	}
	return false
}

// acronymFrom: acr is a non-empty prefix of each of words[0..k), k ≥ 3 - used.
func acronymFrom(acr string, words []string, used int) bool {
	if acr == "" {
		return used >= 3
	}
	if len(words) == 0 {
		return false
	}
	w := words[0]
	for n := 1; n <= len(acr) && n <= len(w); n++ {
		if acr[:n] != w[:n] {
			break
		}
		if acronymFrom(acr[n:], words[1:], used+1) {
			return true
		}
	}
	return false
}
