package formats_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/formats"
	_ "github.com/realsynth/realsynth/internal/formats/all"
	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"
)

// TestSniffExports: every sample export shows its own format's signature
// and no other's.
func TestSniffExports(t *testing.T) {
	files := map[string]string{
		"ris/testdata/dialects.ris":                               "ris",
		"medline/testdata/three.nbib":                             "medline",
		"bibtex/testdata/sample.bib":                              "bibtex",
		"endnote/testdata/library.xml":                            "endnote",
		"wos/testdata/savedrecs.ciw":                              "wos",
		"csv/testdata/scopus.csv":                                 "csv",
		"csv/testdata/asreview.csv":                               "csv",
		"csv/testdata/generic-semicolon.csv":                      "csv",
		"../../testdata/demo-review/searches/round1/cinahl.ris":   "ris",
		"../../testdata/demo-review/searches/round2/medline.nbib": "medline",
	}
	for file, want := range files {
		g, err := formats.SniffFile(file, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Formats) != 1 || g.Formats[0] != want {
			t.Errorf("%s looks like %v (%s), want %s", file, g.Formats, g.Looks, want)
		}
	}
}

// TestSniffSharedExports: the real exports in the shared reference data
// look like the format their extension names.
func TestSniffSharedExports(t *testing.T) {
	for _, dir := range []string{"databases", "screening-tools"} {
		files, _ := filepath.Glob(filepath.Join(testutil.SharedData(t, "exports", dir), "*"))
		for _, file := range files {
			f, err := formats.ForPath(file)
			if err != nil {
				continue
			}
			g, err := formats.SniffFile(file, "")
			if err != nil {
				t.Fatal(err)
			}
			if !g.Shows(f.Name) || len(g.Formats) != 1 {
				t.Errorf("%s looks like %v (%s), want %s", filepath.Base(file), g.Formats, g.Looks, f.Name)
			}
		}
	}
}

func TestSniffDescribes(t *testing.T) {
	cases := []struct {
		content string
		formats string // comma-separated
		looks   string
	}{
		{"", "", "an empty file"},
		{" \r\n\n", "", "an empty file"},
		{"\x00\x00\x00", "", "binary data"},
		{"Dear colleagues,\nplease find the references below.\n", "", `plain text (it starts "Dear colleagues,")`},
		{"<!DOCTYPE html>\n<html><body>Session expired</body></html>", "", "an HTML page"},
		{"<?xml version=\"1.0\"?><rdf:RDF></rdf:RDF>", "", "XML that is not an EndNote library"},
		{"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "", "a PDF document"},
		{"PK\x03\x04\x14\x00\x06\x00", "", "a ZIP archive"},
		{"PMID- 31234567\nOWN - NLM\nTI  - Peer work.\n", "medline", "PubMed/MEDLINE"},
		{"Provider: Ovid\n\nTY  - JOUR\nTI  - Peer work\nER  - \n", "ris", "RIS"},
		{"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\n", "wos", "Web of Science"},
		{"% comment\n@Article{smith2020,\n title = {Peer}}\n", "bibtex", "BibTeX"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\" ?><xml><records/></xml>", "endnote", "EndNote XML"},
		{"Title,Authors,Year\n", "csv", "CSV"},
		{"a;b;c\n1;2;3\n", "csv", "CSV"},
		// Prose with a comma is not CSV: its next line does not match.
		{"Hello, world\nThis is a note.\n", "", "plain text"},
	}
	for _, c := range cases {
		g := formats.Sniff([]byte(c.content))
		if got := strings.Join(g.Formats, ","); got != c.formats || !strings.HasPrefix(g.Looks, c.looks) {
			t.Errorf("%q: formats %q, looks %q; want %q, %q", c.content, got, g.Looks, c.formats, c.looks)
		}
	}
	// SniffFile looks at raw bytes for binary data: NULs are removed in
	// decoding, so a file of NULs is not "empty".
	path := filepath.Join(t.TempDir(), "x.ris")
	if err := os.WriteFile(path, []byte("\x00\x01\x02\x03garbage\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	if g, _ := formats.SniffFile(path, ""); g.Looks != "binary data" || g.Empty {
		t.Errorf("binary file: %+v", g)
	}
}
