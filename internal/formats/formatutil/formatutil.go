// Package formatutil holds the small pieces the format readers share:
// bounded raw text for quarantine rows and per-reader warnings.
package formatutil

import (
	"fmt"
	"strings"

	"github.com/realsynth/realsynth/internal/formats"
)

// RawText collects the lines of a record for quarantine, keeping no more
// than formats.MaxRawBytes however long the record is.
type RawText struct {
	b strings.Builder
}

// Add appends one line.
func (r *RawText) Add(line string) {
	if r.b.Len() > formats.MaxRawBytes {
		return
	}
	if r.b.Len() > 0 {
		r.b.WriteByte('\n')
	}
	if room := formats.MaxRawBytes + 1 - r.b.Len(); len(line) > room {
		line = line[:room]
	}
	r.b.WriteString(line)
}

// String is the collected text cut to formats.MaxRawBytes on a rune boundary.
func (r *RawText) String() string { return formats.CutRaw(r.b.String()) }

// Len is the number of bytes kept.
func (r *RawText) Len() int { return r.b.Len() }

// RawBytes is RawText for readers that reuse it from record to record:
// Reset keeps its buffer, and only String (for a quarantined record) copies.
type RawBytes struct {
	b []byte
}

// Reset forgets the text, keeping the buffer.
func (r *RawBytes) Reset() { r.b = r.b[:0] }

// Add appends one line.
func (r *RawBytes) Add(line []byte) {
	if len(r.b) > formats.MaxRawBytes {
		return
	}
	if len(r.b) > 0 {
		r.b = append(r.b, '\n')
	}
	if room := formats.MaxRawBytes + 1 - len(r.b); len(line) > room {
		line = line[:room]
	}
	r.b = append(r.b, line...)
}

// String is the collected text cut to formats.MaxRawBytes on a rune boundary.
func (r *RawBytes) String() string { return formats.CutRaw(string(r.b)) }

// Interner hands out one string per distinct short value, for fields with
// few distinct values (types, journals, languages): a million records then
// share a few thousand strings instead of holding a million copies.
type Interner struct {
	m map[string]string
}

// Interned values are at most maxInternBytes long, and at most
// maxInterned of them are kept, so odd input cannot grow the table.
const (
	maxInternBytes = 200
	maxInterned    = 1 << 14
)

// Bytes returns b as a string, the same string for the same bytes.
func (in *Interner) Bytes(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > maxInternBytes {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if in.m == nil {
		in.m = make(map[string]string, 256)
	}
	if len(in.m) < maxInterned {
		in.m[s] = s
	}
	return s
}

// maxWarnings bounds the warnings kept between two Take calls, so a file
// full of bad bytes cannot fill memory with messages.
const maxWarnings = 100

// Warnings gathers a reader's warnings (records kept despite an oddity).
// Readers expose them through a `Warnings() []string` method.
type Warnings struct {
	list    []string
	dropped int
}

// Add records one warning.
func (w *Warnings) Add(format string, args ...any) {
	if len(w.list) < maxWarnings {
		w.list = append(w.list, fmt.Sprintf(format, args...))
	} else {
		w.dropped++
	}
}

// Take returns and forgets the warnings gathered so far.
func (w *Warnings) Take() []string {
	out := w.list
	if w.dropped > 0 {
		out = append(out, fmt.Sprintf("and %d more warnings like these", w.dropped))
	}
	w.list, w.dropped = nil, 0
	return out
}
