package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages"
	"github.com/realsynth/realsynth/stages/report"
)

type runFlags struct {
	config string
	out    string
	set    []string
	quiet  bool
}

func (f *runFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.config, "config", "c", "", "review config file (YAML)")
	cmd.Flags().StringArrayVar(&f.set, "set", nil, "override a setting, key.path=value (repeatable), e.g. --set stages.ingest.fail_on_quarantine=true")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "print warnings and errors only: no progress, no info lines, no summary (for cron)")
}

func (f *runFlags) load() (*pipeline.Plan, error) {
	if f.config == "" {
		return nil, usageError{fmt.Errorf("--config FILE is required")}
	}
	overrides := append([]string(nil), f.set...)
	if f.out != "" {
		abs, err := filepath.Abs(f.out)
		if err != nil {
			return nil, usageError{err}
		}
		overrides = append(overrides, "output="+abs)
	}
	return pipeline.Load(f.config, stages.Pipeline, overrides)
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run --config FILE [--out DIR]",
		Short: "Run the pipeline and commit its tables to the output folder",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			plan, err := f.load()
			if err != nil {
				return err
			}
			log := newLogger(f.quiet)
			run := pipeline.NewRun(plan.Config, log, progressFor(f.quiet, log))
			defer run.Close()
			res, err := pipeline.Execute(cmd.Context(), plan, run)
			if err != nil {
				return showPaths(plan.Config, err)
			}
			if f.quiet {
				return nil
			}
			return printSummary(cmd.OutOrStdout(), res)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVarP(&f.out, "out", "o", "", "output folder (overrides output: in the config)")
	return cmd
}

// progressFor is no progress at all with -q, else a bar on a terminal and log lines elsewhere.
func progressFor(quiet bool, log *slog.Logger) pipeline.ProgressFactory {
	if quiet {
		return nil
	}
	return pipeline.NewProgressFactory(log)
}

func newValidateCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "validate --config FILE",
		Short: "Check the config and read every input, without writing anything",
		Long: `validate loads the config strictly, checks every stage's parameters and
inputs, then runs the stages in memory and reports what a run would produce.
Nothing is written.`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			plan, err := f.load()
			if err != nil {
				return err
			}
			// Warnings are printed once, below, with the report; the log
			// keeps the rest.
			log := slog.New(dropWarnings{newLogger(f.quiet).Handler()})
			run := pipeline.NewRun(plan.Config, log, progressFor(f.quiet, log))
			defer run.Close()
			run.DryRun = true
			if err := pipeline.Check(plan, run); err != nil {
				return showPaths(plan.Config, err)
			}
			for _, st := range plan.Steps {
				if st.Enabled {
					if err := st.Stage.Run(cmd.Context(), run, st.Params); err != nil {
						return showPaths(plan.Config, fmt.Errorf("stage %s: %w", st.Stage.Name, err))
					}
				}
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "config %s is valid\n", pipeline.DisplayPath(plan.Config.Path))
			printRecordCounts(w, run)
			for _, msg := range run.Warnings() {
				fmt.Fprintln(w, "warning:", plan.Config.ShowPaths(msg))
			}
			return nil
		},
	}
	f.register(cmd)
	return cmd
}

// shownError is an error whose message shows paths as the user can open
// them (see pipeline.Config.ShowPaths); it unwraps to the original, so the
// exit code still follows its kind.
type shownError struct {
	error
	text string
}

func (e shownError) Error() string { return e.text }
func (e shownError) Unwrap() error { return e.error }

func showPaths(cfg *pipeline.Config, err error) error {
	return shownError{err, cfg.ShowPaths(err.Error())}
}

// dropWarnings is a log handler without the warning level, for commands
// that print their run's warnings themselves.
type dropWarnings struct{ slog.Handler }

func (d dropWarnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l != slog.LevelWarn && d.Handler.Enabled(ctx, l)
}

