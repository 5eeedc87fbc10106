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
// publication. Its WorkID never changes once issued. Rows are in the order
// of their canonical records in the records table, so that works are
// written, and exported, as the records stream by.
type Work struct {
	// WorkID identifies the work: the id an earlier run issued to its
	// records, else "W-" + its smallest record id (with "-2", "-3"… if taken).
	// Never reused or renumbered.
	WorkID string `table:"work_id"`
	// StudyID groups related reports (preprint and article, abstract and
	// article, erratum and article) of one study: the id an earlier run gave
	// the study, else the smallest work id among its works (a lone report: its own work id).
	StudyID string `table:"study_id"`
	// CanonicalRecordID is the most complete member record (most filled
	// bibliographic fields; ties: smallest record id); the fields below come from it.
	CanonicalRecordID string `table:"canonical_record_id"`
	// RecordIDs lists every member record, sorted.
	RecordIDs []string `table:"record_ids"`
	// Databases lists the databases the members came from, sorted, once each.
	Databases []string `table:"databases"`
	// FirstRound is the round in which the work was first found: its members'
	// earliest round, or an earlier first round from the previous output.
	FirstRound string `table:"first_round"`
	// Rounds lists every round that retrieved a member, once each, in config order.
	Rounds []string `table:"rounds"`
	// Title is the canonical record's title as exported (else the first
	// non-empty title among members, most complete first); null when no member has one.
	Title string `table:"title,optional"`
	// Authors are the canonical record's authors as written in the export (else
	// another member's); empty when no member has any.
	Authors []string `table:"authors"`
	// Year is the publication year of the canonical record (else another
	// member's); null when no member has one.
	Year *int32 `table:"year"`
	// Journal is the full journal or source title, taken like Title; null when none.
	Journal string `table:"journal,optional"`
	// Volume as exported, taken like Title; null when none.
	Volume string `table:"volume,optional"`
	// Issue as exported, taken like Title; null when none.
	Issue string `table:"issue,optional"`
	// Pages as exported ("221-8"), taken like Title; null when none.
	Pages string `table:"pages,optional"`
	// DOI is the first DOI, lower-cased without URL or "doi:" prefix, taken like Title; null when none.
	DOI string `table:"doi,optional"`
	// PMID is the PubMed id as exported, taken like Title; null when none.
	PMID string `table:"pmid,optional"`
	// Abstract as exported, taken like Title; null when no member has one.
	Abstract string `table:"abstract,optional,text"`

	// ReportKind is what the canonical record is: article, preprint,
	// conference_abstract, erratum, retraction, comment (comments, replies,
	// letters) or cochrane_review.
	ReportKind string `table:"report_kind"`
	// RelatedWorkIDs are the other works of the same study (see StudyID),
	// sorted; empty for a lone report.
	RelatedWorkIDs []string `table:"related_work_ids"`
	// PreviouslyIssued is true when the work id comes from the previous
	// committed output, so screening decisions recorded against it still apply;
	// false for a work new in this run.
	PreviouslyIssued bool `table:"previously_issued"`
	// AlreadySeenRecordIDs are members from a round after FirstRound, sorted: the work
	// was screened when first found, so these records are not screened again; empty when none.
	AlreadySeenRecordIDs []string `table:"already_seen_record_ids"`
	// MemberCount is len(RecordIDs): the number of records merged into the work (1 for a record with no duplicate).
	MemberCount int64 `table:"member_count"`
}

