// Package endnote reads EndNote XML exports (<xml><records><record>…), the
// format EndNote writes with File › Export › XML. It streams with an
// encoding/xml token decoder, one <record> at a time; text inside <style>
// wrappers is joined, and every element without a column of its own
// (custom1–7, caption, label, auth-address, remote-database-name…) is kept in
// Extra under its path ("titles/short-title").
//
// Safety: encoding/xml never expands entities a document declares in a DTD
// (<!ENTITY>), so an "entity bomb" cannot grow: a reference to a declared
// entity is a syntax error that quarantines its record. One record is
// bounded by MaxRecordBytes and MaxDepth; after a syntax error or an
// over-limit record, reading resumes at the next "<record>".
//
// Source key: rec-number. SourceLine: the line of the <record> tag.
package endnote

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil"
)

func init() {
	formats.Register(formats.Format{
		Name:       "endnote",
		Title:      "EndNote XML",
		Extensions: []string{".xml"},
		Doc:        "EndNote XML (<records><record>…); custom, caption and label fields kept",
		NewReader:  func(r io.Reader, _ formats.Options) formats.Reader { return NewReader(r) },
		// EndNote writes <xml><records><record>…; an empty library <xml><records/>.
		Sniff: func(head []byte) bool {
			return bytes.Contains(head, []byte("<xml>")) && bytes.Contains(head, []byte("<records"))
		},
	})
}

// MaxRecordBytes bounds the XML of one record (and of the text between records).
const MaxRecordBytes = 8 << 20

// MaxDepth bounds element nesting inside a record; EndNote's is five deep.
const MaxDepth = 64

var errTooBig = errors.New("over the record size limit")

// countingReader feeds the XML decoder byte by byte, counting lines,
// keeping the start of the current record for quarantine, and failing once
// the current stretch exceeds MaxRecordBytes. It buffers src itself, so
// that a byte costs one call, not two.
type countingReader struct {
	head   []byte // the file's first bytes, for a file-level quarantine row
	src    io.Reader
	buf    []byte // buf[pos:] is read from src and not handed out yet
	pos    int
	err    error  // src's error, once buf is drained
	prefix []byte // synthetic text handed out before src (after a resync)
	line   int64
	bytes  int
	raw    []byte
}

func newCountingReader(src io.Reader) *countingReader {
	return &countingReader{src: src, line: 1}
}

// fill reads more of src into buf; it fails only when nothing was read.
func (c *countingReader) fill() error {
	if c.err != nil {
		return c.err
	}
	if c.buf == nil {
		c.buf = make([]byte, 0, 64<<10)
	}
	for tries := 0; tries < 100; tries++ {
		n, err := c.src.Read(c.buf[:cap(c.buf)])
		c.buf, c.pos = c.buf[:n], 0
		if err != nil {
			c.err = err
		}
		if n > 0 {
			return nil
		}
		if err != nil {
			return err
		}
	}
	c.err = io.ErrNoProgress
	return c.err
}

// readRaw returns the next byte of src, uncounted (resync's scan).
func (c *countingReader) readRaw() (byte, error) {
	if c.pos == len(c.buf) {
		if err := c.fill(); err != nil {
			return 0, err
		}
	}
	b := c.buf[c.pos]
	c.pos++
	return b, nil
}

// peekRaw returns the next byte of src without taking it.
func (c *countingReader) peekRaw() (byte, error) {
	if c.pos == len(c.buf) {
		if err := c.fill(); err != nil {
			return 0, err
		}
	}
	return c.buf[c.pos], nil
}

func (c *countingReader) ReadByte() (byte, error) {
	if c.bytes >= MaxRecordBytes {
		return 0, errTooBig
	}
	if len(c.prefix) > 0 {
		b := c.prefix[0]
		c.prefix = c.prefix[1:]
		return b, nil
	}
	if c.pos == len(c.buf) {
		if err := c.fill(); err != nil {
			return 0, err
		}
	}
	b := c.buf[c.pos]
	c.pos++
	if len(c.head) < formats.MaxRawBytes {
		c.head = append(c.head, b)
	}
	c.bytes++
	if b == '\n' {
		c.line++
	}
	if len(c.raw) < formats.MaxRawBytes {
		c.raw = append(c.raw, b)
	}
	return b, nil
}

func (c *countingReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	b, err := c.ReadByte()
	if err != nil {
		return 0, err
	}
	p[0] = b
	return 1, nil
}

// startStretch begins counting a new record (or inter-record stretch).
func (c *countingReader) startStretch(prefix string) {
	c.bytes = len(prefix)
	c.raw = append(c.raw[:0], prefix...)
}

// Reader reads EndNote XML records.
type Reader struct {
	in       *countingReader
	dec      *xml.Decoder
	done     bool
	warnings formatutil.Warnings
	// sawRecord, firstProblem and rootName tell an empty export from a file
	// that is not EndNote XML at all (reported once, as a bad record).
	sawRecord    bool
	firstProblem string
	rootName     string
	reported     bool
	// Kept from record to record: the element stack, and the paths of
	// the leaves (a few dozen distinct ones in an export).
	stack   []frame
	pathBuf []byte
	paths   formatutil.Interner
}

// NewReader reads EndNote XML already decoded to UTF-8.
func NewReader(r io.Reader) *Reader {
	rd := &Reader{in: newCountingReader(r)}
	rd.newDecoder("")
	return rd
}

// Warnings returns and forgets the warnings gathered since the last call.
func (rd *Reader) Warnings() []string { return rd.warnings.Take() }

func (rd *Reader) newDecoder(prefix string) {
	rd.in.prefix = []byte(prefix)
	rd.dec = xml.NewDecoder(rd.in)
	rd.dec.Strict = true
	// The text was decoded to UTF-8 before it reached us, whatever the
	// declaration says.
	rd.dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	rd.in.startStretch("")
}

// resync skips to the next "<record" and restarts the decoder there.
func (rd *Reader) resync() {
	const tag = "<record"
	matched := 0
	for {
		b, err := rd.in.readRaw()
		if err != nil {
			rd.done = true
			return
		}
		if b == '\n' {
			rd.in.line++
		}
		switch {
		case b == tag[matched]:
			matched++
		case b == tag[0]:
			matched = 1
		default:
			matched = 0
		}
		if matched == len(tag) {
			// "<records" is the container, not a record: keep looking.
			next, err := rd.in.peekRaw()
			if err == nil && (next == '>' || next == ' ' || next == '\t' || next == '\r' || next == '\n') {
				// The wrappers keep the file's closing </records></xml> matched.
				rd.newDecoder("<xml><records>" + tag)
				return
			}
			matched = 0
		}
	}
}
