package testutil

import (
	"io"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/tables"
)

// Result is everything a reader produced from one input.
type Result struct {
	Recs     []*tables.Record // completed with biblio.Complete, as ingest does
	Bad      []*formats.BadRecord
	Warnings []string
	Err      error // an error that ended the file (not a bad record)
}

// ReadAll drains a reader the way ingest does, so each format's tests check
// what the pipeline would see. A reader that never reaches EOF fails the test.
func ReadAll(t testing.TB, rd formats.Reader) Result {
	t.Helper()
	var res Result
	warner, _ := rd.(interface{ Warnings() []string })
	for i := 0; ; i++ {
		if i > 1e6 {
			t.Fatal("reader does not reach EOF")
		}
		rec, err := rd.Next()
		if warner != nil {
			res.Warnings = append(res.Warnings, warner.Warnings()...)
		}
		if err == io.EOF {
			return res
		}
		if b, ok := formats.AsBadRecord(err); ok {
			res.Bad = append(res.Bad, b)
			continue
		}
		if err != nil {
			res.Err = err
			return res
		}
		biblio.Complete(rec)
		res.Recs = append(res.Recs, rec)
	}
}

// MustReadAll is ReadAll for inputs that must not end in an error.
func MustReadAll(t testing.TB, rd formats.Reader) Result {
	t.Helper()
	res := ReadAll(t, rd)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	return res
}

// FieldsString renders a record's extra fields as "TAG=value|TAG=value",
// for compact assertions on what a reader kept beyond the columns.
func FieldsString(fs []tables.Field) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.Tag+"="+f.Value)
	}
	return strings.Join(parts, "|")
}
