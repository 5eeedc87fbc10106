package tables

import "github.com/realsynth/realsynth/pipeline/table"

// Tables of the synthesis stage: CMO tallies, chains, demi-regularity candidates.
// Declare each row type in this file and list it here, in the order the stage writes them.
var synthesisTables = []Spec{
	{"theme_tally", "One row per code and round: distinct included studies coded at the code or a descendant (consensus rows only, cumulative to the round), with clusters, reports, configurations, excerpts, polarity and provisional studies apart.", ThemeTally{}},
	{"cmo_chains", "One row per context–mechanism–outcome–polarity chain coded together in at least one consensus configuration: supporting, contradicting and co-occurring studies, other contexts, example quotes.", CMOChain{}},
	{"demi_regularity_candidates", "One row per chain the thresholds flag or the team has decided on: support, consistency, flags, the team's decision and the config hash.", DemiRegularityCandidate{}},
	{"contradictions", "One row per mechanism or intervention coded with both positive and negative outcomes: the studies and contexts on each side, and contexts found only on the negative side.", Contradiction{}},
	{"study_theme_matrix", "One row per study, code and role as coded (consensus, or reviewer rows for provisional studies), with polarities and inclusion status.", StudyTheme{}},
	{"coding_agreement", "One row per code and reviewer pair (and per code over all reviewers when three or more): study-level presence agreement, percent agreement, Cohen's kappa, PABAK, Krippendorff's alpha.", CodingAgreement{}},
	{"scale_summary", "One row per ordinal scale, activity type and scale level: studies counted once each; the unclear level kept apart.", ScaleSummary{}},
	{"saturation", "One row per study in coding order (round, then study): codes and chains it added that no earlier study had.", Saturation{}},
}

// ThemeTally counts the evidence for one code at one round. Counts are
// cumulative up to and including the round and use consensus coding of
// included studies only. A study coded at two child codes counts once at the
// parent. Counts describe the evidence retrieved, not causal strength, and
// codes do not sum to 100%.
type ThemeTally struct {
	// CodeID is the codebook's code id (e.g. MX.TRUST).
	CodeID string `table:"code_id"`
	// Label is the code's label in the codebook.
	Label string `table:"label"`
	// ParentID is the parent code's id; null for a top-level code.
	ParentID string `table:"parent_id,optional"`
	// Depth is 1 for a top-level code, 2 for its children, and so on.
	Depth int64 `table:"depth"`
	// Roles are the CMO slots the codebook allows the code in: C, MR, MX, O, I, A.
	Roles []string `table:"roles"`
	// Status is active or deprecated (merged codes are counted under their target).
	Status string `table:"status"`
	// Round is the round the counts run up to (inclusive).
	Round string `table:"round"`
	// Studies is the number of distinct studies coded at the code or any descendant.
	Studies int64 `table:"studies"`
	// DirectStudies counts studies coded at this code itself, not a descendant.
	DirectStudies int64 `table:"direct_studies"`
	// Clusters counts distinct clusters (programmes); a study without one is its own cluster.
	Clusters int64 `table:"clusters"`
	// Reports counts distinct report ids cited by the configurations (empty report ids are not counted).
	Reports int64 `table:"reports"`
	// Configurations counts distinct consensus configurations.
	Configurations int64 `table:"configurations"`
	// Excerpts counts distinct quotes (study, report, page, text); configurations without a quote add none.
	Excerpts int64 `table:"excerpts"`
	// PositiveStudies counts studies with at least one positive configuration
	// at the code; a study can count under several polarities.
	PositiveStudies int64 `table:"positive_studies"`
	// NegativeStudies counts studies with at least one negative configuration at the code.
	NegativeStudies int64 `table:"negative_studies"`
	// MixedStudies counts studies with at least one mixed configuration at the code.
	MixedStudies int64 `table:"mixed_studies"`
	// UnclearStudies counts studies with at least one unclear (or blank) polarity configuration at the code.
	UnclearStudies int64 `table:"unclear_studies"`
	// IncludedStudies is the denominator: studies included up to this round
	// (coded or not; every coded study when screening is off).
	IncludedStudies int64 `table:"included_studies"`
	// ShareOfIncluded is Studies / IncludedStudies (a proportion, 0–1); null when nothing is included.
	ShareOfIncluded *float64 `table:"share_of_included"`
	// StudyIDs lists the counted studies (the team's study labels), sorted.
	StudyIDs []string `table:"study_ids"`
	// FirstRound is the first round in which any study was counted; null if none yet.
	FirstRound string `table:"first_round,optional"`
	// NewStudies is the change in Studies since the previous round.
	NewStudies int64 `table:"new_studies"`
	// ProvisionalStudies counts included studies coded by reviewers but not yet
	// adjudicated (no consensus rows); they are not in Studies.
	ProvisionalStudies int64 `table:"provisional_studies"`
	// ProvisionalStudyIDs lists those provisional studies' labels, sorted.
	ProvisionalStudyIDs []string `table:"provisional_study_ids"`
}

