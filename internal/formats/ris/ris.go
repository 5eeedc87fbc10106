// Package ris reads RIS exports (MEDLINE/PubMed, Embase/Ovid, EBSCO,
// PsycINFO, Scopus, Web of Science, Lens, Rayyan, Covidence, EPPI-Reviewer)
// as a stream of records, one `TY  -` … `ER  -` block at a time.
//
// The dialects differ in which tags carry what; the mapping in map.go accepts
// the variants seen in the wild (journal in T2/JO/JF, year in PY/Y1/DA,
// notes in N1, ids in ID/AN/U1) and keeps every tag it does not map in
// Record.Extra, in file order, so nothing an export carried is lost.
//
// Source key: ID when present, else AN, else U1 when it is a single token
// (EPPI-Reviewer's item id; PsycINFO uses U1 for sponsor text). The TY line
// is the record's SourceLine.
package ris

import (
	"bytes"
	"fmt"
	"io"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil"
	"github.com/realsynth/realsynth/internal/tables"
)

func init() {
	formats.Register(formats.Format{
		Name:       "ris",
		Title:      "RIS",
		Extensions: []string{".ris"},
		Doc:        "RIS (TY … ER blocks): PubMed, Embase, EBSCO, Scopus, WoS, Lens, Rayyan, Covidence, EPPI-Reviewer",
		NewReader:  func(r io.Reader, _ formats.Options) formats.Reader { return NewReader(r) },
		Sniff: func(head []byte) bool {
			return formats.HasLine(head, func(line []byte) bool {
				tag, _, ok := SplitTag(string(line[:min(len(line), 8)]))
				return ok && tag == "TY"
			})
		},
	})
}

// MaxRecordBytes bounds one record. A bigger record (a runaway continuation,
// a file that is not RIS but happens to contain "TY  - ") is quarantined.
const MaxRecordBytes = 8 << 20

// Reader reads RIS records. It holds at most one record in memory.
type Reader struct {
	lines *formats.LineReader
	// seenRecord is set once a TY line was met: text after it is not a header.
	seenRecord bool
	warnings   formatutil.Warnings
	// The record being read, reused from record to record: its field
	// values back to back in text (a continuation line extends the last
	// one), the fields as spans of text, and its first lines for quarantine.
	text   []byte
	spans  []span
	raw    formatutil.RawBytes
	fields fieldSet
	intern formatutil.Interner
}

// span is one field of the record being read: its value is text[start:end].
type span struct {
	tag        string
	start, end int
	line       int64
}

// NewReader reads RIS text already decoded to UTF-8.
func NewReader(r io.Reader) *Reader {
	return &Reader{lines: formats.NewLineReader(r)}
}

// Warnings returns and forgets the warnings gathered since the last call:
// lines with bytes that are not UTF-8 (replaced by U+FFFD, record kept).
func (rd *Reader) Warnings() []string { return rd.warnings.Take() }

// Field is one tag of a record with its value, continuation lines joined
// with "\n".
type Field struct {
	Tag   string
	Value string
	Line  int64
}

// Next returns the next record, a *formats.BadRecord, or io.EOF.
func (rd *Reader) Next() (*tables.Record, error) {
	// Outside a record blank lines are skipped; anything else up to the next
	// TY line is one bad stretch of input (a binary file, a record that lost
	// its TY line) — except plain text before the first record, which some
	// databases write as a header ("Provider: Ovid Technologies"): it is
	// skipped with a warning, as long as a record follows.
	var junk formatutil.RawText
	var junkStart int64
	junkHasTags, junkHasBinary := false, false
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
		if isTag && tag == "TY" {
			if junkStart > 0 {
				if !rd.seenRecord && !junkHasTags && !junkHasBinary {
					rd.warnings.Add("lines %d-%d before the first record are not RIS and were skipped", junkStart, l.No-1)
				} else {
					rd.lines.UnreadRaw(l)
					return nil, &formats.BadRecord{Line: junkStart, Msg: outsideMsg, Raw: junk.String()}
				}
			}
			rd.seenRecord = true
			return rd.readRecord(l)
		}
		if isBlank(l.Text) && junkStart == 0 {
			continue
		}
		if junkStart == 0 {
			junkStart = l.No
		}
		junkHasTags = junkHasTags || isTag
		junkHasBinary = junkHasBinary || l.BadUTF8 || l.TooLong || hasControl(l.Text)
		junk.Add(string(l.Text))
	}
}