// printSummary is the one-screen report `make run` ends with: records per
// round and database, the PRISMA line, the headline numbers, the warnings by
// kind, and where the tables and report.html are.
func printSummary(w io.Writer, res *pipeline.Result) error {
	fmt.Fprintf(w, "\nrealsynth %s — %s\n", pipeline.Version, res.Manifest.Review)
	printRecordCounts(w, res.Run)
	fmt.Fprintln(w)
	for _, line := range prismaLines(res.Run) {
		fmt.Fprintln(w, line)
	}
	if line := headline(res.Run); line != "" {
		fmt.Fprintln(w, line)
	}
	if kinds := res.Manifest.WarningKinds; len(kinds) > 0 {
		total := 0
		for _, k := range kinds {
			total += k.Count
		}
		fmt.Fprintf(w, "\nWarnings by kind (%d; every one in manifest.json and report.html):\n", total)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, k := range kinds {
			first := res.Run.Config.ShowPaths(k.Messages[0])
			if len(k.Messages) > 1 {
				first = fmt.Sprintf("%s (+%d more)", first, len(k.Messages)-1)
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\n", strings.ReplaceAll(k.Kind, "_", " "), k.Count, cut(first, 110))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\nWritten to %s: %d tables (row counts in manifest.json)", res.Output, len(res.Manifest.Tables))
	for _, f := range res.Manifest.Files {
		if f.File == report.File {
			fmt.Fprintf(w, "\nReport: %s", filepath.Join(res.Output, f.File))
		}
	}
	fmt.Fprintf(w, "\nDone in %.1fs.\n", res.Manifest.Seconds)
	return nil
}

// cut shortens s to at most n runes, marking the cut.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// prismaLines are the PRISMA 2020 flow in one line: cumulative over all
// rounds, and the latest round on its own when there are several.
func prismaLines(run *pipeline.Run) []string {
	rows, ok, _ := pipeline.Get[tables.PrismaCount](run, "prisma")
	n := len(run.Config.Rounds)
	if !ok || n == 0 {
		return nil
	}
	latest := run.Config.Rounds[n-1].ID
	box := func(scope, name string) int64 {
		for _, r := range rows {
			if r.Scope == scope && r.Round == latest && r.Box == name && r.Label == "" {
				return r.N
			}
		}
		return 0
	}
	lines := []string{fmt.Sprintf("PRISMA, all rounds to %s: %d identified → %d duplicates → %d screened → %d studies included (%d reports)",
		latest, box("cumulative", "database_results"), box("cumulative", "duplicates"), box("cumulative", "records_screened"),
		box("cumulative", "total_studies"), box("cumulative", "total_reports"))}
	if n > 1 {
		lines = append(lines, fmt.Sprintf("PRISMA, round %s alone: %d identified → %d duplicates → %d screened → %d new studies included",
			latest, box("round", "database_results"), box("round", "duplicates"), box("round", "records_screened"), box("round", "new_studies")))
	}
	return lines
}

// headline gives the numbers a team looks for first after a round beside
// the PRISMA line: works, how many are new in the latest round (to screen),
// and demi-regularity candidates. Parts whose stage did not run are left out.
func headline(run *pipeline.Run) string {
	var parts []string
	if n, ok := pipeline.Len(run, "works"); ok {
		last := ""
		if n := len(run.Config.Rounds); n > 0 {
			last = run.Config.Rounds[n-1].ID
		}
		type workRound struct {
			FirstRound string `table:"first_round"`
		}
		fresh := 0
		sc := pipeline.Scan[workRound](run, "works")
		for _, rows := range sc.Chunks() {
			for _, wk := range rows {
				if wk.FirstRound == last {
					fresh++
				}
			}
		}
		parts = append(parts, fmt.Sprintf("%d works (%d first found in %s)", n, fresh, last))
	}
	if cands, ok, _ := pipeline.Get[tables.DemiRegularityCandidate](run, "demi_regularity_candidates"); ok {
		parts = append(parts, fmt.Sprintf("%d demi-regularity candidates", len(cands)))
	}
	return strings.Join(parts, " · ")
}

// printRecordCounts shows records per round and database, and quarantine.
func printRecordCounts(w io.Writer, run *pipeline.Run) {
	quarantine, _, _ := pipeline.Get[tables.Quarantine](run, "quarantine")
	type key struct{ round, db string }
	recs, bad := map[key]int{}, map[key]int{}
	var keys []key
	// Only the two columns counted are read: records is the largest table.
	type recordSource struct {
		Round    string `table:"round"`
		Database string `table:"database"`
	}
	nRecords := 0
	sc := pipeline.Scan[recordSource](run, "records")
	for _, rows := range sc.Chunks() {
		for _, r := range rows {
			k := key{r.Round, r.Database}
			if recs[k]+bad[k] == 0 {
				keys = append(keys, k)
			}
			recs[k]++
		}
		nRecords += len(rows)
	}
	for _, q := range quarantine {
		k := key{q.Round, q.Database}
		if recs[k]+bad[k] == 0 {
			keys = append(keys, k)
		}
		bad[k]++
	}
	sort.SliceStable(keys, func(i, j int) bool {
		ri, rj := run.Config.RoundIndex(keys[i].round), run.Config.RoundIndex(keys[j].round)
		if ri != rj {
			return ri < rj
		}
		return keys[i].db < keys[j].db
	})
	fmt.Fprintln(w, "\nRecords by round and database:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  round\tdatabase\trecords\tquarantined")
	for _, k := range keys {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\n", k.round, k.db, recs[k], bad[k])
	}
	fmt.Fprintf(tw, "  all\t\t%d\t%d\n", nRecords, len(quarantine))
	tw.Flush()
}

func newStagesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "stages",
		Short: "List the pipeline's stages, their parameters, defaults and docs",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := cmd.OutOrStdout()
			for i, st := range stages.Pipeline {
				fmt.Fprintf(w, "%d. %s — %s\n", i+1, st.Name, st.Doc)
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				fmt.Fprintf(tw, "   stages.%s.enabled\ttrue/false\ttrue\trun this stage\n", st.Name)
				for _, p := range pipeline.DescribeParams(st.Params()) {
					def := p.Default
					if def == "" {
						def = "-"
					}
					fmt.Fprintf(tw, "   stages.%s.%s\t%s\t%s\t%s\n", st.Name, p.Key, p.Type, def, p.Doc)
				}
				tw.Flush()
			}
			return nil
		},
	}
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print realsynth's version",
		Args:  exactArgs(0),
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "realsynth %s\n", pipeline.Version)
		},
	}
}