// Quote is one example excerpt supporting a chain.
type Quote struct {
	// StudyID is the study label of the configuration the quote comes from.
	StudyID string `table:"study_id"`
	// CMOCID is that configuration's cmoc_id (unique within the study).
	CMOCID string `table:"cmoc_id"`
	// ReportID is the report the excerpt cites (work id, DOI or study label), as written; null when not given.
	ReportID string `table:"report_id,optional"`
	// Page is the page of the excerpt, as written; null when not given.
	Page string `table:"page,optional"`
	// Text is the quoted excerpt, as written in the coding.
	Text string `table:"text"`
}

// CMOChain is one context–mechanism–outcome pattern with a polarity, at the
// configured roll-up depth. The mechanism is a code from either the
// mechanism-resource or mechanism-response slot.
type CMOChain struct {
	// ChainID is context|mechanism|outcome|polarity[|intervention]; an absent context is empty.
	ChainID string `table:"chain_id"`
	// ContextID is the context code (rolled up to chain_depth); null for a chain without a context.
	ContextID string `table:"context_id,optional"`
	// ContextLabel is the context code's label; null without a context.
	ContextLabel string `table:"context_label,optional"`
	// MechanismID is the mechanism code (resource or response slot, rolled up to chain_depth).
	MechanismID string `table:"mechanism_id"`
	// MechanismLabel is the mechanism code's label.
	MechanismLabel string `table:"mechanism_label"`
	// OutcomeID is the outcome code (rolled up to chain_depth).
	OutcomeID string `table:"outcome_id"`
	// OutcomeLabel is the outcome code's label.
	OutcomeLabel string `table:"outcome_label"`
	// Polarity is positive, negative, mixed or unclear.
	Polarity string `table:"polarity"`
	// InterventionID is set only when chains are split by intervention.
	InterventionID string `table:"intervention_id,optional"`
	// SupportingStudies counts studies with a consensus configuration linking
	// all parts of the chain (coded together in one configuration).
	SupportingStudies int64 `table:"supporting_studies"`
	// SupportingClusters counts the distinct clusters of the supporting studies.
	SupportingClusters int64 `table:"supporting_clusters"`
	// SupportingStudyIDs lists the supporting studies' labels, sorted.
	SupportingStudyIDs []string `table:"supporting_study_ids"`
	// Configurations counts the linking configurations.
	Configurations int64 `table:"configurations"`
	// ContradictingStudies have the same context and mechanism linked to an
	// outcome of the opposite polarity (positive vs negative only).
	ContradictingStudies int64 `table:"contradicting_studies"`
	// ContradictingStudyIDs lists the contradicting studies' labels, sorted; empty for mixed or unclear chains.
	ContradictingStudyIDs []string `table:"contradicting_study_ids"`
	// CooccurrenceStudies have every part of the chain coded in the same study
	// but never together in one configuration; they are not support.
	CooccurrenceStudies int64 `table:"cooccurrence_studies"`
	// CooccurrenceStudyIDs lists the co-occurring studies' labels, sorted;
	// always empty for a chain without a context.
	CooccurrenceStudyIDs []string `table:"cooccurrence_study_ids"`
	// OtherContexts are the other contexts linked to the same mechanism,
	// outcome and polarity.
	OtherContexts []string `table:"other_contexts"`
	// UpstreamChainIDs are chains whose outcome fed this chain's context
	// (configurations with an upstream_cmoc_id): the ripple effects.
	UpstreamChainIDs []string `table:"upstream_chain_ids"`
	// Quotes are up to max_quotes example excerpts, by study then configuration.
	Quotes []Quote `table:"quotes"`
}

