package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages/dedupe"
	"github.com/realsynth/realsynth/stages/dedupe/labelled"
)

// newEvalDedupCmd returns `realsynth eval-dedup DIR...`, which scores the
// dedupe stage on labelled sets (records_pre_merged.csv and
// merged_record_ids.csv in each DIR).
func newEvalDedupCmd() *cobra.Command {
	var (
		seed          uint64
		allowFalse    bool
		showStudyRows bool
	)
	cmd := &cobra.Command{
		Use:   "eval-dedup DIR...",
		Short: "Score de-duplication on labelled sets: pairwise precision, recall, F1 and false merges",
		Long: `Reads each labelled set (DIR/records_pre_merged.csv, DIR/merged_record_ids.csv),
shuffles its records with a fixed seed, runs the dedupe stage with its
default parameters and compares the works with the gold groups over all
record pairs. A false merge is a pair put in one work that no gold group
joins. Exits with an error when any set has a false merge.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			out := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(out, "set\trecords\tgold pairs\tmerged pairs\tprecision\trecall\tF1\tfalse merges\t")
			falseMerges := int64(0)
			for _, dir := range args {
				set, err := labelled.Load(dir)
				if err != nil {
					return err
				}
				set.Shuffle(seed)
				workOf, studyOf, err := dedupeSet(cmd.Context(), set.Records)
				if err != nil {
					return fmt.Errorf("%s: %w", dir, err)
				}
				rows := []scoreRow{{set.Name, set.Score(workOf)}}
				if showStudyRows {
					rows = append(rows, scoreRow{set.Name + " (studies)", set.Score(studyOf)})
				}
				for _, r := range rows {
					m := r.m
					fmt.Fprintf(out, "%s\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\t%d\t\n", r.name, m.Records, m.GoldPairs, m.PredictedPairs, m.Precision, m.Recall, m.F1, m.FalseMerges)
				}
				falseMerges += rows[0].m.FalseMerges
			}
			if err := out.Flush(); err != nil {
				return err
			}
			if falseMerges > 0 && !allowFalse {
				return fmt.Errorf("%d false merges", falseMerges)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.Uint64Var(&seed, "seed", 20260101, "seed of the shuffle applied to each set's records")
	fl.BoolVar(&allowFalse, "allow-false-merges", false, "exit 0 even when a set has false merges")
	fl.BoolVar(&showStudyRows, "studies", false, "also score studies (works joined as related reports: erratum, reply, preprint, abstract) against the gold groups")
	return cmd
}

type scoreRow struct {
	name string
	m    labelled.Metrics
}

// dedupeSet runs the dedupe stage on records and returns each record's work
// and study.
func dedupeSet(ctx context.Context, records []tables.Record) (workOf, studyOf map[string]string, err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	run := pipeline.NewRun(&pipeline.Config{}, nil, nil)
	if err := pipeline.Put(run, "records", records); err != nil {
		return nil, nil, err
	}
	params := dedupe.Stage.Params()
	p := params.(*dedupe.Params)
	p.ReviewCSV = ""
	if err := dedupe.Stage.Run(ctx, run, params); err != nil {
		return nil, nil, err
	}
	recs, _, err := pipeline.Get[tables.Record](run, "records")
	if err != nil {
		return nil, nil, err
	}
	works, _, err := pipeline.Get[tables.Work](run, "works")
	if err != nil {
		return nil, nil, err
	}
	study := make(map[string]string, len(works))
	for _, w := range works {
		study[w.WorkID] = w.StudyID
	}
	workOf = make(map[string]string, len(recs))
	studyOf = make(map[string]string, len(recs))
	for _, r := range recs {
		workOf[r.RecordID] = r.WorkID
		studyOf[r.RecordID] = study[r.WorkID]
	}
	return workOf, studyOf, nil
}
