// Package export writes the de-duplicated set (the works table) or the
// records table back out as RIS or CSV, for import into EndNote, Zotero,
// Rayyan or Covidence. It is the pipeline's way out; `realsynth export` does
// the same from a committed Parquet table.
package export

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"sort"
	"strings"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
)

// Params are the export stage's settings.
type Params struct {
	Format string `mapstructure:"format" doc:"ris or csv"`
	Table  string `mapstructure:"table" doc:"works (one row per de-duplicated work) or records; empty: works when the dedupe stage ran, else records"`
	File   string `mapstructure:"file" doc:"output file name in the output folder; empty: <table>.ris or <table>.csv"`
	// OnlyNew exports only the works first found in the last round: after
	// an update search, the set to import into the screening tool, without
	// the works screened in earlier rounds.
	OnlyNew bool `mapstructure:"only_new" doc:"works only: export just the works first found in the last round (the ones still to screen after an update search)"`
}

// Stage is the export stage's entry point.
var Stage = pipeline.Stage{
	Name:   "export",
	Doc:    "write the de-duplicated works (or all records) as RIS or CSV for EndNote, Zotero, Rayyan, Covidence",
	Params: func() any { return &Params{Format: "ris"} },
	Run:    Export,
	Check:  check,
}

func check(_ *pipeline.Run, params any) error {
	p, err := pipeline.ParamsAs[Params](params)
	if err != nil {
		return err
	}
	return p.validate()
}

