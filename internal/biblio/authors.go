package biblio

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NormaliseAuthor writes a personal name as "Family, I.J.", the form that
// lets "Smith, John Adam", "Smith, J. A.", "Smith JA" (MEDLINE AU),
// "Smith J A", "J. A. Smith" and "John A. Smith" compare equal. Hyphenated
// given names give one initial per part ("Jean-Pierre" → "J.P.", as MEDLINE
// writes them). Group authors ("WHO Collaborating Group", "GBD 2019
// Collaborators") and names that cannot be split are returned whole, cleaned.
func NormaliseAuthor(name string) string {
	name = Clean(name)
	if name == "" || IsGroupAuthor(name) {
		return name
	}
	family, given, ok := splitName(name)
	if !ok {
		return name
	}
	var buf [96]byte
	out := append(append(buf[:0], family...), ", "...)
	out = appendInitials(out, given)
	switch {
	case len(out) == len(family)+2:
		return family // no initials
	case string(out) == name:
		return name // already "Family, I.J.": no copy
	}
	return string(out)
}

// groupWords mark an author that is an organisation, not a person. They are
// matched as whole words so that "Boardman" or "Teamer" stay people.
var groupWords = map[string]bool{
	"group": true, "groups": true, "consortium": true, "organization": true, "organisation": true,
	"committee": true, "council": true, "association": true, "society": true, "network": true,
	"investigators": true, "team": true, "institute": true, "university": true, "foundation": true,
	"agency": true, "ministry": true, "department": true, "trialists": true, "working": true,
	"panel": true, "centre": true, "center": true, "alliance": true, "office": true,
	"commission": true, "board": true, "initiative": true, "program": true, "programme": true,
	"authors": true, "writing": true, "study": true, "service": true, "services": true,
	"national": true, "federation": true, "collaboration": true, "collaborators": true,
	"collaborative": true, "investigator": true, "registry": true, "hospital": true,
}

// IsGroupAuthor reports whether name looks like a corporate or group author.
// It runs once per author of every record, so it scans the name in place
// instead of splitting and lower-casing each word.
func IsGroupAuthor(name string) bool {
	start := -1
	for i, r := range name {
		switch {
		case unicode.IsDigit(r):
			return true
		case unicode.IsLetter(r):
			if start < 0 {
				start = i
			}
		default:
			if start >= 0 && isGroupWord(name[start:i]) {
				return true
			}
			start = -1
		}
	}
	if start >= 0 && isGroupWord(name[start:]) {
		return true
	}
	return !strings.Contains(name, ",") && moreWordsThan(name, 5)
}

// moreWordsThan is len(strings.Fields(s)) > n without building the slice.
func moreWordsThan(s string, n int) bool {
	words, inWord := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			inWord = false
		} else if !inWord {
			inWord = true
			words++
			if words > n {
				return true
			}
		}
	}
	return false
}

// maxGroupWord is the length of the longest word in groupWords.
const maxGroupWord = len("collaborative")

func isGroupWord(w string) bool {
	if len(w) < 4 || len(w) > maxGroupWord {
		return false
	}
	var buf [maxGroupWord]byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return groupWords[strings.ToLower(w)]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return groupWords[string(buf[:len(w)])]
}

var nameSuffixes = map[string]bool{"jr": true, "sr": true, "ii": true, "iii": true, "iv": true, "2nd": true, "3rd": true}

func isSuffix(tok string) bool {
	tok = strings.Trim(tok, ".,")
	if len(tok) > 3 { // every suffix is at most 3 letters: skip the lower-casing
		return false
	}
	return nameSuffixes[strings.ToLower(tok)]
}

// splitName finds the family name and the given names (or initials).
func splitName(name string) (family, given string, ok bool) {
	if i := strings.IndexByte(name, ','); i >= 0 {
		family = strings.TrimSpace(name[:i])
		rest := strings.TrimSpace(name[i+1:])
		if strings.IndexByte(rest, ',') < 0 {
			// "Smith, John": the usual case, without the slices below.
			if isSuffix(rest) {
				rest = ""
			}
			return family, rest, family != ""
		}
		// "Smith, John, Jr." / "Smith, Jr., John": drop the suffix.
		var parts []string
		for _, p := range strings.Split(rest, ",") {
			if p = strings.TrimSpace(p); p != "" && !isSuffix(p) {
				parts = append(parts, p)
			}
		}
		return family, strings.Join(parts, " "), family != ""
	}
	toks := strings.Fields(name)
	for len(toks) > 1 && isSuffix(toks[len(toks)-1]) {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 1 {
		return toks[0], "", true
	}
	// "Smith JA", "Brownstein C D", "van der Maas M": trailing initials.
	n := len(toks)
	for n > 1 && isInitialsToken(toks[n-1]) {
		n--
	}
	if n < len(toks) {
		return strings.Join(toks[:n], " "), strings.Join(toks[n:], " "), true
	}
	// "John A. Smith", "J. Smith", "Ludwig van Beethoven": given names first;
	// lower-case particles belong to the family name.
	f := len(toks) - 1
	for f > 1 && isParticle(toks[f-1]) {
		f--
	}
	return strings.Join(toks[f:], " "), strings.Join(toks[:f], " "), true
}

// isInitialsToken is "JA", "J.A.", "J" — up to three capitals, optional dots.
func isInitialsToken(tok string) bool {
	letters := 0
	for _, r := range tok {
		switch {
		case r == '.' || r == '-':
		case unicode.IsUpper(r):
			letters++
		default:
			return false
		}
	}
	return letters >= 1 && letters <= 3
}

var particles = map[string]bool{"van": true, "von": true, "der": true, "den": true, "de": true, "del": true,
	"della": true, "di": true, "da": true, "du": true, "la": true, "le": true, "dos": true, "das": true, "ter": true, "ten": true, "bin": true, "al": true, "el": true}

func isParticle(tok string) bool { return particles[tok] }

// appendInitials appends given names as initials, "J.A.": "John Adam",
// "J. A.", "JA", "J.A.", "Jean-Pierre", "J-P".
func appendInitials(dst []byte, given string) []byte {
	for i := 0; i < len(given); {
		r, size := utf8.DecodeRuneInString(given[i:])
		if isInitialsSep(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(given) {
			r, size := utf8.DecodeRuneInString(given[j:])
			if isInitialsSep(r) {
				break
			}
			j += size
		}
		tok := given[i:j]
		i = j
		if isInitialsToken(tok) && utf8.RuneCountInString(tok) <= 3 && strings.ToUpper(tok) == tok {
			for _, r := range tok {
				dst = utf8.AppendRune(dst, r)
				dst = append(dst, '.')
			}
			continue
		}
		if r == utf8.RuneError || !unicode.IsLetter(r) {
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToUpper(r))
		dst = append(dst, '.')
	}
	return dst
}

func isInitialsSep(r rune) bool { return unicode.IsSpace(r) || r == '.' || r == '-' }