// DemiRegularityCandidate is a chain the thresholds flag, or one the team has
// already decided on. The pipeline flags; humans decide.
type DemiRegularityCandidate struct {
	// CandidateID is the chain id; team decisions refer to it.
	CandidateID string `table:"candidate_id"`
	// ContextID is the chain's context code; null for a chain without a context.
	ContextID string `table:"context_id,optional"`
	// MechanismID is the chain's mechanism code.
	MechanismID string `table:"mechanism_id"`
	// OutcomeID is the chain's outcome code.
	OutcomeID string `table:"outcome_id"`
	// Polarity is positive, negative, mixed or unclear.
	Polarity string `table:"polarity"`
	// InterventionID is the chain's intervention code; null unless chains are split by intervention.
	InterventionID string `table:"intervention_id,optional"`
	// Unit is study or cluster: what Support, Contradicting and Consistency count.
	Unit string `table:"unit"`
	// Support is the number of supporting studies, or their distinct clusters with unit cluster.
	Support int64 `table:"support"`
	// Contradicting is the number of contradicting studies, or their distinct clusters with unit cluster.
	Contradicting int64 `table:"contradicting"`
	// Consistency is Support / (Support + Contradicting); null with no
	// evidence, and null when the chain is not Contradictable (it would be 1
	// by construction).
	Consistency *float64 `table:"consistency"`
	// Contradictable is false for a chain of polarity mixed or unclear: no
	// outcome polarity is opposite to it, so no study can contradict it, and
	// it is never flagged (it is listed here only when the team decided on it).
	Contradictable bool `table:"contradictable"`
	// SupportingStudies counts the supporting studies, whatever the unit (0 for a decided chain that has gone).
	SupportingStudies int64 `table:"supporting_studies"`
	// SupportingClusters counts the supporting studies' distinct clusters.
	SupportingClusters int64 `table:"supporting_clusters"`
	// SupportingStudyIDs lists the supporting studies' labels, sorted.
	SupportingStudyIDs []string `table:"supporting_study_ids"`
	// ContradictingStudyIDs lists the contradicting studies' labels, sorted.
	ContradictingStudyIDs []string `table:"contradicting_study_ids"`
	// MeetsMinStudies is true when SupportingStudies ≥ min_studies.
	MeetsMinStudies bool `table:"meets_min_studies"`
	// MeetsMinClusters is true when SupportingClusters ≥ min_clusters (always true with min_clusters 0).
	MeetsMinClusters bool `table:"meets_min_clusters"`
	// MeetsMinConsistency is true when Consistency ≥ min_consistency (false when Consistency is null).
	MeetsMinConsistency bool `table:"meets_min_consistency"`
	// Flagged is true when the chain is Contradictable and every threshold is met.
	Flagged bool `table:"flagged"`
	// HasNegativeCases is true when at least one study contradicts the chain.
	HasNegativeCases bool `table:"has_negative_cases"`
	// SingleClusterOnly is true when all supporting studies come from one cluster (programme).
	SingleClusterOnly bool `table:"single_cluster_only"`
	// OnlyLowRigourSupport is true when every supporting study's rigour (studies
	// CSV) is one of low_rigour; false with no support.
	OnlyLowRigourSupport bool `table:"only_low_rigour_support"`
	// Decision is the team's accepted, rejected, merged or needs_more_evidence; null if undecided.
	Decision string `table:"decision,optional"`
	// Wording is the team's wording of the demi-regularity, from the decisions CSV; null if none.
	Wording string `table:"wording,optional"`
	// Rationale is the team's reason for the decision, from the decisions CSV; null if none.
	Rationale string `table:"rationale,optional"`
	// MergedInto is the candidate a merged decision folds this one into, as
	// written in the decisions CSV; null if none.
	MergedInto string `table:"merged_into,optional"`
	// DecidedOn is the decision's date from the decisions CSV (written there as YYYY-MM-DD); null if none.
	DecidedOn table.Date `table:"decided_on,optional"`
	// ConfigHash identifies the thresholds and codebook that produced the flags
	// (first 16 hex digits of a SHA-256 over the settings and codebook bytes).
	ConfigHash string `table:"config_hash"`
	// CodebookVersion is the codebook file's version (its top-level version or
	// codebook_version key), so a decision can be traced to the codebook it was
	// made under; null when the codebook gives none (always for a CSV codebook).
	CodebookVersion string `table:"codebook_version,optional"`
}

