// Package csv reads spreadsheet exports, one record per row, columns found
// by header name: Scopus, Covidence, Rayyan, ASReview, and any other CSV
// through a column mapping in config (formats.Options.Columns: realsynth
// field → header). The delimiter (comma, semicolon or tab) is taken from the
// header line. Header names are matched without regard to case or
// surrounding space, so column order and version differences do not matter.
//
// Source key: the first column of key (Rayyan), Covidence #, record_id
// (ASReview), EID (Scopus), id — or the column mapped to source_key.
// SourceLine: the line where the row starts.
package csv

import (
	"bufio"
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/formats/formatutil"
	"github.com/realsynth/realsynth/internal/tables"
)

func init() {
	formats.Register(formats.Format{
		Name:       "csv",
		Title:      "CSV",
		Extensions: []string{".csv", ".tsv"},
		Doc:        "CSV with a header row: Scopus, Covidence, Rayyan, ASReview, or any CSV with columns: mapping",
		NewReader:  func(r io.Reader, opt formats.Options) formats.Reader { return NewReader(r, opt) },
		Sniff:      sniffCSV,
	})
}

// sniffCSV recognises a header row: two or more cells, and either a cell
// realsynth knows (title, doi…) or a next row with as many delimiters.
func sniffCSV(head []byte) bool {
	head = bytes.TrimLeft(head, "\r\n")
	comma := sniffDelimiter(head)
	counts, inQuote := []int{0}, false
scan:
	for _, c := range head {
		switch {
		case c < 0x20 && c != '\t' && c != '\r' && c != '\n':
			return false // binary data, whatever its delimiters
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == comma:
			counts[len(counts)-1]++
		case c == '\n':
			if len(counts) == 2 {
				break scan
			}
			counts = append(counts, 0)
		}
	}
	if counts[0] == 0 {
		return false
	}
	if len(counts) > 1 && counts[1] == counts[0] {
		return true
	}
	first := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		first = head[:i]
	}
	for _, cell := range bytes.Split(first, []byte{comma}) {
		name := strings.ToLower(strings.Trim(strings.TrimSpace(string(cell)), `"`))
		if knownHeader[name] {
			return true
		}
	}
	return false
}

// knownHeader holds every header name in synonyms.
var knownHeader = func() map[string]bool {
	m := map[string]bool{}
	for _, names := range synonyms {
		for _, n := range names {
			m[n] = true
		}
	}
	return m
}()

// synonyms lists, per realsynth field (the records table's column names),
// the header names that carry it, in order of preference.
var synonyms = map[string][]string{
	"source_key":       {"key", "covidence #", "record_id", "eid", "id", "ref_id", "refid"},
	"type":             {"type", "entrytype", "reference type", "item type"},
	"title":            {"title", "article title", "document title", "primary title"},
	"original_title":   {"original title", "original_title"},
	"authors":          {"author full names", "authors", "author", "author(s)", "author names"},
	"year":             {"year", "published year", "publication year", "pubyear", "py"},
	"month":            {"published month", "month"},
	"day":              {"day"},
	"date":             {"date", "publication date", "published date"},
	"journal":          {"journal", "source title", "journal/book", "publication title", "secondary title", "journal title", "source"},
	"journal_abbrev":   {"abbreviated source title", "journal abbreviation", "journal_abbrev", "journal abbrev"},
	"volume":           {"volume"},
	"issue":            {"issue", "number"},
	"pages":            {"pages", "page range"},
	"page_start":       {"page start", "start page", "page_start"},
	"page_end":         {"page end", "end page", "page_end"},
	"article_number":   {"art. no.", "article number", "article_number"},
	"doi":              {"doi"},
	"pmid":             {"pubmed id", "pmid", "pubmed_id"},
	"pmcid":            {"pmc_id", "pmcid", "pmc id"},
	"issn":             {"issn", "eissn"},
	"isbn":             {"isbn"},
	"abstract":         {"abstract"},
	"keywords":         {"keywords", "author keywords", "index keywords", "keyword"},
	"language":         {"language", "language of original document"},
	"urls":             {"url", "link", "urls"},
	"notes":            {"notes", "note"},
	"publication_type": {"document type", "publication type", "publication_type"},
	"accession_number": {"accession number", "accession_number", "ut (unique wos id)"},
}

// multiColumn fields take every matching column, not just the first.
var multiColumn = map[string]bool{"keywords": true, "issn": true, "urls": true, "notes": true}

