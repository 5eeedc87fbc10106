package screening

import (
	"iter"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/realsynth/realsynth/internal/tables"
)

// workIndex finds the work a vote is about, from whatever the screening tool
// kept of the record: its key, DOI, PMID or title and year.
type workIndex struct {
	byKey   map[string][]keyHit // lower-cased source key
	byDOI   map[string][]string // DOI → work ids
	byPMID  map[string][]string
	byTitle map[string][]titleHit // normalised title
}

type keyHit struct{ recordID, workID string }
type titleHit struct {
	workID string
	year   *int32
}

func newWorkIndex(records iter.Seq[*tables.Record], works []workRow) *workIndex {
	ix := &workIndex{byKey: map[string][]keyHit{}, byDOI: map[string][]string{}, byPMID: map[string][]string{}, byTitle: map[string][]titleHit{}}
	for r := range records {
		if r.WorkID == "" {
			continue
		}
		if r.SourceKey != "" {
			k := strings.ToLower(strings.TrimSpace(r.SourceKey))
			ix.byKey[k] = append(ix.byKey[k], keyHit{r.RecordID, r.WorkID})
		}
		dois := r.DOIs
		if len(dois) == 0 && r.DOI != "" {
			dois = []string{r.DOI}
		}
		for _, d := range dois {
			ix.byDOI[d] = appendUnique(ix.byDOI[d], r.WorkID)
		}
		if r.PMID != "" {
			ix.byPMID[r.PMID] = appendUnique(ix.byPMID[r.PMID], r.WorkID)
		}
		if t := normaliseTitle(r.Title); t != "" {
			ix.byTitle[t] = append(ix.byTitle[t], titleHit{r.WorkID, r.Year})
		}
	}
	for _, w := range works {
		if w.DOI != "" {
			ix.byDOI[w.DOI] = appendUnique(ix.byDOI[w.DOI], w.WorkID)
		}
		if w.PMID != "" {
			ix.byPMID[w.PMID] = appendUnique(ix.byPMID[w.PMID], w.WorkID)
		}
		if t := normaliseTitle(w.Title); t != "" {
			ix.byTitle[t] = append(ix.byTitle[t], titleHit{w.WorkID, w.Year})
		}
	}
	return ix
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// match is the outcome of joining one vote.
type match struct {
	workID, recordID, by string
	candidates           []string // set when ambiguous
}

// find tries the record key, then DOI, then PMID, then normalised title and
// year (±1, for epub versus print years). A level that names exactly one
// work decides; one that names several narrows the candidates for the next
// levels; if none narrows them to one, the vote is ambiguous.
func (ix *workIndex) find(ref recordRef) match {
	var candidates []string
	var via string
	try := func(by string, works []string, recordID string) (match, bool) {
		if len(works) == 0 {
			return match{}, false
		}
		if candidates != nil {
			works = intersect(works, candidates)
			if len(works) == 0 {
				return match{}, false
			}
		}
		if len(works) == 1 {
			if via != "" {
				by = via + "+" + by
			}
			return match{workID: works[0], recordID: recordID, by: by}, true
		}
		candidates = works
		if via == "" {
			via = by
		}
		return match{}, false
	}
	if ref.Key != "" {
		hits := ix.byKey[strings.ToLower(strings.TrimSpace(ref.Key))]
		var works []string
		recordID := ""
		for _, h := range hits {
			works = appendUnique(works, h.workID)
			recordID = h.recordID
		}
		if len(hits) != 1 {
			recordID = ""
		}
		if m, ok := try("source_key", works, recordID); ok {
			return m
		}
	}
	if ref.DOI != "" {
		if m, ok := try("doi", ix.byDOI[ref.DOI], ""); ok {
			return m
		}
	}
	if ref.PMID != "" {
		if m, ok := try("pmid", ix.byPMID[ref.PMID], ""); ok {
			return m
		}
	}
	if t := normaliseTitle(ref.Title); t != "" {
		// The same year first: a conference abstract and the article that
		// followed it a year later share a title but are different reports.
		var exact, near []string
		for _, h := range ix.byTitle[t] {
			if ref.Year != nil && h.year != nil && *ref.Year == *h.year {
				exact = appendUnique(exact, h.workID)
			}
			if ref.Year == nil || h.year == nil || abs32(*ref.Year-*h.year) <= 1 {
				near = appendUnique(near, h.workID)
			}
		}
		if candidates != nil {
			exact = intersect(exact, candidates)
		}
		if len(exact) == 1 {
			return match{workID: exact[0], by: "title_year"}
		}
		if m, ok := try("title_year", near, ""); ok {
			return m
		}
	}
	if candidates != nil {
		sort.Strings(candidates)
		return match{candidates: candidates}
	}
	return match{}
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

var markup = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]{0,9}(?:\s[^<>]{0,80})?/?>`)

// normaliseTitle keeps letters and digits only, lower-cased and without
// accents, so that punctuation, markup and spacing differences vanish.
func normaliseTitle(s string) string {
	if s == "" {
		return ""
	}
	s = markup.ReplaceAllString(s, "")
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
