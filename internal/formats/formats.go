// Package formats holds one streaming reader per export format (RIS,
// PubMed/MEDLINE, …) behind one small interface, and a registry that maps
// format names and file extensions to readers. Each format lives in its own
// subpackage and registers itself from init, as database/sql drivers do.
package formats

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/realsynth/realsynth/internal/tables"
)

// Reader yields the records of one export file, in file order.
type Reader interface {
	// Next returns the next record, or io.EOF after the last one. An error
	// that is a *BadRecord means one record could not be read: the caller
	// quarantines it and calls Next again. Any other error ends the file.
	//
	// Readers fill SourceLine, SourceKey, Format and the bibliographic
	// fields as written; ingest adds provenance and the derived fields.
	Next() (*tables.Record, error)
}

// BadRecord is one record (or stretch of input) a reader had to skip.
type BadRecord struct {
	Line int64  // 1-based line where the bad input starts
	Msg  string // what was expected and what was found
	Raw  string // the offending text, possibly cut
}

func (e *BadRecord) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// AsBadRecord reports whether err is a per-record error to quarantine.
func AsBadRecord(err error) (*BadRecord, bool) {
	var b *BadRecord
	ok := errors.As(err, &b)
	return b, ok
}

// Options are the per-search settings a reader may use.
type Options struct {
	// Encoding names the file's text encoding when it is not UTF-8/UTF-16
	// with a BOM: "latin1", "windows-1252". Empty means detect.
	Encoding string
	// Columns maps realsynth field names (title, authors, doi…) to CSV
	// header names, for the generic CSV reader.
	Columns map[string]string
}

// Format is one registered export format.
type Format struct {
	Name       string   // config name: ris, medline, bibtex…
	Title      string   // for messages: RIS, PubMed/MEDLINE, EndNote XML…
	Extensions []string // lower-case, with dot: .ris, .nbib
	Doc        string   // one line for `realsynth stages`
	// NewReader wraps r, which is already decoded to UTF-8 without a BOM.
	NewReader func(r io.Reader, opt Options) Reader
	// Sniff reports whether the start of a file (up to 64 KiB of UTF-8
	// text) shows this format's signature: a RIS "TY  - " line, MEDLINE's
	// "PMID- ". It must be cheap and strict, since a file that shows
	// another format's signature and not its declared one is refused.
	Sniff func(head []byte) bool
}

var (
	mu       sync.RWMutex
	registry = map[string]Format{}
)

// Register makes a format available by name and extension. It panics on a
// duplicate name, as database/sql.Register does: that is a programming error.
func Register(f Format) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[f.Name]; dup {
		panic("formats: Register called twice for " + f.Name)
	}
	registry[f.Name] = f
}

// Lookup finds a format by its config name.
func Lookup(name string) (Format, bool) {
	mu.RLock()
	defer mu.RUnlock()
	f, ok := registry[strings.ToLower(name)]
	return f, ok
}

// Title is a format's name for messages ("PubMed/MEDLINE"), or name
// itself when no such format is registered.
func Title(name string) string {
	if f, ok := Lookup(name); ok && f.Title != "" {
		return f.Title
	}
	return name
}

// ForPath infers the format from a file's extension.
func ForPath(path string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(path))
	mu.RLock()
	defer mu.RUnlock()
	var found []Format
	for _, f := range registry {
		for _, e := range f.Extensions {
			if e == ext {
				found = append(found, f)
			}
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Format{}, fmt.Errorf("cannot tell the format of %s from its extension %q: set format: to one of %s", filepath.Base(path), ext, strings.Join(Names(), ", "))
	default:
		return Format{}, fmt.Errorf("extension %q of %s fits several formats: set format:", ext, filepath.Base(path))
	}
}

// Names lists the registered format names, sorted.
func Names() []string {
	mu.RLock()
	defer mu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
