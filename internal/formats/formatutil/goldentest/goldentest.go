// Package goldentest pins the normalised fields of parsed records in golden
// files: `go test ./internal/formats/... -update` rewrites them, after which
// the diff is read by eye before committing. Only tests import it.
package goldentest

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// view is the part of a record a golden file pins: everything a reader and
// biblio.Complete produce (provenance set by ingest is left out).
type view struct {
	SourceLine        int64          `json:"source_line"`
	SourceKey         string         `json:"source_key,omitempty"`
	Type              string         `json:"type,omitempty"`
	Title             string         `json:"title,omitempty"`
	OriginalTitle     string         `json:"original_title,omitempty"`
	Authors           []string       `json:"authors,omitempty"`
	AuthorsNormalised []string       `json:"authors_normalised,omitempty"`
	Year              *int32         `json:"year,omitempty"`
	Date              string         `json:"date,omitempty"`
	Journal           string         `json:"journal,omitempty"`
	JournalAbbrev     string         `json:"journal_abbrev,omitempty"`
	Volume            string         `json:"volume,omitempty"`
	Issue             string         `json:"issue,omitempty"`
	Pages             string         `json:"pages,omitempty"`
	PageStart         string         `json:"page_start,omitempty"`
	PageEnd           string         `json:"page_end,omitempty"`
	ArticleNumber     string         `json:"article_number,omitempty"`
	DOIs              []string       `json:"dois,omitempty"`
	PMID              string         `json:"pmid,omitempty"`
	PMCID             string         `json:"pmcid,omitempty"`
	ISSN              []string       `json:"issn,omitempty"`
	ISBN              []string       `json:"isbn,omitempty"`
	Abstract          string         `json:"abstract,omitempty"`
	Keywords          []string       `json:"keywords,omitempty"`
	Language          string         `json:"language,omitempty"`
	URLs              []string       `json:"urls,omitempty"`
	Notes             []string       `json:"notes,omitempty"`
	PublicationType   []string       `json:"publication_type,omitempty"`
	AccessionNumber   string         `json:"accession_number,omitempty"`
	Extra             []tables.Field `json:"extra,omitempty"`
}

// Check compares recs with the golden file at path (or rewrites it with -update).
func Check(t *testing.T, path string, recs []*tables.Record) {
	t.Helper()
	views := make([]view, len(recs))
	for i, r := range recs {
		views[i] = view{r.SourceLine, r.SourceKey, r.Type, r.Title, r.OriginalTitle, r.Authors, r.AuthorsNormalised,
			r.Year, r.Date, r.Journal, r.JournalAbbrev, r.Volume, r.Issue, r.Pages, r.PageStart, r.PageEnd,
			r.ArticleNumber, r.DOIs, r.PMID, r.PMCID, r.ISSN, r.ISBN, r.Abstract, r.Keywords, r.Language,
			r.URLs, r.Notes, r.PublicationType, r.AccessionNumber, r.Extra}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(views); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it, then check it by eye)", err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("records differ from %s; run with -update and read the diff:\n%s", path, firstDiff(string(want), buf.String()))
	}
}

// firstDiff shows the first differing line with some context.
func firstDiff(want, got string) string {
	wl, gl := bytes.Split([]byte(want), []byte("\n")), bytes.Split([]byte(got), []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + itoa(i+1) + ":\n  want: " + string(w) + "\n  got:  " + string(g)
		}
	}
	return ""
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
