package tables

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
	CodeID   string `table:"code_id"`
	Label    string `table:"label"`
	ParentID string `table:"parent_id,optional"`
	// Depth is 1 for a top-level code, 2 for its children, and so on.
	Depth int32    `table:"depth"`
	Roles []string `table:"roles"`
	// Status is active or deprecated (merged codes are counted under their target).
	Status string `table:"status"`
	Round  string `table:"round"`
	// Studies is the number of distinct studies coded at the code or any descendant.
	Studies int32 `table:"studies"`
	// DirectStudies counts studies coded at this code itself, not a descendant.
	DirectStudies int32 `table:"direct_studies"`
	// Clusters counts distinct clusters (programmes); a study without one is its own cluster.
	Clusters int32 `table:"clusters"`
	// Reports counts distinct report ids cited by the configurations (empty report ids are not counted).
	Reports int32 `table:"reports"`
	// Configurations counts distinct consensus configurations.
	Configurations int32 `table:"configurations"`
	// Excerpts counts distinct quotes (study, report, page, text); configurations without a quote add none.
	Excerpts int32 `table:"excerpts"`
	// PositiveStudies … UnclearStudies count studies with at least one
	// configuration of that polarity; a study can count under several.
	PositiveStudies int32 `table:"positive_studies"`
	NegativeStudies int32 `table:"negative_studies"`
	MixedStudies    int32 `table:"mixed_studies"`
	UnclearStudies  int32 `table:"unclear_studies"`
	// IncludedStudies is the denominator: studies included up to this round.
	IncludedStudies int32 `table:"included_studies"`
	// ShareOfIncluded is Studies / IncludedStudies; null when nothing is included.
	ShareOfIncluded *float64 `table:"share_of_included"`
	// StudyIDs lists the counted studies (the team's study labels), sorted.
	StudyIDs []string `table:"study_ids"`
	// FirstRound is the first round in which any study was counted; null if none yet.
	FirstRound string `table:"first_round,optional"`
	// NewStudies is the change in Studies since the previous round.
	NewStudies int32 `table:"new_studies"`
	// ProvisionalStudies counts included studies coded by reviewers but not yet
	// adjudicated (no consensus rows); they are not in Studies.
	ProvisionalStudies  int32    `table:"provisional_studies"`
	ProvisionalStudyIDs []string `table:"provisional_study_ids"`
}

// Quote is one example excerpt supporting a chain.
type Quote struct {
	StudyID  string `table:"study_id"`
	CMOCID   string `table:"cmoc_id"`
	ReportID string `table:"report_id,optional"`
	Page     string `table:"page,optional"`
	Text     string `table:"text"`
}

// CMOChain is one context–mechanism–outcome pattern with a polarity, at the
// configured roll-up depth. The mechanism is a code from either the
// mechanism-resource or mechanism-response slot.
type CMOChain struct {
	// ChainID is context|mechanism|outcome|polarity[|intervention]; an absent context is empty.
	ChainID        string `table:"chain_id"`
	ContextID      string `table:"context_id,optional"`
	ContextLabel   string `table:"context_label,optional"`
	MechanismID    string `table:"mechanism_id"`
	MechanismLabel string `table:"mechanism_label"`
	OutcomeID      string `table:"outcome_id"`
	OutcomeLabel   string `table:"outcome_label"`
	// Polarity is positive, negative, mixed or unclear.
	Polarity string `table:"polarity"`
	// InterventionID is set only when chains are split by intervention.
	InterventionID string `table:"intervention_id,optional"`
	// SupportingStudies counts studies with a consensus configuration linking
	// all parts of the chain (coded together in one configuration).
	SupportingStudies  int32    `table:"supporting_studies"`
	SupportingClusters int32    `table:"supporting_clusters"`
	SupportingStudyIDs []string `table:"supporting_study_ids"`
	// Configurations counts the linking configurations.
	Configurations int32 `table:"configurations"`
	// ContradictingStudies have the same context and mechanism linked to an
	// outcome of the opposite polarity (positive vs negative only).
	ContradictingStudies  int32    `table:"contradicting_studies"`
	ContradictingStudyIDs []string `table:"contradicting_study_ids"`
	// CooccurrenceStudies have every part of the chain coded in the same study
	// but never together in one configuration; they are not support.
	CooccurrenceStudies  int32    `table:"cooccurrence_studies"`
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
	CandidateID    string `table:"candidate_id"`
	ContextID      string `table:"context_id,optional"`
	MechanismID    string `table:"mechanism_id"`
	OutcomeID      string `table:"outcome_id"`
	Polarity       string `table:"polarity"`
	InterventionID string `table:"intervention_id,optional"`
	// Unit is study or cluster: what Support, Contradicting and Consistency count.
	Unit          string `table:"unit"`
	Support       int32  `table:"support"`
	Contradicting int32  `table:"contradicting"`
	// Consistency is Support / (Support + Contradicting); null with no evidence.
	Consistency           *float64 `table:"consistency"`
	SupportingStudies     int32    `table:"supporting_studies"`
	SupportingClusters    int32    `table:"supporting_clusters"`
	SupportingStudyIDs    []string `table:"supporting_study_ids"`
	ContradictingStudyIDs []string `table:"contradicting_study_ids"`
	MeetsMinStudies       bool     `table:"meets_min_studies"`
	MeetsMinClusters      bool     `table:"meets_min_clusters"`
	MeetsMinConsistency   bool     `table:"meets_min_consistency"`
	// Flagged is true when every threshold is met.
	Flagged              bool `table:"flagged"`
	HasNegativeCases     bool `table:"has_negative_cases"`
	SingleClusterOnly    bool `table:"single_cluster_only"`
	OnlyLowRigourSupport bool `table:"only_low_rigour_support"`
	// Decision is the team's accepted, rejected, merged or needs_more_evidence; null if undecided.
	Decision   string `table:"decision,optional"`
	Wording    string `table:"wording,optional"`
	Rationale  string `table:"rationale,optional"`
	MergedInto string `table:"merged_into,optional"`
	DecidedOn  string `table:"decided_on,optional"`
	// ConfigHash identifies the thresholds and codebook that produced the flags.
	ConfigHash string `table:"config_hash"`
}

