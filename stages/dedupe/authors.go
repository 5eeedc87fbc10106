package dedupe

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// author is one name reduced for matching: the folded family name with
// spaces and hyphens removed, and every folded name part, so that a reversed
// name ("Si Hyun, Kang" for "Kang, Si Hyun") still meets its family name.
//
// A record's authors share one array of name-part hashes: author holds
// where its own are, which keeps it at 24 bytes (five or so a record, a
// million records).
type author struct {
	family     string
	familyHash uint32 // hashString(family), for finding it among another's parts
	partsOff   uint16 // the hashes of the name parts of two letters or more: parts[partsOff:][:partsN]
	partsN     uint8
	initial    byte // first letter of the given names, 0 if none
}

// partsOf is a's name-part hashes within its record's parts.
func (a author) partsOf(parts []uint32) []uint32 {
	return parts[a.partsOff:][:a.partsN]
}

// ignoredAuthors are placeholders some databases write for a missing author.
var ignoredAuthors = map[string]bool{"anonymous": true, "anon": true, "null": true, "et al": true, "no authorship indicated": true, "unknown": true}

const maxAuthors = 15

// parseAuthors splits and reduces the exported author list. A single value
// holding a whole list ("Smith J; Jones K" or "Smith J and Jones K") is split.
func parseAuthors(raw []string) ([]author, []uint32) {
	var names []string
	if len(raw) > maxAuthors || slices.ContainsFunc(raw, isAuthorList) {
		for _, r := range raw {
			switch {
			case strings.Contains(r, ";"):
				names = append(names, strings.Split(r, ";")...)
			case strings.Contains(r, " and ") && strings.Count(r, ",") > 1:
				names = append(names, strings.Split(r, " and ")...)
			default:
				names = append(names, r)
			}
		}
	} else {
		names = raw // one name a value, the usual case: no copy
	}
	// Only the first authors are ever compared (see authorScore).
	if len(names) > maxAuthors {
		names = names[:maxAuthors]
	}
	out := make([]author, 0, len(names))
	// The name parts of all authors share one array.
	parts := make([]uint32, 0, 3*len(names))
	groups := 0
	for _, n := range names {
		if a, ok := parseAuthor(n, &parts); ok {
			out = append(out, a)
			if isGroupAuthor(a, parts) {
				groups++
			}
		}
	}
	if groups == len(out) {
		// Only a group or committee is named: one database names the
		// group, another the writing authors. Compare as if unknown.
		return nil, nil
	}
	return out, parts
}

// isAuthorList: one value holding several names.
func isAuthorList(r string) bool {
	return strings.Contains(r, ";") || (strings.Contains(r, " and ") && strings.Count(r, ",") > 1)
}

// parseAuthor reduces one name; its name-part hashes are appended to
// *parts, and a says where.
func parseAuthor(name string, parts *[]uint32) (author, bool) {
	name = strings.TrimSpace(name)
	comma := strings.IndexByte(name, ',')
	f, head, ascii := foldASCIICut(name, comma)
	if !ascii {
		f = fold(name)
	}
	if f == "" || ignoredAuthors[f] {
		return author{}, false
	}
	var family string
	var initial byte // first letter of the folded given names
	if i := comma; i >= 0 {
		family = head // fold(name[:i])
		if !ascii {
			family = fold(name[:i])
		}
		initial = foldedFirst(name[i+1:])
		if family == "" || ignoredAuthors[family] {
			family, initial = fold(name[i+1:]), 0
		}
	} else {
		// f is words of letters and digits joined by single spaces, so
		// its first and last words are cut from it, not split out.
		//
		// "Smith JA" (MEDLINE style): the family name comes first when the
		// last token is short upper-case initials; "John A. Smith" otherwise.
		last := name // the last whitespace-separated token, as strings.Fields would give it
		if i := strings.LastIndexFunc(name, unicode.IsSpace); i >= 0 {
			_, size := utf8.DecodeRuneInString(name[i:])
			last = name[i+size:]
		}
		if sp := strings.LastIndexByte(f, ' '); sp < 0 {
			family = f
		} else if isInitials(last) {
			family, initial = f[:sp], f[sp+1]
		} else {
			family, initial = f[sp+1:], f[0]
		}
	}
	a := author{family: strings.ReplaceAll(family, " ", "")}
	a.familyHash = uint32(hashString(a.family))
	if initial >= 'a' && initial <= 'z' {
		a.initial = initial
	}
	start := len(*parts)
	prev := ""
	for rest := f; rest != ""; {
		p := rest
		if sp := strings.IndexByte(rest, ' '); sp >= 0 {
			p, rest = rest[:sp], rest[sp+1:]
		} else {
			rest = ""
		}
		if len(p) >= 2 && !ignoredPart(p) {
			*parts = append(*parts, uint32(hashString(p)))
			// A particle written apart in one export and joined to the
			// family name in another ("Le, Quintrec M." for "Le Quintrec,
			// M."; "Goicoechea de, Jorge E." for "de Jorge, E. G."): the
			// particle and its neighbour joined count as a part too.
			if prev != "" && (isParticle(prev) || isParticle(p)) {
				*parts = append(*parts, uint32(hashJoined(prev, p)))
			}
			prev = p
		}
	}
	if start > math.MaxUint16 || len(*parts)-start > math.MaxUint8 {
		*parts = (*parts)[:start] // a name of hundreds of words: compared by its family name alone
	}
	a.partsOff, a.partsN = uint16(start), uint8(len(*parts)-start)
	return a, true
}

