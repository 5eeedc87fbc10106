package ris

import (
	"sort"
	"strings"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats/formatutil"
	"github.com/realsynth/realsynth/internal/tables"
)

// fieldSet hands out a record's fields by tag, remembering which were used
// so that the rest can go to Extra in file order. The reader keeps one and
// reuses it: it indexes the fields by tag code in arrays, not a map.
type fieldSet struct {
	fields []Field
	used   []bool
	next   []int32                   // next[i]: the next field with the tag of field i, or -1
	head   [formatutil.NumTags]int32 // by tagCode: 1 + the first field with that tag, 0 for none
	last   [formatutil.NumTags]int32 // by tagCode: the last field with that tag, while adding
}

func (s *fieldSet) reset() {
	for _, f := range s.fields {
		s.head[formatutil.TagCode(f.Tag[0], f.Tag[1])] = 0
	}
	s.fields, s.used, s.next = s.fields[:0], s.used[:0], s.next[:0]
}

// add appends a field; its tag is one of tagNames.
func (s *fieldSet) add(f Field) {
	i := int32(len(s.fields))
	s.fields = append(s.fields, f)
	s.used = append(s.used, false)
	s.next = append(s.next, -1)
	c := formatutil.TagCode(f.Tag[0], f.Tag[1])
	if s.head[c] == 0 {
		s.head[c] = i + 1
	} else {
		s.next[s.last[c]] = i
	}
	s.last[c] = i
}

// first returns the value of the first tag in tags (in that order of
// preference) that the record has, and marks it used.
func (s *fieldSet) first(tags ...string) string {
	for _, t := range tags {
		for i := s.head[formatutil.TagCode(t[0], t[1])] - 1; i >= 0; i = s.next[i] {
			if !s.used[i] {
				s.used[i] = true
				return s.fields[i].Value
			}
		}
	}
	return ""
}

// all returns every value of the given tags in file order, marking them used.
func (s *fieldSet) all(tags ...string) []string {
	var buf [16]int
	pos := buf[:0]
	for _, t := range tags {
		for i := s.head[formatutil.TagCode(t[0], t[1])] - 1; i >= 0; i = s.next[i] {
			if !s.used[i] {
				s.used[i] = true
				pos = append(pos, int(i))
			}
		}
	}
	if len(pos) == 0 {
		return nil
	}
	if len(tags) > 1 {
		sort.Ints(pos)
	}
	out := make([]string, len(pos))
	for k, i := range pos {
		out[k] = s.fields[i].Value
	}
	return out
}

// peek returns the first unused value of tag without using it.
func (s *fieldSet) peek(tag string) string {
	for i := s.head[formatutil.TagCode(tag[0], tag[1])] - 1; i >= 0; i = s.next[i] {
		if !s.used[i] {
			return s.fields[i].Value
		}
	}
	return ""
}

