package bibtex

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	nbib "github.com/nickng/bibtex"
)

// entry is one parsed BibTeX entry, field names lower-cased, values raw
// (LaTeX not yet decoded).
type entry struct {
	typ, key string
	fields   map[string]string
}

// The library has sharp edges this package works around:
//   - its parser state lives in package variables, so calls must not
//     overlap (parseMu), and a failed parse can leave the scanner state set
//     (reset by parsing "@," before the next one);
//   - it calls log.Fatalf on an undefined @string macro;
//   - "#" concatenation keeps only the first part (BibComposite.Append's
//     result is discarded in v1.4.2);
//   - a quoted value loses its inner braces, and "@" inside a braced value
//     is a syntax error;
//   - it only accepts ASCII citation keys.
//
// So each value is resolved here first (macros expanded, "#" parts joined,
// quotes turned into braces, "@" swapped for atStandIn) and the library
// parses the entry's structure from text where every value is one braced
// string. A panic inside the library becomes a quarantined entry.
var parseMu sync.Mutex

// dirty is set when a parse failed: the library's scanner state may then be
// left set, and the next parse first runs "@," to reset it. Guarded by parseMu.
var dirty bool

const atStandIn = "\uE000"

func parseText(text string) (bib *nbib.BibTex, err error) {
	parseMu.Lock()
	defer parseMu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("BibTeX parser failed: %v", r)
		}
		dirty = err != nil
	}()
	if dirty {
		_, _ = nbib.Parse(strings.NewReader("@,"))
	}
	return nbib.Parse(strings.NewReader(text))
}

// parseEntry parses one cut entry with the macros defined so far.
func (rd *Reader) parseEntry(ch *chunk) (*entry, error) {
	open := strings.IndexAny(ch.Text, "{(")
	if open < 0 {
		return nil, fmt.Errorf("@%s has no opening brace", ch.Type)
	}
	comma := strings.IndexByte(ch.Text[open:], ',')
	if comma < 0 {
		return nil, fmt.Errorf("@%s entry has no fields (expected \"@%s{key, field = {…}, …}\")", ch.Type, ch.Type)
	}
	key := strings.TrimSpace(ch.Text[open+1 : open+comma])
	var values []string
	rest, err := rd.resolveValues(ch.Text[open+comma:], ch.Line, &values)
	if err != nil {
		return nil, fmt.Errorf("@%s{%s: %v", ch.Type, key, err)
	}
	text := "@" + ch.Type + ch.Text[open:open+1] + "k" + strings.ReplaceAll(rest, "@", atStandIn)
	slots, err := rd.structure(text)
	if err != nil {
		return nil, fmt.Errorf("@%s{%s: %v", ch.Type, key, err)
	}
	e := &entry{typ: ch.Type, key: key, fields: make(map[string]string, len(slots))}
	for name, i := range slots {
		if i < 0 || i >= len(values) {
			return nil, fmt.Errorf("@%s{%s: field %s not understood", ch.Type, key, name)
		}
		e.fields[name] = values[i]
	}
	return e, nil
}

// maxStructures bounds the cache of parsed entry structures.
const maxStructures = 4096

// structure parses an entry whose values are "{vN}" placeholders and maps
// each lower-cased field name to its N. The text holds no data, only field
// names, layout and placeholders, and most entries of a file share it, so
// the library's result is cached: it runs once per distinct structure.
func (rd *Reader) structure(text string) (map[string]int, error) {
	if slots, ok := rd.structures[text]; ok {
		return slots, nil
	}
	bib, err := parseText(text)
	if err != nil {
		return nil, err
	}
	if len(bib.Entries) != 1 {
		return nil, fmt.Errorf("not a single entry")
	}
	slots := make(map[string]int, len(bib.Entries[0].Fields))
	for name, v := range bib.Entries[0].Fields {
		i, err := strconv.Atoi(strings.TrimPrefix(v.String(), "v"))
		if err != nil {
			return nil, fmt.Errorf("field %s not understood", name)
		}
		slots[strings.ToLower(name)] = i
	}
	if len(rd.structures) >= maxStructures {
		rd.structures = map[string]map[string]int{}
	}
	rd.structures[text] = slots
	return slots, nil
}

