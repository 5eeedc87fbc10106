package wos

import (
	"strings"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/tables"
)

// listTags are the tags whose continuation lines are separate items.
var listTags = map[string]bool{"AU": true, "AF": true, "BA": true, "BF": true, "CA": true, "GP": true,
	"BE": true, "CR": true, "C1": true, "C3": true, "EM": true, "RI": true, "OI": true, "FU": true}

// recordFrom maps WoS tags to the columns of tables.Record; the rest go to
// Extra in file order (list tags as one entry per item).
func recordFrom(fields []Field, line int64) *tables.Record {
	rec := &tables.Record{Format: "wos", SourceLine: line}
	byTag := map[string][]string{}
	var order []string
	for _, f := range fields {
		if _, seen := byTag[f.Tag]; !seen {
			order = append(order, f.Tag)
		}
		if listTags[f.Tag] {
			byTag[f.Tag] = append(byTag[f.Tag], f.Lines...)
		} else {
			byTag[f.Tag] = append(byTag[f.Tag], f.Text())
		}
	}
	used := map[string]bool{}
	first := func(tags ...string) string {
		for _, t := range tags {
			if v := byTag[t]; len(v) > 0 && strings.TrimSpace(v[0]) != "" {
				used[t] = true
				return v[0]
			}
		}
		return ""
	}
	all := func(tag string) []string {
		used[tag] = true
		return byTag[tag]
	}

	rec.Type = first("PT")
	rec.Title = first("TI")
	// AF has the full names; AU the "Smith, J" form WoS uses for matching.
	full, short := byTag["AF"], byTag["AU"]
	switch {
	case len(full) > 0:
		rec.Authors = all("AF")
		if len(short) == len(full) {
			rec.AuthorsNormalised = make([]string, len(short))
			for i, a := range all("AU") {
				rec.AuthorsNormalised[i] = biblio.NormaliseAuthor(a)
			}
		}
	default:
		rec.Authors = all("AU")
	}
	rec.Authors = append(rec.Authors, all("CA")...) // group authors
	if len(rec.AuthorsNormalised) > 0 {
		for _, g := range byTag["CA"] {
			rec.AuthorsNormalised = append(rec.AuthorsNormalised, biblio.Clean(g))
		}
	}
	rec.Journal = first("SO", "SE")
	rec.JournalAbbrev = first("JI", "J9")
	py, pd := first("PY"), first("PD")
	if y, ok := biblio.YearOf(py); ok {
		rec.Year = &y
	}
	rec.Date = strings.TrimSpace(pd + " " + py)
	rec.Volume = first("VL")
	rec.Issue = first("IS")
	bp, ep := first("BP"), first("EP")
	switch {
	case bp != "" && ep != "":
		rec.Pages = bp + "-" + ep
	default:
		rec.Pages = bp
	}
	rec.ArticleNumber = first("AR")
	if d := first("DI"); d != "" {
		rec.DOIs = []string{d}
	}
	rec.PMID = first("PM")
	issn, isbn, _ := biblio.SplitStandardNumbers([]string{first("SN"), first("EI"), first("BN")})
	rec.ISSN, rec.ISBN = issn, isbn
	rec.Abstract = first("AB")
	for _, t := range []string{"DE", "ID"} {
		for _, v := range all(t) {
			for _, k := range strings.Split(v, ";") {
				if k = strings.TrimSpace(k); k != "" {
					rec.Keywords = append(rec.Keywords, k)
				}
			}
		}
	}
	rec.Language = first("LA")
	for _, v := range all("DT") {
		for _, t := range strings.Split(v, ";") {
			if t = strings.TrimSpace(t); t != "" {
				rec.PublicationType = append(rec.PublicationType, t)
			}
		}
	}
	rec.AccessionNumber = first("UT")
	rec.SourceKey = rec.AccessionNumber
	for _, t := range order {
		if used[t] {
			continue
		}
		for _, v := range byTag[t] {
			if strings.TrimSpace(v) != "" {
				rec.Extra = append(rec.Extra, tables.Field{Tag: t, Value: v})
			}
		}
	}
	return rec
}
