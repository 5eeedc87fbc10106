package synthgen

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// TruthRow is what the generator knows about one record it wrote: where it
// is, which true report (publication) and study it belongs to, and which
// look-alike groups and variation patterns it was built with.
//
// Records of one Report are duplicates; reports of one Study are related
// reports (an article and its erratum, its conference abstract, its
// preprint; a Cochrane review and its update), which a de-duplicator should
// link but never merge. Reports that share a group look alike on purpose
// (the issues of a recurring column, the parts of a series, the abstracts
// of one supplement sharing a DOI): merging two of them is a false merge the
// score attributes to that group's family.
type TruthRow struct {
	// File is the export file, relative to the corpus folder; Line the line
	// the record starts on (the reader's SourceLine).
	File string
	Line int64
	// Database names the search the file belongs to; Key is the record's
	// source key in its export ("" when the export gives none, as Scopus).
	Database, Key string
	// Report and Study are the true report and study ids.
	Report, Study string
	// Kind is the report's kind: article, conference-abstract,
	// conference-paper, erratum, comment, reply, cochrane-review, preprint,
	// column, editorial.
	Kind string
	// Relation says how the report relates to RelatedTo (erratum, comment,
	// reply, update, abstract, preprint, presentation), "" for none.
	Relation, RelatedTo string
	// Groups are "family/id" labels of the look-alike groups the report is in.
	Groups []string
	// Tags are the variation patterns this record shows, such as
	// "garbled-supplement-volume" or "cochrane-no-cd".
	Tags []string
}

// truthHeader is the first line of truth.tsv.
const truthHeader = "file\tline\tdatabase\tkey\treport\tstudy\tkind\trelation\trelated_to\tgroups\ttags"

// TruthWriter writes truth rows as tab-separated values with a header.
type TruthWriter struct {
	w      *bufio.Writer
	header bool
	Rows   int
}

// NewTruthWriter writes truth.tsv rows to w; call Flush at the end.
func NewTruthWriter(w io.Writer) *TruthWriter {
	return &TruthWriter{w: bufio.NewWriterSize(w, 1<<16)}
}

// Write writes one row.
func (tw *TruthWriter) Write(r *TruthRow) {
	if !tw.header {
		tw.w.WriteString(truthHeader)
		tw.w.WriteByte('\n')
		tw.header = true
	}
	for i, f := range []string{r.File, strconv.FormatInt(r.Line, 10), r.Database, r.Key, r.Report, r.Study,
		r.Kind, r.Relation, r.RelatedTo, strings.Join(r.Groups, ","), strings.Join(r.Tags, ",")} {
		if i > 0 {
			tw.w.WriteByte('\t')
		}
		tw.w.WriteString(f)
	}
	tw.w.WriteByte('\n')
	tw.Rows++
}

// Flush writes the header even for an empty truth, then buffered rows.
func (tw *TruthWriter) Flush() error {
	if !tw.header {
		tw.w.WriteString(truthHeader)
		tw.w.WriteByte('\n')
		tw.header = true
	}
	return tw.w.Flush()
}

// ReadTruth reads truth.tsv, calling fn for every row. The row is reused
// between calls.
func ReadTruth(r io.Reader, fn func(*TruthRow) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	line := 0
	var row TruthRow
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != truthHeader {
				return fmt.Errorf("truth:1: header is %q, want %q", text, truthHeader)
			}
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 11 {
			return fmt.Errorf("truth:%d: %d fields, want 11", line, len(f))
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return fmt.Errorf("truth:%d: line: %w", line, err)
		}
		row = TruthRow{File: f[0], Line: n, Database: f[2], Key: f[3], Report: f[4], Study: f[5],
			Kind: f[6], Relation: f[7], RelatedTo: f[8], Groups: splitList(f[9]), Tags: splitList(f[10])}
		if err := fn(&row); err != nil {
			return fmt.Errorf("truth:%d: %w", line, err)
		}
	}
	return sc.Err()
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// TruthTable is a corpus's truth held for scoring: compact, since a
// million-record table sits beside the run it scores.
type TruthTable struct {
	files   []string
	fileIdx map[string]int32
	index   map[uint64]int32 // file<<40 | line → row
	rows    []truthEntry
	names   interner // kinds, groups and tags
	reports interner
	studies interner
}

type truthEntry struct {
	report, study int32
	kind          int32
	groups, tags  []int32
}

type interner struct {
	ids   map[string]int32
	names []string
}

func (in *interner) id(s string) int32 {
	if in.ids == nil {
		in.ids = map[string]int32{}
	}
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := int32(len(in.names))
	in.ids[s] = id
	in.names = append(in.names, s)
	return id
}

// NewTruthTable collects rows (from ReadTruth or the generator) for scoring.
func NewTruthTable() *TruthTable {
	return &TruthTable{fileIdx: map[string]int32{}, index: map[uint64]int32{}}
}

// Add adds one row. A second row for the same file and line is an error.
func (t *TruthTable) Add(r *TruthRow) error {
	f, ok := t.fileIdx[r.File]
	if !ok {
		f = int32(len(t.files))
		t.fileIdx[r.File] = f
		t.files = append(t.files, r.File)
	}
	k := uint64(f)<<40 | uint64(r.Line)
	if _, dup := t.index[k]; dup {
		return fmt.Errorf("%s:%d is in the truth twice", r.File, r.Line)
	}
	e := truthEntry{report: t.reports.id(r.Report), study: t.studies.id(r.Study), kind: t.names.id("kind:" + r.Kind)}
	for _, g := range r.Groups {
		e.groups = append(e.groups, t.names.id(g))
	}
	for _, tag := range r.Tags {
		e.tags = append(e.tags, t.names.id(tag))
	}
	t.index[k] = int32(len(t.rows))
	t.rows = append(t.rows, e)
	return nil
}

// Len is the number of records in the truth.
func (t *TruthTable) Len() int { return len(t.rows) }

// lookup finds the row of the record at file:line.
func (t *TruthTable) lookup(file string, line int64) (int32, bool) {
	f, ok := t.fileIdx[file]
	if !ok {
		return 0, false
	}
	i, ok := t.index[uint64(f)<<40|uint64(line)]
	return i, ok
}

// LoadTruth reads a truth.tsv file into a table.
func LoadTruth(r io.Reader) (*TruthTable, error) {
	t := NewTruthTable()
	if err := ReadTruth(r, t.Add); err != nil {
		return nil, err
	}
	return t, nil
}
