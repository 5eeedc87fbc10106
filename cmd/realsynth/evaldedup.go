package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
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
		showMisses    bool
	)
	cmd := &cobra.Command{
		Use:   "eval-dedup DIR...",
		Short: "Score de-duplication on labelled sets: pairwise precision, recall, F1 and false merges",
		Long: `Reads each labelled set (DIR/records_pre_merged.csv, DIR/merged_record_ids.csv),
shuffles its records with a fixed seed, runs the dedupe stage with its
default parameters and compares the works with the gold groups over all
record pairs. A false merge is a pair put in one work that no gold group
joins. Exits with an error when any set has a false merge.

--studies adds a row per set scoring studies (works joined as related
reports); there "false merges" counts related-report links that no gold
group makes: the gold sets group some errata with their article and leave
others apart. --misses counts the gold pairs left apart by the decision and
rule of their duplicate_pairs row.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			out := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(out, "set\trecords\tgold pairs\tmerged pairs\tprecision\trecall\tF1\tfalse merges\t")
			falseMerges := int64(0)
			var missReports []string
			for _, dir := range args {
				set, err := labelled.Load(dir)
				if err != nil {
					return err
				}
				set.Shuffle(seed)
				workOf, studyOf, pairs, err := dedupeSet(cmd.Context(), set.Records)
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
				if showMisses {
					missReports = append(missReports, missedByRule(set.Name, set.Missed(workOf), pairs))
				}
			}
			if err := out.Flush(); err != nil {
				return err
			}
			for _, r := range missReports {
				fmt.Fprint(cmd.OutOrStdout(), "\n"+r)
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
	fl.BoolVar(&showMisses, "misses", false, "also count the gold pairs not merged by the decision and rule that kept each apart")
	fl.BoolVar(&showStudyRows, "studies", false, "also score studies (works joined as related reports: erratum, reply, preprint, abstract) against the gold groups")
	return cmd
}

type scoreRow struct {
	name string
	m    labelled.Metrics
}

// missedByRule counts the missed gold pairs by the duplicate_pairs row that
// decided them, so a reader sees which misses are guards doing their job
// (an erratum is not its article) and which are rules too timid.
func missedByRule(set string, missed [][2]string, pairs []tables.DuplicatePair) string {
	why := make(map[[2]string]string, len(pairs))
	for _, p := range pairs {
		why[[2]string{p.RecordA, p.RecordB}] = p.Decision + "\t" + p.Rule
	}
	count := map[string]int{}
	for _, m := range missed {
		w, ok := why[m]
		if !ok {
			w = "distinct\t(titles under 0.85 alike, or never compared)"
		}
		count[w]++
	}
	keys := slices.Sorted(maps.Keys(count))
	slices.SortStableFunc(keys, func(a, b string) int { return count[b] - count[a] })
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d gold pairs not merged, by the decision that kept them apart\n", set, len(missed))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, k := range keys {
		fmt.Fprintf(tw, "  %d\t%s\n", count[k], k)
	}
	tw.Flush()
	return b.String()
}

// dedupeSet runs the dedupe stage on records and returns each record's work
// and study, and the compared pairs.
func dedupeSet(ctx context.Context, records []tables.Record) (workOf, studyOf map[string]string, pairs []tables.DuplicatePair, err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	run := pipeline.NewRun(&pipeline.Config{}, nil, nil)
	if err := pipeline.Put(run, "records", records); err != nil {
		return nil, nil, nil, err
	}
	params := dedupe.Stage.Params()
	p := params.(*dedupe.Params)
	p.ReviewCSV = ""
	if err := dedupe.Stage.Run(ctx, run, params); err != nil {
		return nil, nil, nil, err
	}
	recs, _, err := pipeline.Get[tables.Record](run, "records")
	if err != nil {
		return nil, nil, nil, err
	}
	works, _, err := pipeline.Get[tables.Work](run, "works")
	if err != nil {
		return nil, nil, nil, err
	}
	pairs, _, err = pipeline.Get[tables.DuplicatePair](run, "duplicate_pairs")
	if err != nil {
		return nil, nil, nil, err
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
	return workOf, studyOf, pairs, nil
}
