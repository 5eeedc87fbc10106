package csv

import (
	stdcsv "encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
)

// Columns are the header of the CSV Write produces, named so that this
// package's reader maps every one of them back (id is the source key).
var Columns = []string{"id", "type", "title", "original_title", "authors", "year", "date", "journal",
	"journal_abbrev", "volume", "issue", "pages", "page_start", "page_end", "article_number", "doi",
	"pmid", "pmcid", "issn", "isbn", "abstract", "keywords", "language", "urls", "notes",
	"publication_type", "accession_number", "database", "round"}

// Write writes recs as CSV with a header row (Columns), UTF-8 without a BOM,
// CRLF line ends as spreadsheet programs expect. Lists are joined with "; "
// (URLs with spaces, notes with a blank line between them); id is
// rec.RecordID. database and round are provenance; they read back as extra.
func Write(w io.Writer, recs []tables.Record) error {
	cw := stdcsv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for i := range recs {
		r := &recs[i]
		year := ""
		if r.Year != nil {
			year = strconv.Itoa(int(*r.Year))
		}
		dois := r.DOIs
		if len(dois) == 0 && r.DOI != "" {
			dois = []string{r.DOI}
		}
		row := []string{r.RecordID, r.Type, r.Title, r.OriginalTitle, strings.Join(r.Authors, "; "), year, r.Date,
			r.Journal, r.JournalAbbrev, r.Volume, r.Issue, r.Pages, r.PageStart, r.PageEnd, r.ArticleNumber,
			strings.Join(dois, "; "), r.PMID, r.PMCID, strings.Join(r.ISSN, "; "), strings.Join(r.ISBN, "; "),
			r.Abstract, strings.Join(r.Keywords, "; "), r.Language, strings.Join(r.URLs, " "),
			strings.Join(r.Notes, "\n\n"), strings.Join(r.PublicationType, "; "), r.AccessionNumber, r.Database, r.Round}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
