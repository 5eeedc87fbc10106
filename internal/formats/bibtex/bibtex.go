// Package bibtex reads BibTeX (.bib) files. The grammar (@string macros,
// "#" concatenation, month macros, @comment, @preamble) is parsed by
// github.com/nickng/bibtex; this package cuts the stream into entries first,
// so memory is bounded by one entry and a broken entry is quarantined alone,
// and guards the library's sharp edges (see parse.go). Field text is then
// decoded from LaTeX to Unicode (DecodeLaTeX) and NFC-normalised.
//
// Source key: the entry's citation key. SourceLine: the line of its "@".
package bibtex

import (
	"bytes"
	"io"
	"sort"
	"strings"
	"unicode"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil"
	"github.com/realsynth/realsynth/internal/tables"
)

func init() {
	formats.Register(formats.Format{
		Name:       "bibtex",
		Title:      "BibTeX",
		Extensions: []string{".bib", ".bibtex"},
		Doc:        "BibTeX (.bib): @string macros, # concatenation, LaTeX accents decoded to Unicode",
		NewReader:  func(r io.Reader, _ formats.Options) formats.Reader { return NewReader(r) },
		// An "@article{" line.
		Sniff: func(head []byte) bool {
			return formats.HasLine(head, func(line []byte) bool {
				line = bytes.TrimLeft(line, " \t")
				if len(line) < 2 || line[0] != '@' {
					return false
				}
				i := 1
				for i < len(line) && (line[i]|0x20 >= 'a' && line[i]|0x20 <= 'z') {
					i++
				}
				rest := bytes.TrimLeft(line[i:], " \t")
				return i > 1 && len(rest) > 0 && (rest[0] == '{' || rest[0] == '(')
			})
		},
	})
}

// Reader reads BibTeX entries one at a time.
type Reader struct {
	split  *splitter
	macros map[string]string // @string definitions so far, by lower-case name
	// macroBytes is the size of macros, bounded by maxMacroBytes.
	macroBytes int
	// structures caches the library's parse of entry skeletons.
	structures map[string]map[string]int
	warnings   formatutil.Warnings
}

// NewReader reads BibTeX text already decoded to UTF-8.
func NewReader(r io.Reader) *Reader {
	return &Reader{split: newSplitter(r), macros: map[string]string{}, structures: map[string]map[string]int{}}
}

// Warnings returns and forgets the warnings gathered since the last call
// (undefined macros, which BibTeX also only warns about).
func (rd *Reader) Warnings() []string { return rd.warnings.Take() }

// Next returns the next entry as a record, a *formats.BadRecord, or io.EOF.
// @string, @preamble and @comment entries are not records.
func (rd *Reader) Next() (*tables.Record, error) {
	for {
		ch, err := rd.split.next()
		if err != nil {
			return nil, err
		}
		if ch.Problem != "" {
			return nil, &formats.BadRecord{Line: ch.Line, Msg: ch.Problem, Raw: formats.CutRaw(ch.Text)}
		}
		switch ch.Type {
		case "comment", "preamble":
			continue
		case "string":
			if err := rd.defineMacro(ch); err != nil {
				return nil, err
			}
			continue
		}
		if ch.badByteLine > 0 {
			rd.warnings.Add("line %d: bytes that are not valid text were replaced by U+FFFD", ch.badByteLine)
		}
		e, err := rd.parseEntry(ch)
		if err != nil {
			return nil, &formats.BadRecord{Line: ch.Line, Msg: err.Error(), Raw: formats.CutRaw(ch.Text)}
		}
		return recordFrom(e, ch.Line), nil
	}
}