// foldedFirst is the first byte of fold(s) (0 when it is empty), without
// building the folded string for plain ASCII.
func foldedFirst(s string) byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			if f := fold(s); f != "" {
				return f[0]
			}
			return 0
		}
		if f := asciiFold[c]; f != ' ' {
			return f
		}
	}
	return 0
}

// hashJoined is hashString(a + b) without building the string.
func hashJoined(a, b string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(a); i++ {
		h ^= uint64(a[i])
		h *= 1099511628211
	}
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= 1099511628211
	}
	return h
}

// isParticle: s is one of the short words family names carry ("de Jorge",
// "van Hamont", "Le Quintrec") that exports split off or join on
// differently. (A switch: this runs for every name part of every author.)
func isParticle(s string) bool {
	switch s {
	case "de", "da", "di", "do", "du", "del", "della", "der", "den", "des", "dos", "le", "la", "van", "von", "ten", "ter", "el", "al", "st":
		return true
	}
	return false
}

// ignoredPart: a one-word placeholder of ignoredAuthors (a name part has
// no space, so the others never match).
func ignoredPart(s string) bool {
	switch s {
	case "anonymous", "anon", "null", "unknown":
		return true
	}
	return false
}

// isInitials reports whether s looks like "JA", "J.A." or "J-A".
func isInitials(s string) bool {
	s = strings.Trim(s, ".")
	if s == "" || len(s) > 4 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z') && r != '.' && r != '-' {
			return false
		}
	}
	return true
}

// sameAuthor: equal family names (with the same first initial when both
// give one), or one family name is a name part of the other (reversed or
// particle-split names: "van, Hamont D" vs "van Hamont, D").
func sameAuthor(a author, ap []uint32, b author, bp []uint32) bool {
	if a.family == b.family {
		// "Brown, Jessica" and "Brown, Ingrid" are two people.
		return a.family != "" && (a.initial == 0 || b.initial == 0 || a.initial == b.initial)
	}
	if len(a.family) >= 3 && slices.Contains(b.partsOf(bp), a.familyHash) {
		return true
	}
	if len(b.family) >= 3 && slices.Contains(a.partsOf(ap), b.familyHash) {
		return true
	}
	// Typo in a family name: one edit apart, in a long name, or in a
	// short one with the same initial ("Chen, L" and "Che, L").
	if len(a.family) >= 6 && len(b.family) >= 6 && withinOneEdit(a.family, b.family) {
		return true
	}
	if len(a.family) >= 3 && len(b.family) >= 3 && a.initial != 0 && a.initial == b.initial && withinOneEdit(a.family, b.family) {
		return true
	}
	return false
}

// authorScore is the share of the first authors of the shorter list that
// appear among the other's first authors, and how many they are;
// firstAgree compares first authors.
func authorScore(a []author, ap []uint32, b []author, bp []uint32) (score float64, matched int, firstAgree bool) {
	if len(a) == 0 || len(b) == 0 {
		return 0, 0, false
	}
	if len(a) > len(b) {
		a, b, ap, bp = b, a, bp, ap
	}
	const considered = 10
	na := min(len(a), considered)
	nb := min(len(b), considered+5)
	for i := 0; i < na; i++ {
		for j := 0; j < nb; j++ {
			if sameAuthor(a[i], ap, b[j], bp) {
				matched++
				break
			}
		}
	}
	return float64(matched) / float64(na), matched, sameAuthor(a[0], ap, b[0], bp)
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion or substitution.
func withinOneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return a[i+min(1, len(a)-i):] == b[i+min(1, len(b)-i):]
	}
	return a[i:] == b[i+1:]
}

var groupWords = map[string]bool{"group": true, "study": true, "studies": true, "consortium": true, "collaboration": true, "collaborative": true, "investigators": true, "committee": true, "trial": true, "trialists": true, "network": true, "society": true, "association": true, "organization": true, "organisation": true, "working": true, "team": true, "panel": true, "inc": true, "ltd": true, "pharmaceuticals": true, "institute": true, "foundation": true, "council": true}

// isGroupAuthor recognises corporate and group authors ("ALTS Group",
// "Alexion Pharmaceuticals, Inc").
func isGroupAuthor(a author, parts []uint32) bool {
	for _, p := range a.partsOf(parts) {
		if groupWordHashes[p] {
			return true
		}
	}
	return false
}

var groupWordHashes = func() map[uint32]bool {
	m := map[uint32]bool{}
	for w := range groupWords {
		m[uint32(hashString(w))] = true
	}
	return m
}()
