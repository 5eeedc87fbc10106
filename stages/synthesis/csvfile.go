package synthesis

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// csvRow gives a row's cells by header name, with the file line for errors.
type csvRow struct {
	file   string
	line   int
	header map[string]int // column name (lower-case) → index; names come from the file's header, never output
	cells  []string
}

// get returns the trimmed cell of a column, or "" when the column is absent.
func (r csvRow) get(col string) string {
	i, ok := r.header[col]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// list splits a `;`-separated cell into trimmed, non-empty items.
func (r csvRow) list(col string) []string { return splitList(r.get(col)) }

func (r csvRow) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", r.file, r.line, fmt.Sprintf(format, args...))
}

func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ";") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// readCSV reads a CSV file with a header row (name is how errors call it), mapping columns by name
// (case-insensitive), so column order never matters. required columns must be
// present; known lists every accepted column: others are reported through
// unknown (nil to ignore them).
func readCSV(path, name string, required, known []string, unknown func(col string), each func(csvRow) error) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return fmt.Errorf("%s: empty file, want a header row", name)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	cols := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if name == "" {
			continue
		}
		if _, dup := cols[name]; dup {
			return fmt.Errorf("%s:1: column %q appears twice", name, h)
		}
		cols[name] = i
	}
	for _, c := range required {
		if _, ok := cols[c]; !ok {
			return fmt.Errorf("%s:1: missing column %q (have %s)", name, c, strings.Join(header, ", "))
		}
	}
	if unknown != nil {
		isKnown := map[string]bool{}
		for _, c := range known {
			isKnown[c] = true
		}
		for _, h := range header {
			if name := strings.ToLower(strings.TrimSpace(h)); name != "" && !isKnown[name] {
				unknown(name)
			}
		}
	}
	var errs []error
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var perr *csv.ParseError
			if errors.As(err, &perr) {
				return fmt.Errorf("%s:%d: %w", name, perr.StartLine, perr.Err)
			}
			return fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		if blank(rec) {
			continue
		}
		if err := each(csvRow{file: name, line: line, header: cols, cells: rec}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
