// Package dedupe turns records into works: one per real publication,
// whatever the database, format or round that found it. See README.md.
package dedupe

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
)

// Params are the dedupe stage's settings.
type Params struct {
	Decisions      string `mapstructure:"decisions" doc:"CSV of human decisions (record_a,record_b,decision = same|different|same_study|different_study), relative to the config; empty for none"`
	MergePreprints bool   `mapstructure:"merge_preprints" doc:"merge a preprint into its journal article instead of linking them as related reports of one study"`
	MaxBlock       int    `mapstructure:"max_block" doc:"records sharing a blocking key beyond which only title-sorted neighbours are compared"`
	Incremental    bool   `mapstructure:"incremental" doc:"in an update run, compare only new or changed records and carry the pairs of the others from the previous output; false compares every pair again (same works)"`
	ReviewCSV      string `mapstructure:"review_csv" doc:"file name of the review queue written beside the tables as CSV, ready to fill in and use as decisions; empty for none"`
}

// Stage is the dedupe stage's entry point.
var Stage = pipeline.Stage{
	Name: "dedupe",
	Doc:  "de-duplicate records into works across databases and rounds, link related reports, count source overlap",
	Params: func() any {
		return &Params{MaxBlock: 64, Incremental: true, ReviewCSV: "dedupe_review.csv"}
	},
	Check: check,
	Run:   run,
}

func check(run *pipeline.Run, params any) error {
	p, err := pipeline.ParamsAs[Params](params)
	if err != nil {
		return err
	}
	if p.MaxBlock < 2 {
		return fmt.Errorf("dedupe: max_block is %d, want at least 2", p.MaxBlock)
	}
	if p.Decisions != "" {
		path := run.Path(p.Decisions)
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("dedupe: decisions file: %w", err)
		}
		if _, err := readDecisions(path); err != nil {
			return err
		}
	}
	return nil
}

func run(ctx context.Context, run *pipeline.Run, params any) error {
	p, err := pipeline.ParamsAs[Params](params)
	if err != nil {
		return err
	}
	n, ok := pipeline.Len(run, "records")
	if !ok {
		return fmt.Errorf("dedupe: no records table: the ingest stage must run first")
	}
	// opt is made elsewhere and only passed on: this frame then holds no
	// reference to the previous output, whose parts the engine drops after
	// their last use (see options.prev).
	opt, err := stageOptions(run, p, n)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	prog := run.Progress("dedupe", int64(n))
	res, timing, err := deduplicateFrom(ctx, scanRecords(run), opt)
	if err != nil {
		return err // the runner names the stage: "stage dedupe: …"
	}
	prog.Add(int64(n))
	prog.Done()
	run.Log.Info("dedupe compared", "records", n, "pairs", res.stats.pairs,
		"pairs_per_record", perRecord(res.stats.pairs, n), "incremental", res.stats.incremental,
		"carried_pairs", res.stats.carried, "ended_by", res.stats.String())
	run.Log.Info("dedupe time", "phases", timing.Phases(), "rule_shares", timing.RuleShares())
	for _, w := range res.warnings {
		run.Warn("dedupe: %s", w)
	}
	if msg := bridgesWarning(res.bridges); msg != "" {
		run.WarnN("work_bridges", len(res.bridges), "%s", msg)
	}
	puts := []error{
		pipeline.SetStrings(run, "records", "work_id", res.workOf),
		pipeline.PutChunked(run, "works", res.works),
		pipeline.PutChunked(run, "duplicate_pairs", res.pairs),
		pipeline.Put(run, "review_queue", res.review),
		pipeline.Put(run, "work_bridges", res.bridges),
		pipeline.Put(run, "source_contribution", res.contribution),
		pipeline.Put(run, "source_overlap", res.overlap),
	}
	for _, err := range puts {
		if err != nil {
			return err
		}
	}
	if p.ReviewCSV != "" {
		run.PutFile(p.ReviewCSV, reviewCSV(res.review))
	}
	return nil
}

