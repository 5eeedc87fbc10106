package tables

// Tables of the dedupe stage: works, duplicate pairs, review queue, bridges,
// source contribution and overlap.
// Declare each row type in this file and list it here, in the order the stage writes them.
var dedupeTables = []Spec{
	{"works", "One row per work (one real publication, a cluster of duplicate records), with its canonical fields.", Work{}},
	{"duplicate_pairs", "One row per compared record pair that matched, was related, needs review or was stopped by a guard, with per-field evidence and the rule that fired.", DuplicatePair{}},
	{"review_queue", "One row per uncertain record pair awaiting a human same/different decision.", ReviewItem{}},
	{"work_bridges", "One row per record that matches two or more works issued by an earlier run; the works are kept apart and reported here.", WorkBridge{}},
	{"source_contribution", "One row per database and round (and over all rounds): records, works, and works found only there.", SourceContribution{}},
	{"source_overlap", "One row per pair of databases and round (and over all rounds): works both retrieved.", SourceOverlap{}},
}

// Work is one de-duplicated report: a cluster of records of the same
// publication. Its WorkID never changes once issued.
type Work struct {
	WorkID string `table:"work_id"`
	// StudyID groups related reports (preprint and article, abstract and
	// article, erratum and article) of one study; a lone report is its own study.
	StudyID string `table:"study_id"`
	// CanonicalRecordID is the most complete member record.
	CanonicalRecordID string `table:"canonical_record_id"`
	// RecordIDs lists every member record, sorted.
	RecordIDs []string `table:"record_ids"`
	// Databases lists the databases the members came from, sorted, once each.
	Databases []string `table:"databases"`
	// FirstRound is the round in which the work was first found.
	FirstRound string `table:"first_round"`
	// Rounds lists every round that retrieved it.
	Rounds   []string `table:"rounds"`
	Title    string   `table:"title,optional"`
	Authors  []string `table:"authors"`
	Year     *int32   `table:"year"`
	Journal  string   `table:"journal,optional"`
	Volume   string   `table:"volume,optional"`
	Issue    string   `table:"issue,optional"`
	Pages    string   `table:"pages,optional"`
	DOI      string   `table:"doi,optional"`
	PMID     string   `table:"pmid,optional"`
	Abstract string   `table:"abstract,optional"`

	// ReportKind is what the canonical record is: article, preprint,
	// conference_abstract, erratum, retraction, comment, cochrane_review.
	ReportKind string `table:"report_kind"`
	// RelatedWorkIDs are the other works of the same study (see StudyID), sorted.
	RelatedWorkIDs []string `table:"related_work_ids"`
	// PreviouslyIssued is true when the work id comes from the previous
	// committed output: its screening decisions stand.
	PreviouslyIssued bool `table:"previously_issued"`
	// AlreadySeenRecordIDs are members from a round after FirstRound: the work
	// was screened when first found, so these records are not screened again.
	AlreadySeenRecordIDs []string `table:"already_seen_record_ids"`
	// MemberCount is len(RecordIDs).
	MemberCount int32 `table:"member_count"`
}

