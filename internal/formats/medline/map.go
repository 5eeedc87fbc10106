package medline

import (
	"strings"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/tables"
)

// recordFrom maps MEDLINE tags to the columns of tables.Record; tags it
// does not map go to Extra in file order.
func recordFrom(fields []Field, line int64) *tables.Record {
	rec := &tables.Record{Format: "medline", SourceLine: line}
	var au []string    // AU: "Smith JA", MEDLINE's own initials
	var fauIdx []int   // positions in Authors that came from FAU
	var groupIdx []int // positions of group authors (CN), kept whole
	// Count first, so that the lists are allocated once.
	var nFAU, nAU, nCN, nKW, nPT int
	for _, f := range fields {
		switch f.Tag {
		case "FAU":
			nFAU++
		case "AU":
			nAU++
		case "CN":
			nCN++
		case "MH", "OT":
			nKW++
		case "PT":
			nPT++
		}
	}
	hasFAU := nFAU > 0
	if hasFAU {
		rec.Authors = make([]string, 0, nFAU+nCN)
		fauIdx = make([]int, 0, nFAU)
	} else if nAU+nCN > 0 {
		rec.Authors = make([]string, 0, nAU+nCN)
	}
	if nAU > 0 {
		au = make([]string, 0, nAU)
	}
	if nKW > 0 {
		rec.Keywords = make([]string, 0, nKW)
	}
	if nPT > 0 {
		rec.PublicationType = make([]string, 0, nPT)
	}
	rec.Extra = make([]tables.Field, 0, max(4, len(fields)-nFAU-nAU-nCN-nKW-nPT-12))
	for _, f := range fields {
		v := f.Value
		if strings.TrimSpace(v) == "" && f.Tag != "PMID" {
			continue
		}
		switch f.Tag {
		case "PMID":
			if rec.PMID == "" && strings.TrimSpace(v) != "" {
				rec.PMID, rec.SourceKey = v, v
				continue
			}
		case "TI":
			if rec.Title == "" {
				rec.Title = v
				continue
			}
		case "BTI":
			if rec.Title == "" {
				rec.Title = v
				continue
			}
		case "TT":
			if rec.OriginalTitle == "" {
				rec.OriginalTitle = v
				continue
			}
		case "FAU":
			fauIdx = append(fauIdx, len(rec.Authors))
			rec.Authors = append(rec.Authors, v)
			continue
		case "AU":
			au = append(au, v)
			if !hasFAU {
				rec.Authors = append(rec.Authors, v)
			}
			continue
		case "CN":
			groupIdx = append(groupIdx, len(rec.Authors))
			rec.Authors = append(rec.Authors, v)
			continue
		case "DP":
			if rec.Date == "" {
				rec.Date = v
				if y, ok := biblio.YearOf(v); ok {
					rec.Year = &y
				}
				continue
			}
		case "JT":
			if rec.Journal == "" {
				rec.Journal = v
				continue
			}
		case "TA":
			if rec.JournalAbbrev == "" {
				rec.JournalAbbrev = v
				continue
			}
		case "VI":
			if rec.Volume == "" {
				rec.Volume = v
				continue
			}
		case "IP":
			if rec.Issue == "" {
				rec.Issue = v
				continue
			}
		case "PG":
			if rec.Pages == "" {
				rec.Pages = v
				continue
			}
		case "AID", "LID":
			if id, kind, ok := splitIDKind(v); ok && kind == "doi" {
				rec.DOIs = append(rec.DOIs, id)
				continue
			} else if ok && kind == "pii" && f.Tag == "LID" && rec.ArticleNumber == "" && isArticleNumber(id) {
				// Online-only journals give the article number as LID "e0212345 [pii]".
				rec.ArticleNumber = id
			}
		case "PMC":
			if rec.PMCID == "" {
				rec.PMCID = v
				continue
			}
		case "IS":
			issn, isbn, _ := biblio.SplitStandardNumbers([]string{v})
			if len(issn)+len(isbn) > 0 {
				rec.ISSN = append(rec.ISSN, issn...)
				rec.ISBN = append(rec.ISBN, isbn...)
				continue
			}
		case "ISBN":
			rec.ISBN = append(rec.ISBN, v)
			continue
		case "AB":
			if rec.Abstract == "" {
				rec.Abstract = v
				continue
			}
		case "MH", "OT":
			rec.Keywords = append(rec.Keywords, v)
			continue
		case "LA":
			if rec.Language == "" {
				rec.Language = v
				continue
			}
		case "PT":
			rec.PublicationType = append(rec.PublicationType, v)
			continue
		case "GN":
			rec.Notes = append(rec.Notes, v)
			continue
		}
		rec.Extra = append(rec.Extra, tables.Field{Tag: f.Tag, Value: v})
	}
	// AU carries MEDLINE's own initials ("Dupont JP" for "Dupont, Jean-Pierre"):
	// use it for the normalised form when it lines up with FAU.
	aligned := hasFAU && len(au) == len(fauIdx)
	if hasFAU && !aligned {
		for _, a := range au {
			rec.Extra = append(rec.Extra, tables.Field{Tag: "AU", Value: a})
		}
	}
	if aligned || len(groupIdx) > 0 {
		rec.AuthorsNormalised = make([]string, len(rec.Authors))
		if aligned {
			// With FAU, Authors holds FAU and CN names only: AU covers the rest.
			for i, pos := range fauIdx {
				rec.AuthorsNormalised[pos] = biblio.NormaliseAuthor(au[i])
			}
		} else {
			for i, a := range rec.Authors {
				rec.AuthorsNormalised[i] = biblio.NormaliseAuthor(a)
			}
		}
		for _, pos := range groupIdx {
			rec.AuthorsNormalised[pos] = biblio.Clean(rec.Authors[pos])
		}
	}
	return rec
}

// splitIDKind splits "10.1000/x [doi]" into its id and kind.
func splitIDKind(v string) (id, kind string, ok bool) {
	v = strings.TrimSpace(v)
	if !strings.HasSuffix(v, "]") {
		return "", "", false
	}
	i := strings.LastIndexByte(v, '[')
	if i < 0 {
		return "", "", false
	}
	return strings.TrimSpace(v[:i]), strings.ToLower(v[i+1 : len(v)-1]), true
}

// isArticleNumber is "e0212345" or "e12": a PII that is really an article number.
func isArticleNumber(s string) bool {
	if len(s) < 2 || s[0] != 'e' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
