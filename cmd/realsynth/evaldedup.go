package main

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os"
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
			for _, dir := range args {
				if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
					return usageError{fmt.Errorf("%s is not a folder: name folders of labelled sets (records_pre_merged.csv, merged_record_ids.csv); the team's are in the shared reference data, shared/data/dedup-dev beside this checkout", dir)}
				}
			}
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
					missReports = append(missReports, missedByRule(set, rows[0].m, set.Missed(workOf), pairs))
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

// missedByRule counts the missed gold pairs by the decision and rule that
// kept them apart, so a reader sees which misses are guards doing their
// job (an erratum is not its article) and which are rules too timid. Gold
// groups of some sets join reports that domain.md says are not
// duplicates; the last line scores recall over the gold pairs that are,
// leaving out the misses whose rule names two different reports.
func missedByRule(set *labelled.Set, m labelled.Metrics, missed [][2]string, pairs []tables.DuplicatePair) string {
	type reason struct {
		decision, rule string
		different      bool
	}
	count := map[reason]int{}
	different := 0
	for _, x := range dedupe.ExplainMisses(set.Records, pairs, missed) {
		r := reason{x.Decision, x.Rule, x.DifferentReports}
		if !x.Written {
			r.rule += " (pair not written)"
		}
		count[r]++
		if x.DifferentReports {
			different++
		}
	}
	keys := slices.SortedFunc(maps.Keys(count), func(a, b reason) int {
		return cmp.Or(count[b]-count[a], strings.Compare(a.decision, b.decision), strings.Compare(a.rule, b.rule))
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d gold pairs not merged, by the decision that kept them apart\n", set.Name, len(missed))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, k := range keys {
		kind := "missed duplicate"
		if k.different {
			kind = "different reports"
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\n", count[k], k.decision, k.rule, kind)
	}
	tw.Flush()
	dups := m.GoldPairs - int64(different)
	recall := 1.0
	if dups > 0 {
		recall = float64(m.TruePairs) / float64(dups)
	}
	fmt.Fprintf(&b, "  recall over the gold pairs domain.md counts as duplicates (%d missed pairs join different reports): %d/%d = %.4f\n",
		different, m.TruePairs, dups, recall)
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
