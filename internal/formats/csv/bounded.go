package csv

import (
	"bufio"
)

// MaxRecordBytes bounds one CSV record (a row, with its quoted line breaks).
// encoding/csv would otherwise hold a 100 MB single line, or a quote that is
// never closed, in memory whole.
const MaxRecordBytes = 8 << 20

// csvState follows encoding/csv's reading of quotes (with LazyQuotes), so
// that the bounding reader knows where records end.
type csvState int

const (
	fieldStart csvState = iota
	unquoted
	quoted
	quoteInQuoted
)

// boundedReader passes CSV text through unchanged, except that a record
// longer than MaxRecordBytes is cut: its quote is closed, the rest of the
// record is dropped (its line breaks are kept as empty lines, which
// encoding/csv skips, so line numbers stay right), and the line where the
// record started is remembered in cut, for the reader to quarantine it.
type boundedReader struct {
	r           *bufio.Reader
	comma       byte
	state       csvState
	line        int64 // current line, 1-based
	recordStart int64
	recordBytes int
	cutting     bool
	cut         map[int64]bool
	pend        []byte // bytes ready to hand out
}

func newBoundedReader(r *bufio.Reader, comma byte) *boundedReader {
	return &boundedReader{r: r, comma: comma, line: 1, recordStart: 1, cut: map[int64]bool{}}
}

func (b *boundedReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(b.pend) > 0 {
			c := copy(p[n:], b.pend)
			b.pend = b.pend[c:]
			n += c
			continue
		}
		if b.r.Buffered() == 0 {
			if _, err := b.r.Peek(1); err != nil {
				if n > 0 {
					return n, nil
				}
				return 0, err
			}
		}
		// Work through what is buffered without a call per byte.
		chunk, _ := b.r.Peek(b.r.Buffered())
		used := 0
		for used < len(chunk) && n < len(p) && len(b.pend) == 0 {
			c := chunk[used]
			used++
			if !b.cutting && b.recordBytes >= MaxRecordBytes {
				b.cutting = true
				b.cut[b.recordStart] = true
				if b.state == quoted {
					b.pend = append(b.pend, '"')
				}
			}
			endOfRecord := b.step(c)
			if c == '\n' {
				b.line++
			}
			if !b.cutting || c == '\n' {
				if len(b.pend) > 0 {
					b.pend = append(b.pend, c)
				} else {
					p[n] = c
					n++
				}
			}
			b.recordBytes++
			if endOfRecord {
				b.cutting = false
				b.recordBytes = 0
				b.recordStart = b.line
			}
		}
		_, _ = b.r.Discard(used)
	}
	return n, nil
}

// step advances the quote state by one byte and reports a record's end.
func (b *boundedReader) step(c byte) bool {
	switch b.state {
	case fieldStart, unquoted:
		switch {
		case c == '"' && b.state == fieldStart:
			b.state = quoted
		case c == b.comma:
			b.state = fieldStart
		case c == '\n':
			b.state = fieldStart
			return true
		default:
			b.state = unquoted
		}
	case quoted:
		if c == '"' {
			b.state = quoteInQuoted
		}
	case quoteInQuoted:
		switch c {
		case '"':
			b.state = quoted
		case b.comma:
			b.state = fieldStart
		case '\n':
			b.state = fieldStart
			return true
		case '\r':
		default:
			b.state = quoted
		}
	}
	return false
}
