package ris

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
	"github.com/realsynth/realsynth/internal/tables"
)

// readAll reads a whole file through the registry's decoding path, as ingest does.
func readAll(tb testing.TB, path string) (recs []*tables.Record, bad []*formats.BadRecord) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	dec, _, err := formats.Decode(f, "")
	if err != nil {
		tb.Fatal(err)
	}
	rd := NewReader(dec)
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return recs, bad
		}
		if b, ok := formats.AsBadRecord(err); ok {
			bad = append(bad, b)
			continue
		}
		if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		biblio.Complete(rec)
		recs = append(recs, rec)
	}
}

var countInName = regexp.MustCompile(`_(\d+)\.ris$`)

// TestSharedExports: every RIS export in the shared reference data parses
// with no quarantined record, and the record count in its file name.
func TestSharedExports(t *testing.T) {
	for _, dir := range []string{"databases", "screening-tools"} {
		files, _ := filepath.Glob(filepath.Join(testutil.SharedData(t, "exports", dir), "*.ris"))
		for _, path := range files {
			t.Run(filepath.Base(path), func(t *testing.T) {
				recs, bad := readAll(t, path)
				for _, b := range bad {
					t.Errorf("quarantined: %v\n%s", b, b.Raw)
				}
				m := countInName.FindStringSubmatch(filepath.Base(path))
				want := 10 // the screening-tool exports hold ten records each
				if m != nil {
					want, _ = strconv.Atoi(m[1])
				}
				if len(recs) != want {
					t.Errorf("%d records, want %d", len(recs), want)
				}
				for _, r := range recs {
					if r.Title == "" {
						t.Errorf("line %d: no title", r.SourceLine)
					}
				}
			})
		}
	}
}
