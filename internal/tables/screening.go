package tables

import "time"

// Tables of the screening stage: votes, decisions, agreement, PRISMA.
// Declare each row type in this file and list it here, in the order the stage writes them.
var screeningTables = []Spec{
	{"votes", "One row per screening vote that matched a work: who voted what, at which stage, and how the vote was joined to the work.", Vote{}},
	{"unmatched_votes", "One row per screening vote that matched no work, or several: never dropped silently.", UnmatchedVote{}},
	{"decisions", "One row per work and screening stage: the resolved decision, how it was reached, reasons, conflict flag.", Decision{}},
	{"agreement", "One row per screening stage, round and reviewer pair: agreement statistics with the counts behind them.", Agreement{}},
	{"prisma", "PRISMA 2020 flow counts, one row per box (and per database or exclusion reason), per round and cumulative.", PrismaCount{}},
}

// Vote is one reviewer's vote on one work at one stage.
type Vote struct {
	// WorkID is the de-duplicated work (dedupe's works table) the vote was joined to.
	WorkID string `table:"work_id"`
	// RecordID is the record the vote matched when it was joined by a source
	// key that names exactly one record; null when joined any other way (DOI,
	// PMID, title) or when the key is shared by several records of the work.
	RecordID string `table:"record_id,optional"`
	// MatchedBy is how the vote was joined: source_key, doi, pmid or
	// title_year (normalised title, same year or ±1). When an earlier level
	// found several works and a later one narrowed them to one, both are
	// named, e.g. "doi+title_year".
	MatchedBy string `table:"matched_by"`
	// Round is the round in which the work was first found (its screening
	// round), not the round of the vote file.
	Round string `table:"round"`
	// Stage is title_abstract or full_text.
	Stage string `table:"stage"`
	// Reviewer is the voter's name as exported, or as configured: reviewer_names
	// for Rayyan logs (else "rayyan-user-<id>"), the source's reviewer for
	// Covidence and ASReview exports (default: the format name).
	Reviewer string `table:"reviewer"`
	// Role is screener, tiebreaker or consensus (from the configured names).
	Role string `table:"role"`
	// Decision is include, exclude, maybe or not_retrieved, as voted
	// (before maybe is counted as include).
	Decision string `table:"decision"`
	// Reasons are the exclusion reasons given with the vote, as written.
	// Rayyan pools reasons over reviewers: every excluding vote of the record carries them.
	Reasons []string `table:"reasons"`
	// Labels are the screening tool's labels or tags on the record (Rayyan
	// labels, Covidence tags); empty for formats without them.
	Labels []string `table:"labels"`
	// Timestamp is the vote's time, when the tool gives one that reads as a
	// time (ISO 8601, "YYYY-MM-DD hh:mm[:ss]", "DD/MM/YYYY"…): an offset is
	// converted to UTC, and a time written without a zone is taken as UTC.
	// Null when the export gives none or it does not read as a time.
	Timestamp time.Time `table:"timestamp,optional"`
	// TimestampAsExported is the vote's time as written in the export, so a
	// time that does not read as one is kept; null when the export gives none.
	TimestampAsExported string `table:"timestamp_as_exported,optional"`
	// Superseded is true when a later vote of the same reviewer on the same
	// work and stage replaced this one.
	Superseded bool `table:"superseded"`
	// SourceFile is the vote export, relative to the config file.
	SourceFile string `table:"source_file"`
	// SourceLine is the 1-based line where the vote's row or event starts.
	SourceLine int64 `table:"source_line"`
	// Format is the vote reader: long, rayyan, rayyan-ris, rayyan-log, covidence, covidence-ris, asreview.
	Format string `table:"format"`
	// RecordRef is the record's id in the screening tool as exported
	// (a source key, Rayyan or Covidence id, DOI or title).
	RecordRef string `table:"record_ref,optional"`
	// RefDOI is the DOI the export gives for the record, normalised (lower
	// case, no URL or "doi:" prefix); null when it gives none.
	RefDOI string `table:"ref_doi,optional"`
	// RefPMID is the PubMed id the export gives for the record; null when it gives none.
	RefPMID string `table:"ref_pmid,optional"`
	// RefTitle is the record's title as exported by the screening tool; null when it gives none.
	RefTitle string `table:"ref_title,optional"`
	// RefYear is the publication year the export gives for the record; null when it gives none.
	RefYear *int32 `table:"ref_year"`
}

