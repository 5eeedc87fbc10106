package bibtex

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxEntryBytes bounds one entry; a bigger one is quarantined and skipped.
const MaxEntryBytes = 1 << 20

// MaxBraceDepth bounds the nesting of braces inside an entry; real entries
// nest three or four deep, so deeper nesting is adversarial or broken.
const MaxBraceDepth = 64

// chunk is one "@type{…}" entry as cut from the input, before parsing.
type chunk struct {
	Line    int64  // line of the "@"
	Type    string // lower-case entry type: article, string, comment…
	Text    string // the whole entry, "@" to the closing delimiter
	Problem string // why the entry cannot be parsed, if it cannot
	// badByteLine is the first line with bytes that are not UTF-8 (read as U+FFFD).
	badByteLine int64
}

// splitter cuts a BibTeX stream into entries without parsing them, so that
// a broken entry costs only itself and memory stays bounded by one entry.
type splitter struct {
	r       *bufio.Reader
	line    int64
	atStart bool // at the start of a line: "\n@" resynchronises
	pending *chunk
	// resumeAt is the line of an "@" already read that starts the next entry.
	resumeAt int64
	junk     junkInfo
	// sawEntry and sawText tell a file of comments only from one that is
	// no BibTeX at all (text, no entry: reported once at the end).
	sawEntry, sawText, inComment bool
	firstText                    int64
	buf                          []byte // the entry being cut, reused
}

// junkInfo describes binary data met outside entries (BibTeX ignores text
// outside entries, but NUL bytes or invalid UTF-8 mean this is no BibTeX).
type junkInfo struct {
	line int64
	raw  strings.Builder
}

func newSplitter(r io.Reader) *splitter {
	return &splitter{r: bufio.NewReaderSize(r, 64<<10), line: 1, atStart: true}
}

func (s *splitter) readRune() (rune, error) {
	c, size, err := s.r.ReadRune()
	if err != nil {
		return 0, err
	}
	if c == utf8.RuneError && size == 1 {
		c = utf8.RuneError
	}
	if c == '\n' {
		s.line++
	}
	return c, nil
}

// next returns the next entry (possibly with a Problem), a binary-junk
// chunk, or io.EOF.
func (s *splitter) next() (*chunk, error) {
	if s.pending != nil {
		c := s.pending
		s.pending = nil
		return c, nil
	}
	for {
		var c rune
		var err error
		if s.resumeAt > 0 {
			c = '@'
		} else if c, err = s.readRune(); err != nil {
			if err == io.EOF && s.junk.line > 0 {
				return s.takeJunk(), nil
			}
			if err == io.EOF && !s.sawEntry && s.sawText {
				s.sawText = false
				return &chunk{Line: s.firstText, Problem: "no BibTeX entry (@type{key, …}) in the file: not a BibTeX file?", Text: ""}, nil
			}
			return nil, err
		}
		switch {
		case c == '%':
			s.inComment = true // "% …" lines are comments, not stray text
		case c == '\n':
			s.inComment = false
		case !s.sawText && !s.inComment && c != '@' && c != ' ' && c != '\t' && c != '\r' && c != '\ufeff':
			s.sawText, s.firstText = true, s.line
		}
		if c == '@' {
			line := s.line
			if s.resumeAt > 0 {
				line, s.resumeAt = s.resumeAt, 0
			}
			ch, err := s.entry(line)
			if err != nil && err != io.EOF {
				return nil, err
			}
			if ch == nil {
				continue // an "@" in a comment, not an entry
			}
			s.sawEntry = true
			if s.junk.line > 0 {
				s.pending = ch
				return s.takeJunk(), nil
			}
			return ch, nil
		}
		if c == 0 || c == utf8.RuneError {
			if s.junk.line == 0 {
				s.junk.line = s.line
			}
		}
		if s.junk.line > 0 && s.junk.raw.Len() < 4096 {
			s.junk.raw.WriteRune(c)
		}
	}
}

