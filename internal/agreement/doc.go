// Package agreement computes inter-rater agreement statistics for screening
// and coding decisions: percent agreement, Cohen's κ (unweighted, linear and
// quadratic weights), PABAK / Brennan–Prediger κ, Gwet's AC1, Fleiss' κ and
// Krippendorff's α (nominal, ordinal, interval, ratio).
//
// It has no dependency on the rest of realsynth. The pipeline calls
// [PairStats] once per (stage, round, reviewer pair) and per code; the
// command line reads a table with [ReadCSV] and calls [Compute].
//
// # Conventions
//
// Every statistic is reported with the counts it was computed from, so a
// reader can recompute it by hand. A statistic that is undefined (for
// example κ when every rating falls in one category, so that expected
// agreement is 1) is a nil *float64: null in JSON, "n/a" in text, with a
// note saying why. No statistic is ever NaN or ±Inf.
//
// Missing data. A missing rating is the empty label "".
//   - Two-rater statistics ([PairStats]) drop a unit unless both raters rated
//     it (pairwise deletion); Pair.N is the number of units used and
//     Pair.Dropped the number dropped.
//   - Krippendorff's α uses only units with at least two ratings, as
//     Krippendorff (2011) does; the other units contribute nothing.
//   - Fleiss' κ and Gwet's multi-rater AC1 follow Gwet (2014) and the R
//     package irrCAC (fleiss.kappa.raw, gwet.ac1.raw): observed agreement is
//     the mean over units with at least two ratings of the share of agreeing
//     rating pairs in the unit; category prevalence π_k is the mean over all
//     units with at least one rating of the unit's share of ratings in k.
//     When every rated unit has the same number m ≥ 2 of ratings this is
//     exactly Fleiss (1971). Units may therefore have varying numbers of
//     ratings; the null standard error of Fleiss, Nee & Landis (1979)
//     assumes a constant m, so it (and z) is reported only in that case.
//
// Standard errors. A confidence interval uses the non-null (large-sample)
// standard error of Fleiss, Cohen & Everitt (1969): CI = κ ± 1.96·SE. A
// z-test of H0: κ = 0 uses the standard error under the null hypothesis
// (Fleiss, Cohen & Everitt 1969 for Cohen's and weighted κ; Fleiss, Nee &
// Landis 1979 for Fleiss' κ): z = κ / SE0. The interval is not clipped to
// [-1, 1].
//
// Weights. Weighted κ uses the positions of the categories in the category
// order, not their numeric values: linear w = 1 − |i−j|/(q−1), quadratic
// w = 1 − (i−j)²/(q−1)², as Cohen (1968) and most software do.
//
// Categories. The category set and order come from Options.Categories, or
// by default from the labels seen: sorted numerically when every label is a
// number, otherwise lexically; a count table ([Counts]) keeps its column order. The number of categories q matters for
// Brennan–Prediger κ (chance agreement 1/q) and Gwet's AC1, so pass the full
// scale (e.g. include, exclude) even if one category was never used.
// Krippendorff's interval and ratio α need numeric labels and are n/a
// otherwise; ordinal α uses the category order.
//
// PABAK (Byrt, Bishop & Carlin 1993) is reported as the Brennan–Prediger
// coefficient (po − 1/q)/(1 − 1/q), which is 2·po − 1 when q = 2. Its 95%
// CI is exact: the Clopper–Pearson interval of po carried through that
// formula (epiR's epi.kappa does the same with 2·po − 1 for any q). Beside
// Cohen's non-null CI stands the interval on the null SE, κ ± 1.96·SE0,
// which is what epiR prints with method = "fleiss". "1.96" is the exact
// 0.975 normal quantile 1.959964, as R and statsmodels use.
//
// # Multi-rater coefficients
//
// [Multi.Coefficients] holds the coefficients of Gwet's (2014) framework as
// the R package irrCAC computes them from raw ratings (*.raw) or a count
// table (*.dist): percent agreement, Gwet's AC1 (AC2 when weighted), Fleiss'
// κ, Conger's κ (rater-specific margins, Conger 1980; raw ratings only) and
// Brennan–Prediger, which unweighted is Randolph's (2005) free-marginal
// multirater κ. Each is computed unweighted and with linear, quadratic and
// ordinal weights ([WeightMatrix]: as irrCAC, category values when every
// category is a number, else positions — unlike the two-rater weighted κ,
// which always uses positions as statsmodels does), with Gwet's
// linearisation SE, which does not assume independent raters, and the 95%
// CI estimate ± t(0.975, n − 1)·SE, its upper end capped at 1. Units without
// any rating are left out; raters without any rating are left out of
// Conger's κ.
package agreement
