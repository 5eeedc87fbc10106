// Package medline reads PubMed's MEDLINE (.nbib) format: one citation per
// block of lines, blocks separated by blank lines, each line a 4-character
// tag padded with spaces, "- ", and a value ("PMID- 12345", "TI  - …",
// "FAU - Smith, John"); long values continue on lines indented by six
// spaces. Tags repeat (FAU, AU, MH, OT, AID, PT, IS).
//
// Source key: PMID. The block's first line is its SourceLine.
package medline

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
		Name:       "medline",
		Title:      "PubMed/MEDLINE",
		Extensions: []string{".nbib", ".medline"},
		Doc:        "PubMed MEDLINE/nbib (PMID- … blocks separated by blank lines)",
		NewReader:  func(r io.Reader, _ formats.Options) formats.Reader { return NewReader(r) },
		Sniff: func(head []byte) bool {
			return formats.HasLine(head, func(line []byte) bool { return bytes.HasPrefix(line, []byte("PMID-")) })
		},
	})
}

// MaxRecordBytes bounds one citation; a bigger block is quarantined.
const MaxRecordBytes = 8 << 20

// Reader reads MEDLINE citations, holding one in memory at a time.
type Reader struct {
	lines    *formats.LineReader
	warnings formatutil.Warnings
}

// NewReader reads MEDLINE text already decoded to UTF-8.
func NewReader(r io.Reader) *Reader {
	return &Reader{lines: formats.NewLineReader(r)}
}

// Warnings returns and forgets the warnings gathered since the last call.
func (rd *Reader) Warnings() []string { return rd.warnings.Take() }

// Field is one tag of a citation with its value, continuation lines joined
// with "\n".
type Field struct {
	Tag   string
	Value string
	Line  int64
}

// Next returns the next citation, a *formats.BadRecord, or io.EOF.
func (rd *Reader) Next() (*tables.Record, error) {
	var start formats.Line
	for {
		l, err := rd.lines.Next()
		if err != nil {
			return nil, err // io.EOF included
		}
		if strings.TrimSpace(l.Text) != "" {
			start = l
			break
		}
	}
	if _, _, ok := SplitTag(start.Text); !ok {
		return nil, rd.skipJunk(start)
	}
	return rd.readBlock(start)
}

// skipJunk reads a stretch that does not start with a tag, up to a blank
// line or a PMID line, and reports it as one bad record.
func (rd *Reader) skipJunk(start formats.Line) error {
	var raw formatutil.RawText
	raw.Add(start.Text)
	for {
		l, err := rd.lines.Next()
		if err != nil {
			if err != io.EOF {
				return err
			}
			break
		}
		if strings.TrimSpace(l.Text) == "" {
			break
		}
		if tag, _, ok := SplitTag(l.Text); ok && tag == "PMID" {
			rd.lines.Unread(l)
			break
		}
		raw.Add(l.Text)
	}
	return &formats.BadRecord{Line: start.No, Msg: `text outside a citation: expected a line like "PMID- 12345678"`, Raw: raw.String()}
}

func (rd *Reader) readBlock(start formats.Line) (*tables.Record, error) {
	var raw formatutil.RawText
	var fields []Field
	size := 0
	problem := ""
	add := func(l formats.Line) {
		raw.Add(l.Text)
		if l.TooLong && problem == "" {
			problem = fmt.Sprintf("line %d is longer than the %d-byte line limit", l.No, formats.MaxLineBytes)
		}
		if l.BadUTF8 {
			rd.warnings.Add("line %d: bytes that are not valid text were replaced by U+FFFD", l.No)
		}
		size += len(l.Text)
		if size > MaxRecordBytes {
			if problem == "" {
				problem = fmt.Sprintf("citation is longer than the %d-byte record limit", MaxRecordBytes)
			}
			return
		}
		if tag, val, ok := SplitTag(l.Text); ok {
			fields = append(fields, Field{Tag: tag, Value: val, Line: l.No})
			return
		}
		// An indented (or, leniently, any untagged) line continues the field before it.
		last := &fields[len(fields)-1]
		last.Value += "\n" + strings.TrimSpace(l.Text)
	}
	add(start)
	for {
		l, err := rd.lines.Next()
		if err == io.EOF || (err == nil && strings.TrimSpace(l.Text) == "") {
			break
		}
		if err != nil {
			return nil, err
		}
		// A PMID line starts a new citation even without a blank line before it.
		if tag, _, ok := SplitTag(l.Text); ok && tag == "PMID" && hasTag(fields, "PMID") {
			rd.lines.Unread(l)
			break
		}
		add(l)
	}
	if problem != "" {
		return nil, &formats.BadRecord{Line: start.No, Msg: problem + "; citation skipped", Raw: raw.String()}
	}
	return recordFrom(fields, start.No), nil
}

func hasTag(fields []Field, tag string) bool {
	for _, f := range fields {
		if f.Tag == tag {
			return true
		}
	}
	return false
}

// SplitTag splits "FAU - Smith, John" into "FAU" and "Smith, John". The tag
// is a capital followed by capitals or digits, padded with spaces to four
// characters; then "-" and a space (or the end of the line).
func SplitTag(line string) (tag, value string, ok bool) {
	if len(line) < 5 || line[4] != '-' || !isUpper(line[0]) {
		return "", "", false
	}
	end := 1
	for end < 4 && (isUpper(line[end]) || isDigit(line[end])) {
		end++
	}
	for i := end; i < 4; i++ {
		if line[i] != ' ' {
			return "", "", false
		}
	}
	rest := line[5:]
	switch {
	case rest == "":
	case rest[0] == ' ':
		rest = rest[1:]
	default:
		return "", "", false
	}
	return line[:end], strings.TrimRight(rest, " \t"), true
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