func (p *Params) validate() error {
	switch p.Format {
	case "ris", "csv":
	default:
		return fmt.Errorf("stages.export.format: %q is not ris or csv", p.Format)
	}
	switch p.Table {
	case "", "works", "records":
	default:
		return fmt.Errorf("stages.export.table: %q is not works or records", p.Table)
	}
	if p.OnlyNew && p.Table == "records" {
		return fmt.Errorf("stages.export.only_new applies to works, not records")
	}
	if strings.ContainsAny(p.File, `/\`) {
		return fmt.Errorf("stages.export.file: %q must be a file name, not a path (it is written to the output folder)", p.File)
	}
	return nil
}

// Export writes the chosen table into the output folder as it goes: the
// works of a million records are more than a gigabyte of RIS.
func Export(_ context.Context, run *pipeline.Run, params any) error {
	p, err := pipeline.ParamsAs[Params](params)
	if err != nil {
		return err
	}
	table, err := p.chosenTable(run)
	if err != nil {
		return err
	}
	f, err := run.CreateFile(p.fileName(table))
	if err != nil {
		return err
	}
	n, err := write(run, p, table, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	run.Log.Info("export", "format", p.Format, "rows", n, "file", p.fileName(table))
	return nil
}

// chosenTable is the table p names, or the default: works when the dedupe
// stage made them, else records.
func (p *Params) chosenTable(run *pipeline.Run) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	_, haveRecords := pipeline.Len(run, "records")
	_, haveWorks := pipeline.Len(run, "works")
	table := p.Table
	if table == "" {
		table = "records"
		if haveWorks {
			table = "works"
		}
	}
	switch {
	case table == "works" && !haveWorks:
		return "", fmt.Errorf("stages.export.table is works, but no works table was made (is the dedupe stage enabled?)")
	case table == "records" && !haveRecords:
		return "", fmt.Errorf("no records table to export (is the ingest stage enabled?)")
	}
	return table, nil
}

func (p *Params) fileName(table string) string {
	if p.File != "" {
		return p.File
	}
	return table + "." + p.Format
}

// build encodes the table p names in memory, for tests: the file's name,
// its bytes and its number of rows.
func build(run *pipeline.Run, p *Params) (name string, data []byte, n int, err error) {
	table, err := p.chosenTable(run)
	if err != nil {
		return "", nil, 0, err
	}
	var buf bytes.Buffer
	if n, err = write(run, p, table, &buf); err != nil {
		return "", nil, 0, err
	}
	return p.fileName(table), buf.Bytes(), n, nil
}

// write streams the table to w, a chunk of records at a time, in the
// records table's order (round, database, file, line): records as they
// are, works as their canonical records (see WorkRecord), so that neither
// is ever held whole. It returns the number of rows written.
func write(run *pipeline.Run, p *Params, table string, w io.Writer) (int, error) {
	enc := newEncoder(p.Format, w)
	defer enc.finish() // on an early return: stops the encoding goroutines
	n := 0
	sc := pipeline.Scan[tables.Record](run, "records")
	if table == "records" {
		for _, rows := range sc.Chunks() {
			if err := enc.write(rows); err != nil {
				return 0, err
			}
			n += len(rows)
		}
		if err := sc.Err(); err != nil {
			return 0, err
		}
		return n, enc.finish()
	}
	// Works come in their canonical records' order (dedupe writes them
	// so): both tables are walked side by side, a chunk of each at a time.
	keep := func(w *tables.Work) bool { return !p.OnlyNew || w.FirstRound == lastRound(run) }
	ws := pipeline.Scan[tables.Work](run, "works")
	nextChunk, stop := iter.Pull2(ws.Chunks())
	defer stop()
	var works []tables.Work
	next := func() *tables.Work {
		for len(works) == 0 {
			var ok bool
			if _, works, ok = nextChunk(); !ok {
				return nil
			}
		}
		return &works[0]
	}
	var out []tables.Record
	for _, rows := range sc.Chunks() {
		out = out[:0]
		for i := range rows {
			w := next()
			if w == nil || w.CanonicalRecordID != rows[i].RecordID {
				continue
			}
			if keep(w) {
				out = append(out, WorkRecord(w, &rows[i]))
			}
			works = works[1:]
		}
		if err := enc.write(out); err != nil {
			return 0, err
		}
		n += len(out)
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	// Works not met that way (put in another order, or whose canonical
	// record is not in the table): in memory, which only small tables
	// reach; a work without its canonical record gets its own fields.
	var rest []tables.Work
	for w := next(); w != nil; w = next() {
		if keep(w) {
			rest = append(rest, *w)
		}
		works = works[1:]
	}
	stop()
	if err := ws.Err(); err != nil {
		return 0, err
	}
	m, err := writeWorks(run, rest, enc)
	return n + m, err
}

// writeWorks writes works in their canonical records' order, then those
// whose canonical record is not in the table.
func writeWorks(run *pipeline.Run, works []tables.Work, enc *encoder) (int, error) {
	if len(works) == 0 {
		return 0, enc.finish()
	}
	byCanonical := make(map[string]int, len(works))
	for i := range works {
		byCanonical[works[i].CanonicalRecordID] = i
	}
	done := make([]bool, len(works))
	var out []tables.Record
	n := 0
	sc := pipeline.Scan[tables.Record](run, "records")
	for _, rows := range sc.Chunks() {
		out = out[:0]
		for i := range rows {
			if k, ok := byCanonical[rows[i].RecordID]; ok && !done[k] {
				out = append(out, WorkRecord(&works[k], &rows[i]))
				done[k] = true
			}
		}
		if err := enc.write(out); err != nil {
			return 0, err
		}
		n += len(out)
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	out = out[:0]
	for k := range works {
		if !done[k] {
			out = append(out, WorkRecord(&works[k], nil))
		}
	}
	if err := enc.write(out); err != nil {
		return 0, err
	}
	return n + len(out), enc.finish()
}

func lastRound(run *pipeline.Run) string {
	if n := len(run.Config.Rounds); n > 0 {
		return run.Config.Rounds[n-1].ID
	}
	return ""
}

// Encode writes rows in format ("ris" or "csv").
func Encode(format string, rows []tables.Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := newEncoder(format, &buf)
	err := enc.write(rows)
	if ferr := enc.finish(); err == nil {
		err = ferr
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WorkRecords turns works into one exportable record each (WorkRecord),
// sorted by work id, for `realsynth export` from committed tables.
func WorkRecords(works []tables.Work, records []tables.Record) []tables.Record {
	byID := make(map[string]int, len(records))
	for i := range records {
		byID[records[i].RecordID] = i
	}
	out := make([]tables.Record, 0, len(works))
	for i := range works {
		var canon *tables.Record
		if k, ok := byID[works[i].CanonicalRecordID]; ok {
			canon = &records[k]
		}
		out = append(out, WorkRecord(&works[i], canon))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].RecordID < out[j].RecordID })
	return out
}

// WorkRecord is a work as one exportable record: its canonical record (for
// its keywords, ISSN, URLs… that the works table does not carry; nil when
// not at hand), overlaid with the work's own canonical fields, with the
// work id as the record id, so that a tool's decisions can be joined back
// to works.
func WorkRecord(w *tables.Work, canon *tables.Record) tables.Record {
	var r tables.Record
	if canon != nil {
		r = cloneLists(*canon)
	}
	r.RecordID, r.WorkID = w.WorkID, w.WorkID
	setIf(&r.Title, w.Title)
	if len(w.Authors) > 0 {
		r.Authors = w.Authors
	}
	if w.Year != nil {
		r.Year = w.Year
	}
	setIf(&r.Journal, w.Journal)
	setIf(&r.Volume, w.Volume)
	setIf(&r.Issue, w.Issue)
	if w.Pages != "" && w.Pages != r.Pages {
		r.Pages, r.PageStart, r.PageEnd = w.Pages, "", "" // Complete expands them again
	}
	if w.DOI != "" && w.DOI != r.DOI {
		r.DOI, r.DOIs = w.DOI, []string{w.DOI}
	}
	setIf(&r.PMID, w.PMID)
	setIf(&r.Abstract, w.Abstract)
	r.Database = strings.Join(w.Databases, "; ")
	r.Round = w.FirstRound
	biblio.Complete(&r)
	return r
}

func setIf(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// cloneLists copies r with its own list backing arrays, so that completing
// the copy cannot touch the records table.
func cloneLists(r tables.Record) tables.Record {
	for _, l := range []*[]string{&r.Authors, &r.AuthorsNormalised, &r.DOIs, &r.ISSN, &r.ISBN,
		&r.Keywords, &r.URLs, &r.Notes, &r.PublicationType} {
		*l = append([]string(nil), (*l)...)
	}
	r.Extra = append([]tables.Field(nil), r.Extra...)
	return r
}
