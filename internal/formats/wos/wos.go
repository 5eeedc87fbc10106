// Package wos reads Web of Science "plain text" (tagged) exports:
//
//	FN Clarivate Analytics Web of Science
//	VR 1.0
//	PT J
//	AU Smith, J
//	   Doe, A
//	TI A title that
//	   continues
//	…
//	ER
//
//	EF
//
// Each line is a two-character tag, a space and a value; continuation lines
// start with three spaces. For list tags (AU, AF, CR…) every continuation
// line is one more item; for the others it continues the text. Records run
// from PT to ER; FN/VR before the first record and EF at the end are the
// file's own header and trailer.
//
// Source key: UT (the WoS accession number, "WOS:000440314900007"). The PT
// line is the record's SourceLine.
package wos

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil"
	"github.com/realsynth/realsynth/internal/tables"
)

func init() {
	formats.Register(formats.Format{
		Name:       "wos",
		Title:      "Web of Science",
		Extensions: []string{".ciw"},
		Doc:        "Web of Science tagged plain text (FN/PT … ER/EF); savedrecs.txt needs format: wos",
		NewReader:  func(r io.Reader, _ formats.Options) formats.Reader { return NewReader(r) },
		// A record's "PT J" line (MEDLINE's "PT  - Journal Article" has a
		// space where WoS has the type letter).
		Sniff: func(head []byte) bool {
			return formats.HasLine(head, func(line []byte) bool {
				line = bytes.TrimRight(line, " \t")
				return len(line) == 4 && string(line[:3]) == "PT " && line[3] >= 'A' && line[3] <= 'Z'
			})
		},
	})
}

// MaxRecordBytes bounds one record (cited references included).
const MaxRecordBytes = 8 << 20

// Reader reads WoS records one at a time.
type Reader struct {
	lines    *formats.LineReader
	ended    bool // EF seen
	warnings formatutil.Warnings
	// The record being read, reused from record to record: its values back
	// to back in text (a continuation line of a text tag extends the last
	// one; of a list tag, it is a value of its own), the values as spans of
	// text, and its first lines for quarantine.
	text   []byte
	spans  []span
	raw    formatutil.RawBytes
	fields fieldSet
	intern formatutil.Interner
}

// span is one value of the record being read: text[start:end].
type span struct {
	tag        string
	start, end int
}

// NewReader reads WoS text already decoded to UTF-8.
func NewReader(r io.Reader) *Reader {
	return &Reader{lines: formats.NewLineReader(r)}
}

// Warnings returns and forgets the warnings gathered since the last call.
func (rd *Reader) Warnings() []string { return rd.warnings.Take() }

// Field is one tag with its lines (the first line's value and each
// continuation line, without the indentation).
type Field struct {
	Tag   string
	Lines []string
}

// Text is the field's lines joined with spaces.
func (f Field) Text() string { return strings.Join(f.Lines, " ") }

const outsideMsg = `text outside a record: expected a line starting "PT "`

