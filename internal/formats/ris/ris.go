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
	"fmt"
	"io"
	"strings"

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
		if isTag && tag == "TY" {
			if junkStart > 0 {
				if !rd.seenRecord && !junkHasTags && !junkHasBinary {
					rd.warnings.Add("lines %d-%d before the first record are not RIS and were skipped", junkStart, l.No-1)
				} else {
					rd.lines.Unread(l)
					return nil, &formats.BadRecord{Line: junkStart, Msg: outsideMsg, Raw: junk.String()}
				}
			}
			rd.seenRecord = true
			return rd.readRecord(l)
		}
		if strings.TrimSpace(l.Text) == "" && junkStart == 0 {
			continue
		}
		if junkStart == 0 {
			junkStart = l.No
		}
		junkHasTags = junkHasTags || isTag
		junkHasBinary = junkHasBinary || l.BadUTF8 || l.TooLong || hasControl(l.Text)
		junk.Add(l.Text)
	}
}

// hasControl reports control characters other than tab: binary data has
// them (its NULs are gone once formats.Decode has read it), text has none.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 && s[i] != '\t' {
			return true
		}
	}
	return false
}

const outsideMsg = `text outside a record: expected a line starting "TY  - "`

// readRecord reads from the TY line ty to the record's ER line.
func (rd *Reader) readRecord(ty formats.Line) (*tables.Record, error) {
	var raw formatutil.RawText
	raw.Add(ty.Text)
	_, v, _ := SplitTag(ty.Text)
	fields := []Field{{Tag: "TY", Value: v, Line: ty.No}}
	size := len(ty.Text)
	problem := ""
	fail := func(msg string) error {
		if problem != "" {
			msg = problem + "; " + msg
		}
		return &formats.BadRecord{Line: ty.No, Msg: msg, Raw: raw.String()}
	}
	if ty.TooLong {
		problem = fmt.Sprintf("line %d is longer than the %d-byte line limit", ty.No, formats.MaxLineBytes)
	}
	for {
		l, err := rd.lines.Next()
		if err == io.EOF {
			return nil, fail(`record has no "ER  -" line before the end of the file`)
		}
		if err != nil {
			return nil, err
		}
		tag, val, isTag := SplitTag(l.Text)
		if isTag && tag == "TY" {
			rd.lines.Unread(l)
			return nil, fail(fmt.Sprintf(`record has no "ER  -" line before the next record at line %d`, l.No))
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
			return recordFrom(fields, ty.No), nil
		}
		size += len(l.Text)
		if size > MaxRecordBytes {
			if problem == "" {
				problem = fmt.Sprintf("record is longer than the %d-byte record limit", MaxRecordBytes)
			}
			continue
		}
		if !isTag {
			if strings.TrimSpace(l.Text) == "" {
				continue
			}
			if rest, ok := ovidLinkLabel(l.Text); ok {
				// Ovid writes "Link to the Ovid Full Text or citation:" on a line
				// of its own, the link on the next: a URL field, not more text
				// of whatever field came before.
				fields = append(fields, Field{Tag: "UR", Value: rest, Line: l.No})
				continue
			}
			// A line without a tag continues the field before it.
			last := &fields[len(fields)-1]
			last.Value += "\n" + l.Text
			continue
		}
		fields = appendSplit(fields, Field{Tag: tag, Value: val, Line: l.No})
	}
}

// SplitTag splits a RIS line "AU  - Smith, J." into its tag and value. The
// tag is a capital and a capital or digit; "  - " follows (one space before
// the dash is tolerated, as is a missing space after it on an empty value).
func SplitTag(line string) (tag, value string, ok bool) {
	if len(line) < 4 || !isUpper(line[0]) || !(isUpper(line[1]) || isDigit(line[1])) || line[2] != ' ' {
		return "", "", false
	}
	rest := line[3:]
	if rest[0] == ' ' {
		rest = rest[1:]
	}
	if rest == "" || rest[0] != '-' {
		return "", "", false
	}
	rest = rest[1:]
	switch {
	case rest == "":
	case rest[0] == ' ' || rest[0] == '\t':
		rest = rest[1:]
	default:
		return "", "", false
	}
	return line[:2], strings.TrimRight(rest, " \t"), true
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// appendSplit appends f, splitting off tags that an exporter glued onto the
// end of a value: Web of Science writes "WE  - Social Science Citation Index
// (SSCI)AN  - WOS:000440314900007" and Rayyan "UR  - https://…     U2  - L20".
// Only known tags are split off, so prose containing "  - " stays whole.
func appendSplit(fields []Field, f Field) []Field {
	for {
		i := gluedTagAt(f.Value)
		if i < 0 {
			return append(fields, f)
		}
		head := strings.TrimRight(f.Value[:i], " \t")
		tag, val, _ := SplitTag(f.Value[i:])
		fields = append(fields, Field{Tag: f.Tag, Value: head, Line: f.Line})
		f = Field{Tag: tag, Value: val, Line: f.Line}
	}
}

// gluedTagAt finds "XX  - " for a known tag XX inside v (not at its start).
func gluedTagAt(v string) int {
	from := 0
	for {
		j := strings.Index(v[from:], "  - ")
		if j < 0 {
			return -1
		}
		at := from + j - 2
		if at >= 1 && knownTags[v[at:at+2]] {
			return at
		}
		from += j + 4
	}
}

// knownTags are the RIS tags of the specification and of the dialects we
// have seen; only these are split off glued values.
var knownTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`TY ER ID T1 TI T2 T3 T4 BT CT ST TT AU A1 A2 A3 A4 ED PY Y1 Y2 DA
		JO JF JA J1 J2 JI J9 VL IS CP SP EP PG SE AB N2 N1 KW LA UR L1 L2 L3 L4 LK DO DI SN AN DB DP
		C1 C2 C3 C4 C5 C6 C7 C8 M1 M2 M3 U1 U2 U3 U4 U5 PB PU PI PA CY AD RN RP NV OP ET LB CA WE FX
		NS PD MA AR`) {
		knownTags[t] = true
	}
}

// ovidLinkLabel recognises Ovid's "Link to the Ovid Full Text or citation:"
// line and returns what follows the colon.
func ovidLinkLabel(line string) (rest string, ok bool) {
	const label = "link to the ovid full text"
	t := strings.TrimSpace(line)
	if len(t) < len(label) || !strings.EqualFold(t[:len(label)], label) {
		return "", false
	}
	if i := strings.IndexByte(t, ':'); i >= 0 {
		return strings.TrimSpace(t[i+1:]), true
	}
	return "", true
}
