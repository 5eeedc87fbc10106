package csv

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
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

// damage is a row whose quote never closes properly, taken out of the
// stream before encoding/csv could swallow the rows after it.
type damage struct {
	line int64 // where the row starts
	msg  string
	raw  string
}

// boundedReader passes CSV text through to encoding/csv one whole record
// at a time, and guards it against two kinds of broken input.
//
// A record longer than MaxRecordBytes is cut: its quote is closed, the rest
// of the record is dropped (its line breaks are kept as empty lines, which
// encoding/csv skips, so line numbers stay right), and the line where the
// record started is remembered in cut, for the reader to quarantine it. If
// the record is inside a quoted cell when the limit is reached, the cell
// ends at the next line break.
//
// A quoted cell that runs over a line break and then meets a quote that
// neither doubles nor closes it (a `"` followed by text), or the end of
// the file, or the record limit, was never closed: with LazyQuotes,
// encoding/csv would read the following rows into that cell and lose them.
// Such a row is taken back: its lines up to the one where the cell opened
// go to damaged (and reach encoding/csv as empty lines), and the text after
// them is read again as rows. Multi-line cells of a well-formed CSV double
// their quotes, so they are never taken for damage.
type boundedReader struct {
	r      *bufio.Reader
	comma  byte
	state  csvState
	line   int64  // line of the next byte, 1-based
	rec    []byte // the record being read, from its first byte
	start  int64  // line where rec starts
	nlAt   int    // in rec, just past the first line break inside the open quoted cell; -1 if none
	opened int64  // line where the open quoted cell started
	// cutting is set once rec reached MaxRecordBytes: its rest is dropped.
	cutting bool
	size    int // bytes of the record, dropped ones included
	cut     map[int64]bool
	damaged []damage
	replay  []byte // text taken back, read again before r
	out     []byte // whole records ready for encoding/csv, from pos
	pos     int
	eof     bool
}

func newBoundedReader(r *bufio.Reader, comma byte) *boundedReader {
	return &boundedReader{r: r, comma: comma, line: 1, start: 1, nlAt: -1, cut: map[int64]bool{}}
}

func (b *boundedReader) Read(p []byte) (int, error) {
	for b.pos == len(b.out) {
		b.out, b.pos = b.out[:0], 0
		if err := b.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, b.out[b.pos:])
	b.pos += n
	return n, nil
}

// fill scans the next stretch of input: taken-back text first, then the
// file, then what the end of the file leaves.
func (b *boundedReader) fill() error {
	switch {
	case len(b.replay) > 0:
		chunk := b.replay
		b.replay = nil
		b.scan(chunk)
	case b.eof:
		return b.finish()
	default:
		if b.r.Buffered() == 0 {
			if _, err := b.r.Peek(1); err != nil {
				b.eof = true
				return nil
			}
		}
		chunk, _ := b.r.Peek(b.r.Buffered())
		b.scan(chunk)
		_, _ = b.r.Discard(len(chunk))
	}
	return nil
}

// finish handles the end of the input: a record without a final line
// break, or a quoted cell still open.
func (b *boundedReader) finish() error {
	if b.state == quoted && b.nlAt >= 0 {
		b.takeBack(nil, "the file ends")
		return nil
	}
	if len(b.rec) > 0 {
		b.out = append(b.out, b.rec...)
		b.rec = b.rec[:0]
		return nil
	}
	return io.EOF
}