// isBlank is strings.TrimSpace(string(b)) == "".
func isBlank(b []byte) bool {
	return len(bytes.TrimSpace(b)) == 0
}

// hasControl reports control characters other than tab: binary data has
// them (its NULs are gone once formats.Decode has read it), text has none.
func hasControl(s []byte) bool {
	for _, c := range s {
		if c < 0x20 && c != '\t' {
			return true
		}
	}
	return false
}

const outsideMsg = `text outside a record: expected a line starting "TY  - "`

// readRecord reads from the TY line ty to the record's ER line.
func (rd *Reader) readRecord(ty formats.RawLine) (*tables.Record, error) {
	rd.text, rd.spans = rd.text[:0], rd.spans[:0]
	rd.raw.Reset()
	rd.raw.Add(ty.Text)
	_, v, _ := splitTag(ty.Text)
	rd.addField("TY", v, ty.No)
	size := len(ty.Text)
	problem := ""
	fail := func(msg string) error {
		if problem != "" {
			msg = problem + "; " + msg
		}
		return &formats.BadRecord{Line: ty.No, Msg: msg, Raw: rd.raw.String()}
	}
	if ty.TooLong {
		problem = fmt.Sprintf("line %d is longer than the %d-byte line limit", ty.No, formats.MaxLineBytes)
	}
	for {
		l, err := rd.lines.NextRaw()
		if err == io.EOF {
			return nil, fail(`record has no "ER  -" line before the end of the file`)
		}
		if err != nil {
			return nil, err
		}
		tag, val, isTag := splitTag(l.Text)
		if isTag && tag == "TY" {
			rd.lines.UnreadRaw(l)
			return nil, fail(fmt.Sprintf(`record has no "ER  -" line before the next record at line %d`, l.No))
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
			return rd.record(ty.No), nil
		}
		size += len(l.Text)
		if size > MaxRecordBytes {
			if problem == "" {
				problem = fmt.Sprintf("record is longer than the %d-byte record limit", MaxRecordBytes)
			}
			continue
		}
		if !isTag {
			if isBlank(l.Text) {
				continue
			}
			if rest, ok := ovidLinkLabel(l.Text); ok {
				// Ovid writes "Link to the Ovid Full Text or citation:" on a line
				// of its own, the link on the next: a URL field, not more text
				// of whatever field came before.
				rd.addField("UR", rest, l.No)
				continue
			}
			// A line without a tag continues the field before it, which is
			// the last in text.
			rd.text = append(append(rd.text, '\n'), l.Text...)
			rd.spans[len(rd.spans)-1].end = len(rd.text)
			continue
		}
		rd.addSplit(tag, val, l.No)
	}
}

func (rd *Reader) addField(tag string, value []byte, line int64) {
	start := len(rd.text)
	rd.text = append(rd.text, value...)
	rd.spans = append(rd.spans, span{tag: tag, start: start, end: len(rd.text), line: line})
}

// addSplit adds a field, splitting off tags that an exporter glued onto the
// end of its value: Web of Science writes "WE  - Social Science Citation
// Index (SSCI)AN  - WOS:000440314900007" and Rayyan "UR  - https://…     U2
// - L20". Only known tags are split off, so prose containing "  - " stays
// whole.
func (rd *Reader) addSplit(tag string, value []byte, line int64) {
	for {
		i := gluedTagAt(value)
		if i < 0 {
			rd.addField(tag, value, line)
			return
		}
		rd.addField(tag, bytes.TrimRight(value[:i], " \t"), line)
		tag, value, _ = splitTag(value[i:])
	}
}

