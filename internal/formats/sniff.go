package formats

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
)

// Guess is what the start of a file looks like.
type Guess struct {
	// Formats are the registered formats whose signature the start of the
	// file shows (a "TY  - " line for RIS, "PMID- " for MEDLINE…), sorted.
	Formats []string
	// Looks says in words what the file looks like: "RIS", "an empty
	// file", "binary data", `plain text (it starts "Dear colleagues,")`.
	Looks string
	// Empty is set for a file with nothing but white space.
	Empty bool
}

// Fits reports whether the file looks like format: it shows that format's
// signature, or no format's (then only reading it can tell).
func (g Guess) Fits(format string) bool {
	return len(g.Formats) == 0 || slices.Contains(g.Formats, format)
}

// Shows reports whether the file shows format's signature.
func (g Guess) Shows(format string) bool { return slices.Contains(g.Formats, format) }

// SniffFile looks at the start of an export: its encoding (declared, or
// detected as Decode does) and which format it looks like.
func SniffFile(path, declaredEncoding string) (Guess, error) {
	f, err := os.Open(path)
	if err != nil {
		return Guess{}, err
	}
	defer f.Close()
	raw := make([]byte, sniffSize)
	n, err := io.ReadFull(f, raw)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return Guess{}, err
	}
	raw = raw[:n]
	d, err := DecodeExport(bytes.NewReader(raw), declaredEncoding)
	if err != nil {
		return Guess{}, err
	}
	text, _ := io.ReadAll(d)
	return sniff(raw, text, d.transformed == ""), nil
}

// Sniff tells what UTF-8 text (the start of a file) looks like.
func Sniff(text []byte) Guess { return sniff(text, text, true) }

func sniff(raw, text []byte, rawIsText bool) Guess {
	var g Guess
	if len(bytes.TrimSpace(text)) == 0 {
		g.Empty = true
		g.Looks = "an empty file"
		if len(raw) > 0 && rawIsText && binaryShare(raw) > 0 {
			g.Empty = false
			g.Looks = "binary data"
		}
		return g
	}
	mu.RLock()
	for _, f := range registry {
		if f.Sniff != nil && f.Sniff(text) {
			g.Formats = append(g.Formats, f.Name)
		}
	}
	mu.RUnlock()
	slices.Sort(g.Formats)
	if len(g.Formats) > 0 {
		titles := make([]string, len(g.Formats))
		for i, name := range g.Formats {
			titles[i] = Title(name)
		}
		g.Looks = strings.Join(titles, " and ")
		return g
	}
	g.Looks = describe(raw, text, rawIsText)
	return g
}

// describe names content that is no export format, so that a message can
// say what the file is instead.
func describe(raw, text []byte, rawIsText bool) string {
	magic := []struct{ prefix, what string }{
		{"%PDF-", "a PDF document"},
		{"PK\x03\x04", "a ZIP archive (an .xlsx or .docx file, or a zipped export?)"},
		{"\xD0\xCF\x11\xE0", "an Office document (.xls or .doc)"},
		{"\x1F\x8B", "a gzip archive"},
		{"{\\rtf", "an RTF document"},
	}
	for _, m := range magic {
		if bytes.HasPrefix(raw, []byte(m.prefix)) {
			return m.what
		}
	}
	if rawIsText && binaryShare(raw) >= 0.01 {
		return "binary data"
	}
	t := bytes.TrimSpace(text)
	lower := bytes.ToLower(t[:min(len(t), 512)])
	switch {
	case bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")):
		return "an HTML page"
	case t[0] == '<':
		return fmt.Sprintf("XML that is not an EndNote library (it starts %q)", firstLine(t, 40))
	case t[0] == '{' || t[0] == '[':
		return "JSON"
	}
	return fmt.Sprintf("plain text (it starts %q)", firstLine(t, 60))
}

// binaryShare is the share of NUL and control bytes (other than tab, line
// and page breaks) in b: text has none, binary data plenty.
func binaryShare(b []byte) float64 {
	n := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1A {
			n++
		}
	}
	return float64(n) / float64(len(b))
}

func firstLine(t []byte, max int) string {
	if i := bytes.IndexAny(t, "\r\n"); i >= 0 {
		t = t[:i]
	}
	if len(t) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(t[cut]) {
			cut--
		}
		return string(t[:cut]) + "…"
	}
	return string(t)
}

// HasLine reports whether some line of text (without its line break)
// satisfies match: the building block of the formats' Sniff functions.
func HasLine(text []byte, match func(line []byte) bool) bool {
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		if match(bytes.TrimRight(line, "\r")) {
			return true
		}
	}
	return false
}
