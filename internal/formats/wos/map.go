package wos

import (
	"strings"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats/formatutil"
	"github.com/realsynth/realsynth/internal/tables"
)

// listTags are the tags whose continuation lines are separate items.
var listTags = formatutil.TagSet(`AU AF BA BF CA GP BE CR C1 C3 EM RI OI FU`)

func isListTag(tag string) bool { return listTags[formatutil.TagCode(tag[0], tag[1])] }

// fieldSet holds a record's values by tag, tags in order of first
// appearance. The reader keeps one and reuses it: tags index arrays by
// their code, and all values of a record share one backing slice.
type fieldSet struct {
	order  []string                  // tags in order of first appearance
	group  [formatutil.NumTags]int32 // by tag code: 1 + index in order, 0 for none
	n      []int                     // by index in order: values counted, then filled
	values [][]string                // by index in order
	used   []bool                    // by index in order
	all    []string                  // the backing of values
}

func (s *fieldSet) reset() {
	for _, t := range s.order {
		s.group[formatutil.TagCode(t[0], t[1])] = 0
	}
	s.order, s.n, s.values, s.used = s.order[:0], s.n[:0], s.values[:0], s.used[:0]
}

func (s *fieldSet) count(tag string) {
	c := formatutil.TagCode(tag[0], tag[1])
	if s.group[c] == 0 {
		s.order = append(s.order, tag)
		s.n = append(s.n, 0)
		s.used = append(s.used, false)
		s.group[c] = int32(len(s.order))
	}
	s.n[s.group[c]-1]++
}

// allocate gives each tag its part of one slice, capped so that appending
// to one tag's values cannot write over the next tag's.
func (s *fieldSet) allocate() {
	total := 0
	for _, n := range s.n {
		total += n
	}
	s.all = make([]string, total)
	at := 0
	for i, n := range s.n {
		s.values = append(s.values, s.all[at:at:at+n])
		at += n
		s.n[i] = 0
	}
}

func (s *fieldSet) add(tag, value string) {
	g := s.group[formatutil.TagCode(tag[0], tag[1])] - 1
	s.values[g] = append(s.values[g], value)
}

// get returns tag's values (nil when the record has none).
func (s *fieldSet) get(tag string) []string {
	if g := s.group[formatutil.TagCode(tag[0], tag[1])]; g > 0 {
		return s.values[g-1]
	}
	return nil
}

func (s *fieldSet) use(tag string) {
	if g := s.group[formatutil.TagCode(tag[0], tag[1])]; g > 0 {
		s.used[g-1] = true
	}
}

// recordFrom maps WoS tags to the columns of tables.Record; the rest go to
// Extra in file order (list tags as one entry per item).
func recordFrom(s *fieldSet, line int64) *tables.Record {
	rec := &tables.Record{Format: "wos", SourceLine: line}
	first := func(tags ...string) string {
		for _, t := range tags {
			if v := s.get(t); len(v) > 0 && strings.TrimSpace(v[0]) != "" {
				s.use(t)
				return v[0]
			}
		}
		return ""
	}
	all := func(tag string) []string {
		s.use(tag)
		return s.get(tag)
	}
	byTag := s.get

	rec.Type = first("PT")
	rec.Title = first("TI")
	// AF has the full names; AU the "Smith, J" form WoS uses for matching.
	full, short := byTag("AF"), byTag("AU")
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
		for _, g := range byTag("CA") {
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
	for g, t := range s.order {
		if s.used[g] {
			continue
		}
		for _, v := range s.values[g] {
			if strings.TrimSpace(v) != "" {
				rec.Extra = append(rec.Extra, tables.Field{Tag: t, Value: v})
			}
		}
	}
	return rec
}
