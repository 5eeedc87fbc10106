package biblio

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// cleanRef and cleanTextRef are Clean and CleanText as first written, one
// step at a time (repair, NFC, split, join). The one-pass fast paths must
// agree with them on every input.
func cleanRef(s string) string {
	if s == "" {
		return s
	}
	s = norm.NFC.String(validUTF8(s))
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

func cleanTextRef(s string) string {
	if s == "" {
		return s
	}
	s = norm.NFC.String(strings.ReplaceAll(validUTF8(s), "\r\n", "\n"))
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = cleanRef(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

var cleanCases = []struct{ in, clean, text string }{
	{"Harm from gambling", "Harm from gambling", "Harm from gambling"},
	{"  Gambling\n  harms\u00a0in  Victoria ", "Gambling harms in Victoria", "Gambling\nharms in Victoria"},
	{"BACKGROUND:  one\n\n  METHODS: two ", "BACKGROUND: one METHODS: two", "BACKGROUND: one\nMETHODS: two"},
	{"line one\r\nline two\rthree", "line one line two three", "line one\nline two three"},
	{"\n\nonly\n", "only", "only"},
	{"tab\there", "tab here", "tab here"},
	{"Mu\u0308ller", "Müller", "Müller"},                                           // decomposed umlaut → NFC
	{"Müller © 2021 Elsevier", "Müller © 2021 Elsevier", "Müller © 2021 Elsevier"}, // clean, not ASCII
	{"a\u2009b\u3000c\ufeffd", "a b c d", "a b c d"},                               // Unicode spaces
	{"next\u0085line", "next line", "next line"},                                   // NEL is a space
	{"Caf\xe9", "Caf\uFFFD", "Caf\uFFFD"},                                          // not UTF-8
	{"del\x7fete", "del\x7fete", "del\x7fete"},                                     // kept, as before
	{" \n \t ", "", ""},
	{"a \nb", "a b", "a\nb"},
	{"a\n b", "a b", "a\nb"},
}

func TestCleanCases(t *testing.T) {
	for _, c := range cleanCases {
		if got := Clean(c.in); got != c.clean {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.clean)
		}
		if got := CleanText(c.in); got != c.text {
			t.Errorf("CleanText(%q) = %q, want %q", c.in, got, c.text)
		}
	}
}

// FuzzClean: the fast paths give what the step-by-step reference gives.
func FuzzClean(f *testing.F) {
	for _, c := range cleanCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Clean(s), cleanRef(s); got != want {
			t.Errorf("Clean(%q) = %q, reference %q", s, got, want)
		}
		if got, want := CleanText(s), cleanTextRef(s); got != want {
			t.Errorf("CleanText(%q) = %q, reference %q", s, got, want)
		}
	})
}

// TestIsCleanWords: the eight-byte path of isClean sees every doubled,
// leading or trailing space, wherever it falls in a word, and sends DEL
// and non-ASCII bytes to the byte path.
func TestIsCleanWords(t *testing.T) {
	const base = "abcdefghijklmnopqrstuvwx"
	for i := 0; i < len(base); i++ {
		one := base[:i] + " " + base[i+1:]
		if got, want := isClean(one, false), i > 0 && i < len(base)-1; got != want {
			t.Errorf("isClean(%q) = %v, want %v", one, got, want)
		}
		if i+1 < len(base) {
			two := base[:i] + "  " + base[i+2:]
			if isClean(two, false) || isClean(two, true) {
				t.Errorf("isClean(%q) = true", two)
			}
		}
	}
	for _, s := range []string{"abcdefgh\x7fijklmnop", "abcdefgh\u00a0ijklmnop", "abcdefgh\nijklmnop", "abcdefgh\tijklmnop"} {
		if isClean(s, false) {
			t.Errorf("isClean(%q) = true", s)
		}
	}
	for c := 0; c < 256; c++ {
		for _, at := range []int{0, 3, 7, 8, 12, 15} {
			b := []byte("abcdefghijklmnop")
			b[at] = byte(c)
			s := string(b)
			if isClean(s, true) && cleanTextRef(s) != s {
				t.Errorf("isClean(%q) = true, but CleanText changes it", s)
			}
		}
	}
}