// DuplicatePair is the evidence for one compared pair of records. Pairs that
// merely share a blocking key and are plainly different are not written;
// distinct pairs are written when a human decided them or their title score
// is at least 0.85 (a guard stopped an otherwise similar pair).
type DuplicatePair struct {
	// RecordA is the pair's first record id (RecordA < RecordB).
	RecordA string `table:"record_a"`
	// RecordB is the pair's second record id.
	RecordB string `table:"record_b"`
	// WorkA is the work RecordA ended in.
	WorkA string `table:"work_a"`
	// WorkB is the work RecordB ended in (equal to WorkA when Merged).
	WorkB string `table:"work_b"`
	// Decision is duplicate, related (linked reports of one study: preprint,
	// abstract, erratum, comment and their article), review
	// (needs a human; also a duplicate that clustering refused or a study
	// link refused, see Note) or distinct.
	Decision string `table:"decision"`
	// Rule names the rule or guard that decided (stages/dedupe/README.md
	// lists the evidence each needs). duplicate: "doi+title", "pmid+title",
	// "doi+authors+place, title in two languages",
	// "doi+authors+page range, title reworded" (both also pmid+),
	// "title+authors+year+source", "title+authors+source, year±1",
	// "title+authors+volume+pages", "title+volume+pages, no authors",
	// "title+authors+year+pages, volume garbled",
	// "title+authors+year+journal+issue, volume garbled" (no page on one
	// side),
	// "title+authors+year+journal, fields shifted",
	// "title+authors+year, BibTeX key twin",
	// "title+authors+journal+volume+issue, printed twice",
	// "close-title+authors+volume+pages",
	// "translated-title+authors+year+journal+volume+pages",
	// "cochrane:title+authors+year",
	// "preprint+article (merge_preprints)", "human:same". related:
	// "related:erratum", "related:retraction", "related:comment" (a notice
	// and its article), "related:erratum-cited" (printed where the other's
	// "[Erratum appears in ...]" note points), "related:short-item" (a
	// one-page item under a multi-page article's title, authors and
	// journal), "related:abstract-reprinted" (one abstract printed in two
	// places), "related:cochrane-update" (another version of a Cochrane
	// review), "related:KIND1/KIND2" (the two report kinds in
	// alphabetical order, e.g. "related:article/preprint") or
	// "human:same_study" (the team's decision). review:
	// "title-only", "close-title", "title-only, volume garbled",
	// "title-only, fields shifted", "title-only, brief title",
	// "title-only, letter and article" (one record typed Letter, the other
	// another item, placed by neither the issue nor the pages),
	// "weak-title+authors+volume+pages", "title+bib, authors differ",
	// "doi-agree-title-differs", "pmid-agree-title-differs",
	// "missing-title+identifier", "related?:KIND1/KIND2, authors missing"
	// (a link a human must confirm), or a duplicate rule whose merge, or a
	// related rule whose study link, was refused. distinct: "guard:doi-conflict", "guard:pmid-conflict",
	// "guard:years-apart", "guard:volume-conflict", "guard:pages-conflict",
	// "guard:issue-conflict", "guard:title-numbers", "guard:title-contrast",
	// "guard:generic-title", "guard:authors-differ", "guard:cochrane-update",
	// "guard:cochrane-number", "guard:KIND1/KIND2" (different report kinds;
	// ", years" appended when the years do not fit the relation),
	// "titles-differ", "human:different", "human:different_study".
	Rule string `table:"rule"`
	// TitleScore is the title similarity, 0..1 to 3 decimals: 1 − Levenshtein
	// distance / longer length over the folded titles (letters and digits
	// only); when the titles share under half their words (token Dice < 0.5)
	// and neither contains the other, Dice × 0.7 instead. Edit distances past
	// 30% are not computed: such scores read just under 0.7. Null: a title is missing.
	TitleScore *float64 `table:"title_score"`
	// AuthorScore is the share of the first 10 authors of the shorter list
	// found among the first 15 of the other (family names, one edit forgiven
	// in long ones), 0..1 to 3 decimals (null: either side has no
	// usable authors; Anonymous and group-only lists count as none).
	AuthorScore *float64 `table:"author_score"`
	// FirstAuthor is the verdict on the first authors, not a name (the
	// column is named first_author_evidence so that nobody joins on it, as
	// are the seven below): agree or conflict (first authors' family
	// names), or missing (no usable authors on at least one side).
	FirstAuthor string `table:"first_author_evidence"`
	// Journal is agree (a shared ISSN, or names equal allowing for
	// abbreviations), conflict, or missing (no journal on at least one side).
	Journal string `table:"journal_evidence"`
	// DOI is agree (the records share any DOI), conflict (both have DOIs, none shared) or missing.
	DOI string `table:"doi_evidence"`
	// PMID is agree, conflict or missing (absent on at least one side).
	PMID string `table:"pmid_evidence"`
	// Volume is agree, conflict (different volume numbers) or missing (absent, or no number, on at least one side).
	Volume string `table:"volume_evidence"`
	// Issue is agree, conflict (different issue numbers) or missing (absent, or no number, on at least one side).
	Issue string `table:"issue_evidence"`
	// Pages is agree (same first page, same last page, or a single page equal
	// to the other's last), conflict, or missing (absent on at least one side,
	// or an article number such as e12724 against printed pages).
	Pages string `table:"pages_evidence"`
	// Year is agree, near (one year apart: epub vs print), conflict (two or
	// more years apart) or missing (absent on at least one side).
	Year string `table:"year_evidence"`
	// Merged is true when the two records ended in the same work (WorkA = WorkB),
	// directly or through other members.
	Merged bool `table:"merged"`
	// Note explains what clustering did to the pair: "not merged: …" (the
	// merge was refused, why, and the decision set to review), "not linked:
	// …" (the study link was refused: a record of each study is decided
	// different_study, or their authors conflict, and the decision set to
	// review) and/or "merged through other members" (a review pair that
	// ended in one work); null otherwise.
	Note string `table:"note,optional"`
}