// ContextCount is one context on one side of a contradiction.
type ContextCount struct {
	ContextID string `table:"context_id"`
	Studies   int32  `table:"studies"`
}

// Contradiction sets the studies where a mechanism (or intervention) is
// linked to positive outcomes against those where it is linked to negative
// ones. Contexts seen only on the negative side are candidate boundary conditions.
type Contradiction struct {
	// SubjectKind is mechanism or intervention.
	SubjectKind      string         `table:"subject_kind"`
	CodeID           string         `table:"code_id"`
	Label            string         `table:"label"`
	PositiveStudies  int32          `table:"positive_studies"`
	NegativeStudies  int32          `table:"negative_studies"`
	PositiveStudyIDs []string       `table:"positive_study_ids"`
	NegativeStudyIDs []string       `table:"negative_study_ids"`
	BothSidesIDs     []string       `table:"studies_on_both_sides"`
	PositiveContexts []ContextCount `table:"positive_contexts"`
	NegativeContexts []ContextCount `table:"negative_contexts"`
	SharedContexts   []string       `table:"shared_contexts"`
	// NegativeOnlyContexts are contexts coded only with negative outcomes.
	NegativeOnlyContexts []string `table:"negative_only_contexts"`
	PositiveOnlyContexts []string `table:"positive_only_contexts"`
}

// StudyTheme is one code as coded in one study and role (no roll-up).
type StudyTheme struct {
	StudyID   string `table:"study_id"`
	ClusterID string `table:"cluster_id"`
	// WorkIDs are the works (reports) the study label maps to, when known.
	WorkIDs []string `table:"work_ids"`
	CodeID  string   `table:"code_id"`
	Label   string   `table:"label"`
	// Role is the CMO slot: C, MR, MX, O, I or A.
	Role       string   `table:"role"`
	Polarities []string `table:"polarities"`
	// Configurations counts the configurations coding it in this study and role.
	Configurations int32 `table:"configurations"`
	// Status is included (consensus rows), provisional (reviewer rows only)
	// or not_included (a study screening did not include; left out of tallies).
	Status     string `table:"status"`
	FirstRound string `table:"first_round,optional"`
}

// CodingAgreement is study-level agreement on whether a code (or a
// descendant) applies, between two reviewers, or among all reviewers.
type CodingAgreement struct {
	CodeID string `table:"code_id"`
	Label  string `table:"label"`
	// Scope is pair (two reviewers) or all (three or more, Krippendorff's alpha).
	Scope     string   `table:"scope"`
	ReviewerA string   `table:"reviewer_a,optional"`
	ReviewerB string   `table:"reviewer_b,optional"`
	Reviewers []string `table:"reviewers"`
	// Studies counts the studies coded by both reviewers (pair) or by at least two (all).
	Studies          int32    `table:"studies"`
	BothPresent      int32    `table:"both_present"`
	OnlyA            int32    `table:"only_a"`
	OnlyB            int32    `table:"only_b"`
	BothAbsent       int32    `table:"both_absent"`
	PercentAgreement *float64 `table:"percent_agreement"`
	Kappa            *float64 `table:"kappa"`
	PABAK            *float64 `table:"pabak"`
	Alpha            *float64 `table:"alpha"`
}

// ScaleSummary counts the studies whose configurations put an activity type
// at one level of an ordinal scale (e.g. IAP2). A study counts once per
// activity type and level.
type ScaleSummary struct {
	Scale string `table:"scale"`
	// Scope is activity (one activity type) or all (any activity, each study once per level).
	Scope         string `table:"scope"`
	ActivityID    string `table:"activity_id,optional"`
	ActivityLabel string `table:"activity_label,optional"`
	LevelID       string `table:"level_id"`
	LevelLabel    string `table:"level_label"`
	// Rank is the level's position on the scale; null for unclear.
	Rank     *int32   `table:"rank"`
	Unclear  bool     `table:"unclear"`
	Studies  int32    `table:"studies"`
	StudyIDs []string `table:"study_ids"`
}

// Saturation records what each study added, in coding order; when studies
// stop adding codes and chains, the team may stop searching.
type Saturation struct {
	Round string `table:"round"`
	// Order is the study's position over all rounds (1-based).
	Order            int32    `table:"order"`
	StudyID          string   `table:"study_id"`
	NewCodes         []string `table:"new_codes"`
	NewCodeCount     int32    `table:"new_code_count"`
	NewChainIDs      []string `table:"new_chain_ids"`
	NewChainCount    int32    `table:"new_chain_count"`
	CumulativeCodes  int32    `table:"cumulative_codes"`
	CumulativeChains int32    `table:"cumulative_chains"`
}
