package dedupe

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// state is how one field of a pair compares.
type state uint8

const (
	missing  state = iota // absent on at least one side
	agree                 // equal after normalisation
	conflict              // present on both sides and different
	near                  // years one apart (epub vs print)
)

func (s state) String() string {
	return [...]string{"missing", "agree", "conflict", "near"}[s]
}

// Decisions, in the order of the duplicate_pairs decision column.
const (
	distinct  = "distinct"
	duplicate = "duplicate"
	related   = "related"
	review    = "review"
)

// evidence is what comparing two records found, field by field.
type evidence struct {
	titleScore     float64
	hasTitle       bool
	titleContained bool // one title starts or ends the other (truncated, a subtitle or section heading dropped)
	authorScore    float64
	hasAuthors     bool
	firstAuthor    state
	journal        state
	doi            state
	pmid           state
	volume         state
	issue          state
	pages          state
	year           state
	yearDiff       int32
}

// verdict is the decision for a pair and the rule or guard that made it.
type verdict struct {
	decision string
	rule     string
}

func compareFields(a, b *prepared) evidence {
	var e evidence
	if a.title != "" && b.title != "" {
		e.hasTitle = true
		e.titleScore, e.titleContained = titleSimilarity(a, b)
	}
	if len(a.authors) > 0 && len(b.authors) > 0 {
		e.hasAuthors = true
		var first bool
		e.authorScore, first = authorScore(a.authors, b.authors)
		e.firstAuthor = conflict
		if first {
			e.firstAuthor = agree
		}
	}
	switch {
	case len(a.issn) > 0 && len(b.issn) > 0 && intersects(a.issn, b.issn):
		e.journal = agree
	case len(a.journal) == 0 || len(b.journal) == 0:
		e.journal = missing
	case journalsAgree(a.journal, b.journal):
		e.journal = agree
	default:
		e.journal = conflict
	}
	if len(a.dois) > 0 && len(b.dois) > 0 {
		e.doi = conflict
		if intersects(a.dois, b.dois) {
			e.doi = agree
		}
	}
	e.pmid = compareKey(a.pmid, b.pmid)
	e.volume = compareKey(a.volume, b.volume)
	e.issue = compareKey(a.issue, b.issue)
	e.pages = comparePages(a.page, a.pageEnd, b.page, b.pageEnd)
	if a.hasYear && b.hasYear {
		e.yearDiff = a.year - b.year
		if e.yearDiff < 0 {
			e.yearDiff = -e.yearDiff
		}
		switch e.yearDiff {
		case 0:
			e.year = agree
		case 1:
			e.year = near
		default:
			e.year = conflict
		}
	}
	return e
}

func compareKey(a, b string) state {
	switch {
	case a == "" || b == "":
		return missing
	case a == b:
		return agree
	default:
		return conflict
	}
}

// comparePages compares page ranges as databases write them: the same first
// page agrees; so does the same last page (a typo or a different first page
// for the same article), or a single page equal to the other's last page
// ("569" for "567-569"). An electronic locator ("e12724", "a1754") against
// printed pages cannot be compared: missing, not conflict.
func comparePages(as, ae, bs, be string) state {
	switch {
	case as == "" || bs == "":
		return missing
	case as == bs:
		return agree
	}
	da, db := pageDigits(as), pageDigits(bs)
	if da != "" && da == db {
		return agree // "e24083" vs "24083", "S12" vs "12"
	}
	if ae != "" && be != "" && pageDigits(ae) == pageDigits(be) {
		return agree
	}
	if (ae == "" && be != "" && da == pageDigits(be)) || (be == "" && ae != "" && db == pageDigits(ae)) {
		return agree
	}
	if (isLocator(as) && ae == "" && !isLocator(bs)) || (isLocator(bs) && be == "" && !isLocator(as)) {
		return missing
	}
	return conflict
}

// isLocator: an article number with a letter prefix, "e12724", "a1754".
func isLocator(p string) bool {
	return len(p) > 3 && p[0] >= 'a' && p[0] <= 'z' && pageDigits(p) != "" && len(pageDigits(p)) >= len(p)-1
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// Title thresholds: a normalised Levenshtein similarity of at least
// titleSame is a typo-level difference; titleClose allows a word or two.
const (
	titleSame  = 0.95
	titleClose = 0.85
	titleWeak  = 0.70
)

// titleSimilarity is 1 − Levenshtein distance / longer length over the
// compact titles. Clearly different titles are cut short: when the token
// overlap (Dice) is low, that overlap is returned instead.
func titleSimilarity(a, b *prepared) (score float64, prefix bool) {
	if a.title == b.title {
		return 1, false
	}
	short, long := a.title, b.title
	if len(short) > len(long) {
		short, long = long, short
	}
	if len(short) >= 20 && (strings.HasPrefix(long, short) || strings.HasSuffix(long, short)) {
		prefix = true
	}
	dice := tokenDice(a.tokHash, b.tokHash)
	if dice < 0.5 && !prefix {
		return dice * titleWeak, false
	}
	maxDist := int(math.Ceil(float64(len(long)) * (1 - titleWeak)))
	d := boundedLevenshtein(short, long, maxDist)
	return 1 - float64(d)/float64(len(long)), prefix
}

// tokenDice is 2|A∩B| / (|A|+|B|) over sorted unique token hashes.
func tokenDice(a, b []uint32) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	i, j, common := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}