// recordFrom maps a record's tags (empty ones left out) to the columns of
// tables.Record.
func recordFrom(s *fieldSet, line int64) *tables.Record {
	rec := &tables.Record{Format: "ris", SourceLine: line}

	rec.SourceKey = s.first("ID")
	if rec.SourceKey == "" {
		rec.SourceKey = s.peek("AN")
	}
	if u1 := s.peek("U1"); rec.SourceKey == "" && u1 != "" && !strings.ContainsAny(strings.TrimSpace(u1), " \t\n") {
		rec.SourceKey = s.first("U1")
	}
	rec.Type = s.first("TY")
	rec.Title = s.first("TI", "T1")
	if rec.Title == "" && (rec.Type == "BOOK" || rec.Type == "EBOOK") {
		rec.Title = s.first("BT")
	}
	rec.Authors = s.all("AU", "A1")

	yearField := s.first("PY", "Y1")
	rec.Date = s.first("DA")
	if rec.Date == "" && len(strings.TrimSpace(yearField)) > 4 {
		rec.Date = yearField
	}
	if y, ok := biblio.YearOf(yearField); ok {
		rec.Year = &y
	} else if yearField != "" {
		rec.Extra = append(rec.Extra, tables.Field{Tag: "PY", Value: yearField})
	}

	rec.Journal = s.first("T2", "JF", "JO", "BT")
	rec.JournalAbbrev = s.first("J2", "JA", "JI", "J9", "J1")
	if jo := s.peek("JO"); jo != "" && (rec.JournalAbbrev == "" || jo == rec.Journal || jo == rec.JournalAbbrev) {
		s.first("JO")
		if rec.JournalAbbrev == "" && jo != rec.Journal {
			rec.JournalAbbrev = jo
		}
	}
	rec.Volume = s.first("VL")
	rec.Issue = s.first("IS")
	start, end := s.first("SP"), s.first("EP")
	switch {
	case strings.ContainsAny(start, "-–") || end == "":
		rec.Pages = start
		if rec.Pages == "" {
			rec.Pages = s.first("PG")
		}
	case start == "":
		rec.Pages = end
	default:
		rec.Pages = start + "-" + end
	}
	rec.ArticleNumber = s.first("C7", "AR")

	rec.DOIs = s.all("DO", "DI")
	for _, v := range s.all("L3", "L4") {
		if dois, rest := biblio.SplitDOIs(v); len(dois) > 0 && rest == "" {
			rec.DOIs = append(rec.DOIs, dois...)
		} else if strings.Contains(v, "://") {
			rec.URLs = append(rec.URLs, v)
		} else {
			rec.Extra = append(rec.Extra, tables.Field{Tag: "L3", Value: v})
		}
	}
	for _, v := range s.all("C2") {
		if strings.HasPrefix(strings.TrimSpace(v), "PMC") && rec.PMCID == "" {
			rec.PMCID = v
		} else {
			rec.Extra = append(rec.Extra, tables.Field{Tag: "C2", Value: v})
		}
	}
	issn, isbn, other := biblio.SplitStandardNumbers(s.all("SN"))
	rec.ISSN, rec.ISBN = issn, isbn
	for _, o := range other {
		rec.Extra = append(rec.Extra, tables.Field{Tag: "SN", Value: o})
	}
	rec.Abstract = s.first("AB", "N2")
	rec.Keywords = splitLines(s.all("KW"))
	rec.Language = s.first("LA")
	rec.URLs = append(splitURLs(s.all("UR", "L1", "L2", "LK")), rec.URLs...)
	rec.Notes = s.all("N1")
	rec.PublicationType = s.all("M3")
	rec.AccessionNumber = s.first("AN")

	for i, f := range s.fields {
		if !s.used[i] {
			rec.Extra = append(rec.Extra, tables.Field{Tag: f.Tag, Value: f.Value})
		}
	}
	return rec
}

// splitLines splits values whose continuation lines are separate items:
// some exporters put every keyword of a record on lines under one KW tag.
func splitLines(values []string) []string {
	var out []string
	for _, v := range values {
		out = append(out, strings.Split(v, "\n")...)
	}
	return out
}

// splitURLs takes the links out of URL fields: a value may hold several
// URLs separated by white space (a URL cannot contain any), or a label and a
// link ("Link to the Ovid Full Text or citation: http://…"). Tokens with
// "://" are the URLs; a value without any is kept whole ("www.x.org").
func splitURLs(values []string) []string {
	var out []string
	for _, v := range values {
		var urls []string
		for _, p := range strings.Fields(v) {
			if strings.Contains(p, "://") {
				urls = append(urls, p)
			}
		}
		if len(urls) == 0 {
			if strings.TrimSpace(v) != "" && !isOvidLabelOnly(v) {
				out = append(out, v)
			}
			continue
		}
		out = append(out, urls...)
	}
	return out
}

func isOvidLabelOnly(v string) bool {
	_, ok := ovidLinkLabel([]byte(v))
	return ok
}