// Next returns the next record, a *formats.BadRecord, or io.EOF.
func (rd *Reader) Next() (*tables.Record, error) {
	var junk formatutil.RawText
	var junkStart int64
	for {
		l, err := rd.lines.NextRaw()
		if err == io.EOF {
			if junkStart > 0 {
				return nil, &formats.BadRecord{Line: junkStart, Msg: outsideMsg, Raw: junk.String()}
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		tag, _, isTag := splitTag(l.Text)
		if isTag && tag == "PT" {
			if junkStart > 0 {
				rd.lines.UnreadRaw(l)
				return nil, &formats.BadRecord{Line: junkStart, Msg: outsideMsg, Raw: junk.String()}
			}
			return rd.readRecord(l)
		}
		blank := isBlank(l.Text)
		header := isTag && (tag == "FN" || tag == "VR" || tag == "EF")
		if tag == "EF" {
			rd.ended = true
		}
		if junkStart == 0 && (blank || header) {
			continue
		}
		if junkStart == 0 {
			junkStart = l.No
		}
		junk.Add(string(l.Text))
	}
}

func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

func (rd *Reader) readRecord(pt formats.RawLine) (*tables.Record, error) {
	rd.raw.Reset()
	rd.raw.Add(pt.Text)
	rd.text, rd.spans = rd.text[:0], rd.spans[:0]
	_, v, _ := splitTag(pt.Text)
	rd.addValue("PT", v)
	size := len(pt.Text)
	problem := ""
	if pt.TooLong {
		problem = fmt.Sprintf("line %d is longer than the %d-byte line limit", pt.No, formats.MaxLineBytes)
	}
	fail := func(msg string) error {
		if problem != "" {
			msg = problem + "; " + msg
		}
		return &formats.BadRecord{Line: pt.No, Msg: msg, Raw: rd.raw.String()}
	}
	for {
		l, err := rd.lines.NextRaw()
		if err == io.EOF {
			return nil, fail(`record has no "ER" line before the end of the file`)
		}
		if err != nil {
			return nil, err
		}
		tag, val, isTag := splitTag(l.Text)
		if isTag && (tag == "PT" || tag == "EF") {
			rd.lines.UnreadRaw(l)
			return nil, fail(fmt.Sprintf(`record has no "ER" line before line %d`, l.No))
		}
		rd.raw.Add(l.Text)
		if l.TooLong && problem == "" {
			problem = fmt.Sprintf("line %d is longer than the %d-byte line limit", l.No, formats.MaxLineBytes)
		}
		if l.BadUTF8 {
			rd.warnings.Add("line %d: bytes that are not valid text were replaced by U+FFFD", l.No)
		}
		if isTag && tag == "ER" {
			if problem != "" {
				return nil, fail("record skipped")
			}
			return rd.record(pt.No), nil
		}
		size += len(l.Text)
		if size > MaxRecordBytes {
			if problem == "" {
				problem = fmt.Sprintf("record is longer than the %d-byte record limit", MaxRecordBytes)
			}
			continue
		}
		switch {
		case isTag:
			rd.addValue(tag, val)
		case isBlank(l.Text):
		default:
			last := &rd.spans[len(rd.spans)-1]
			if isListTag(last.tag) {
				// Every line of a list tag (AU, CR, C1…) is one item.
				rd.addValue(last.tag, bytes.TrimSpace(l.Text))
				continue
			}
			// A text tag's lines are joined with spaces.
			rd.text = append(append(rd.text, ' '), bytes.TrimSpace(l.Text)...)
			last.end = len(rd.text)
		}
	}
}

func (rd *Reader) addValue(tag string, value []byte) {
	start := len(rd.text)
	rd.text = append(rd.text, value...)
	rd.spans = append(rd.spans, span{tag: tag, start: start, end: len(rd.text)})
}

// record makes one string per value (short, repeated values such as
// sources, types and languages shared) and maps the tags.
func (rd *Reader) record(line int64) *tables.Record {
	fs := &rd.fields
	fs.reset()
	for _, sp := range rd.spans {
		fs.count(sp.tag)
	}
	fs.allocate()
	for _, sp := range rd.spans {
		value := rd.text[sp.start:sp.end]
		var v string
		if internedTags[formatutil.TagCode(sp.tag[0], sp.tag[1])] {
			v = rd.intern.Bytes(value)
		} else {
			v = string(value)
		}
		fs.add(sp.tag, v)
	}
	return recordFrom(fs, line)
}

// internedTags have few distinct values in an export (sources, types,
// languages, publishers, volumes): one string per value serves all records.
var internedTags = formatutil.TagSet(`PT LA DT SO SE JI J9 PY PD VL IS WC SC PU PI PA SN EI`)

// SplitTag splits "AU Smith, J" into "AU" and "Smith, J". A tag is two
// capitals or digits starting with a capital, then a space or the end.
func SplitTag(line string) (tag, value string, ok bool) {
	tag, v, ok := splitTag([]byte(line))
	return tag, string(v), ok
}

// splitTag is SplitTag on bytes; the tag is a string from a table.
func splitTag(line []byte) (tag string, value []byte, ok bool) {
	if len(line) < 2 || !formatutil.IsTag(line[0], line[1]) {
		return "", nil, false
	}
	tag = formatutil.TagName(line[0], line[1])
	if len(line) == 2 {
		return tag, nil, true
	}
	if line[2] != ' ' {
		return "", nil, false
	}
	return tag, bytes.TrimSpace(line[3:]), true
}
