package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/realsynth/realsynth/internal/agreement"
)

// newAgreeCmd returns `realsynth agree`, which prints inter-rater agreement
// statistics for a ratings CSV.
func newAgreeCmd() *cobra.Command {
	var (
		asJSON, counts, transpose, exchangeable bool
		categories                              []string
	)
	cmd := &cobra.Command{
		Use:   "agree FILE.csv",
		Short: "Inter-rater agreement: percent agreement, Cohen's/weighted/Fleiss'/Conger's kappa, PABAK, Brennan–Prediger, AC1/AC2, Krippendorff's alpha",
		Long: `Reads ratings and prints agreement statistics.

FILE.csv is wide (unit,rater1,rater2,...; one row per unit) or long (header
exactly unit,rater,value); an empty cell is a missing rating. With --counts it
is a units × categories count table (unit,cat1,cat2,...).

Every pair of raters gets Cohen's kappa (with its non-null CI and, beside it,
the null-SE CI epiR prints), weighted kappa, PABAK with its exact CI and AC1.
All raters together get Fleiss' kappa, Krippendorff's alpha and the
coefficients of Gwet's framework as irrCAC computes them: percent agreement,
Gwet's AC1/AC2, Fleiss' and Conger's kappa and Brennan–Prediger (Randolph's
free-marginal kappa), unweighted and with linear, quadratic and ordinal
weights, each with its SE and 95% CI. Conger's kappa needs to know who rated
what: it is n/a with --counts and --exchangeable.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true // arguments are valid; what follows is about the data
			name := args[0]
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			var rep agreement.Report
			if counts {
				c, err := agreement.ReadCountsCSV(f)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				rep, err = agreement.ComputeCounts(c)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			} else {
				r, err := agreement.ReadCSV(f)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				if transpose {
					r = r.Transpose()
				}
				rep, err = agreement.Compute(r, agreement.Options{Categories: categories, Exchangeable: exchangeable})
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return rep.WriteText(out)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&asJSON, "json", false, "print JSON (indented) instead of text")
	fl.StringSliceVar(&categories, "categories", nil, "category scale in order, e.g. include,exclude or 1,2,3,4,5 (default: labels seen, sorted; ignored with --counts)")
	fl.BoolVar(&counts, "counts", false, "FILE is a units × categories count table (exchangeable statistics only)")
	fl.BoolVar(&transpose, "transpose", false, "FILE has raters as rows and units as columns")
	fl.BoolVar(&exchangeable, "exchangeable", false, "columns are rating slots, not the same raters on every unit: skip pairwise statistics")
	return cmd
}
