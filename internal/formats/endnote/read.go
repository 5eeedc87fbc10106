package endnote

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/tables"
)

// leaf is one element's text with its path inside the record
// ("contributors/authors/author") and the attributes that matter.
type leaf struct {
	path  string
	text  string
	attrs []xml.Attr
}

type frame struct {
	name     string
	text     strings.Builder
	hasChild bool
	attrs    []xml.Attr
}

// Next returns the next record, a *formats.BadRecord, or io.EOF.
func (rd *Reader) Next() (*tables.Record, error) {
	for !rd.done {
		tok, err := rd.dec.Token()
		if err != nil {
			if err == io.EOF {
				rd.done = true
				break
			}
			if !isInputError(err) {
				return nil, err
			}
			// Outside a record nothing is lost: note it and look for the next record.
			rd.warnings.Add("line %d: %v; skipped to the next <record>", rd.in.line, err)
			if rd.firstProblem == "" {
				rd.firstProblem = fmt.Sprintf("line %d: %v", rd.in.line, err)
			}
			rd.resync()
			continue
		}
		start, isStart := tok.(xml.StartElement)
		if isStart && rd.rootName == "" {
			rd.rootName = start.Name.Local
		}
		if isStart && start.Name.Local == "record" {
			rd.sawRecord = true
			line := rd.in.line
			rd.in.startStretch("<record>")
			rec, err := rd.readRecord(line)
			rd.in.startStretch("")
			return rec, err
		}
	}
	if !rd.sawRecord && !rd.reported && (rd.firstProblem != "" || (rd.rootName != "" && rd.rootName != "xml" && rd.rootName != "records")) {
		rd.reported = true
		msg := "no <record> found: this is not an EndNote XML export"
		if rd.firstProblem != "" {
			msg += " (" + rd.firstProblem + ")"
		} else {
			msg += fmt.Sprintf(" (its root element is <%s>)", rd.rootName)
		}
		return nil, &formats.BadRecord{Line: 1, Msg: msg, Raw: formats.CutRaw(strings.ToValidUTF8(rd.in.head.String(), "\uFFFD"))}
	}
	return nil, io.EOF
}

// isInputError is an error of the input (syntax, limits), not of reading.
func isInputError(err error) bool {
	var syn *xml.SyntaxError
	return errors.As(err, &syn) || errors.Is(err, errTooBig) || errors.Is(err, io.ErrUnexpectedEOF) ||
		strings.HasPrefix(err.Error(), "xml:")
}

// readRecord reads up to </record>.
func (rd *Reader) readRecord(line int64) (*tables.Record, error) {
	var leaves []leaf
	var stack []*frame
	bad := func(msg string) error {
		b := &formats.BadRecord{Line: line, Msg: msg, Raw: formats.CutRaw(rd.in.raw.String())}
		rd.resync()
		return b
	}
	for {
		tok, err := rd.dec.Token()
		if err == io.EOF {
			rd.done = true
			return nil, &formats.BadRecord{Line: line, Msg: "record is not closed before the end of the file", Raw: formats.CutRaw(rd.in.raw.String())}
		}
		if err != nil {
			if errors.Is(err, errTooBig) {
				return nil, bad(fmt.Sprintf("record is longer than the %d-byte record limit", MaxRecordBytes))
			}
			if !isInputError(err) {
				return nil, err
			}
			return nil, bad(fmt.Sprintf("XML error at line %d: %v", rd.in.line, err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "style" {
				continue // formatting wrapper: its text belongs to the parent
			}
			if len(stack) >= MaxDepth {
				return nil, bad(fmt.Sprintf("elements nest deeper than the limit of %d", MaxDepth))
			}
			if len(stack) > 0 {
				stack[len(stack)-1].hasChild = true
			}
			stack = append(stack, &frame{name: t.Name.Local, attrs: t.Copy().Attr})
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "style" {
				continue
			}
			if t.Name.Local == "record" && len(stack) == 0 {
				return recordFrom(leaves, line), nil
			}
			if len(stack) == 0 {
				return nil, bad(fmt.Sprintf("unexpected </%s>", t.Name.Local))
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !f.hasChild {
				names := make([]string, 0, len(stack)+1)
				for _, p := range stack {
					names = append(names, p.name)
				}
				names = append(names, f.name)
				leaves = append(leaves, leaf{path: strings.Join(names, "/"), text: f.text.String(), attrs: f.attrs})
			}
		}
	}
}
