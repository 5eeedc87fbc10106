package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/pipeline/table"
)

// Input is everything report.html is drawn from: the run's typed tables and
// what the manifest says about the run. It is filled either from a run in
// progress (FromRun) or from a committed output folder (FromDir), so both
// give the same page.
type Input struct {
	Review   string
	Version  string
	Rounds   []pipeline.ManifestRound
	Inputs   []pipeline.InputFile
	Warnings []pipeline.WarningKind
	// Rows counts the rows of every table the run wrote; a table absent
	// here was not written (its stage was off).
	Rows map[string]int // keys are table names from internal/tables, never user data

	Quarantine     []tables.Quarantine
	Works          []workRow
	Queue          []tables.ReviewItem
	Bridges        []tables.WorkBridge
	Contribution   []tables.SourceContribution
	Overlap        []tables.SourceOverlap
	Unmatched      []tables.UnmatchedVote
	Decisions      []tables.Decision
	Agreement      []tables.Agreement
	Prisma         []tables.PrismaCount
	Tally          []tables.ThemeTally
	Chains         []tables.CMOChain
	Candidates     []tables.DemiRegularityCandidate
	Contradictions []tables.Contradiction
	Matrix         []tables.StudyTheme
	Scale          []tables.ScaleSummary
	Saturation     []tables.Saturation
	Changes        []tables.Change

	// Pairs is what the page shows of duplicate_pairs, read after Queue:
	// the pairs shown are the queue's first ones.
	Pairs pairSummary
}

// workRow is what the page shows of a work: reading into it decodes 5 of
// the works table's columns, chunk by chunk. Whole Work rows of a
// million-record review (600k works) were 240 MB of structs, and reading
// their columns whole took a redrawn page's process to 1.4 GB.
type workRow struct {
	WorkID     string `table:"work_id"`
	StudyID    string `table:"study_id"`
	Title      string `table:"title,optional"`
	Year       *int32 `table:"year"`
	ReportKind string `table:"report_kind"`
}

// drawnFrom lists the tables the page reads whole, by name. records and
// votes are not among them: their counts come from the inputs and other
// tables, so rewriting the page does not load the biggest tables. Nor are
// works, read chunk by chunk as workRows, or duplicate_pairs, which
// summarizePairs streams.
func (in *Input) drawnFrom() []struct {
	name string
	dst  any // *[]Row
} {
	return []struct {
		name string
		dst  any
	}{
		{"quarantine", &in.Quarantine},
		{"review_queue", &in.Queue}, {"work_bridges", &in.Bridges}, {"source_contribution", &in.Contribution},
		{"source_overlap", &in.Overlap}, {"unmatched_votes", &in.Unmatched}, {"decisions", &in.Decisions},
		{"agreement", &in.Agreement}, {"prisma", &in.Prisma}, {"theme_tally", &in.Tally},
		{"cmo_chains", &in.Chains}, {"demi_regularity_candidates", &in.Candidates},
		{"contradictions", &in.Contradictions}, {"study_theme_matrix", &in.Matrix},
		{"scale_summary", &in.Scale}, {"saturation", &in.Saturation}, {"changes", &in.Changes},
	}
}

// FromRun gathers the input from a run whose stages have all run.
func FromRun(run *pipeline.Run) (*Input, error) {
	cfg := run.Config
	in := &Input{Review: cfg.Review, Version: pipeline.Version, Inputs: run.Inputs(),
		Warnings: pipeline.GroupWarnings(run.WarningList()), Rows: map[string]int{}}
	for _, r := range cfg.Rounds {
		in.Rounds = append(in.Rounds, pipeline.ManifestRound{ID: r.ID, Date: r.Date})
	}
	for _, spec := range tables.Catalog() {
		if n, ok := pipeline.Len(run, spec.Name); ok {
			in.Rows[spec.Name] = n
		}
	}
	for _, t := range in.drawnFrom() {
		rows, ok := run.Table(t.name)
		if !ok {
			continue
		}
		dst := reflect.ValueOf(t.dst).Elem()
		if reflect.TypeOf(rows) != dst.Type() {
			return nil, fmt.Errorf("internal error: table %s holds %T, want %v", t.name, rows, dst.Type())
		}
		dst.Set(reflect.ValueOf(rows))
	}
	var err error
	if in.Works, err = pipeline.Scan[workRow](run, "works").All(); err != nil {
		return nil, err
	}
	if in.Pairs, err = summarizePairs(top(in.Queue), scanRun[pairRow](run, "duplicate_pairs")); err != nil {
		return nil, err
	}
	return in, nil
}

// FromDir reads a committed output folder: its manifest.json and the
// Parquet tables it lists.
func FromDir(dir string) (*Input, error) {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s has no manifest.json: it is not an output folder realsynth wrote", dir)
	}
	if err != nil {
		return nil, err
	}
	var m pipeline.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	in := &Input{Review: m.Review, Version: m.Version, Rounds: m.Rounds, Inputs: m.Inputs, Warnings: m.WarningKinds, Rows: map[string]int{}}
	if in.Warnings == nil && len(m.Warnings) > 0 {
		// A manifest written before warnings had kinds.
		in.Warnings = []pipeline.WarningKind{{Kind: "warning", Count: len(m.Warnings), Messages: m.Warnings}}
	}
	files := map[string]string{}
	for _, t := range m.Tables {
		in.Rows[t.Name] = t.Rows
		files[t.Name] = t.File
	}
	for _, t := range in.drawnFrom() {
		file, ok := files[t.name]
		if !ok {
			continue
		}
		dst := reflect.ValueOf(t.dst).Elem()
		rows, err := table.ReadAny(filepath.Join(dir, file), dst.Type().Elem())
		if err != nil {
			return nil, err
		}
		dst.Set(rows)
	}
	if in.Works, err = readAll(scanDir[workRow](dir, files, "works")); err != nil {
		return nil, err
	}
	if in.Pairs, err = summarizePairs(top(in.Queue), scanDir[pairRow](dir, files, "duplicate_pairs")); err != nil {
		return nil, err
	}
	return in, nil
}

// scanTable passes each chunk of a table to each, in table order; a
// chunk's rows are reused for the next one (pipeline.Scan, table.ScanFile).
// A table that was not written scans as empty. The page reads its two
// largest tables (works, duplicate_pairs) this way, from a run or from a
// folder alike.
type scanTable[T any] func(each func(rows []T) error) error

// scanRun scans the run's table name as rows of T.
func scanRun[T any](run *pipeline.Run, name string) scanTable[T] {
	return func(each func([]T) error) error {
		sc := pipeline.Scan[T](run, name)
		for _, rows := range sc.Chunks() {
			if err := each(rows); err != nil {
				return err
			}
		}
		return sc.Err()
	}
}

// scanDir scans the table name of a committed folder (files: its tables'
// files by name, from the manifest) as rows of T.
func scanDir[T any](dir string, files map[string]string, name string) scanTable[T] {
	return func(each func([]T) error) error {
		file, ok := files[name]
		if !ok {
			return nil // its stage was off
		}
		return table.ScanFile(filepath.Join(dir, file), each)
	}
}

// readAll collects a scanned table's rows.
func readAll[T any](scan scanTable[T]) ([]T, error) {
	var all []T
	err := scan(func(rows []T) error {
		all = append(all, rows...)
		return nil
	})
	return all, err
}