// defineMacro records an @string{name = value # value…} definition.
func (rd *Reader) defineMacro(ch *chunk) error {
	open := strings.IndexAny(ch.Text, "{(")
	eq := strings.IndexByte(ch.Text, '=')
	if open < 0 || eq < open {
		rd.warnings.Add("line %d: @string without \"name = value\", ignored", ch.Line)
		return nil
	}
	name := strings.ToLower(strings.TrimSpace(ch.Text[open+1 : eq]))
	resolved, err := rd.resolveValues(ch.Text[eq:], ch.Line, nil)
	if err != nil {
		rd.warnings.Add("line %d: @string %s not understood, ignored: %v", ch.Line, name, err)
		return nil
	}
	// resolved is "={value}" followed by the closing delimiter.
	if i, j := strings.IndexByte(resolved, '{'), strings.LastIndexByte(resolved, '}'); i >= 0 && j > i {
		if strings.HasSuffix(strings.TrimSpace(resolved), "}") && ch.Text[open] == '{' {
			j = strings.LastIndexByte(resolved[:j], '}')
		}
		if j > i {
			v := resolved[i+1 : j]
			if rd.macroBytes+len(v) > maxMacroBytes {
				rd.warnings.Add("line %d: @string %s ignored: the macros of this file exceed %d bytes", ch.Line, name, maxMacroBytes)
				return nil
			}
			rd.macroBytes += len(v)
			rd.macros[name] = v
		}
	}
	return nil
}

// maxMacroBytes bounds the text of all @string macros of one file.
const maxMacroBytes = 4 << 20

var months = map[string]string{}

func init() {
	for m := time.January; m <= time.December; m++ {
		months[strings.ToLower(m.String()[:3])] = m.String()
	}
}

// resolveValues rewrites every "= value" in text (which starts after an
// entry's key, or at the "=" of an @string) so that the value is a single
// braced string: "#" parts joined, quoted parts and numbers braced, macros
// replaced by their text (months by their names; an undefined macro by its
// own name, with a warning, where BibTeX would use an empty string).
//
// With values non-nil the resolved values are collected there and the text
// gets "{vN}" placeholders instead: the library then parses only the
// entry's structure, which is all it is needed for, and is not slowed down
// by long abstracts.
func (rd *Reader) resolveValues(text string, line int64, values *[]string) (string, error) {
	var b strings.Builder
	i := 0
	for i < len(text) {
		c := text[i]
		if c != '=' {
			b.WriteByte(c)
			i++
			continue
		}
		b.WriteByte('=')
		i++
		var value strings.Builder
		for {
			i = skipSpace(text, i)
			if i >= len(text) {
				return "", fmt.Errorf("value missing at the end of the entry")
			}
			switch c := text[i]; {
			case c == '{':
				end, ok := matchBrace(text, i)
				if !ok {
					return "", fmt.Errorf("unbalanced braces in a value")
				}
				value.WriteString(text[i+1 : end])
				i = end + 1
			case c == '"':
				end, ok := matchQuote(text, i)
				if !ok {
					return "", fmt.Errorf("unterminated quoted value")
				}
				value.WriteString(text[i+1 : end])
				i = end + 1
			case isBare(c):
				j := i
				for j < len(text) && isBare(text[j]) {
					j++
				}
				word := text[i:j]
				i = j
				if isNumber(word) {
					value.WriteString(word)
					break
				}
				lower := strings.ToLower(word)
				if v, ok := rd.macros[lower]; ok {
					value.WriteString(v)
				} else if v, ok := months[lower]; ok {
					value.WriteString(v)
				} else {
					value.WriteString(word)
					rd.warnings.Add("line %d: undefined @string macro %q kept as the text %q", line, word, word)
				}
			default:
				return "", fmt.Errorf("unexpected %q where a value should be", c)
			}
			if value.Len()+b.Len() > MaxEntryBytes {
				// Macros that concatenate macros can grow exponentially.
				return "", fmt.Errorf("value longer than the %d-byte entry limit after macro expansion", MaxEntryBytes)
			}
			i = skipSpace(text, i)
			if i < len(text) && text[i] == '#' {
				i++
				continue
			}
			break
		}
		b.WriteByte('{')
		if values != nil {
			b.WriteString("v" + strconv.Itoa(len(*values)))
			*values = append(*values, value.String())
		} else {
			b.WriteString(value.String())
		}
		b.WriteByte('}')
	}
	return b.String(), nil
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// matchBrace finds the brace closing the one at s[i].
func matchBrace(s string, i int) (int, bool) {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return j, true
			}
		}
	}
	return 0, false
}

// matchQuote finds the quote closing the one at s[i]; quotes inside braces
// ({"}) do not count, as in BibTeX.
func matchQuote(s string, i int) (int, bool) {
	depth := 0
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '{':
			depth++
		case '}':
			depth--
		case '"':
			if depth == 0 {
				return j, true
			}
		}
	}
	return 0, false
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_:./+", c) >= 0
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
