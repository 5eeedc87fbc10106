package export

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// manyRecords are n records with distinct ids and titles.
func manyRecords(n int) []tables.Record {
	rows := make([]tables.Record, n)
	for i := range rows {
		rows[i] = tables.Record{RecordID: fmt.Sprintf("rec-%04d", i), Title: fmt.Sprintf("Title number %d", i),
			Authors: []string{"Smith, J"}, Database: "Embase", Round: "r1"}
	}
	return rows
}

// Batches are encoded side by side; the file must be what one batch
// gives, in the order written, with the CSV header once.
func TestEncoderKeepsBatchOrder(t *testing.T) {
	rows := manyRecords(300)
	for _, format := range []string{"ris", "csv"} {
		want, err := Encode(format, rows)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		enc := newEncoder(format, &got)
		reused := make([]tables.Record, 0, 7)
		for start := 0; start < len(rows); start += 7 {
			// The caller reuses its slice, as export's write does.
			reused = append(reused[:0], rows[start:min(start+7, len(rows))]...)
			if err := enc.write(reused); err != nil {
				t.Fatal(err)
			}
			if err := enc.write(nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := enc.finish(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s in batches of 7 differs from one batch:\n%.300q\nwant\n%.300q", format, got.Bytes(), want)
		}
		if format == "csv" && strings.Count(got.String(), "id,type,title") != 1 {
			t.Errorf("csv: header %d times, want once", strings.Count(got.String(), "id,type,title"))
		}
	}
}

func TestEncoderEmptyCSVHasHeader(t *testing.T) {
	var got bytes.Buffer
	enc := newEncoder("csv", &got)
	if err := enc.finish(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.String(), "id,type,title,") || strings.Count(got.String(), "\n") != 1 {
		t.Errorf("empty csv export: %q, want the header line alone", got.String())
	}
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after <= 0 {
		return 0, errors.New("disk full")
	}
	w.after--
	return len(p), nil
}

// A write error comes back from a later write or from finish, and the
// encoder does not hang on the batches still queued.
func TestEncoderReturnsWriteError(t *testing.T) {
	rows := manyRecords(50)
	enc := newEncoder("ris", &failingWriter{after: 2})
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		err = enc.write(rows)
	}
	if ferr := enc.finish(); err == nil {
		err = ferr
	}
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("error %v, want disk full", err)
	}
	if ferr := enc.finish(); ferr == nil || ferr.Error() != err.Error() {
		t.Errorf("finish again: %v, want %v", ferr, err)
	}
}