// boundedLevenshtein is the edit distance of a and b (bytes), or max+1 when
// it exceeds max; only a diagonal band of width 2·max+1 is computed, so the
// cost is O(len·max) rather than O(len²).
func boundedLevenshtein(a, b string, max int) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > max {
		return max + 1
	}
	inf := max + 1
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		if j <= max {
			prev[j] = j
		} else {
			prev[j] = inf
		}
	}
	for i := 1; i <= len(a); i++ {
		lo := i - max
		if lo < 1 {
			lo = 1
		}
		hi := i + max
		if hi > len(b) {
			hi = len(b)
		}
		if lo > 1 {
			cur[lo-1] = inf
		} else {
			cur[0] = i
			if i > max {
				cur[0] = inf
			}
		}
		rowMin := inf
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if x := prev[j] + 1; x < v {
				v = x
			}
			if x := cur[j-1] + 1; x < v {
				v = x
			}
			if v > inf {
				v = inf
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if hi < len(b) {
			cur[hi+1] = inf
		}
		if rowMin > max {
			return inf
		}
		prev, cur = cur, prev
	}
	if prev[len(b)] > max {
		return inf
	}
	return prev[len(b)]
}

// decide applies the guards, then the duplicate rules, in a fixed order; the
// first that fires names the verdict.
func decide(a, b *prepared, e *evidence, mergePreprints bool) verdict {
	if !e.hasTitle {
		if (e.doi == agree || e.pmid == agree) && !hardConflict(a, b, e) {
			return verdict{review, "missing-title+identifier"}
		}
		return verdict{distinct, "missing-title"}
	}
	if (a.erratumAt != "" || b.erratumAt != "") && citesErratum(a, b, e) {
		return verdict{related, "related:erratum-cited"}
	}
	if a.kind != b.kind {
		if v, ok := decideKinds(a, b, e, mergePreprints); ok {
			return v
		}
	}
	if g := guard(a, b, e); g != "" {
		if g == "guard:pages-conflict" && shortItemOfArticle(a, b, e) {
			return verdict{related, "related:short-item"}
		}
		return verdict{distinct, g}
	}
	T := e.titleScore
	if e.doi == agree {
		if T >= titleClose || e.titleContained {
			return verdict{duplicate, "doi+title"}
		}
		return verdict{review, "doi-agree-title-differs"}
	}
	if e.pmid == agree {
		if T >= titleClose || e.titleContained {
			return verdict{duplicate, "pmid+title"}
		}
		return verdict{review, "pmid-agree-title-differs"}
	}
	authorsOK := e.hasAuthors && (e.firstAuthor == agree || e.authorScore >= 0.5)
	authorsBad := e.hasAuthors && !authorsOK
	volPages := e.volume == agree && e.pages == agree
	volOrPages := e.volume == agree || e.pages == agree
	switch {
	case T >= titleSame:
		switch {
		case authorsBad:
			if volPages && e.year == agree {
				return verdict{review, "title+bib, authors differ"}
			}
			return verdict{distinct, "guard:authors-differ"}
		case authorsOK && e.year == agree && (volOrPages || e.journal == agree):
			return verdict{duplicate, "title+authors+year+source"}
		case authorsOK && e.year == near && volOrPages:
			return verdict{duplicate, "title+authors+source, year±1"}
		case authorsOK && e.year == missing && volPages:
			return verdict{duplicate, "title+authors+volume+pages"}
		case !e.hasAuthors && T >= 0.97 && volPages && e.year != conflict:
			return verdict{duplicate, "title+volume+pages, no authors"}
		default:
			return verdict{review, "title-only"}
		}
	case T >= titleClose || e.titleContained:
		switch {
		case authorsOK && volPages && e.year != conflict && e.year != missing:
			return verdict{duplicate, "close-title+authors+volume+pages"}
		case authorsBad:
			return verdict{distinct, "guard:authors-differ"}
		default:
			return verdict{review, "close-title"}
		}
	case T >= titleWeak:
		if authorsOK && volPages && e.year == agree {
			if translatedSameItem(a, b, e) {
				return verdict{duplicate, "translated-title+authors+year+journal+volume+pages"}
			}
			return verdict{review, "weak-title+authors+volume+pages"}
		}
	}
	return verdict{distinct, "titles-differ"}
}

// translatedSameItem: one title is a translation, and everything that
// places the item in print agrees: the same first author, year, journal,
// volume and a page range starting and ending on the same pages. Two
// databases translate one title differently; two different papers do not
// share a multi-page range in one volume.
func translatedSameItem(a, b *prepared, e *evidence) bool {
	return (a.translated || b.translated) && e.firstAuthor == agree && e.journal == agree &&
		a.pageEnd != "" && a.pageEnd != a.page && a.pageEnd == b.pageEnd
}