// DuplicatePair is the evidence for one compared pair of records. Pairs that
// merely share a blocking key and are plainly different are not written;
// distinct pairs are written when a guard stopped an otherwise similar pair.
type DuplicatePair struct {
	// RecordA < RecordB.
	RecordA string `table:"record_a"`
	RecordB string `table:"record_b"`
	// WorkA and WorkB are the works the two records ended in.
	WorkA string `table:"work_a"`
	WorkB string `table:"work_b"`
	// Decision is duplicate, related, review or distinct.
	Decision string `table:"decision"`
	// Rule names the rule or guard that decided, e.g. "title+authors+bib",
	// "guard:doi-conflict", "human:same", "related:preprint".
	Rule string `table:"rule"`
	// TitleScore is the similarity of the matching titles, 0..1 (null: a title is missing).
	TitleScore *float64 `table:"title_score"`
	// AuthorScore is the share of authors of the shorter list found in the other, 0..1 (null: missing).
	AuthorScore *float64 `table:"author_score"`
	// FirstAuthor, Journal, DOI, PMID, Volume, Issue, Pages, Year are
	// agree, conflict or missing (missing: absent on at least one side);
	// Year is near when one year apart.
	FirstAuthor string `table:"first_author"`
	Journal     string `table:"journal"`
	DOI         string `table:"doi"`
	PMID        string `table:"pmid"`
	Volume      string `table:"volume"`
	Issue       string `table:"issue"`
	Pages       string `table:"pages"`
	Year        string `table:"year"`
	// Merged is true when the two records ended in the same work.
	Merged bool `table:"merged"`
	// Note explains a decision changed after comparison (a clustering guard,
	// a human decision).
	Note string `table:"note,optional"`
}

// ReviewItem is an uncertain pair awaiting a human decision. Copy the pair
// into the decisions CSV named in config with `same` or `different`.
type ReviewItem struct {
	RecordA string `table:"record_a"`
	RecordB string `table:"record_b"`
	WorkA   string `table:"work_a"`
	WorkB   string `table:"work_b"`
	// Reason is the rule that sent the pair here.
	Reason       string   `table:"reason"`
	TitleScore   *float64 `table:"title_score"`
	AuthorScore  *float64 `table:"author_score"`
	TitleA       string   `table:"title_a,optional"`
	TitleB       string   `table:"title_b,optional"`
	YearA        *int32   `table:"year_a"`
	YearB        *int32   `table:"year_b"`
	FirstAuthorA string   `table:"first_author_a,optional"`
	FirstAuthorB string   `table:"first_author_b,optional"`
	JournalA     string   `table:"journal_a,optional"`
	JournalB     string   `table:"journal_b,optional"`
	// SourceA and SourceB are "volume(issue):pages" as exported.
	SourceA   string `table:"source_a,optional"`
	SourceB   string `table:"source_b,optional"`
	DOIA      string `table:"doi_a,optional"`
	DOIB      string `table:"doi_b,optional"`
	DatabaseA string `table:"database_a"`
	DatabaseB string `table:"database_b"`
}

// WorkBridge is a record that matches works an earlier run issued separately.
// The works keep their ids and stay apart; the team decides (decisions CSV).
type WorkBridge struct {
	RecordID string `table:"record_id"`
	// WorkID is the work the record was put in.
	WorkID string `table:"work_id"`
	// BridgedWorkIDs are all the earlier works the record matched, sorted.
	BridgedWorkIDs []string `table:"bridged_work_ids"`
	// Rule is the rule of the strongest match to each bridged work, in the same order.
	Rules []string `table:"rules"`
}

// SourceContribution counts what one database contributed in one round.
type SourceContribution struct {
	// Round is null for the row over all rounds together.
	Round    string `table:"round,optional"`
	Database string `table:"database"`
	// Records is the number of records exported by the database.
	Records int64 `table:"records"`
	// Works is the number of distinct works among those records.
	Works int64 `table:"works"`
	// UniqueWorks is the number of those works no other database retrieved (in the same round, or at all for the all-rounds row).
	UniqueWorks int64 `table:"unique_works"`
	// NewWorks is the number of its works first found in this round (equals Works for the all-rounds row).
	NewWorks int64 `table:"new_works"`
}

// SourceOverlap is the number of works two databases both retrieved.
type SourceOverlap struct {
	// Round is null for the row over all rounds together.
	Round string `table:"round,optional"`
	// DatabaseA < DatabaseB.
	DatabaseA string `table:"database_a"`
	DatabaseB string `table:"database_b"`
	// SharedWorks is the number of works retrieved by both.
	SharedWorks int64 `table:"shared_works"`
	// Jaccard is SharedWorks over the works retrieved by either.
	Jaccard float64 `table:"jaccard"`
}
