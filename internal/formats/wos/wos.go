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
		l, err := rd.lines.Next()
		if err == io.EOF {
			if junkStart > 0 {
				return nil, &formats.BadRecord{Line: junkStart, Msg: outsideMsg, Raw: junk.String()}
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		tag, _, isTag := SplitTag(l.Text)
		if isTag && tag == "PT" {
			if junkStart > 0 {
				rd.lines.Unread(l)
				return nil, &formats.BadRecord{Line: junkStart, Msg: outsideMsg, Raw: junk.String()}
			}
			return rd.readRecord(l)
		}
		blank := strings.TrimSpace(l.Text) == ""
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
		junk.Add(l.Text)
	}
}

func (rd *Reader) readRecord(pt formats.Line) (*tables.Record, error) {
	var raw formatutil.RawText
	raw.Add(pt.Text)
	_, v, _ := SplitTag(pt.Text)
	fields := []Field{{Tag: "PT", Lines: []string{v}}}
	size := len(pt.Text)
	problem := ""
	if pt.TooLong {
		problem = fmt.Sprintf("line %d is longer than the %d-byte line limit", pt.No, formats.MaxLineBytes)
	}
	fail := func(msg string) error {
		if problem != "" {
			msg = problem + "; " + msg
		}
		return &formats.BadRecord{Line: pt.No, Msg: msg, Raw: raw.String()}
	}
	for {
		l, err := rd.lines.Next()
		if err == io.EOF {
			return nil, fail(`record has no "ER" line before the end of the file`)
		}
		if err != nil {
			return nil, err
		}
		tag, val, isTag := SplitTag(l.Text)
		if isTag && (tag == "PT" || tag == "EF") {
			rd.lines.Unread(l)
			return nil, fail(fmt.Sprintf(`record has no "ER" line before line %d`, l.No))
		}
		raw.Add(l.Text)
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
			return recordFrom(fields, pt.No), nil
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
			fields = append(fields, Field{Tag: tag, Lines: []string{val}})
		case strings.TrimSpace(l.Text) == "":
		default:
			last := &fields[len(fields)-1]
			last.Lines = append(last.Lines, strings.TrimSpace(l.Text))
		}
	}
}

// SplitTag splits "AU Smith, J" into "AU" and "Smith, J". A tag is two
// capitals or digits starting with a capital, then a space or the end.
func SplitTag(line string) (tag, value string, ok bool) {
	if len(line) < 2 || !isUpper(line[0]) || !(isUpper(line[1]) || isDigit(line[1])) {
		return "", "", false
	}
	if len(line) == 2 {
		return line, "", true
	}
	if line[2] != ' ' {
		return "", "", false
	}
	return line[:2], strings.TrimSpace(line[3:]), true
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
