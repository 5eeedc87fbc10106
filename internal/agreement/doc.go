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
// coefficient (po − 1/q)/(1 − 1/q), which is 2·po − 1 when q = 2.
package agreement