// ContextCount is one context on one side of a contradiction.
type ContextCount struct {
	// ContextID is the context code (rolled up to chain_depth).
	ContextID string `table:"context_id"`
	// Studies counts distinct studies coding the context on that side.
	Studies int64 `table:"studies"`
}

// Contradiction sets the studies where a mechanism (or intervention) is
// linked to positive outcomes against those where it is linked to negative
// ones. Contexts seen only on the negative side are candidate boundary conditions.
type Contradiction struct {
	// SubjectKind is mechanism or intervention.
	SubjectKind string `table:"subject_kind"`
	// CodeID is the mechanism or intervention code (rolled up to chain_depth).
	CodeID string `table:"code_id"`
	// Label is that code's label.
	Label string `table:"label"`
	// PositiveStudies counts studies with a positive consensus configuration of the code that has an outcome.
	PositiveStudies int64 `table:"positive_studies"`
	// NegativeStudies counts studies with a negative consensus configuration of the code that has an outcome.
	NegativeStudies int64 `table:"negative_studies"`
	// PositiveStudyIDs lists the positive side's study labels, sorted.
	PositiveStudyIDs []string `table:"positive_study_ids"`
	// NegativeStudyIDs lists the negative side's study labels, sorted.
	NegativeStudyIDs []string `table:"negative_study_ids"`
	// BothSidesIDs lists the studies on both sides, sorted.
	BothSidesIDs []string `table:"studies_on_both_sides"`
	// PositiveContexts are the contexts coded on the positive side, with their study counts, by context id.
	PositiveContexts []ContextCount `table:"positive_contexts"`
	// NegativeContexts are the contexts coded on the negative side, with their study counts, by context id.
	NegativeContexts []ContextCount `table:"negative_contexts"`
	// SharedContexts are the contexts coded on both sides, sorted.
	SharedContexts []string `table:"shared_contexts"`
	// NegativeOnlyContexts are contexts coded only with negative outcomes.
	NegativeOnlyContexts []string `table:"negative_only_contexts"`
	// PositiveOnlyContexts are contexts coded only with positive outcomes.
	PositiveOnlyContexts []string `table:"positive_only_contexts"`
}

// StudyTheme is one code as coded in one study and role (no roll-up).
type StudyTheme struct {
	// StudyID is the team's study label.
	StudyID string `table:"study_id"`
	// ClusterID is the study's cluster (programme) from the studies CSV, or
	// the study label when it has none.
	ClusterID string `table:"cluster_id"`
	// WorkIDs are the works (reports) the study label maps to, when known.
	WorkIDs []string `table:"work_ids"`
	// CodeID is the code as coded (after synonyms and merges, no roll-up to parents).
	CodeID string `table:"code_id"`
	// Label is the code's label.
	Label string `table:"label"`
	// Role is the CMO slot: C, MR, MX, O, I or A.
	Role string `table:"role"`
	// Polarities are the distinct polarities of those configurations, in the
	// order positive, negative, mixed, unclear.
	Polarities []string `table:"polarities"`
	// Configurations counts the configurations coding it in this study and role.
	Configurations int64 `table:"configurations"`
	// Status is included (consensus rows), provisional (reviewer rows only)
	// or not_included (a study screening did not include; left out of tallies).
	Status string `table:"status"`
	// FirstRound is the earliest round of a configuration coding it in this study and role.
	FirstRound string `table:"first_round,optional"`
}