// stageOptions are the engine's options for this run: p, the team's
// decisions and the previous committed output.
func stageOptions(run *pipeline.Run, p *Params, n int) (options, error) {
	spill, err := run.Spill()
	if err != nil {
		return options{}, err
	}
	opt := options{
		spill:          spill,
		mergePreprints: p.MergePreprints,
		maxBlock:       p.MaxBlock,
		incremental:    p.Incremental,
		sizeHint:       n,
		roundIndex: func(id string) int {
			if i := run.Config.RoundIndex(id); i >= 0 {
				return i
			}
			return len(run.Config.Rounds)
		},
	}
	if p.Decisions != "" {
		opt.decisions, err = readDecisions(run.Path(p.Decisions))
		if err != nil {
			return options{}, err
		}
	}
	if err := loadPrevious(run, &opt); err != nil {
		return options{}, err
	}
	return opt, nil
}

// loadPrevious reads what dedupe needs of the previous committed output:
// each record's work (work ids never change) and the fields the matching
// reads, the works' studies and first rounds, and the duplicate pairs an
// update run carries (see update.go).
func loadPrevious(run *pipeline.Run, opt *options) error {
	// Records and pairs are read a batch at a time: a million previous
	// records, and their pairs as rows, held whole were gigabytes more
	// at the start of the stage.
	prev := map[string]prevState{}
	ok, err := pipeline.ScanPrevious(run, "records", func(rows []previousRecord) error {
		addPrevious(prev, rows)
		return nil
	})
	if err != nil {
		return err
	}
	if !ok {
		return nil // a first run
	}
	works, _, err := pipeline.Previous[previousWork](run, "works")
	if err != nil {
		return err
	}
	pairs, names := []previousPair{}, interner{}
	havePairs, err := pipeline.ScanPrevious(run, "duplicate_pairs", func(rows []tables.DuplicatePair) error {
		pairs = appendPreviousPairs(pairs, rows, names)
		return nil
	})
	if err != nil {
		return err
	}
	opt.prev, opt.prevWorks = prev, worksByID(works)
	if havePairs {
		opt.prevPairs = pairs
	}
	return nil
}

// recordSource is how dedupe receives the records table: chunk by chunk,
// in table order, each chunk decoded with only the named columns (all when
// none are named). start is the row number of the chunk's first row; the
// rows are reused for the next chunk, but their strings and slices may be
// kept. Records are never all in memory as structs at once.
type recordSource func(columns []string, each func(start int, rows []tables.Record) error) error

// scanRecords is the run's records table as a recordSource.
func scanRecords(run *pipeline.Run) recordSource {
	return func(columns []string, each func(start int, rows []tables.Record) error) error {
		sc := pipeline.Scan[tables.Record](run, "records", columns...)
		for start, rows := range sc.Chunks() {
			if err := each(start, rows); err != nil {
				return err
			}
		}
		return sc.Err()
	}
}

// bridgesWarning is one warning for the new records that match records of
// two or more earlier works, naming the first few: an update run at a
// million records logged a line per record.
func bridgesWarning(bridges []tables.WorkBridge) string {
	if len(bridges) == 0 {
		return ""
	}
	const named = 5
	var b strings.Builder
	fmt.Fprintf(&b, "dedupe: %d new record(s) match records of two or more earlier works, which are kept apart (see work_bridges): ", len(bridges))
	for i, br := range bridges[:min(named, len(bridges))] {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s matches %s", br.RecordID, strings.Join(br.BridgedWorkIDs, ", "))
	}
	if len(bridges) > named {
		fmt.Fprintf(&b, "; and %d more", len(bridges)-named)
	}
	return b.String()
}

// perRecord is pairs per record, rounded to two decimals for the log.
func perRecord(pairs int64, records int) float64 {
	if records == 0 {
		return 0
	}
	return float64(int64(float64(pairs)/float64(records)*100+0.5)) / 100
}