// UnmatchedVote is a vote that could not be joined to exactly one work.
type UnmatchedVote struct {
	// Problem is no_match, ambiguous, or invalid (the row could not be read as a vote).
	Problem string `table:"problem"`
	// Error says what was wrong with an invalid row, naming the field.
	Error string `table:"error,optional"`
	// Candidates are the work ids an ambiguous vote matched, sorted.
	Candidates []string `table:"candidates"`
	// Stage is title_abstract or full_text; empty when an invalid row's stage could not be read.
	Stage string `table:"stage"`
	// Reviewer is the voter's name, named as in votes; empty when an invalid row has none.
	Reviewer string `table:"reviewer"`
	// Decision is include, exclude, maybe or not_retrieved; empty when an
	// invalid row's decision could not be read.
	Decision string `table:"decision"`
	// Reasons are the exclusion reasons given with the vote, as written.
	Reasons []string `table:"reasons"`
	// Timestamp is the vote's time, when the tool gives one that reads as a
	// time (ISO 8601, "YYYY-MM-DD hh:mm[:ss]", "DD/MM/YYYY"…): an offset is
	// converted to UTC, and a time written without a zone is taken as UTC.
	// Null when the export gives none or it does not read as a time.
	Timestamp time.Time `table:"timestamp,optional"`
	// TimestampAsExported is the vote's time as written in the export, so a
	// time that does not read as one is kept; null when the export gives none.
	TimestampAsExported string `table:"timestamp_as_exported,optional"`
	// SourceFile is the vote export, relative to the config file.
	SourceFile string `table:"source_file"`
	// SourceLine is the 1-based line where the vote's row or event starts.
	SourceLine int64 `table:"source_line"`
	// Format is the vote reader: long, rayyan, rayyan-ris, rayyan-log, covidence, covidence-ris, asreview.
	Format string `table:"format"`
	// RecordRef is the record's id in the screening tool as exported
	// (a source key, Rayyan or Covidence id, DOI or title).
	RecordRef string `table:"record_ref,optional"`
	// RefDOI is the DOI the export gives for the record, normalised (lower
	// case, no URL or "doi:" prefix); null when it gives none.
	RefDOI string `table:"ref_doi,optional"`
	// RefPMID is the PubMed id the export gives for the record; null when it gives none.
	RefPMID string `table:"ref_pmid,optional"`
	// RefTitle is the record's title as exported by the screening tool; null when it gives none.
	RefTitle string `table:"ref_title,optional"`
	// RefYear is the publication year the export gives for the record; null when it gives none.
	RefYear *int32 `table:"ref_year"`
}