// normaliseAuthorRef is NormaliseAuthor as first written (split with
// slices, initials through FieldsFunc and a Builder).
func normaliseAuthorRef(name string) string {
	name = cleanRef(name)
	if name == "" || IsGroupAuthor(name) {
		return name
	}
	var family, given string
	if i := strings.IndexByte(name, ','); i >= 0 {
		family = strings.TrimSpace(name[:i])
		var parts []string
		for _, p := range strings.Split(strings.TrimSpace(name[i+1:]), ",") {
			if p = strings.TrimSpace(p); p != "" && !isSuffix(p) {
				parts = append(parts, p)
			}
		}
		given = strings.Join(parts, " ")
		if family == "" {
			return name
		}
	} else {
		family, given, _ = splitName(name)
	}
	var b strings.Builder
	for _, tok := range strings.FieldsFunc(given, func(r rune) bool { return unicode.IsSpace(r) || r == '.' || r == '-' }) {
		if isInitialsToken(tok) && utf8.RuneCountInString(tok) <= 3 && strings.ToUpper(tok) == tok {
			for _, r := range tok {
				b.WriteRune(r)
				b.WriteByte('.')
			}
			continue
		}
		r, _ := utf8.DecodeRuneInString(tok)
		if r == utf8.RuneError || !unicode.IsLetter(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
		b.WriteByte('.')
	}
	if b.Len() == 0 {
		return family
	}
	return family + ", " + b.String()
}

// FuzzNormaliseAuthor: the allocation-free NormaliseAuthor gives what the
// first version gave.
func FuzzNormaliseAuthor(f *testing.F) {
	for _, s := range []string{"Smith, John Adam", "Smith JA", "J. A. Smith", "Dupont, Jean-Pierre", "Smith, John, Jr.",
		"Smith, Jr.", "Müller, Jürgen", "van der Maas, M", "Hiicdi, D.F.", ", John", "Smith,", "Ōta, Ěva-ŘÍ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := NormaliseAuthor(s), normaliseAuthorRef(s); got != want {
			t.Errorf("NormaliseAuthor(%q) = %q, reference %q", s, got, want)
		}
	})
}

// splitDOIsRef is SplitDOIs as first written (token slices, ToLower).
func splitDOIsRef(s string) (dois []string, rest string) {
	var other []string
	for _, field := range strings.Fields(s) {
		var parts []string
		start := 0
		for i := 0; i < len(field); i++ {
			if field[i] != ';' && field[i] != ',' {
				continue
			}
			next := strings.ToLower(field[i+1:])
			if strings.HasPrefix(next, "10.") || strings.HasPrefix(next, "doi:") || strings.HasPrefix(next, "http") {
				parts = append(parts, field[start:i])
				start = i + 1
			}
		}
		for _, part := range append(parts, field[start:]) {
			if d, ok := cleanDOI(part); ok {
				dois = append(dois, d)
			} else if p := strings.Trim(part, ";,. "); p != "" && !isDOIWord(p) {
				other = append(other, p)
			}
		}
	}
	return dois, strings.Join(other, " ")
}

func FuzzSplitDOIs(f *testing.F) {
	for _, s := range []string{"10.1000/a;10.1000/b", "doi:10.1/x, DOI:10.2/y", "https://doi.org/10.1/x;HTTP://x", "pending 10.1/x [doi]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dois, rest := SplitDOIs(s)
		wantDOIs, wantRest := splitDOIsRef(s)
		if strings.Join(dois, "\x00") != strings.Join(wantDOIs, "\x00") || len(dois) != len(wantDOIs) || rest != wantRest {
			t.Errorf("SplitDOIs(%q) = %q, %q; reference %q, %q", s, dois, rest, wantDOIs, wantRest)
		}
	})
}
