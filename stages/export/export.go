// Package export writes the de-duplicated set (the works table) or the
// records table back out as RIS or CSV, for import into EndNote, Zotero,
// Rayyan or Covidence. It is the pipeline's way out; `realsynth export` does
// the same from a committed Parquet table.
package export

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats/csv"
	"github.com/realsynth/realsynth/internal/formats/ris"
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

// Export writes the chosen table with run.PutFile.
func Export(_ context.Context, run *pipeline.Run, params any) error {
	p, err := pipeline.ParamsAs[Params](params)
	if err != nil {
		return err
	}
	name, data, rows, err := build(run, p)
	if err != nil {
		return err
	}
	run.PutFile(name, data)
	run.Log.Info("export", "format", p.Format, "rows", rows, "file", name)
	return nil
}

// build encodes the table p names and returns the output file's name.
func build(run *pipeline.Run, p *Params) (name string, data []byte, n int, err error) {
	if err := p.validate(); err != nil {
		return "", nil, 0, err
	}
	records, haveRecords, err := pipeline.Get[tables.Record](run, "records")
	if err != nil {
		return "", nil, 0, err
	}
	works, haveWorks, err := pipeline.Get[tables.Work](run, "works")
	if err != nil {
		return "", nil, 0, err
	}
	table := p.Table
	if table == "" {
		table = "records"
		if haveWorks {
			table = "works"
		}
	}
	var rows []tables.Record
	switch {
	case table == "works" && !haveWorks:
		return "", nil, 0, fmt.Errorf("stages.export.table is works, but no works table was made (is the dedupe stage enabled?)")
	case table == "works":
		if p.OnlyNew {
			works = firstFoundIn(works, lastRound(run))
		}
		rows = WorkRecords(works, records)
	case !haveRecords:
		return "", nil, 0, fmt.Errorf("no records table to export (is the ingest stage enabled?)")
	default:
		rows = append([]tables.Record(nil), records...)
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].RecordID < rows[j].RecordID })
	}
	data, err = Encode(p.Format, rows)
	if err != nil {
		return "", nil, 0, err
	}
	name = p.File
	if name == "" {
		name = table + "." + p.Format
	}
	return name, data, len(rows), nil
}

func lastRound(run *pipeline.Run) string {
	if n := len(run.Config.Rounds); n > 0 {
		return run.Config.Rounds[n-1].ID
	}
	return ""
}

// firstFoundIn keeps the works first found in round.
func firstFoundIn(works []tables.Work, round string) []tables.Work {
	var kept []tables.Work
	for _, w := range works {
		if w.FirstRound == round {
			kept = append(kept, w)
		}
	}
	return kept
}

// Encode writes rows in format ("ris" or "csv").
func Encode(format string, rows []tables.Record) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "ris":
		err = ris.Write(&buf, rows)
	case "csv":
		err = csv.Write(&buf, rows)
	default:
		return nil, fmt.Errorf("export format %q is not ris or csv", format)
	}
	return buf.Bytes(), err
}

// WorkRecords turns works into one exportable record each: the work's
// canonical record (for its keywords, ISSN, URLs… that the works table does
// not carry), overlaid with the work's own canonical fields, with the work
// id as the record id, so that a tool's decisions can be joined back to
// works. Sorted by work id.
func WorkRecords(works []tables.Work, records []tables.Record) []tables.Record {
	byID := make(map[string]int, len(records))
	for i := range records {
		byID[records[i].RecordID] = i
	}
	out := make([]tables.Record, 0, len(works))
	for _, w := range works {
		var r tables.Record
		if i, ok := byID[w.CanonicalRecordID]; ok {
			r = cloneLists(records[i])
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
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].RecordID < out[j].RecordID })
	return out
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
