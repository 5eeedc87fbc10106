// Package report is the last stage of a run: it compares the run with the
// previous committed output (the changes table) and draws report.html, one
// self-contained page for the team's meeting after a search round, from the
// run's typed tables. `realsynth report DIR` draws the same page from a
// committed output folder (FromDir), without re-running anything.
package report

import (
	"context"
	"fmt"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
)

// File is the page's name in the output folder.
const File = "report.html"

// Params: the report has no settings; the page is the same for every review
// so that `realsynth report DIR` redraws it byte for byte without the config.
type Params struct{}

// Stage is the report stage's entry point.
var Stage = pipeline.Stage{
	Name:   "report",
	Doc:    "compare with the previous output (changes) and draw report.html, one page for the team's meeting",
	Params: func() any { return &Params{} },
	Run:    Run,
}

// Run computes the changes table and puts report.html among the run's files.
func Run(ctx context.Context, run *pipeline.Run, _ any) error {
	var cur current
	var err error
	sc := pipeline.Scan[tables.Record](run, "records", "record_id", "database", "work_id")
	cur.records = func(yield func(*tables.Record) bool) {
		for _, rows := range sc.Chunks() {
			for i := range rows {
				if !yield(&rows[i]) {
					return
				}
			}
		}
	}
	if cur.decisions, _, err = pipeline.Get[tables.Decision](run, "decisions"); err != nil {
		return err
	}
	if cur.candidates, _, err = pipeline.Get[tables.DemiRegularityCandidate](run, "demi_regularity_candidates"); err != nil {
		return err
	}
	prev, err := readPrevious(run)
	if err != nil {
		return err
	}
	changes := Changes(cur, prev)
	if err := sc.Err(); err != nil {
		return err
	}
	if err := pipeline.Put(run, "changes", changes); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	in, err := FromRun(run)
	if err != nil {
		return err
	}
	page, err := Render(in)
	if err != nil {
		return fmt.Errorf("drawing %s: %w", File, err)
	}
	run.PutFile(File, page)
	return nil
}
