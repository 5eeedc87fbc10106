package endnote

import (
	"strings"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/tables"
)

// recordFrom maps EndNote elements to the columns of tables.Record.
func recordFrom(leaves []leaf, line int64) *tables.Record {
	rec := &tables.Record{Format: "endnote", SourceLine: line}
	used := make([]bool, len(leaves))
	first := func(paths ...string) string {
		for _, p := range paths {
			for i, l := range leaves {
				if !used[i] && l.path == p && strings.TrimSpace(l.text) != "" {
					used[i] = true
					return l.text
				}
			}
		}
		return ""
	}
	all := func(paths ...string) []string {
		var out []string
		for i, l := range leaves {
			for _, p := range paths {
				if !used[i] && l.path == p {
					used[i] = true
					if strings.TrimSpace(l.text) != "" {
						out = append(out, l.text)
					}
				}
			}
		}
		return out
	}

	rec.SourceKey = first("rec-number")
	for i, l := range leaves {
		if l.path == "ref-type" {
			used[i] = true
			rec.Type = strings.TrimSpace(l.text)
			for _, a := range l.attrs {
				if a.Name.Local == "name" && a.Value != "" {
					rec.Type = a.Value
				}
			}
			break
		}
	}
	rec.Authors = all("contributors/authors/author")
	rec.Title = first("titles/title")
	rec.Journal = first("periodical/full-title", "titles/secondary-title", "secondary-title")
	rec.JournalAbbrev = first("periodical/abbr-1", "titles/alt-title", "alt-periodical/abbr-1", "periodical/abbr-2")
	yearText := first("dates/year")
	if y, ok := biblio.YearOf(yearText); ok {
		rec.Year = &y
	} else if yearText != "" {
		rec.Extra = append(rec.Extra, tables.Field{Tag: "dates/year", Value: yearText})
	}
	rec.Date = first("dates/pub-dates/date")
	rec.Volume = first("volume")
	rec.Issue = first("number", "issue")
	rec.Pages = first("pages")
	rec.DOIs = all("electronic-resource-num")
	issn, isbn, other := biblio.SplitStandardNumbers(all("isbn", "issn"))
	rec.ISSN, rec.ISBN = issn, isbn
	for _, o := range other {
		rec.Extra = append(rec.Extra, tables.Field{Tag: "isbn", Value: o})
	}
	rec.Abstract = first("abstract")
	rec.Keywords = all("keywords/keyword")
	rec.Language = first("language")
	rec.URLs = all("urls/related-urls/url", "urls/web-urls/url")
	rec.Notes = all("notes")
	rec.PublicationType = all("work-type")
	rec.AccessionNumber = first("accession-num")
	db := strings.ToLower(first("remote-database-name") + " " + first("remote-database-provider"))
	if strings.Contains(db, "pubmed") || strings.Contains(db, "medline") || strings.Contains(db, "nlm") {
		if biblio.IsDigits(strings.TrimSpace(rec.AccessionNumber)) {
			rec.PMID = rec.AccessionNumber
		}
	}
	for i, l := range leaves {
		if !used[i] && l.path == "custom2" && strings.HasPrefix(strings.TrimSpace(l.text), "PMC") && rec.PMCID == "" {
			rec.PMCID = l.text // PubMed imports put the PMCID in custom2; it stays in Extra too
		}
	}
	// Everything else, custom1–7, caption and label included, in file order.
	// remote-database-* were read above but are kept: they are provenance.
	for i, l := range leaves {
		if (!used[i] || strings.HasPrefix(l.path, "remote-database")) && strings.TrimSpace(l.text) != "" {
			rec.Extra = append(rec.Extra, tables.Field{Tag: l.path, Value: l.text})
		}
	}
	return rec
}
