package tables

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
	WorkID string `table:"work_id"`
	// RecordID is the record the vote matched (empty when matched through a
	// DOI or title shared by several records of the work).
	RecordID string `table:"record_id,optional"`
	// MatchedBy is how the vote was joined: source_key, doi, pmid, title_year.
	MatchedBy string `table:"matched_by"`
	// Round is the round in which the work was first found (its screening round).
	Round string `table:"round"`
	// Stage is title_abstract or full_text.
	Stage    string `table:"stage"`
	Reviewer string `table:"reviewer"`
	// Role is screener, tiebreaker or consensus (from the configured names).
	Role string `table:"role"`
	// Decision is include, exclude, maybe or not_retrieved.
	Decision string `table:"decision"`
	// Reasons are the exclusion reasons given with the vote, as written.
	// Rayyan pools reasons over reviewers: every excluding vote of the record carries them.
	Reasons []string `table:"reasons"`
	// Labels are the screening tool's labels or tags on the record.
	Labels []string `table:"labels"`
	// Timestamp is the vote's time as exported, when the tool gives one.
	Timestamp string `table:"timestamp,optional"`
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
	RefDOI    string `table:"ref_doi,optional"`
	RefPMID   string `table:"ref_pmid,optional"`
	RefTitle  string `table:"ref_title,optional"`
	RefYear   *int32 `table:"ref_year"`
}

// UnmatchedVote is a vote that could not be joined to exactly one work.
type UnmatchedVote struct {
	// Problem is no_match, ambiguous, or invalid (the row could not be read as a vote).
	Problem string `table:"problem"`
	// Error says what was wrong with an invalid row, naming the field.
	Error string `table:"error,optional"`
	// Candidates are the work ids an ambiguous vote matched, sorted.
	Candidates []string `table:"candidates"`
	Stage      string   `table:"stage"`
	Reviewer   string   `table:"reviewer"`
	Decision   string   `table:"decision"`
	Reasons    []string `table:"reasons"`
	Timestamp  string   `table:"timestamp,optional"`
	// SourceFile is the vote export, relative to the config file.
	SourceFile string `table:"source_file"`
	// SourceLine is the 1-based line where the vote's row or event starts.
	SourceLine int64 `table:"source_line"`
	// Format is the vote reader: long, rayyan, rayyan-ris, rayyan-log, covidence, covidence-ris, asreview.
	Format string `table:"format"`
	// RecordRef is the record's id in the screening tool as exported
	// (a source key, Rayyan or Covidence id, DOI or title).
	RecordRef string `table:"record_ref,optional"`
	RefDOI    string `table:"ref_doi,optional"`
	RefPMID   string `table:"ref_pmid,optional"`
	RefTitle  string `table:"ref_title,optional"`
	RefYear   *int32 `table:"ref_year"`
}

// Decision is the outcome of screening one work at one stage.
type Decision struct {
	WorkID string `table:"work_id"`
	// Stage is title_abstract or full_text.
	Stage string `table:"stage"`
	// Round is the round in which the work was screened at this stage.
	Round string `table:"round"`
	// Decision is include, exclude or conflict; at full text also
	// not_retrieved (the report was sought but could not be obtained).
	Decision string `table:"decision"`
	// ResolvedBy says how: unanimous, tiebreaker, consensus, earlier_round,
	// single (one vote only), or unresolved (for a conflict).
	ResolvedBy string `table:"resolved_by"`
	// Reasons are the full-text exclusion reasons, sorted.
	Reasons  []string `table:"reasons"`
	Conflict bool     `table:"conflict"`
	// StudyID is the work's study (from works), so included studies can be counted.
	StudyID string `table:"study_id,optional"`
	// Votes lists the current votes behind the decision as "reviewer: decision", sorted.
	Votes []string `table:"votes"`
}

// Agreement is the agreement of two reviewers at one stage and round, over
// the works both of them rated. Every statistic comes with the counts it is
// computed from; a statistic that is undefined is null and Notes says why.
type Agreement struct {
	Stage string `table:"stage"`
	// Round is a round id, or "all" for every round together.
	Round string `table:"round"`
	// Subset is "all", or "pilot" for the first pilot_records works of the pilot gate.
	Subset    string `table:"subset"`
	ReviewerA string `table:"reviewer_a"`
	ReviewerB string `table:"reviewer_b"`
	// Categories are the rating categories in table order (q = their number).
	Categories []string `table:"categories"`
	// Table is the q×q contingency table, row-major: Table[i*q+j] counts works
	// reviewer A put in category i and reviewer B in category j.
	Table []int64 `table:"table"`
	// N is the number of works both rated; OnlyA/OnlyB were rated by one of them only (not used).
	N     int64 `table:"n"`
	OnlyA int64 `table:"only_a"`
	OnlyB int64 `table:"only_b"`
	// Agreed is the number of works on the diagonal.
	Agreed           int64    `table:"agreed"`
	PercentAgreement *float64 `table:"percent_agreement"`
	// ExpectedAgreement is Cohen's chance agreement pe from the marginals.
	ExpectedAgreement *float64 `table:"expected_agreement"`
	Kappa             *float64 `table:"kappa"`
	// KappaSE is the non-null (Fleiss, Cohen & Everitt 1969) SE used for the CI.
	KappaSE     *float64 `table:"kappa_se"`
	KappaCILow  *float64 `table:"kappa_ci_low"`
	KappaCIHigh *float64 `table:"kappa_ci_high"`
	// KappaSE0 is the SE under H0: κ = 0, used for z.
	KappaSE0          *float64 `table:"kappa_se0"`
	KappaZ            *float64 `table:"kappa_z"`
	KappaLinear       *float64 `table:"kappa_linear"`
	KappaQuadratic    *float64 `table:"kappa_quadratic"`
	PABAK             *float64 `table:"pabak"`
	GwetAC1           *float64 `table:"gwet_ac1"`
	KrippendorffAlpha *float64 `table:"krippendorff_alpha_nominal"`
	// Conventions states how missing ratings, SEs and weights were handled.
	Conventions string `table:"conventions"`
	// Notes says why a statistic is null, or other caveats.
	Notes []string `table:"notes"`
}

// PrismaCount is one number of the PRISMA 2020 flow.
type PrismaCount struct {
	// Scope is "round" (the round's own flow, as an update of the earlier
	// rounds) or "cumulative" (every round up to Round as one review).
	Scope string `table:"scope"`
	Round string `table:"round"`
	// Box is the PRISMA2020 template's data name (database_results,
	// duplicates, records_screened, dbr_excluded, new_studies...), or one of
	// awaiting_screening, awaiting_full_text (works still undecided).
	Box string `table:"box"`
	// Label names the database or the exclusion reason for per-item rows.
	Label string `table:"label,optional"`
	N     int64  `table:"n"`
}