// citesErratum: one record's title says its erratum appears at the volume
// and page where the other record, with the same title, is printed — MEDLINE
// indexes such errata under the article's own title.
func citesErratum(a, b *prepared, e *evidence) bool {
	if !(e.titleScore >= titleClose || e.titleContained) || e.journal == conflict || (e.year != missing && e.yearDiff > 2) {
		return false
	}
	cites := func(x, y *prepared) bool {
		if x.erratumAt == "" || y.volume == "" || y.page == "" {
			return false
		}
		key := y.volume + ":" + y.page
		for at := range strings.FieldsSeq(x.erratumAt) {
			if at == key {
				return true
			}
		}
		return false
	}
	return cites(a, b) || cites(b, a)
}

// shortItemOfArticle: the same title, authors and journal, printed within a
// year, once as a single page and once as a multi-page article. The single
// page is a meeting abstract, an erratum or a comment printed under the
// article's title: a related report of the same study, not a duplicate.
func shortItemOfArticle(a, b *prepared, e *evidence) bool {
	if e.titleScore < titleSame || e.firstAuthor != agree || e.journal != agree || e.year == missing || e.yearDiff > 1 {
		return false
	}
	single := func(p *prepared) bool { return p.pageEnd == "" || p.pageEnd == p.page }
	return single(a) != single(b)
}

// guard returns the name of the first hard guard the pair trips, or "".
func guard(a, b *prepared, e *evidence) string {
	switch {
	case e.doi == conflict:
		return "guard:doi-conflict"
	case e.pmid == conflict:
		return "guard:pmid-conflict"
	case e.year == conflict:
		return "guard:years-apart"
	case a.kind == kindCochrane && b.kind == kindCochrane && (e.year != agree || e.issue == conflict):
		return "guard:cochrane-update"
	case e.volume == conflict:
		return "guard:volume-conflict"
	case e.pages == conflict:
		return "guard:pages-conflict"
	case a.numbers != b.numbers && !(e.volume == agree && e.pages == agree):
		// "Part 1" and "Part 2". A number cut off with a truncated title,
		// or mistyped ("p6INK4a" for "p16INK4a"), is forgiven only when
		// volume and first page agree: two parts are never on one page.
		return "guard:title-numbers"
	case (a.generic || b.generic) && !strongIdentity(e):
		return "guard:generic-title"
	}
	return ""
}

// strongIdentity is the evidence a generic title needs: a shared identifier,
// or the same first author, year, volume and pages.
func strongIdentity(e *evidence) bool {
	return e.doi == agree || e.pmid == agree ||
		(e.firstAuthor == agree && e.year == agree && e.volume == agree && e.pages == agree)
}

// hardConflict is the part of the guards that needs no title: used when
// titles are missing and when clusters are joined.
func hardConflict(a, b *prepared, e *evidence) bool {
	return e.doi == conflict || e.pmid == conflict || e.year == conflict ||
		e.volume == conflict || e.pages == conflict ||
		(a.kind == kindCochrane && b.kind == kindCochrane && (e.year != agree || e.issue == conflict))
}

// decideKinds handles two records of different report kinds: a preprint and
// its article, an abstract and its article, a notice and what it concerns.
// ok is false when the kinds should be ignored (the same printed item typed
// differently by two databases: same volume and pages).
func decideKinds(a, b *prepared, e *evidence, mergePreprints bool) (verdict, bool) {
	if a.kind > b.kind {
		a, b = b, a
	}
	notice := isNotice(a.kind) || isNotice(b.kind)
	if !notice && e.volume == agree && e.pages == agree && e.doi != conflict {
		return verdict{}, false
	}
	authorsOK := !e.hasAuthors || e.firstAuthor == agree || e.authorScore >= 0.5
	pair := a.kind + "/" + b.kind
	if notice {
		n, other := a, b
		if !isNotice(n.kind) {
			n, other = b, a
		}
		// The notice names the article: the article's title makes up most
		// of the notice's, in the same journal, within a few years.
		if len(other.title) >= 20 && 10*len(other.title) >= 6*len(n.title) && strings.Contains(n.title, other.title) &&
			!isNotice(other.kind) && e.journal != conflict && (e.year == missing || e.yearDiff <= 3) {
			return verdict{related, "related:" + n.kind}, true
		}
		return verdict{distinct, "guard:" + pair}, true
	}
	titleOK := e.titleScore >= titleClose || e.titleContained
	yearsOK := e.yearDiff <= 2 || e.year == missing
	if titleOK && authorsOK && yearsOK {
		if (a.kind == kindPreprint || b.kind == kindPreprint) && mergePreprints && e.year != conflict {
			return verdict{duplicate, "preprint+article (merge_preprints)"}, true
		}
		return verdict{related, "related:" + pair}, true
	}
	return verdict{distinct, "guard:" + pair}, true
}

func isNotice(kind string) bool {
	return kind == kindErratum || kind == kindRetraction || kind == kindComment
}

func (e *evidence) String() string {
	return fmt.Sprintf("title=%.3f authors=%.2f first=%v journal=%v doi=%v volume=%v pages=%v year=%v", e.titleScore, e.authorScore, e.firstAuthor, e.journal, e.doi, e.volume, e.pages, e.year)
}