// Decision is the outcome of screening one work at one stage.
type Decision struct {
	// WorkID is the de-duplicated work the decision is about.
	WorkID string `table:"work_id"`
	// Stage is title_abstract or full_text.
	Stage string `table:"stage"`
	// Round is the round in which the work was screened at this stage (the
	// round it was first found in).
	Round string `table:"round"`
	// Decision is include, exclude or conflict; at full text also
	// not_retrieved (the report was sought but could not be obtained).
	Decision string `table:"decision"`
	// ResolvedBy says how: unanimous, tiebreaker, consensus, earlier_round,
	// single (one vote only), or unresolved (for a conflict).
	ResolvedBy string `table:"resolved_by"`
	// Reasons are the deciding votes' exclusion reasons, distinct and sorted;
	// empty for an include. When a consensus or tie-breaker vote settled the
	// decision, or the reason the agreeing screeners differed on, they are that
	// vote's reasons; otherwise the screeners' pooled reasons. At full text they
	// are spelled as in full_text_reasons.
	Reasons []string `table:"reasons"`
	// PrismaReason is the one reason PRISMA counts a report excluded at full
	// text under (dbr_excluded), "reason not given" when no vote gave one;
	// null for every other decision.
	PrismaReason string `table:"prisma_reason,optional"`
	// ReasonRule says how PrismaReason was chosen: adjudicator (the consensus or
	// tie-breaker vote's reason; the first in full_text_reasons order if it gave
	// several), only_reason (nobody adjudicated and the votes gave one reason),
	// priority_order (nobody adjudicated, several reasons: the first in
	// full_text_reasons order) or not_given; null when PrismaReason is.
	ReasonRule string `table:"reason_rule,optional"`
	// Conflict is true whenever the screeners disagreed (maybe counted as the
	// rules say), however the disagreement was settled.
	Conflict bool `table:"conflict"`
	// StudyID is the work's study (from works), so included studies can be
	// counted; the work id itself when dedupe linked it to no study.
	StudyID string `table:"study_id,optional"`
	// Votes lists the current votes behind the decision as "reviewer: decision"
	// (the decision as voted), sorted.
	Votes []string `table:"votes"`
}

// Agreement is the agreement of two reviewers at one stage and round, over
// the works both of them rated. Every statistic comes with the counts it is
// computed from; a statistic that is undefined is null and Notes says why.
type Agreement struct {
	// Stage is title_abstract or full_text.
	Stage string `table:"stage"`
	// Round is a round id (the works' screening round), or "all" for every
	// round together; pilot rows carry the first round.
	Round string `table:"round"`
	// Subset is "all", or "pilot" for the first pilot_records works of the pilot gate.
	Subset string `table:"subset"`
	// ReviewerA is the first screener of the pair (alphabetically); rows of the table are theirs.
	ReviewerA string `table:"reviewer_a"`
	// ReviewerB is the second screener of the pair; columns of the table are theirs.
	ReviewerB string `table:"reviewer_b"`
	// Categories are the rating categories in table order (q = their number):
	// include, maybe (when it is its own category), exclude, not_retrieved (when used).
	Categories []string `table:"categories"`
	// Table is the q×q contingency table, one cell per pair of categories
	// (zeros included), reviewer A's category then reviewer B's, in the order of Categories.
	Table []AgreementCell `table:"table"`
	// N is the number of works both rated: the units every statistic uses.
	N int64 `table:"n"`
	// OnlyA counts works only reviewer A rated (left out of every statistic).
	OnlyA int64 `table:"only_a"`
	// OnlyB counts works only reviewer B rated (left out of every statistic).
	OnlyB int64 `table:"only_b"`
	// Agreed is the number of works on the diagonal.
	Agreed int64 `table:"agreed"`
	// PercentAgreement is Agreed / N as a proportion (0–1, not 0–100); null when N is 0.
	PercentAgreement *float64 `table:"percent_agreement"`
	// ExpectedAgreement is Cohen's chance agreement pe from the marginals.
	ExpectedAgreement *float64 `table:"expected_agreement"`
	// Kappa is Cohen's unweighted κ for the pair; null when undefined (e.g.
	// every rating in one category, so pe = 1).
	Kappa *float64 `table:"kappa"`
	// KappaSE is the non-null (Fleiss, Cohen & Everitt 1969) SE used for the CI.
	KappaSE *float64 `table:"kappa_se"`
	// KappaCILow is the lower end of κ's 95% CI, κ − z·KappaSE with z = 1.959964,
	// the 0.975 normal quantile (not clipped to −1).
	KappaCILow *float64 `table:"kappa_ci_low"`
	// KappaCIHigh is the upper end of κ's 95% CI, κ + z·KappaSE (not clipped to 1).
	KappaCIHigh *float64 `table:"kappa_ci_high"`
	// KappaSE0 is the SE under H0: κ = 0, used for z.
	KappaSE0 *float64 `table:"kappa_se0"`
	// KappaZ is the z statistic of H0: κ = 0, κ / KappaSE0.
	KappaZ *float64 `table:"kappa_z"`
	// KappaCILowNullSE is the lower end of the 95% interval built on the null
	// SE, κ − z·KappaSE0: what epiR's epi.kappa prints with its default
	// method = "fleiss". Given beside the non-null CI so a team can match a
	// report made with epiR; KappaCILow/KappaCIHigh are the recommended interval.
	KappaCILowNullSE *float64 `table:"kappa_ci_low_null_se"`
	// KappaCIHighNullSE is the upper end of that interval, κ + z·KappaSE0.
	KappaCIHighNullSE *float64 `table:"kappa_ci_high_null_se"`
	// KappaLinear is weighted κ with linear weights 1 − |i−j|/(q−1) over the category order.
	KappaLinear *float64 `table:"kappa_linear"`
	// KappaQuadratic is weighted κ with quadratic weights 1 − (i−j)²/(q−1)² over the category order.
	KappaQuadratic *float64 `table:"kappa_quadratic"`
	// PABAK is the prevalence- and bias-adjusted κ, computed as Brennan–Prediger
	// (po − 1/q)/(1 − 1/q) (= 2·po − 1 for two categories).
	PABAK *float64 `table:"pabak"`
	// PABAKCILow is the lower end of PABAK's exact 95% CI: the Clopper–Pearson
	// interval of percent agreement carried through PABAK's formula (for two
	// categories, 2·lower − 1, as epiR's epi.kappa prints it).
	PABAKCILow *float64 `table:"pabak_ci_low"`
	// PABAKCIHigh is the upper end of PABAK's exact 95% CI.
	PABAKCIHigh *float64 `table:"pabak_ci_high"`
	// GwetAC1 is Gwet's AC1, less sensitive than κ to skewed include rates.
	GwetAC1 *float64 `table:"gwet_ac1"`
	// KrippendorffAlpha is Krippendorff's α with the nominal metric over the pair's N works.
	KrippendorffAlpha *float64 `table:"krippendorff_alpha_nominal"`
	// Conventions states how missing ratings, SEs and weights were handled.
	Conventions string `table:"conventions"`
	// Notes says why a statistic is null, or other caveats.
	Notes []string `table:"notes"`
}