// recordFrom maps BibTeX fields to the columns of tables.Record.
func recordFrom(e *entry, line int64) *tables.Record {
	rec := &tables.Record{Format: "bibtex", SourceLine: line, SourceKey: e.key, Type: e.typ}
	// A field used is taken out of e.fields: what is left goes to Extra.
	get := func(names ...string) string {
		for _, n := range names {
			if v, ok := e.fields[n]; ok {
				delete(e.fields, n)
				return v
			}
		}
		return ""
	}
	text := func(names ...string) string { return DecodeLaTeX(get(names...)) }

	rec.Title = text("title")
	if a := get("author"); a != "" {
		rec.Authors = splitAuthors(a)
	}
	switch e.typ {
	case "inproceedings", "incollection", "conference", "inbook":
		rec.Journal = text("booktitle", "journal", "journaltitle")
	default:
		rec.Journal = text("journal", "journaltitle", "booktitle")
	}
	rec.JournalAbbrev = text("shortjournal", "journalabbrev", "journal-abbrev", "journal_abbrev")
	yearText := text("year")
	if y, ok := biblio.YearOf(yearText); ok {
		rec.Year = &y
	} else if yearText != "" {
		rec.Extra = append(rec.Extra, tables.Field{Tag: "year", Value: yearText})
	}
	rec.Date = text("date")
	if month := text("month"); month != "" {
		if rec.Date == "" {
			rec.Date = strings.TrimSpace(yearText + " " + month)
		} else {
			rec.Extra = append(rec.Extra, tables.Field{Tag: "month", Value: month})
		}
	}
	rec.Volume = text("volume")
	rec.Issue = text("number", "issue")
	rec.Pages = DecodeLaTeX(strings.ReplaceAll(get("pages"), "--", "-")) // a page range, not a dash
	rec.ArticleNumber = text("eid", "articleno", "article-number", "article_number")
	if d := plain(get("doi")); d != "" {
		rec.DOIs = []string{d}
	}
	rec.PMID = text("pmid")
	rec.PMCID = text("pmcid")
	issn, isbn, other := biblio.SplitStandardNumbers([]string{text("issn"), text("isbn")})
	rec.ISSN, rec.ISBN = issn, isbn
	for _, o := range other {
		rec.Extra = append(rec.Extra, tables.Field{Tag: "issn", Value: o})
	}
	rec.Abstract = text("abstract")
	for _, k := range []string{"keywords", "keyword", "mesh"} {
		rec.Keywords = append(rec.Keywords, splitKeywords(text(k))...)
	}
	rec.Language = text("language", "langid")
	if u := plain(get("url")); u != "" {
		rec.URLs = strings.Fields(u)
	}
	for _, n := range []string{"note", "annote", "annotation"} {
		if v := text(n); v != "" {
			rec.Notes = append(rec.Notes, v)
		}
	}
	if t := text("type"); t != "" {
		rec.PublicationType = []string{t}
	}
	rec.AccessionNumber = text("accession-number", "accessionnumber", "accession_number")

	// The library keeps fields in a map, so file order is lost: the rest
	// goes to Extra sorted by field name, which at least is stable.
	rest := make([]string, 0, len(e.fields))
	for n := range e.fields {
		rest = append(rest, n)
	}
	sort.Strings(rest)
	for _, n := range rest {
		if v := DecodeLaTeX(e.fields[n]); strings.TrimSpace(v) != "" {
			rec.Extra = append(rec.Extra, tables.Field{Tag: n, Value: v})
		}
	}
	return rec
}

// plain decodes fields that are identifiers (doi, url), where "--" is not a
// dash and "~" is not a space: only braces and escapes are removed.
func plain(s string) string {
	return strings.TrimSpace(plainReplacer.Replace(s))
}

var plainReplacer = strings.NewReplacer(`\_`, "_", `\%`, "%", `\&`, "&", `\#`, "#", "{", "", "}", "")

// splitAuthors splits an author field on " and " outside braces; a name
// wholly in braces ({World Health Organization}) is a group author, kept as is.
func splitAuthors(s string) []string {
	var names []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ' ', '\t', '\n', '\r':
			if depth != 0 {
				continue
			}
			j := i
			for j < len(s) && isSpaceByte(s[j]) {
				j++
			}
			if j+3 < len(s) && strings.EqualFold(s[j:j+3], "and") && isSpaceByte(s[j+3]) {
				names = append(names, s[start:i])
				start = j + 4
				i = j + 3
			}
		}
	}
	names = append(names, s[start:])
	var out []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || strings.EqualFold(n, "others") {
			continue // "and others" is BibTeX's "et al."
		}
		out = append(out, collapseSpace(DecodeLaTeX(n)))
	}
	return out
}

// collapseSpace is strings.Join(strings.Fields(s), " "), without the copy
// when s has single spaces only between words.
func collapseSpace(s string) string {
	prevSpace := true // the start is like a space: one there is not single
	for _, r := range s {
		if !unicode.IsSpace(r) {
			prevSpace = false
			continue
		}
		if r != ' ' || prevSpace {
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = true
	}
	if prevSpace && s != "" {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// splitKeywords splits "a; b; c" (or "a, b, c" when there is no ";").
func splitKeywords(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	sep := ","
	if strings.Contains(s, ";") {
		sep = ";"
	}
	var out []string
	for _, k := range strings.Split(s, sep) {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}
