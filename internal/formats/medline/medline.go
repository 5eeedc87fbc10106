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
	// The citation being read, reused from one to the next: field values
	// back to back in text (a continuation line extends the last one), the
	// fields as spans of text, and the first lines for quarantine.
	text   []byte
	spans  []span
	fields []Field
	raw    formatutil.RawBytes
	intern formatutil.Interner
}

// span is one field of the citation being read: its value is text[start:end].
type span struct {
	tag        string
	interned   bool
	start, end int
	line       int64
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
	var start formats.RawLine
	for {
		l, err := rd.lines.NextRaw()
		if err != nil {
			return nil, err // io.EOF included
		}
		if !isBlank(l.Text) {
			start = l
			break
		}
	}
	if _, _, ok := splitTag(start.Text); !ok {
		return nil, rd.skipJunk(start)
	}
	return rd.readBlock(start)
}

func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

// skipJunk reads a stretch that does not start with a tag, up to a blank
// line or a PMID line, and reports it as one bad record.
func (rd *Reader) skipJunk(start formats.RawLine) error {
	rd.raw.Reset()
	rd.raw.Add(start.Text)
	for {
		l, err := rd.lines.NextRaw()
		if err != nil {
			if err != io.EOF {
				return err
			}
			break
		}
		if isBlank(l.Text) {
			break
		}
		if tag, _, ok := splitTag(l.Text); ok && tag.name == "PMID" {
			rd.lines.UnreadRaw(l)
			break
		}
		rd.raw.Add(l.Text)
	}
	return &formats.BadRecord{Line: start.No, Msg: `text outside a citation: expected a line like "PMID- 12345678"`, Raw: rd.raw.String()}
}

func (rd *Reader) readBlock(start formats.RawLine) (*tables.Record, error) {
	rd.raw.Reset()
	rd.text, rd.spans = rd.text[:0], rd.spans[:0]
	size := 0
	problem := ""
	hasPMID := false
	add := func(l formats.RawLine) {
		rd.raw.Add(l.Text)
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
		if tag, val, ok := splitTag(l.Text); ok {
			hasPMID = hasPMID || tag.name == "PMID"
			from := len(rd.text)
			rd.text = append(rd.text, val...)
			rd.spans = append(rd.spans, span{tag: tag.name, interned: tag.interned, start: from, end: len(rd.text), line: l.No})
			return
		}
		// An indented (or, leniently, any untagged) line continues the field
		// before it, the last in text.
		rd.text = append(append(rd.text, '\n'), bytes.TrimSpace(l.Text)...)
		rd.spans[len(rd.spans)-1].end = len(rd.text)
	}
	add(start)
	for {
		l, err := rd.lines.NextRaw()
		if err == io.EOF || (err == nil && isBlank(l.Text)) {
			break
		}
		if err != nil {
			return nil, err
		}
		// A PMID line starts a new citation even without a blank line before it.
		if tag, _, ok := splitTag(l.Text); ok && tag.name == "PMID" && hasPMID {
			rd.lines.UnreadRaw(l)
			break
		}
		add(l)
	}
	if problem != "" {
		return nil, &formats.BadRecord{Line: start.No, Msg: problem + "; citation skipped", Raw: rd.raw.String()}
	}
	rd.fields = rd.fields[:0]
	for _, sp := range rd.spans {
		value := rd.text[sp.start:sp.end]
		var v string
		if sp.interned {
			v = rd.intern.Bytes(value)
		} else {
			v = string(value)
		}
		rd.fields = append(rd.fields, Field{Tag: sp.tag, Value: v, Line: sp.line})
	}
	return recordFrom(rd.fields, start.No), nil
}

func hasTag(fields []Field, tag string) bool {
	for _, f := range fields {
		if f.Tag == tag {
			return true
		}
	}
	return false
}

// SplitTag splits "FAU - Smith, John" into "FAU" and "Smith, John". The
// tag is a capital followed by capitals or digits, padded with spaces to four
// characters; then "-" and a space (or the end of the line).
func SplitTag(line string) (tag, value string, ok bool) {
	t, v, ok := splitTag([]byte(line))
	return t.name, string(v), ok
}

// splitTag is SplitTag on bytes; the tags of MEDLINE's list cost no string.
func splitTag(line []byte) (tag tagInfo, value []byte, ok bool) {
	if len(line) < 5 || line[4] != '-' || !isUpper(line[0]) {
		return tagInfo{}, nil, false
	}
	end := 1
	for end < 4 && (isUpper(line[end]) || isDigit(line[end])) {
		end++
	}
	for i := end; i < 4; i++ {
		if line[i] != ' ' {
			return tagInfo{}, nil, false
		}
	}
	rest := line[5:]
	switch {
	case len(rest) == 0:
	case rest[0] == ' ':
		rest = rest[1:]
	default:
		return tagInfo{}, nil, false
	}
	return tagOf(line[:end]), bytes.TrimRight(rest, " \t"), true
}

// tagOf returns the tag, without making a string for the tags of
// MEDLINE's list.
func tagOf(b []byte) tagInfo {
	if t, ok := knownTags[packTag(b)]; ok {
		return t
	}
	return tagInfo{name: string(b)}
}

// packTag is a tag of up to four bytes as a number, for a cheap lookup.
func packTag(b []byte) uint32 {
	var k uint32
	for _, c := range b {
		k = k<<8 | uint32(c)
	}
	return k
}

type tagInfo struct {
	name string
	// interned tags have few distinct values in an export (journals,
	// languages, types, volumes): one string per value serves all citations.
	interned bool
}

var knownTags = func() map[uint32]tagInfo {
	m := map[uint32]tagInfo{}
	for _, t := range strings.Fields(`AB AD AID AU AUID BTI CI CIN CN COI CON CP CRDT CRF CTI DA DCOM DEP DP DRDT
		ECF ECI EDAT EFR EIN ED EN FAU FED FIR FPS GN GR GS IP IR IRAD IS ISBN JID JT LA LID LR MH MHDA
		MID OAB OABL OCI OID ORI OT OTO OWN PB PG PHST PL PMC PMCR PMID PMCID PS PST PT PUBM RF RIN RN ROF
		RPF RPI RRI RRF SB SFM SI SO SPIN STAT TA TI TT UIN UOF VI VTI`) {
		m[packTag([]byte(t))] = tagInfo{name: t}
	}
	for _, t := range strings.Fields(`JT TA LA PT PL VI IP DP OWN STAT PST SB JID IS`) {
		m[packTag([]byte(t))] = tagInfo{name: t, interned: true}
	}
	return m
}()

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
