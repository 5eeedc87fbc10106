// Package tables declares every table realsynth writes. Each table is one Go
// struct: its `table` tags name the Parquet columns, its doc comments are the
// column reference, and pipeline/table turns a slice of it into Arrow and
// Parquet. Stages pass data to each other only as slices of these rows.
//
// Tag options: `table:"name"` is a required column; `table:"name,optional"`
// writes the Go zero value ("" or 0) as null, so missing values are never
// sentinel strings. Pointers are nullable too. Slices become Parquet LISTs.
// `table:"name,optional,text"` marks free text (abstracts): its pages carry
// no min/max statistics, which nobody filters abstracts by and which cost
// a comparison of every value to write.
package tables

import "github.com/realsynth/realsynth/pipeline/table"

// Record is one entry of one search export: a RIS block, a MEDLINE citation,
// a CSV row. Ingest writes one row per parsed input record; dedupe fills WorkID.
// Rows are in the order of round (as in the config), database, source file
// and line (records sharing a line: by record id).
type Record struct {
	// RecordID is stable across reruns and re-exports: a hash of the round,
	// the database and the record's source key (or its content when it has
	// no key), never its position in a file. A key repeated within one
	// export gets a "-2", "-3" suffix in order of appearance.
	RecordID string `table:"record_id"`
	// WorkID is the de-duplicated work (one real publication) this record
	// belongs to; null in ingest's output, filled by dedupe.
	WorkID string `table:"work_id,optional"`
	// Round is the id of the search round, as in the config.
	Round string `table:"round"`
	// Database is the database or source named in the config (MEDLINE, Embase…).
	Database string `table:"database"`
	// SourceFile is the export file, relative to the config file.
	SourceFile string `table:"source_file"`
	// SourceLine is the 1-based line where the record starts in SourceFile.
	SourceLine int64 `table:"source_line"`
	// SourceKey is the record's id in its source file: RIS ID/AN, MEDLINE PMID,
	// EndNote rec-number, CSV key column.
	SourceKey string `table:"source_key,optional"`
	// Format is the reader that parsed it: ris, medline, bibtex, endnote, wos, csv.
	Format string `table:"format"`

	// Type is the publication type code as exported (RIS TY, BibTeX entry type…).
	Type string `table:"type,optional"`
	// Title as exported, whitespace and Unicode (NFC) normalised.
	Title string `table:"title,optional"`
	// OriginalTitle is the title in the original language when the export
	// gives an English translation as Title (MEDLINE TT, RIS T1/OP…).
	OriginalTitle string `table:"original_title,optional"`
	// Authors as written in the export, in order.
	Authors []string `table:"authors"`
	// AuthorsNormalised is Authors as "Family, I.J." (initials without spaces).
	AuthorsNormalised []string `table:"authors_normalised"`
	// Year of publication (print year where the export gives both).
	Year *int32 `table:"year"`
	// Date is the fuller publication date when the export has one, as written.
	Date string `table:"date,optional"`
	// PublicationDate is Date read as a date (else Year's 1 January), for
	// sorting and filtering: the first day of the month or year when the export
	// gives no day, so read it with PublicationDatePrecision. Null when neither
	// Date nor Year gives a year.
	PublicationDate table.Date `table:"publication_date,optional"`
	// PublicationDatePrecision is day, month or year: the parts of
	// PublicationDate the export gave (a season or a month range counts as its
	// year or first month); null when PublicationDate is.
	PublicationDatePrecision string `table:"publication_date_precision,optional"`
	// Journal is the full journal or source title (RIS T2/JF/JO, MEDLINE JT).
	Journal string `table:"journal,optional"`
	// JournalAbbrev is the abbreviated title (RIS J2/JA, MEDLINE TA).
	JournalAbbrev string `table:"journal_abbrev,optional"`
	// Volume as exported, whitespace normalised.
	Volume string `table:"volume,optional"`
	// Issue (number) as exported, whitespace normalised.
	Issue string `table:"issue,optional"`
	// Pages as written (or PageStart-PageEnd when the export gives them apart).
	Pages string `table:"pages,optional"`
	// PageStart is the first page of Pages ("221-8" → 221; "pp. 3–10" → 3);
	// roman numerals and letter prefixes are kept.
	PageStart string `table:"page_start,optional"`
	// PageEnd is the last page with abbreviated ends written in full ("221-8" → 228);
	// null for a single page or article number.
	PageEnd string `table:"page_end,optional"`
	// ArticleNumber is an electronic article number (e1234, CD012345).
	ArticleNumber string `table:"article_number,optional"`
	// DOI is the first DOI, lower-cased, without URL or "doi:" prefix; null when the record has none.
	DOI string `table:"doi,optional"`
	// DOIs lists every DOI of the record, cleaned like DOI and de-duplicated
	// (taken from doi.org links in URLs when no DOI field has one).
	DOIs []string `table:"dois"`
	// PMID is the PubMed id as exported, without a "PMID:" prefix.
	PMID string `table:"pmid,optional"`
	// PMCID is the PubMed Central id (PMC…); "PMC" is added when the export gives digits only.
	PMCID string `table:"pmcid,optional"`
	// ISSN lists the record's ISSNs as NNNN-NNNC ("(Print)" and similar notes
	// dropped), de-duplicated; print and electronic ISSNs alike.
	ISSN []string `table:"issn"`
	// ISBN lists the record's ISBNs without hyphens or spaces (digits and X), de-duplicated.
	ISBN []string `table:"isbn"`
	// Abstract as exported, whitespace normalised; line breaks between
	// structured-abstract sections are kept.
	Abstract string `table:"abstract,optional,text"`
	// Keywords are author keywords and subject headings, as exported.
	Keywords []string `table:"keywords"`
	// Language as exported (eng, English…).
	Language string `table:"language,optional"`
	// URLs are links to the record or full text.
	URLs []string `table:"urls"`
	// Notes are free-text notes (RIS N1); screening tools put votes here.
	Notes []string `table:"notes"`
	// PublicationType lists the database's publication types (MEDLINE PT…).
	PublicationType []string `table:"publication_type"`
	// AccessionNumber is the database's own accession number (RIS AN, WoS UT…).
	AccessionNumber string `table:"accession_number,optional"`
	// Extra keeps every field of the export that has no column above, in order,
	// so nothing the database sent is lost.
	Extra []Field `table:"extra"`
}

// Field is one tagged value kept verbatim from an export.
type Field struct {
	// Tag is the export's own field name (RIS tag, MEDLINE tag, CSV header…).
	Tag string `table:"tag"`
	// Value is the field's text as exported.
	Value string `table:"value"`
}

// Quarantine is one piece of input that could not be read as a record.
// Every input record ends up either in records or here.
type Quarantine struct {
	// Round is the id of the search round the input belongs to, as in the config.
	Round string `table:"round,optional"`
	// Database is the database or source of that search, as named in the config.
	Database string `table:"database,optional"`
	// SourceFile is the export file, relative to the config file.
	SourceFile string `table:"source_file"`
	// SourceLine is the 1-based line where the bad record or input starts (0: the whole file).
	SourceLine int64 `table:"source_line"`
	// Format is the reader that rejected it.
	Format string `table:"format,optional"`
	// Error says what was expected and what was found.
	Error string `table:"error"`
	// Raw is the offending text, cut to 4 KiB.
	Raw string `table:"raw,optional"`
}
