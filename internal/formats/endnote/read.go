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

// frame is an open element of the record being read. The reader keeps
// its stack of frames, and their text buffers, from record to record.
type frame struct {
	name     string
	text     []byte
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
		return nil, &formats.BadRecord{Line: 1, Msg: msg, Raw: formats.CutRaw(strings.ToValidUTF8(string(rd.in.head), "\uFFFD"))}
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
	stack := rd.stack[:0]
	bad := func(msg string) error {
		b := &formats.BadRecord{Line: line, Msg: msg, Raw: formats.CutRaw(string(rd.in.raw))}
		rd.resync()
		return b
	}
	for {
		tok, err := rd.dec.Token()
		if err == io.EOF {
			rd.done = true
			return nil, &formats.BadRecord{Line: line, Msg: "record is not closed before the end of the file", Raw: formats.CutRaw(string(rd.in.raw))}
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
			if len(stack) < cap(stack) {
				stack = stack[:len(stack)+1]
			} else {
				stack = append(stack, frame{})
				rd.stack = stack[:cap(stack)]
			}
			f := &stack[len(stack)-1]
			f.name, f.text, f.hasChild, f.attrs = t.Name.Local, f.text[:0], false, nil
			if t.Name.Local == "ref-type" {
				f.attrs = t.Copy().Attr // only ref-type's name="…" is read
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text = append(stack[len(stack)-1].text, t...)
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
			f := &stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !f.hasChild {
				if leaves == nil {
					leaves = make([]leaf, 0, 32)
				}
				leaves = append(leaves, leaf{path: rd.path(stack, f.name), text: string(f.text), attrs: f.attrs})
			}
		}
	}
}

// path is an element's path inside the record ("contributors/authors/
// author"): one string per distinct path, kept by the reader.
func (rd *Reader) path(parents []frame, name string) string {
	if len(parents) == 0 {
		return name
	}
	b := rd.pathBuf[:0]
	for _, p := range parents {
		b = append(append(b, p.name...), '/')
	}
	b = append(b, name...)
	rd.pathBuf = b
	return rd.paths.Bytes(b)
}
