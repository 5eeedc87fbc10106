package bibtex

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// accents maps the LaTeX accent commands to Unicode combining marks.
var accents = map[string]rune{
	"'": '\u0301', "`": '\u0300', "^": '\u0302', "\"": '\u0308', "~": '\u0303',
	"=": '\u0304', ".": '\u0307', "u": '\u0306', "v": '\u030C', "H": '\u030B',
	"c": '\u0327', "k": '\u0328', "d": '\u0323', "b": '\u0331', "r": '\u030A', "t": '\u0361',
}

// symbols maps argument-less LaTeX commands to text.
var symbols = map[string]string{
	"&": "&", "%": "%", "$": "$", "_": "_", "#": "#", "{": "{", "}": "}", " ": " ", "\\": " ", ",": " ",
	"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
	"l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ",
	"textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textellipsis": "…",
	"textquoteright": "’", "textquoteleft": "‘", "textquotedblleft": "“", "textquotedblright": "”",
	"textregistered": "®", "copyright": "©", "texttrademark": "™", "pounds": "£", "euro": "€",
	"textdegree": "°", "degree": "°", "pm": "±", "times": "×", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
	"textbackslash": "\\", "textasciitilde": "~", "textless": "<", "textgreater": ">", "S": "§", "P": "¶",
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "kappa": "κ", "lambda": "λ",
	"mu": "μ", "pi": "π", "sigma": "σ", "tau": "τ", "chi": "χ", "omega": "ω", "Delta": "Δ", "Omega": "Ω",
}

// switches are font commands that take no argument and change nothing in text.
var switches = map[string]bool{
	"em": true, "it": true, "bf": true, "sc": true, "rm": true, "tt": true, "sl": true, "sf": true,
	"small": true, "large": true, "Large": true, "normalfont": true, "upshape": true, "itshape": true,
	"bfseries": true, "scshape": true, "relax": true, "protect": true, "noopsort": true,
}

// DecodeLaTeX turns BibTeX field text into Unicode text: accents
// (M{\"u}ller, {\'e}, \c{c}, \v s), special characters (\&, \ss, \o),
// formatting commands ({\em …}, \textit{…}: the text is kept), dashes
// (-- and ---), ties (~) and grouping braces (dropped), then NFC.
func DecodeLaTeX(s string) string {
	if isPlainText(s) {
		return s
	}
	d := decoder{s: s}
	out := d.run(false)
	if isASCII(out) {
		return out
	}
	return norm.NFC.String(out)
}

// isPlainText reports text DecodeLaTeX gives back unchanged: none of
// \ { } ~ $, and no "--", "“" or "”" (one pass over s).
func isPlainText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '{', '}', '~', '$':
			return false
		case '-', '`', '\'':
			if i+1 < len(s) && s[i+1] == c {
				return false
			}
		}
	}
	return true
}

type decoder struct {
	s string
	i int
}

// run decodes until the end, or the closing brace of a group when inGroup.
func (d *decoder) run(inGroup bool) string {
	var b strings.Builder
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '}':
			d.i++
			if inGroup {
				return b.String()
			}
		case c == '{':
			d.i++
			b.WriteString(d.run(true))
		case c == '\\':
			b.WriteString(d.command())
		case c == '~':
			d.i++
			b.WriteByte(' ')
		case c == '$':
			d.i++ // math shift: the formula's text is kept
		case c == '-' && strings.HasPrefix(d.s[d.i:], "---"):
			d.i += 3
			b.WriteString("—")
		case c == '-' && strings.HasPrefix(d.s[d.i:], "--"):
			d.i += 2
			b.WriteString("–")
		case c == '`' && strings.HasPrefix(d.s[d.i:], "``"):
			d.i += 2
			b.WriteString("“")
		case c == '\'' && strings.HasPrefix(d.s[d.i:], "''"):
			d.i += 2
			b.WriteString("”")
		default:
			r, size := utf8.DecodeRuneInString(d.s[d.i:])
			d.i += size
			b.WriteRune(r)
		}
	}
	return b.String()
}

// command decodes the command at d.i (a backslash).
func (d *decoder) command() string {
	d.i++ // the backslash
	if d.i >= len(d.s) {
		return ""
	}
	var name string
	if isASCIILetter(d.s[d.i]) {
		j := d.i
		for j < len(d.s) && isASCIILetter(d.s[j]) {
			j++
		}
		name = d.s[d.i:j]
		d.i = j
	} else {
		_, size := utf8.DecodeRuneInString(d.s[d.i:])
		name = d.s[d.i : d.i+size]
		d.i += size
	}
	if mark, ok := accents[name]; ok {
		base := d.argument(len(name) > 1 || isASCIILetter(name[0]))
		if base == "ı" {
			base = "i" // \'{\i}: the dotless i only exists to carry the accent
		}
		if base == "" {
			return string(mark)
		}
		r, size := utf8.DecodeRuneInString(base)
		return string(r) + string(mark) + base[size:]
	}
	if sym, ok := symbols[name]; ok {
		if isASCIILetter(name[0]) {
			d.skipSpace()
			if strings.HasPrefix(d.s[d.i:], "{}") {
				d.i += 2
			}
		}
		return sym
	}
	if switches[name] {
		d.skipSpace()
		return ""
	}
	// \emph{…}, \textit{…}, \url{…} and unknown commands: keep the argument.
	if d.i < len(d.s) && d.s[d.i] == '{' {
		d.i++
		return d.run(true)
	}
	return ""
}

// argument reads an accent's base: a braced group, a command, or one rune.
func (d *decoder) argument(letterCommand bool) string {
	if letterCommand {
		d.skipSpace()
	}
	if d.i >= len(d.s) {
		return ""
	}
	switch d.s[d.i] {
	case '{':
		d.i++
		return d.run(true)
	case '\\':
		return d.command()
	case '}':
		return ""
	}
	r, size := utf8.DecodeRuneInString(d.s[d.i:])
	d.i += size
	return string(r)
}

func (d *decoder) skipSpace() {
	for d.i < len(d.s) && (d.s[d.i] == ' ' || d.s[d.i] == '\t' || d.s[d.i] == '\n' || d.s[d.i] == '\r') {
		d.i++
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
