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

// RawLine is a line as bytes: Text is valid only until the next call to
// NextRaw or Next. Readers that copy what they keep (one string per field
// rather than one per line) read with NextRaw.
type RawLine struct {
	Text    []byte
	No      int64
	TooLong bool
	BadUTF8 bool
}

// LineReader reads lines ending in LF, CRLF or a lone CR, within MaxLineBytes.
type LineReader struct {
	r      *bufio.Reader
	no     int64
	lastCR bool
	buf    []byte   // a line that did not fit in r's buffer, reused
	unread *RawLine // a line given back with Unread, with its own Text
}

// NewLineReader reads decoded UTF-8 text.
func NewLineReader(r io.Reader) *LineReader {
	return &LineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// Unread gives back the line Next last returned, so the next call returns
// it again: a reader that meets the start of the next record while closing
// one (a TY line where ER was expected) leaves it for the next record.
func (lr *LineReader) Unread(l Line) {
	lr.unread = &RawLine{Text: []byte(l.Text), No: l.No, TooLong: l.TooLong, BadUTF8: l.BadUTF8}
}

// UnreadRaw is Unread for a line NextRaw returned.
func (lr *LineReader) UnreadRaw(l RawLine) {
	l.Text = append([]byte(nil), l.Text...)
	lr.unread = &l
}

// Next returns the next line, or io.EOF. A byte-order mark at the start of
// the first line is dropped, for readers used on undecoded text.
func (lr *LineReader) Next() (Line, error) {
	l, err := lr.NextRaw()
	return Line{Text: string(l.Text), No: l.No, TooLong: l.TooLong, BadUTF8: l.BadUTF8}, err
}

// NextRaw is Next without the copy: the line's bytes stay valid until the
// next call. Bytes that are not UTF-8 are replaced by U+FFFD (BadUTF8).
func (lr *LineReader) NextRaw() (RawLine, error) {
	if lr.unread != nil {
		l := *lr.unread
		lr.unread = nil
		return l, nil
	}
	text, tooLong, err := lr.read()
	if err != nil {
		return RawLine{}, err
	}
	lr.no++
	l := RawLine{No: lr.no, TooLong: tooLong}
	if lr.no == 1 {
		text = bytes.TrimPrefix(text, []byte("\ufeff"))
	}
	if !utf8.Valid(text) {
		l.BadUTF8 = true
		text = bytes.ToValidUTF8(text, []byte("\uFFFD"))
	}
	l.Text = text
	return l, nil
}

// read returns the next line's bytes without its line end: a slice of the
// bufio.Reader's buffer when the line lies in it, else lr.buf.
func (lr *LineReader) read() (line []byte, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	started := false
	for {
		chunk, err := lr.r.Peek(1)
		if err != nil {
			if err == io.EOF && (started || tooLong) {
				return lr.buf, tooLong, nil
			}
			return nil, false, err
		}
		chunk, _ = lr.r.Peek(lr.r.Buffered())
		if lr.lastCR {
			lr.lastCR = false
			if chunk[0] == '\n' {
				_, _ = lr.r.Discard(1) // the LF of a CRLF already ended the previous line
				continue
			}
		}
		end := lineEnd(chunk)
		piece := chunk
		if end >= 0 {
			piece = chunk[:end]
		}
		if end >= 0 && !started && len(piece) <= MaxLineBytes {
			// The whole line is in the buffer: hand it out as it is.
			lr.lastCR = chunk[end] == '\r'
			_, _ = lr.r.Discard(end + 1)
			return piece, false, nil
		}
		started = started || len(piece) > 0
		if room := MaxLineBytes - len(lr.buf); len(piece) > room {
			lr.buf = append(lr.buf, piece[:max(room, 0)]...)
			tooLong = true
		} else {
			lr.buf = append(lr.buf, piece...)
		}
		if end >= 0 {
			lr.lastCR = chunk[end] == '\r'
			_, _ = lr.r.Discard(end + 1)
			return lr.buf, tooLong, nil
		}
		_, _ = lr.r.Discard(len(chunk))
	}
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
