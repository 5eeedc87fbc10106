package testutil

import (
	"bytes"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/realsynth/realsynth/internal/synthgen"
)

// HardCorpus is the synthetic corpus the reader benchmarks read: the hard
// profile at 10k records, the same bytes as `gencorpus -profile hard
// -records 10000 -seed 20261122 -file-records 500` (the cached
// /tmp/realsynth-corpora/hard-10k-20261122). Its exports are as hard as
// real ones: titles of ~110 characters with a long tail, ~1.5 KB abstracts
// on most records, 15–40 authors on some, supplements, five RIS dialects
// (CRLF and LF, a BOM, glued tags) and PubMed's wrapped .nbib lines.
var HardCorpus = synthgen.CorpusConfig{Profile: synthgen.ProfileHard, Records: 10000, Seed: 20261122, FileRecords: 500}

var hard struct {
	once  sync.Once
	files map[string][]byte
	err   error
}

// HardExports returns the hard corpus's export files joined per format
// ("ris", "medline", "bibtex"), in file-name order, with the byte-order
// marks removed as formats.DecodeExport removes them. The corpus is
// generated in memory once per test binary (about half a second).
func HardExports(tb testing.TB) map[string][]byte {
	tb.Helper()
	hard.once.Do(func() {
		bufs := map[string]*bytes.Buffer{}
		c, err := synthgen.GenerateCorpus(HardCorpus, func(name string) (io.Writer, error) {
			b := &bytes.Buffer{}
			bufs[name] = b
			return b, nil
		}, io.Discard)
		if err != nil {
			hard.err = err
			return
		}
		sort.Slice(c.Files, func(i, j int) bool { return c.Files[i].Name < c.Files[j].Name })
		hard.files = map[string][]byte{}
		for _, f := range c.Files {
			text := bytes.TrimPrefix(bufs[f.Name].Bytes(), []byte("\ufeff"))
			joined := hard.files[f.Format]
			if len(joined) > 0 && joined[len(joined)-1] != '\n' {
				joined = append(joined, '\n')
			}
			hard.files[f.Format] = append(joined, text...)
		}
	})
	if hard.err != nil {
		tb.Fatalf("generating the hard corpus: %v", hard.err)
	}
	return hard.files
}

// HardInput is the hard benchmark input of a format, repeated up to at
// least 16 MB. RIS, MEDLINE and BibTeX are the corpus's own exports; CSV,
// Web of Science and EndNote XML are its RIS records written the way those
// exports write them (Scopus CSV, WoS plain text with cited references,
// EndNote XML with <style> runs), since the generator does not write them.
func HardInput(tb testing.TB, format string) []byte {
	tb.Helper()
	files := HardExports(tb)
	var body []byte
	switch format {
	case "ris", "medline", "bibtex":
		body = files[format]
	case "csv":
		return hardCSV(parseRIS(files["ris"]))
	case "wos":
		body = hardWoS(parseRIS(files["ris"]))
		return Repeat([]byte("FN Clarivate Analytics Web of Science\nVR 1.0\n"), body, []byte("EF\n"), 16<<20)
	case "endnote":
		body = hardEndNote(parseRIS(files["ris"]))
		return Repeat([]byte(`<?xml version="1.0" encoding="UTF-8" ?><xml><records>`), body, []byte("</records></xml>\n"), 16<<20)
	default:
		tb.Fatalf("no hard input for format %q", format)
	}
	if len(body) > 0 && body[len(body)-1] != '\n' {
		body = append(body, '\n')
	}
	return Repeat(nil, append(body, '\n'), nil, 16<<20)
}

// risRecord is one RIS record as tag → values, continuation lines joined
// with a space: just enough to write the record in another format.
type risRecord map[string][]string

func (r risRecord) first(tags ...string) string {
	for _, t := range tags {
		if v := r[t]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func (r risRecord) all(tags ...string) []string {
	var out []string
	for _, t := range tags {
		out = append(out, r[t]...)
	}
	return out
}

// parseRIS reads the hard corpus's RIS text without the RIS reader (whose
// tests import this package).
func parseRIS(text []byte) []risRecord {
	var recs []risRecord
	var cur risRecord
	var lastTag string
	for _, line := range strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n") {
		if len(line) >= 6 && line[2:6] == "  - " || len(line) == 5 && line[2:5] == "  -" {
			tag, val := line[:2], strings.TrimSpace(line[min(6, len(line)):])
			switch tag {
			case "TY":
				cur = risRecord{}
			case "ER":
				if cur != nil {
					recs = append(recs, cur)
				}
				cur = nil
				continue
			}
			if cur != nil {
				cur[tag] = append(cur[tag], val)
				lastTag = tag
			}
			continue
		}
		if cur != nil && lastTag != "" && strings.TrimSpace(line) != "" {
			v := cur[lastTag]
			v[len(v)-1] += " " + strings.TrimSpace(line)
		}
	}
	return recs
}