func (s *splitter) takeJunk() *chunk {
	c := &chunk{Line: s.junk.line, Type: "", Text: s.junk.raw.String(),
		Problem: "binary data (NUL bytes or bytes that are not text) outside any entry"}
	s.junk = junkInfo{}
	s.sawText = false // the junk row covers the file
	return c
}

// entry reads from just after an "@" to the end of the entry.
func (s *splitter) entry(line int64) (*chunk, error) {
	b := append(s.buf[:0], '@')
	defer func() { s.buf = b[:0] }()
	// The entry type: letters, then optional space, then "{" or "(".
	var typ strings.Builder
	var open rune
	for {
		c, err := s.readRune()
		if err != nil {
			return nil, err
		}
		b = utf8.AppendRune(b, c)
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			if typ.Len() > 32 {
				return nil, nil
			}
			typ.WriteRune(c)
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			continue
		case (c == '{' || c == '(') && typ.Len() > 0:
			open = c
		default:
			return nil, nil
		}
		break
	}
	ch := &chunk{Line: line, Type: strings.ToLower(typ.String())}
	closer := byte('}')
	if open == '(' {
		closer = ')'
	}
	depth := 0 // brace depth inside the entry's outer delimiter
	prevNewline := false
	// Every delimiter is ASCII and no byte of a multi-byte UTF-8 rune is,
	// so the body is scanned byte by byte, a buffered chunk at a time; the
	// text is checked once at the end.
	finish := func() {
		ch.Text = string(b)
		if !utf8.ValidString(ch.Text) {
			ch.badByteLine = ch.Line + int64(strings.Count(ch.Text[:firstInvalid(ch.Text)], "\n"))
			ch.Text = strings.ToValidUTF8(ch.Text, "\uFFFD")
		}
	}
	for {
		if _, err := s.r.Peek(1); err != nil {
			if err == io.EOF {
				ch.Problem = "entry is not closed before the end of the file (unbalanced braces?)"
				finish()
			}
			return ch, err
		}
		buffered, _ := s.r.Peek(s.r.Buffered())
		// Far from the entry limit, every byte of the chunk is kept.
		nearLimit := len(b)+len(buffered) >= MaxEntryBytes
		for i, c := range buffered {
			if c == '\n' {
				s.line++
			}
			if prevNewline && c == '@' && depth <= 1 {
				// A new entry begins at the start of a line while this one is
				// still open: this one lost a closing brace.
				_, _ = s.r.Discard(i + 1)
				ch.Problem = fmt.Sprintf("entry is not closed before the next entry at line %d (unbalanced braces?)", s.line)
				finish()
				s.resumeAt = s.line
				return ch, nil
			}
			prevNewline = c == '\n' || (prevNewline && (c == ' ' || c == '\t' || c == '\r'))
			if c == 0 && ch.Problem == "" {
				ch.Problem = "entry contains NUL bytes: not a text file?"
			}
			if !nearLimit || len(b) < MaxEntryBytes {
				b = append(b, c)
			} else if ch.Problem == "" {
				ch.Problem = fmt.Sprintf("entry is longer than the %d-byte entry limit", MaxEntryBytes)
			}
			switch c {
			case '{':
				depth++
				if depth > MaxBraceDepth && ch.Problem == "" {
					ch.Problem = fmt.Sprintf("braces nest deeper than the limit of %d", MaxBraceDepth)
				}
			case '}':
				if depth == 0 && closer == '}' {
					_, _ = s.r.Discard(i + 1)
					finish()
					return ch, nil
				}
				depth--
			case ')':
				if depth == 0 && closer == ')' {
					_, _ = s.r.Discard(i + 1)
					finish()
					return ch, nil
				}
			}
		}
		_, _ = s.r.Discard(len(buffered))
	}
}

// firstInvalid is the index of the first byte of s that is not UTF-8.
func firstInvalid(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(s)
}