// CodingAgreement is study-level agreement on whether a code (or a
// descendant) applies, between two reviewers, or among all reviewers.
type CodingAgreement struct {
	// CodeID is the code whose presence (at the code or a descendant) is compared.
	CodeID string `table:"code_id"`
	// Label is the code's label.
	Label string `table:"label"`
	// Scope is pair (two reviewers) or all (three or more, Krippendorff's alpha).
	Scope string `table:"scope"`
	// ReviewerA is the pair's first reviewer (alphabetically); null for scope all.
	ReviewerA string `table:"reviewer_a,optional"`
	// ReviewerB is the pair's second reviewer; null for scope all.
	ReviewerB string `table:"reviewer_b,optional"`
	// Reviewers lists the reviewers compared: the pair, or every reviewer for scope all.
	Reviewers []string `table:"reviewers"`
	// Studies counts the studies coded by both reviewers (pair) or by at least two (all).
	Studies int64 `table:"studies"`
	// BothPresent counts studies where both reviewers applied the code (0 for scope all).
	BothPresent int64 `table:"both_present"`
	// OnlyA counts studies where only reviewer A applied it (0 for scope all).
	OnlyA int64 `table:"only_a"`
	// OnlyB counts studies where only reviewer B applied it (0 for scope all).
	OnlyB int64 `table:"only_b"`
	// BothAbsent counts studies both coded where neither applied it (0 for scope all).
	BothAbsent int64 `table:"both_absent"`
	// PercentAgreement is the share of studies where the reviewers agree, as
	// a proportion from 0 to 1, like agreement.percent_agreement (for scope
	// all, the mean share of agreeing reviewer pairs).
	PercentAgreement *float64 `table:"percent_agreement"`
	// Kappa is Cohen's κ for the pair; null when undefined (e.g. the code present
	// in every study for both) and for scope all.
	Kappa *float64 `table:"kappa"`
	// PABAK is the prevalence- and bias-adjusted κ (2·po − 1) for the pair; null for scope all.
	PABAK *float64 `table:"pabak"`
	// Alpha is Krippendorff's nominal α over all reviewers (scope all); null for pair rows or when undefined.
	Alpha *float64 `table:"alpha"`
}

// ScaleSummary counts the studies whose configurations put an activity type
// at one level of an ordinal scale (e.g. IAP2). A study counts once per
// activity type and level.
type ScaleSummary struct {
	// Scale is the scale's name from the codebook (e.g. IAP2).
	Scale string `table:"scale"`
	// Scope is activity (one activity type) or all (any activity, each study once per level).
	Scope string `table:"scope"`
	// ActivityID is the activity type: a non-scale intervention code of the
	// same configuration; null for scope all.
	ActivityID string `table:"activity_id,optional"`
	// ActivityLabel is the activity code's label; null for scope all.
	ActivityLabel string `table:"activity_label,optional"`
	// LevelID is the code of the scale level.
	LevelID string `table:"level_id"`
	// LevelLabel is the level's label (e.g. Consult).
	LevelLabel string `table:"level_label"`
	// Rank is the level's position on the scale; null for unclear.
	Rank *int64 `table:"rank"`
	// Unclear is true for the scale's unclear level (a level without a rank), sorted last.
	Unclear bool `table:"unclear"`
	// Studies counts distinct included studies with a consensus configuration at the level (and activity).
	Studies int64 `table:"studies"`
	// StudyIDs lists those studies' labels, sorted.
	StudyIDs []string `table:"study_ids"`
}

// Saturation records what each study added, in coding order; when studies
// stop adding codes and chains, the team may stop searching.
type Saturation struct {
	// Round is the round of the study's first consensus configuration.
	Round string `table:"round"`
	// Order is the study's position over all rounds (1-based).
	Order int64 `table:"order"`
	// StudyID is the team's study label.
	StudyID string `table:"study_id"`
	// NewCodes are the codes (as coded, after merges, without parents) the
	// study is the first to use, sorted.
	NewCodes []string `table:"new_codes"`
	// NewCodeCount is the number of NewCodes.
	NewCodeCount int64 `table:"new_code_count"`
	// NewChainIDs are the chains the study is the first to link, sorted.
	NewChainIDs []string `table:"new_chain_ids"`
	// NewChainCount is the number of NewChainIDs.
	NewChainCount int64 `table:"new_chain_count"`
	// CumulativeCodes is the number of distinct codes used by this study and every earlier one.
	CumulativeCodes int64 `table:"cumulative_codes"`
	// CumulativeChains is the number of distinct chains linked by this study and every earlier one.
	CumulativeChains int64 `table:"cumulative_chains"`
}