// Fields lists the realsynth field names a column mapping may use.
func Fields() []string {
	names := make([]string, 0, len(synonyms))
	for n := range synonyms {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Reader reads CSV rows as records.
type Reader struct {
	src      io.Reader
	opt      formats.Options
	started  bool
	err      error // a setup error, returned by every Next
	bounded  *boundedReader
	csv      *stdcsv.Reader
	header   []string
	columns  map[string][]int // field → column indexes
	mapped   []bool           // column index → used by a field
	warnings formatutil.Warnings
	blank    int
	// The row read ahead while a quarantined row before it is returned.
	next     *tables.Record
	nextLine int64
	nextErr  error
}

// NewReader reads CSV text already decoded to UTF-8. Errors in the header
// or in opt.Columns are returned by the first Next.
func NewReader(r io.Reader, opt formats.Options) *Reader {
	return &Reader{src: r, opt: opt}
}

// Warnings returns and forgets the warnings gathered since the last call.
func (rd *Reader) Warnings() []string { return rd.warnings.Take() }

func (rd *Reader) start() error {
	br := bufio.NewReaderSize(rd.src, 64<<10)
	head, _ := br.Peek(64 << 10)
	if len(head) >= 3 && string(head[:3]) == "\ufeff" {
		_, _ = br.Discard(3)
		head = head[3:]
	}
	comma := sniffDelimiter(head)
	rd.bounded = newBoundedReader(br, comma)
	rd.csv = stdcsv.NewReader(rd.bounded)
	rd.csv.Comma = rune(comma)
	rd.csv.LazyQuotes = true
	rd.csv.FieldsPerRecord = -1
	rd.csv.ReuseRecord = true // a row's cells are strings; the slice is not kept
	header, err := rd.csv.Read()
	if err != nil {
		if err == io.EOF {
			return io.EOF
		}
		return fmt.Errorf("header row: %w", err)
	}
	if rd.bounded.cut[1] {
		return fmt.Errorf("header row is longer than the %d-byte record limit", MaxRecordBytes)
	}
	rd.header = make([]string, len(header))
	for i, h := range header {
		rd.header[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	}
	return rd.mapColumns()
}

// sniffDelimiter picks comma, semicolon or tab, whichever the first line
// (outside quotes) has most of; comma on a tie.
func sniffDelimiter(head []byte) byte {
	counts := map[byte]int{}
	inQuote := false
	for _, c := range head {
		if c == '"' {
			inQuote = !inQuote
		}
		if c == '\n' && !inQuote {
			break
		}
		if !inQuote && (c == ',' || c == ';' || c == '\t') {
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func (rd *Reader) mapColumns() error {
	index := map[string][]int{}
	for i, h := range rd.header {
		index[strings.ToLower(h)] = append(index[strings.ToLower(h)], i)
	}
	rd.columns = map[string][]int{}
	rd.mapped = make([]bool, len(rd.header))
	explicit := map[string]bool{}
	for _, field := range sortedKeys(rd.opt.Columns) {
		name := rd.opt.Columns[field]
		if _, ok := synonyms[field]; !ok {
			return fmt.Errorf("columns: unknown field %q: use one of %s", field, strings.Join(Fields(), ", "))
		}
		cols, ok := index[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return fmt.Errorf("columns: %s is mapped to the column %q, which the header does not have (it has %s)", field, name, strings.Join(rd.header, ", "))
		}
		rd.columns[field] = cols[:1]
		explicit[field] = true
	}
	for field, names := range synonyms {
		if explicit[field] {
			continue
		}
		for _, n := range names {
			cols, ok := index[n]
			if !ok {
				continue
			}
			rd.columns[field] = append(rd.columns[field], cols[0])
			if !multiColumn[field] {
				break
			}
		}
	}
	// A column claimed by two fields goes to the explicit or earlier-listed one.
	claimed := map[int]string{}
	for _, field := range Fields() {
		if !explicit[field] {
			continue
		}
		for _, c := range rd.columns[field] {
			claimed[c] = field
		}
	}
	for _, field := range Fields() {
		var keep []int
		for _, c := range rd.columns[field] {
			if owner, ok := claimed[c]; ok && owner != field {
				continue
			}
			claimed[c] = field
			keep = append(keep, c)
		}
		rd.columns[field] = keep
		for _, c := range keep {
			rd.mapped[c] = true
		}
	}
	if len(rd.columns["title"]) == 0 && len(rd.columns["doi"]) == 0 {
		return fmt.Errorf("the header has neither a title nor a DOI column (it has %s): map one with columns: {title: ...}", strings.Join(rd.header, ", "))
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Next returns the next row as a record, a *formats.BadRecord, or io.EOF.
// Rows whose quote never closed come out in their place in the file.
func (rd *Reader) Next() (*tables.Record, error) {
	if !rd.started {
		rd.started = true
		rd.err = rd.start()
	}
	if rd.err != nil {
		return nil, rd.err
	}
	if rd.next == nil && rd.nextErr == nil {
		rd.next, rd.nextLine, rd.nextErr = rd.readRow()
	}
	if d := rd.bounded.damaged; len(d) > 0 && (rd.nextErr == io.EOF || d[0].line < rd.nextLine) {
		rd.bounded.damaged = d[1:]
		return nil, &formats.BadRecord{Line: d[0].line, Msg: d[0].msg, Raw: formats.CutRaw(d[0].raw)}
	}
	rec, err := rd.next, rd.nextErr
	rd.next, rd.nextErr = nil, nil
	if err == io.EOF {
		rd.nextErr = io.EOF // stay at the end
	}
	return rec, err
}

// readRow reads the next non-blank row as a record or a *formats.BadRecord,
// with the line it starts on.
func (rd *Reader) readRow() (*tables.Record, int64, error) {
	for {
		row, err := rd.csv.Read()
		if err == io.EOF {
			if rd.blank > 0 {
				rd.warnings.Add("%d empty rows skipped", rd.blank)
				rd.blank = 0
			}
			return nil, 0, io.EOF
		}
		var perr *stdcsv.ParseError
		if errors.As(err, &perr) {
			return nil, int64(perr.StartLine), &formats.BadRecord{Line: int64(perr.StartLine), Msg: perr.Err.Error(), Raw: formats.CutRaw(strings.Join(row, ","))}
		}
		if err != nil {
			return nil, 0, err
		}
		line, _ := rd.csv.FieldPos(0)
		at := int64(line)
		if rd.bounded.cut[at] {
			return nil, at, &formats.BadRecord{Line: at, Msg: fmt.Sprintf("row is longer than the %d-byte record limit", MaxRecordBytes), Raw: formats.CutRaw(strings.Join(row, ","))}
		}
		if isBlank(row) {
			rd.blank++
			continue
		}
		for i, c := range row {
			if !utf8.ValidString(c) {
				rd.warnings.Add("line %d, column %q: bytes that are not valid text were replaced by U+FFFD (set encoding: in the config?)", line, rd.columnName(i))
				row[i] = strings.ToValidUTF8(c, "\uFFFD")
			}
		}
		if len(row) > len(rd.header) && !isBlank(row[len(rd.header):]) {
			return nil, at, &formats.BadRecord{Line: at, Msg: fmt.Sprintf("row has %d fields, the header has %d", len(row), len(rd.header)), Raw: formats.CutRaw(strings.Join(row, ","))}
		}
		if len(row) < len(rd.header) {
			rd.warnings.Add("line %d: row has %d cells, the header has %d; the missing ones (from %q on) are read as empty", line, len(row), len(rd.header), rd.header[len(row)])
		}
		return rd.recordFrom(row, at), at, nil
	}
}

func (rd *Reader) columnName(i int) string {
	if i < len(rd.header) {
		return rd.header[i]
	}
	return strconv.Itoa(i + 1)
}

func isBlank(row []string) bool {
	for _, f := range row {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// cutAuthorID drops the Scopus author id from "Tulloch, Catherine (57190000001)".
func cutAuthorID(a string) string {
	t := strings.TrimSpace(a)
	if !strings.HasSuffix(t, ")") {
		return a
	}
	open := strings.LastIndexByte(t, '(')
	if open < 0 || !biblio.IsDigits(t[open+1:len(t)-1]) {
		return a
	}
	return strings.TrimSpace(t[:open])
}

// gluedTag is one RIS tag that Rayyan glued into a CSV cell:
// "https://…&from=export     U2  - L2029880245". The glue is a run of two
// or more white-space characters (tab, LF, FF, CR, space), the tag (a
// capital, then a capital or digit) and "  - ": at is where the run starts,
// the tag is c[tag:tag+2], and the value starts at end.
type gluedTag struct{ at, tag, end int }

// findGluedTags finds the glued tags of c from left to right, each after
// the one before, as the regexp `\s{2,}([A-Z][A-Z0-9])  - ` would (it cost
// more than the rest of the reader on Rayyan's exports).
func findGluedTags(c string) []gluedTag {
	var found []gluedTag
	for i := 0; i < len(c); {
		if !isGlueSpace(c[i]) {
			i++
			continue
		}
		start := i
		for i < len(c) && isGlueSpace(c[i]) {
			i++
		}
		// Only a run of two or more ending right before "XX  - " is glue.
		if i-start >= 2 && i+6 <= len(c) && isUpper(c[i]) && (isUpper(c[i+1]) || isDigit(c[i+1])) && c[i+2:i+6] == "  - " {
			found = append(found, gluedTag{at: start, tag: i, end: i + 6})
			i += 6
		}
	}
	return found
}

func isGlueSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// unglue cuts glued RIS fields off the cells of row: links (UR, LK, L1, L2)
// become URLs, other tags go to Extra.
func (rd *Reader) unglue(row []string, rec *tables.Record) []string {
	var out []string
	for i, c := range row {
		if !strings.Contains(c, "  - ") {
			continue // almost no cell has glue
		}
		loc := findGluedTags(c)
		if loc == nil {
			continue
		}
		if out == nil {
			out = append([]string(nil), row...)
		}
		out[i] = c[:loc[0].at]
		for k, m := range loc {
			end := len(c)
			if k+1 < len(loc) {
				end = loc[k+1].at
			}
			tag, value := c[m.tag:m.tag+2], strings.TrimSpace(c[m.end:end])
			switch tag {
			case "UR", "LK", "L1", "L2":
				rec.URLs = append(rec.URLs, value)
			default:
				rec.Extra = append(rec.Extra, tables.Field{Tag: tag, Value: value})
			}
		}
	}
	if out == nil {
		return row
	}
	return out
}

// recordFrom maps one row; unmapped non-empty cells go to Extra, tagged
// with their header, in column order.
func (rd *Reader) recordFrom(row []string, line int64) *tables.Record {
	cell := func(i int) string {
		if i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	get := func(field string) string {
		for _, c := range rd.columns[field] {
			if v := cell(c); v != "" {
				return v
			}
		}
		return ""
	}
	getAll := func(field string) []string {
		var out []string
		for _, c := range rd.columns[field] {
			if v := cell(c); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	rec := &tables.Record{Format: "csv", SourceLine: line}
	row = rd.unglue(row, rec)
	rec.SourceKey = get("source_key")
	rec.Type = get("type")
	rec.Title = get("title")
	rec.OriginalTitle = get("original_title")
	for _, a := range SplitAuthors(get("authors")) {
		a = cutAuthorID(a)
		rec.Authors = append(rec.Authors, a)
	}
	yearText := get("year")
	if y, ok := biblio.YearOf(yearText); ok {
		rec.Year = &y
	}
	rec.Date = get("date")
	if rec.Date == "" {
		rec.Date = strings.Join(nonEmpty(yearText, get("month"), get("day")), " ")
		if rec.Date == yearText {
			rec.Date = ""
		}
	}
	rec.Journal = get("journal")
	rec.JournalAbbrev = get("journal_abbrev")
	rec.Volume = get("volume")
	rec.Issue = get("issue")
	rec.Pages = get("pages")
	if rec.Pages == "" {
		rec.PageStart, rec.PageEnd = get("page_start"), get("page_end")
	}
	rec.ArticleNumber = get("article_number")
	rec.DOIs = getAll("doi")
	rec.PMID = get("pmid")
	rec.PMCID = get("pmcid")
	issn, isbn, _ := biblio.SplitStandardNumbers(append(getAll("issn"), getAll("isbn")...))
	rec.ISSN, rec.ISBN = issn, isbn
	rec.Abstract = get("abstract")
	for _, k := range getAll("keywords") {
		rec.Keywords = append(rec.Keywords, splitList(k)...)
	}
	rec.Language = get("language")
	var urls []string
	for _, u := range getAll("urls") {
		urls = append(urls, strings.Fields(u)...)
	}
	rec.URLs = append(urls, rec.URLs...)
	// A blank line separates notes: Write puts several notes in one cell that way.
	for _, n := range getAll("notes") {
		for _, l := range strings.Split(strings.ReplaceAll(n, "\r\n", "\n"), "\n\n") {
			if l = strings.TrimSpace(l); l != "" {
				rec.Notes = append(rec.Notes, l)
			}
		}
	}
	for _, t := range getAll("publication_type") {
		rec.PublicationType = append(rec.PublicationType, splitList(t)...)
	}
	rec.AccessionNumber = get("accession_number")
	for i, h := range rd.header {
		if !rd.mapped[i] {
			if v := cell(i); v != "" {
				rec.Extra = append(rec.Extra, tables.Field{Tag: h, Value: v})
			}
		}
	}
	return rec
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitList splits "a; b; c" on semicolons.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SplitAuthors splits an authors cell as the tools write it:
// "Yang, Z.; Jiang, B." (Covidence, Scopus), "Yang, Z. and Jiang, B."
// (Rayyan, BibTeX-like), "Tulloch C., Hing N." (older Scopus), or one name.
func SplitAuthors(s string) []string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil
	case strings.Contains(s, ";"):
		return splitList(s)
	case strings.Contains(s, " and "):
		var out []string
		for _, p := range strings.Split(s, " and ") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	parts := strings.Split(s, ",")
	if len(parts) > 1 {
		allInitialled := true
		for _, p := range parts {
			p = strings.TrimSpace(p)
			if !strings.HasSuffix(p, ".") || !strings.Contains(p, " ") {
				allInitialled = false
			}
		}
		if allInitialled {
			for i := range parts {
				parts[i] = strings.TrimSpace(parts[i])
			}
			return parts
		}
	}
	return []string{s}
}