// AgreementCell is one cell of a reviewer pair's contingency table.
type AgreementCell struct {
	// ReviewerA is the category reviewer A put the works in.
	ReviewerA string `table:"reviewer_a"`
	// ReviewerB is the category reviewer B put them in.
	ReviewerB string `table:"reviewer_b"`
	// Works counts the works rated so by the pair.
	Works int64 `table:"works"`
}

// PrismaCount is one number of the PRISMA 2020 flow.
type PrismaCount struct {
	// Scope is "round" (the round's own flow, as an update of the earlier
	// rounds) or "cumulative" (every round up to Round as one review).
	Scope string `table:"scope"`
	// Round is the round the flow is for (scope round) or ends at (scope cumulative).
	Round string `table:"round"`
	// Box is the PRISMA2020 template's data name (database_results,
	// duplicates, records_screened, dbr_excluded, new_studies...), or one of
	// duplicates_within_round, already_screened (both part of duplicates),
	// awaiting_screening, awaiting_full_text (works still undecided).
	Box string `table:"box"`
	// Label names the database (database_specific_results) or the exclusion
	// reason (dbr_excluded, "reason not given" when none) for per-item rows; null for other boxes.
	Label string `table:"label,optional"`
	// N is the count in the box: records, reports or studies as the box's name says.
	N int64 `table:"n"`
	// Rule says, on dbr_excluded rows, how many of the reason's reports were
	// counted under it by which rule of decisions.reason_rule, e.g.
	// "adjudicator 2; only_reason 5"; null on every other row.
	Rule string `table:"rule,optional"`
}