// ReviewItem is an uncertain pair awaiting a human decision. Copy the pair
// into the decisions CSV named in config with `same` or `different` (one
// report or two), `same_study` (two reports of one study: link, never
// merge) or `different_study` (never link).
type ReviewItem struct {
	// RecordA is the pair's first record id (RecordA < RecordB); a decisions CSV's record_a.
	RecordA string `table:"record_a"`
	// RecordB is the pair's second record id; a decisions CSV's record_b.
	RecordB string `table:"record_b"`
	// WorkA is the work RecordA is in now.
	WorkA string `table:"work_a"`
	// WorkB is the work RecordB is in now (never WorkA: merged pairs are not queued).
	WorkB string `table:"work_b"`
	// Reason is the rule that sent the pair here (duplicate_pairs.rule), then
	// "; " and the note when clustering refused the merge or the study link
	// ("not merged: …", "not linked: …").
	Reason string `table:"reason"`
	// TitleScore is the title similarity, 0..1, as in duplicate_pairs (null: a title is missing).
	TitleScore *float64 `table:"title_score"`
	// AuthorScore is the author overlap, 0..1, as in duplicate_pairs (null: either side has no usable authors).
	AuthorScore *float64 `table:"author_score"`
	// TitleA is RecordA's title as exported; null when it has none.
	TitleA string `table:"title_a,optional"`
	// TitleB is RecordB's title as exported; null when it has none.
	TitleB string `table:"title_b,optional"`
	// YearA is RecordA's publication year; null when it has none.
	YearA *int32 `table:"year_a"`
	// YearB is RecordB's publication year; null when it has none.
	YearB *int32 `table:"year_b"`
	// FirstAuthorA is RecordA's first author as written in the export; null when it lists none.
	FirstAuthorA string `table:"first_author_a,optional"`
	// FirstAuthorB is RecordB's first author as written in the export; null when it lists none.
	FirstAuthorB string `table:"first_author_b,optional"`
	// JournalA is RecordA's full journal or source title as exported; null when it has none.
	JournalA string `table:"journal_a,optional"`
	// JournalB is RecordB's full journal or source title as exported; null when it has none.
	JournalB string `table:"journal_b,optional"`
	// SourceA is RecordA's "volume(issue):pages" as exported, parts left out
	// when absent; null when it has no volume, issue or pages.
	SourceA string `table:"source_a,optional"`
	// SourceB is RecordB's "volume(issue):pages", like SourceA.
	SourceB string `table:"source_b,optional"`
	// DOIA is RecordA's first DOI, lower-cased without URL prefix; null when it has none.
	DOIA string `table:"doi_a,optional"`
	// DOIB is RecordB's first DOI, like DOIA; null when it has none.
	DOIB string `table:"doi_b,optional"`
	// DatabaseA is the database RecordA came from, as named in the config.
	DatabaseA string `table:"database_a"`
	// DatabaseB is the database RecordB came from, as named in the config.
	DatabaseB string `table:"database_b"`
}

// WorkBridge is a record that matches works an earlier run issued separately.
// The works keep their ids and stay apart; the team decides (decisions CSV).
type WorkBridge struct {
	// RecordID is the new record (in no work of the previous output) that
	// matched records of two or more earlier works.
	RecordID string `table:"record_id"`
	// WorkID is the work the record was put in: usually one of
	// BridgedWorkIDs, another work when those merges were refused.
	WorkID string `table:"work_id"`
	// BridgedWorkIDs are all the earlier works the record matched, sorted, once each (two or more).
	BridgedWorkIDs []string `table:"bridged_work_ids"`
	// Rules are, in the same order, the rule (duplicate_pairs.rule) of the
	// record's duplicate match with each bridged work; when several pairs
	// matched one work, the alphabetically first rule.
	Rules []string `table:"rules"`
}

// SourceContribution counts what one database contributed in one round.
type SourceContribution struct {
	// Round is the round id as in the config; null for the row over all rounds together.
	Round string `table:"round,optional"`
	// Database is the database as named in the config; only databases with records in the round get a row.
	Database string `table:"database"`
	// Records is the number of records the database contributed to the records table in the round (quarantined input not counted).
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
	// Round is the round id as in the config; null for the row over all rounds together.
	Round string `table:"round,optional"`
	// DatabaseA is the first database of the pair (DatabaseA < DatabaseB); both have records in the round.
	DatabaseA string `table:"database_a"`
	// DatabaseB is the second database of the pair.
	DatabaseB string `table:"database_b"`
	// SharedWorks is the number of works retrieved by both (in the round, or in any rounds for the all-rounds row); may be 0.
	SharedWorks int64 `table:"shared_works"`
	// Jaccard is SharedWorks over the works retrieved by either (shared / (A + B − shared)), 0..1 to 3 decimals.
	Jaccard float64 `table:"jaccard"`
}
