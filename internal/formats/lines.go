package formats

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"
)

// MaxLineBytes bounds one line of a tagged export. A longer line (a 100 MB
// abstract, a binary file with no newlines) is skipped and reported, so a bad
// file cannot exhaust memory.
const MaxLineBytes = 1 << 20

// MaxRawBytes is how much of a bad record's text is kept in quarantine.
const MaxRawBytes = 4 << 10

// Line is one line of input with its 1-based number.
type Line struct {
	Text string
	No   int64
	// TooLong is set when the line exceeded MaxLineBytes; Text then holds
	// only its start.
	TooLong bool
	// BadUTF8 is set when the line held bytes that are not UTF-8; they are
	// replaced by U+FFFD in Text.
	BadUTF8 bool
}

// LineReader reads lines ending in LF, CRLF or a lone CR, within MaxLineBytes.
type LineReader struct {
	r      *bufio.Reader
	no     int64
	lastCR bool
	unread *Line // a line given back with Unread
}

// NewLineReader reads decoded UTF-8 text.
func NewLineReader(r io.Reader) *LineReader {
	return &LineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// Unread gives back the line Next last returned, so the next call returns
// it again: a reader that meets the start of the next record while closing
// one (a TY line where ER was expected) leaves it for the next record.
func (lr *LineReader) Unread(l Line) { lr.unread = &l }

// Next returns the next line, or io.EOF. A byte-order mark at the start of
// the first line is dropped, for readers used on undecoded text.
func (lr *LineReader) Next() (Line, error) {
	if lr.unread != nil {
		l := *lr.unread
		lr.unread = nil
		return l, nil
	}
	var buf []byte
	tooLong := false
	for {
		b, err := lr.r.ReadByte()
		if err != nil {
			if err == io.EOF && (len(buf) > 0 || tooLong) {
				return lr.emit(buf, tooLong), nil
			}
			return Line{}, err
		}
		if lr.lastCR {
			lr.lastCR = false
			if b == '\n' {
				continue // the LF of a CRLF already ended the previous line
			}
		}
		switch b {
		case '\n':
			return lr.emit(buf, tooLong), nil
		case '\r':
			lr.lastCR = true
			return lr.emit(buf, tooLong), nil
		}
		if len(buf) < MaxLineBytes {
			buf = append(buf, b)
		} else {
			tooLong = true
		}
		// Read the rest of a run of ordinary bytes at once: byte-at-a-time
		// is only needed around line ends.
		if chunk, _ := lr.r.Peek(lr.r.Buffered()); len(chunk) > 0 {
			if i := lineEnd(chunk); i != 0 {
				if i < 0 {
					i = len(chunk)
				}
				room := MaxLineBytes - len(buf)
				if room < i {
					if room > 0 {
						buf = append(buf, chunk[:room]...)
					}
					tooLong = true
				} else {
					buf = append(buf, chunk[:i]...)
				}
				_, _ = lr.r.Discard(i)
			}
		}
	}
}

func (lr *LineReader) emit(buf []byte, tooLong bool) Line {
	lr.no++
	l := Line{No: lr.no, TooLong: tooLong}
	if lr.no == 1 {
		buf = bytes.TrimPrefix(buf, []byte("\ufeff"))
	}
	if !utf8.Valid(buf) {
		l.BadUTF8 = true
		buf = bytes.ToValidUTF8(buf, []byte("\uFFFD"))
	}
	l.Text = string(buf)
	return l
}

// CutRaw cuts quarantined text to MaxRawBytes on a rune boundary.
func CutRaw(s string) string {
	if len(s) <= MaxRawBytes {
		return s
	}
	cut := MaxRawBytes
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// lineEnd is the index of the first CR or LF in b, or -1. Two IndexByte
// scans beat IndexAny, which rebuilds its byte set on every call.
func lineEnd(b []byte) int {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		i = len(b)
	}
	if j := bytes.IndexByte(b[:i], '\r'); j >= 0 {
		return j
	}
	if i == len(b) {
		return -1
	}
	return i
}