// scan moves chunk's bytes into rec, passing finished records to out. It
// consumes all of chunk (what a take-back does not consume goes to replay).
func (b *boundedReader) scan(chunk []byte) {
	from := 0 // chunk[from:i] is not yet in rec
	for i := 0; i < len(chunk); i++ {
		// Most bytes change nothing but counts: skip runs of them, inside a
		// quoted cell up to its next quote, in an unquoted one up to the next
		// delimiter or line end, never past the record limit.
		if !b.cutting && (b.state == quoted || b.state == unquoted) {
			run := chunk[i:]
			if budget := MaxRecordBytes - b.size; len(run) > budget {
				run = run[:max(budget, 0)]
			}
			j := 0
			if b.state == quoted {
				if j = bytes.IndexByte(run, '"'); j < 0 {
					j = len(run)
				}
				seg := run[:j]
				if b.nlAt < 0 {
					if k := bytes.IndexByte(seg, '\n'); k >= 0 {
						b.nlAt = len(b.rec) + (i + k - from) + 1
					}
				}
				b.line += int64(bytes.Count(seg, []byte{'\n'}))
			} else {
				for j < len(run) && run[j] != b.comma && run[j] != '\n' {
					j++
				}
			}
			b.size += j
			if i += j; i == len(chunk) {
				break
			}
		}
		c := chunk[i]
		if !b.cutting && b.size >= MaxRecordBytes {
			b.rec = append(b.rec, chunk[from:i]...)
			from = i
			if b.state == quoted && b.nlAt >= 0 {
				b.takeBack(chunk[i:], fmt.Sprintf("the row reaches the %d-byte record limit", MaxRecordBytes))
				return
			}
			b.cutting = true
			b.cut[b.start] = true
			if b.state == quoted {
				b.rec = append(b.rec, '"')
			}
		}
		prev := b.state
		end := b.step(c)
		switch {
		case prev == fieldStart && b.state == quoted:
			b.nlAt, b.opened = -1, b.line
		case prev == quoted && c == '\n' && b.nlAt < 0 && !b.cutting:
			b.nlAt = len(b.rec) + (i - from) + 1
		case prev == quoteInQuoted && b.state == quoted && c != '"' && b.nlAt >= 0 && !b.cutting:
			// A lone quote inside a cell that already ran over a line break.
			b.rec = append(b.rec, chunk[from:i+1]...)
			b.takeBack(chunk[i+1:], fmt.Sprintf("a quote is followed by text on line %d", b.line))
			return
		}
		if c == '\n' {
			b.line++
		}
		b.size++
		if b.cutting {
			if c == '\n' {
				b.rec = append(b.rec, '\n')
				if b.state == quoted {
					// A cell over the limit that runs over a line break was
					// never closed: the cut row ends here, and the next line
					// is read as a row, not swallowed.
					b.state, end = fieldStart, true
				}
			}
			from = i + 1
		}
		if end {
			b.rec = append(b.rec, chunk[from:i+1]...)
			from = i + 1
			b.out = append(b.out, b.rec...)
			b.newRecord(b.line)
		}
	}
	if !b.cutting {
		b.rec = append(b.rec, chunk[from:]...)
	}
}

// takeBack moves the open record's lines up to the one where its open
// quoted cell started to damaged, and queues the rest of the record, then
// rest, to be read again as new rows.
func (b *boundedReader) takeBack(rest []byte, why string) {
	bad := b.rec[:b.nlAt]
	again := append(append([]byte(nil), b.rec[b.nlAt:]...), rest...)
	again = append(again, b.replay...)
	lines := int64(bytes.Count(bad, []byte{'\n'}))
	b.damaged = append(b.damaged, damage{
		line: b.start,
		msg: fmt.Sprintf("the quote opened on line %d is never closed (%s, %d line(s) later); the row is quarantined and the lines after it are read again",
			b.opened, why, b.line-b.opened),
		raw: string(bytes.TrimRight(bad, "\r\n")),
	})
	// encoding/csv sees the quarantined lines as empty ones, so its line
	// numbers stay those of the file.
	b.out = append(b.out, bytes.Repeat([]byte{'\n'}, int(lines))...)
	b.replay = again
	b.newRecord(b.start + lines)
	b.state = fieldStart
}

func (b *boundedReader) newRecord(line int64) {
	b.rec = b.rec[:0]
	b.start, b.line = line, line
	b.nlAt = -1
	b.cutting = false
	b.size = 0
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