// record turns the fields read into a record: one string per value (short,
// repeated values such as types and journals shared), then the mapping.
func (rd *Reader) record(line int64) *tables.Record {
	rd.fields.reset()
	for _, sp := range rd.spans {
		value := rd.text[sp.start:sp.end]
		if isBlank(value) {
			continue // empty tags ("PG  - ", Covidence writes a dozen) carry nothing
		}
		var v string
		if internedTags[sp.tag] {
			v = rd.intern.Bytes(value)
		} else {
			v = string(value)
		}
		rd.fields.add(Field{Tag: sp.tag, Value: v, Line: sp.line})
	}
	return recordFrom(&rd.fields, line)
}

// internedTags have few distinct values in an export (types, journals,
// languages, volumes): one string per value serves all records.
var internedTags = map[string]bool{"TY": true, "T2": true, "JF": true, "JO": true, "JA": true, "J2": true,
	"JI": true, "J9": true, "J1": true, "LA": true, "M3": true, "DB": true, "DP": true, "PB": true,
	"CY": true, "VL": true, "IS": true, "PY": true, "Y1": true, "DA": true}

// SplitTag splits a RIS line "AU  - Smith, J." into its tag and value. The
// tag is a capital and a capital or digit; "  - " follows (one space before
// the dash is tolerated, as is a missing space after it on an empty value).
func SplitTag(line string) (tag, value string, ok bool) {
	tag, v, ok := splitTag([]byte(line))
	return tag, string(v), ok
}

// splitTag is SplitTag on bytes; tag is one of the strings of tagNames, so
// that no string is made per line.
func splitTag(line []byte) (tag string, value []byte, ok bool) {
	if len(line) < 4 || !formatutil.IsTag(line[0], line[1]) || line[2] != ' ' {
		return "", nil, false
	}
	rest := line[3:]
	if rest[0] == ' ' {
		rest = rest[1:]
	}
	if len(rest) == 0 || rest[0] != '-' {
		return "", nil, false
	}
	rest = rest[1:]
	switch {
	case len(rest) == 0:
	case rest[0] == ' ' || rest[0] == '\t':
		rest = rest[1:]
	default:
		return "", nil, false
	}
	return formatutil.TagName(line[0], line[1]), bytes.TrimRight(rest, " \t"), true
}

// gluedTagAt finds "XX  - " for a known tag XX inside v (not at its start).
func gluedTagAt(v []byte) int {
	from := 0
	for {
		j := bytes.Index(v[from:], []byte("  - "))
		if j < 0 {
			return -1
		}
		at := from + j - 2
		if at >= 1 && isKnownTag(v[at], v[at+1]) {
			return at
		}
		from += j + 4
	}
}

// isKnownTag reports a RIS tag of the specification or of the dialects we
// have seen; only these are split off glued values.
func isKnownTag(a, b byte) bool {
	return formatutil.IsTag(a, b) && knownTags[formatutil.TagCode(a, b)]
}

var knownTags = formatutil.TagSet(`TY ER ID T1 TI T2 T3 T4 BT CT ST TT AU A1 A2 A3 A4 ED PY Y1 Y2 DA
	JO JF JA J1 J2 JI J9 VL IS CP SP EP PG SE AB N2 N1 KW LA UR L1 L2 L3 L4 LK DO DI SN AN DB DP
	C1 C2 C3 C4 C5 C6 C7 C8 M1 M2 M3 U1 U2 U3 U4 U5 PB PU PI PA CY AD RN RP NV OP ET LB CA WE FX
	NS PD MA AR`)

// ovidLinkLabel recognises Ovid's "Link to the Ovid Full Text or citation:"
// line and returns what follows the colon.
func ovidLinkLabel(line []byte) (rest []byte, ok bool) {
	const label = "link to the ovid full text"
	t := bytes.TrimSpace(line)
	if len(t) < len(label) || !bytes.EqualFold(t[:len(label)], []byte(label)) {
		return nil, false
	}
	if i := bytes.IndexByte(t, ':'); i >= 0 {
		return bytes.TrimSpace(t[i+1:]), true
	}
	return nil, true
}
