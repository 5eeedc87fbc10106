package dedupe

import (
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
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
	authorsMatched int // authors of the shorter list found in the other
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
	// volumeGarbled: the volumes differed, but one is a badly split
	// supplement volume ("1)" for "138 (5 SUPPL. 1)"), so volume reads missing.
	volumeGarbled bool
	// shifted: one record has no volume and its issue and page are the
	// other's volume and issue (an export shifted the fields one place),
	// so volume reads agree and issue and pages missing.
	shifted bool
	// endConflict: the first pages agree but both records give a page
	// range and the ranges end on different pages.
	endConflict bool
	// keyTwin: BibTeX keys made unique by a letter ("smith2019peer", "smith2019peera").
	keyTwin bool
}

// verdict is the decision for a pair and the rule or guard that made it.
type verdict struct {
	decision string
	rule     string
}

// compareFields compares two records field by field.
func compareFields(a, b *prepared) evidence {
	var e evidence
	comparePlace(a, b, &e)
	compareTitles(a, b, &e)
	comparePeople(a, b, &e)
	return e
}

// compareTitles fills the title evidence.
func compareTitles(a, b *prepared, e *evidence) {
	if a.title != "" && b.title != "" {
		e.hasTitle = true
		e.titleScore, e.titleContained = titleSimilarity(a, b)
	}
}

// comparePeople fills the authors' and the journal's evidence.
func comparePeople(a, b *prepared, e *evidence) {
	if len(a.authors) > 0 && len(b.authors) > 0 {
		e.hasAuthors = true
		var first bool
		e.authorScore, e.authorsMatched, first = authorScore(a.authors, a.authorParts, b.authors, b.authorParts)
		e.firstAuthor = conflict
		if first {
			e.firstAuthor = agree
		}
	}
	switch {
	case sharesISSN(a, b):
		e.journal = agree
	case len(a.journal) == 0 || len(b.journal) == 0:
		e.journal = missing
	case journalsAgree(a.journal, b.journal):
		e.journal = agree
	case (a.venueAcr() != "" && (a.venueAcr() == b.venueAcr() || acronymOf(a.venueAcr(), b.journal))) || (b.venueAcr() != "" && acronymOf(b.venueAcr(), a.journal)):
		// "AMCIS 2017 Proceedings" and "Americas Conference on Information
		// Systems"; "CHI 2018 Proceedings" and "Conference on Human Factors
		// in Computing Systems (CHI)".
		e.journal = agree
	default:
		e.journal = conflict
	}
}

// comparePlace fills the evidence of identifiers, year and where the
// records are printed: short keys compared for equality, no string
// distance.
func comparePlace(a, b *prepared, e *evidence) {
	if len(a.dois) > 0 && len(b.dois) > 0 {
		e.doi = conflict
		if sharesDOI(a, b) {
			e.doi = agree
		}
	}
	e.pmid = compareKey(a.pmid, b.pmid)
	e.volume = compareKey(a.volume, b.volume)
	e.issue = compareKey(a.issue, b.issue)
	e.pages = comparePages(a.page, a.pageEnd, b.page, b.pageEnd)
	if a.volGarbled || b.volGarbled {
		// A garbled volume is a supplement number: it neither conflicts
		// nor agrees (two supplements numbered 1 are not one volume).
		if e.volume == conflict {
			e.volumeGarbled = true
		}
		e.volume = missing
	}
	if shiftedFields(a, b) || shiftedFields(b, a) {
		e.volume, e.issue, e.pages, e.shifted = agree, missing, missing, true
	}
	if e.pages == agree && a.pageEnd != "" && b.pageEnd != "" && a.pageEnd != a.page && b.pageEnd != b.page &&
		pageDigits(a.pageEnd) != pageDigits(b.pageEnd) {
		e.endConflict = true
	}
	e.keyTwin = a.bibKey() != "" && b.bibKey() != "" && keyTwin(a.bibKey(), b.bibKey())
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
}

// guardedApart is decide's answer for a pair that one of the first guards
// (different DOIs, PMIDs or volumes, years apart) ends and whose titles
// are not alike enough to keep it as a near miss, found without comparing
// authors or journals; ok is false for every other pair, which is then
// compared whole. It needs e's place evidence; it fills the title's.
//
// Why this is decide's answer: with titles on both sides, no erratum
// note, one report kind that is not a Cochrane review, decide goes
// straight to guard, whose first four tests read only place evidence;
// the exceptions after it (an abstract reprinted in another volume) need
// titles at least titleSame alike; and such a pair is kept for the
// duplicate_pairs table only with titles titleClose alike or an
// identifier shared (TestGuardedApartIsDecide).
func guardedApart(a, b *prepared, e *evidence) (rule string, ok bool) {
	if a.title == "" || b.title == "" || a.erratumAt() != "" || b.erratumAt() != "" || a.kind != b.kind || a.kind == kindCochrane ||
		e.doi == agree || e.pmid == agree {
		return "", false
	}
	switch {
	case e.doi == conflict:
		rule = "guard:doi-conflict"
	case e.pmid == conflict:
		rule = "guard:pmid-conflict"
	case e.year == conflict:
		rule = "guard:years-apart"
	case e.volume == conflict:
		rule = "guard:volume-conflict"
	default:
		return "", false
	}
	compareTitles(a, b, e)
	if e.titleScore >= titleClose {
		return "", false
	}
	return rule, true
}

// shiftedFields: x has no volume, and its issue and first page are y's
// volume and issue ("v– n26 p9" for "v26 n9 p1746"): one export shifted
// the fields one place to the right.
func shiftedFields(x, y *prepared) bool {
	return x.volume == "" && x.issue != "" && x.issue == y.volume && x.page != "" && y.issue != "" &&
		pageDigits(x.page) == y.issue && y.page != x.page
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
		if !samePrefix(as, bs) {
			return conflict // "P65" and "S65": a poster number and a supplement page
		}
		return agree // "e24083" vs "24083", "S12" vs "12"
	}
	if ae != "" && be != "" && pageDigits(ae) == pageDigits(be) && samePrefix(ae, be) {
		return agree
	}
	if (ae == "" && be != "" && da == pageDigits(be) && samePrefix(as, be)) || (be == "" && ae != "" && db == pageDigits(ae) && samePrefix(bs, ae)) {
		return agree
	}
	if (isLocator(as) && ae == "" && !isLocator(bs)) || (isLocator(bs) && be == "" && !isLocator(as)) {
		return missing
	}
	return conflict
}

// samePrefix: two page keys' letters before the number agree, or one has
// none ("S12" and "12": a database dropped it).
func samePrefix(a, b string) bool {
	pa, pb := a[:len(a)-len(strings.TrimLeftFunc(a, func(r rune) bool { return r < '0' || r > '9' }))], b[:len(b)-len(strings.TrimLeftFunc(b, func(r rune) bool { return r < '0' || r > '9' }))]
	return pa == "" || pb == "" || pa == pb
}

// isLocator: an article number with a letter prefix, "e12724", "a1754".
func isLocator(p string) bool {
	return len(p) > 3 && p[0] >= 'a' && p[0] <= 'z' && pageDigits(p) != "" && len(pageDigits(p)) >= len(p)-1
}

// sharesDOI and sharesISSN say whether two records have a DOI (an ISSN) in
// common: the key bits first, which rule out most pairs.
func sharesDOI(a, b *prepared) bool  { return a.doiBits&b.doiBits != 0 && intersects(a.dois, b.dois) }
func sharesISSN(a, b *prepared) bool { return a.issnBits&b.issnBits != 0 && intersects(a.issn, b.issn) }

// keyBits sets one of 64 bits per key, by the key's hash: sets of keys
// with no bit in common have no key in common. The bits only skip string
// comparisons, so a seed that changes from run to run changes no output.
func keyBits(keys []string) uint64 {
	var bits uint64
	for _, k := range keys {
		bits |= 1 << (maphash.String(keySeed, k) >> 58)
	}
	return bits
}

var keySeed = maphash.MakeSeed()

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

// decide applies the guards, then the duplicate rules, in a fixed order; the
// first that fires names the verdict.
func decide(a, b *prepared, e *evidence, mergePreprints bool) verdict {
	if !e.hasTitle {
		if (e.doi == agree || e.pmid == agree) && !hardConflict(a, b, e) {
			return verdict{review, "missing-title+identifier"}
		}
		return verdict{distinct, "missing-title"}
	}
	if (a.erratumAt() != "" || b.erratumAt() != "") && citesErratum(a, b, e) {
		return verdict{related, "related:erratum-cited"}
	}
	if a.kind != b.kind && !sameReportKinds(a, b, e) && !samePlace(a, b, e) {
		if v, ok := decideKinds(a, b, e, mergePreprints); ok {
			return v
		}
	}
	if a.kind == kindCochrane && b.kind == kindCochrane {
		return decideCochrane(a, b, e)
	}
	if g := guard(a, b, e); g != "" {
		if g == "guard:pages-conflict" && printedTwiceInIssue(a, b, e) {
			return verdict{duplicate, "title+authors+journal+volume+issue, printed twice"}
		}
		if g == "guard:pages-conflict" && shortItemOfArticle(a, b, e) {
			return verdict{related, "related:short-item"}
		}
		if (g == "guard:pages-conflict" || g == "guard:volume-conflict" || g == "guard:issue-conflict") && abstractReprinted(a, b, e) {
			return verdict{related, "related:abstract-reprinted"}
		}
		return verdict{distinct, g}
	}
	T := e.titleScore
	authorsOK := e.hasAuthors && authorsAgree(e)
	authorsBad := e.hasAuthors && !authorsOK
	if e.doi == agree || e.pmid == agree {
		id := "doi"
		if e.doi != agree {
			id = "pmid"
		}
		if T >= titleClose || e.titleContained {
			return verdict{duplicate, id + "+title"}
		}
		if titleInTwoLanguages(a, b) && e.firstAuthor == agree && e.authorScore >= 0.5 && e.year != conflict &&
			(e.pages == agree || (e.volume == agree && e.authorScore >= 0.8)) {
			return verdict{duplicate, id + "+authors+place, title in two languages"}
		}
		if e.firstAuthor == agree && e.authorScore >= 0.8 && e.year != conflict && e.pages == agree && !e.endConflict &&
			multiPage(a, b) && tokenDice(a.tokHash, b.tokHash) >= 0.5 {
			// One article's whole page range under one DOI by the same
			// authors, a title reworded: abstracts sharing a supplement's
			// DOI are a page or two.
			return verdict{duplicate, id + "+authors+page range, title reworded"}
		}
		return verdict{review, id + "-agree-title-differs"}
	}
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
		case e.volumeGarbled:
			if authorsOK && e.year == agree && e.pages == agree && e.journal != conflict && !(e.issue == conflict && a.issuePlain && b.issuePlain) {
				return verdict{duplicate, "title+authors+year+pages, volume garbled"}
			}
			if e.firstAuthor == agree && e.authorScore >= 0.8 && e.year == agree && e.journal == agree && e.issue == agree && e.pages == missing {
				// Embase often gives a supplement's abstract no page: the
				// same issue and supplement of one journal and year, by
				// the same authors, place it instead.
				return verdict{duplicate, "title+authors+year+journal+issue, volume garbled"}
			}
			return verdict{review, "title-only, volume garbled"}
		case e.shifted:
			if authorsOK && e.year == agree && e.journal == agree {
				return verdict{duplicate, "title+authors+year+journal, fields shifted"}
			}
			return verdict{review, "title-only, fields shifted"}
		case (a.brief || b.brief) && (e.volume == agree || e.volume == missing && (a.volume != "" || b.volume != "")) &&
			!(e.issue == agree || e.pages == agree):
			// A title of a few words ("Gateways to Clinical Trials",
			// "Prostate cancer with nurses") recurs in a volume: the
			// volume, or the journal and year where one record gives no
			// volume, alone do not place it. (A conference paper has no
			// volume on either side: its venue and year place it.)
			return verdict{review, "title-only, brief title"}
		case letterAndArticle(a, b) && !(e.issue == agree || e.pages == agree):
			// A reply is often printed under the article's title by one of
			// its authors, in the same volume: one typed Letter and the
			// other not is placed only by the issue or the pages.
			return verdict{review, "title-only, letter and article"}
		case authorsOK && e.year == agree && placed(e, volOrPages || e.journal == agree):
			return verdict{duplicate, "title+authors+year+source"}
		case authorsOK && e.year == near && placed(e, volOrPages):
			return verdict{duplicate, "title+authors+source, year±1"}
		case authorsOK && e.year == missing && placed(e, volPages):
			return verdict{duplicate, "title+authors+volume+pages"}
		case !e.hasAuthors && T >= 0.97 && volPages && e.year != conflict:
			return verdict{duplicate, "title+volume+pages, no authors"}
		case e.keyTwin && authorsOK && e.year == agree && e.journal != conflict:
			return verdict{duplicate, "title+authors+year, BibTeX key twin"}
		default:
			return verdict{review, "title-only"}
		}
	case T >= titleClose || e.titleContained:
		switch {
		case authorsOK && printedAt(e) && e.year != conflict && e.year != missing && placed(e, true):
			return verdict{duplicate, "close-title+authors+volume+pages"}
		case authorsBad:
			return verdict{distinct, "guard:authors-differ"}
		default:
			return verdict{review, "close-title"}
		}
	}
	if authorsOK && printedAt(e) && e.year != conflict && e.year != missing {
		if translatedSameItem(a, b, e) {
			return verdict{duplicate, "translated-title+authors+year+journal+volume+pages"}
		}
		if T >= titleWeak && e.year == agree && volPages {
			return verdict{review, "weak-title+authors+volume+pages"}
		}
	}
	return verdict{distinct, "titles-differ"}
}

// printedAt: the two records are printed at one place: volume and first
// page agree, or, one record giving no volume, journal, issue and first
// page agree.
func printedAt(e *evidence) bool {
	return e.pages == agree && (e.volume == agree || (e.volume == missing && e.issue == agree && e.journal == agree))
}

// placed: the evidence of where the two records are printed is enough for
// a rule that asks for ordinary: ordinary itself, unless something says
// two papers may share a volume and a page by chance. When first authors
// differ (the author lists still overlap) volume and page range must
// agree in journals that do not conflict; when journals conflict, volume
// and page range must agree. Title families fill a volume with
// near-identical titles by overlapping authors; only their pages tell
// them apart, and a range ending elsewhere is another paper.
func placed(e *evidence, ordinary bool) bool {
	volPages := e.volume == agree && e.pages == agree && !e.endConflict
	switch {
	case e.hasAuthors && e.firstAuthor != agree:
		return volPages && e.journal != conflict
	case e.journal == conflict:
		// Two journals with one volume number and a page in common are a
		// coincidence when their issues differ too.
		return volPages && e.issue != conflict
	}
	return ordinary
}

// translatedSameItem: one title is a translation, and everything that
// places the item in print agrees: the same first author, journal, volume
// and a page range starting on the same page, neither range ending
// elsewhere. Two databases translate one title differently (a few words
// apart, so the titles may share only half their words); two different
// papers do not share a multi-page range in one volume.
//
// A title in another language than the other (function words tell) may
// share no word with it: then 80% of the authors must agree too.
func translatedSameItem(a, b *prepared, e *evidence) bool {
	langs := a.lang != langUnknown && b.lang != langUnknown && a.lang != b.lang
	if !(a.translated || b.translated || a.foreignArticle || b.foreignArticle || langs) || e.firstAuthor != agree || e.journal != agree || e.endConflict {
		return false
	}
	if !multiPage(a, b) {
		return false
	}
	return e.titleScore >= titleWeak || tokenDice(a.tokHash, b.tokHash) >= 0.4 || (langs && e.authorScore >= 0.8)
}

// multiPage: at least one of the records gives a page range of two pages
// or more.
func multiPage(a, b *prepared) bool {
	multi := func(p *prepared) bool { return p.pageEnd != "" && p.pageEnd != p.page }
	return multi(a) || multi(b)
}

// titleInTwoLanguages: one title is marked as a translation, or the two
// titles' function words are of different languages.
func titleInTwoLanguages(a, b *prepared) bool {
	return a.translated || b.translated ||
		(a.lang != langUnknown && b.lang != langUnknown && a.lang != b.lang)
}

// citesErratum: one record's title says its erratum appears at the volume
// and page where the other record, with the same title, is printed — MEDLINE
// indexes such errata under the article's own title.
func citesErratum(a, b *prepared, e *evidence) bool {
	if !(e.titleScore >= titleClose || e.titleContained) || e.journal == conflict || (e.year != missing && e.yearDiff > 2) || noticeAuthorsConflict(e) {
		return false
	}
	cites := func(x, y *prepared) bool {
		if x.erratumAt() == "" || y.volume == "" || y.page == "" {
			return false
		}
		key := y.volume + ":" + y.page
		for at := range strings.FieldsSeq(x.erratumAt()) {
			if at == key {
				return true
			}
		}
		return false
	}
	return cites(a, b) || cites(b, a)
}

// authorsAgree: the first authors agree, or half the authors of the
// shorter list, two at least, are found in the other (one shared family
// name, "Li" or "Wang", is not a team).
func authorsAgree(e *evidence) bool {
	return e.firstAuthor == agree || (e.authorScore >= 0.5 && e.authorsMatched >= 2)
}

// noticeAuthorsConflict is authorsConflict for a notice and its article: a
// notice often names one author of the article ("Philipp, T." for an
// erratum to Nürnberger, Philipp et al.), and its title and journal carry
// the rest of the evidence, so one shared author is enough.
func noticeAuthorsConflict(e *evidence) bool {
	return e.hasAuthors && e.firstAuthor != agree && e.authorScore < 0.5
}

// authorsConflict: both records list authors and they do not agree.
func authorsConflict(e *evidence) bool {
	return e.hasAuthors && !authorsAgree(e)
}

// shortItemOfArticle: the same title, authors and journal, printed within a
// year, once as a single page and once as a multi-page article. The single
// page is a meeting abstract, an erratum or a comment printed under the
// article's title: a related report of the same study, not a duplicate.
func shortItemOfArticle(a, b *prepared, e *evidence) bool {
	if e.titleScore < titleSame || !sameTitleFamilyMember(a, b) || e.firstAuthor != agree || e.journal != agree || e.year == missing || e.yearDiff > 1 {
		return false
	}
	single := func(p *prepared) bool { return p.pageEnd == "" || p.pageEnd == p.page }
	return single(a) != single(b)
}

// printedTwiceInIssue: one short item (a letter, a note) indexed at two
// pages of one regular issue: the same title, authors, journal, volume,
// issue and year, both on one or two pages. A regular issue does not print
// an item twice (a recurring column appears once per issue, a notice in a
// later one), so one of the pages is an indexing slip. In a supplement or
// a meeting's abstracts the same abstract printed twice is an oral and a
// poster presentation: two reports (abstractReprinted).
func printedTwiceInIssue(a, b *prepared, e *evidence) bool {
	return e.titleScore >= titleSame && sameTitleFamilyMember(a, b) && !a.generic && !b.generic && !a.abstractLike && !b.abstractLike &&
		e.firstAuthor == agree && e.authorScore >= 0.8 && e.journal == agree && e.volume == agree && e.issue == agree &&
		e.year == agree && shortPrint(a) && shortPrint(b)
}

// abstractReprinted: the same conference abstract printed in two places
// (two journals' supplements, or twice in one): the same title and
// authors within a year, at least one side printed as an abstract, both
// short items, placed differently. domain.md: not one report, but reports
// of one study.
func abstractReprinted(a, b *prepared, e *evidence) bool {
	if e.titleScore < titleSame || !sameTitleFamilyMember(a, b) || a.generic || b.generic || !(a.abstractLike || b.abstractLike) ||
		e.firstAuthor != agree || e.authorScore < 0.5 || e.year == missing || e.yearDiff > 1 {
		return false
	}
	return shortPrint(a) && shortPrint(b)
}

// shortPrint: printed on one or two pages, as abstracts are. An article
// number of five digits or more ("e489070") says nothing of its length;
// a short e-page ("e505") is a page of an online supplement.
func shortPrint(p *prepared) bool {
	if p.page == "" || (isLocator(p.page) && p.pageEnd == "" && len(pageDigits(p.page)) >= 5) {
		return false
	}
	if p.pageEnd == "" || p.pageEnd == p.page {
		return true
	}
	s, err1 := strconv.Atoi(pageDigits(p.page))
	t, err2 := strconv.Atoi(pageDigits(p.pageEnd))
	return err1 == nil && err2 == nil && t >= s && t-s <= 1
}

// sameTitleFamilyMember: the titles name no different part, phase or
// population — what guard:title-numbers and guard:title-contrast check,
// for the rules that run where a page guard already stopped the pair.
func sameTitleFamilyMember(a, b *prepared) bool {
	return a.numbers == b.numbers && !contrasting(a.contrast, b.contrast)
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
	case e.volume == conflict:
		return "guard:volume-conflict"
	case e.pages == conflict:
		return "guard:pages-conflict"
	case e.issue == conflict && a.issuePlain && b.issuePlain && !sameItemDespiteIssue(a, b, e):
		// Recurring columns ("Editor's Comments") share title, author
		// and volume, issue after issue; two papers of one short title
		// share a volume and, by chance, a first page.
		return "guard:issue-conflict"
	case a.numbers != b.numbers && !(e.volume == agree && e.pages == agree) &&
		!((e.doi == agree || e.pmid == agree) && titleInTwoLanguages(a, b)):
		// "Part 1" and "Part 2". A number cut off with a truncated title,
		// or mistyped ("p6INK4a" for "p16INK4a"), is forgiven only when
		// volume and first page agree: two parts are never on one page.
		// A title in two languages under one DOI may write its numbers
		// differently ("Part II", "Teil 2") or drop one ("COVID-19").
		return "guard:title-numbers"
	case contrasting(a.contrast, b.contrast) && !(e.volume == agree && e.pages == agree) && e.doi != agree && e.pmid != agree:
		// A title family: "… in adult patients" and "… in adolescent
		// patients", "plasma therapy-sensitive" and "-resistant".
		return "guard:title-contrast"
	case (a.generic || b.generic) && !strongIdentity(e):
		return "guard:generic-title"
	}
	return ""
}

// sameItemDespiteIssue: a differing issue number is a typo only when
// everything else places the two records on one page: the same title,
// first author, year and journal, and page ranges that start on the same
// page without ending on different ones. Never for a brief title: a
// column ("President's Message") recurs in every issue, on page 1 of each
// where issues are paginated apart.
func sameItemDespiteIssue(a, b *prepared, e *evidence) bool {
	return !a.brief && !b.brief && e.titleScore >= titleSame && e.firstAuthor == agree && e.authorScore >= 0.5 && e.year == agree &&
		e.journal != conflict && e.pages == agree && !e.endConflict
}

// strongIdentity is the evidence a generic title needs: a shared identifier,
// or the same first author, year, volume and pages — or issue, in one
// journal ("Research Roundup" appears once an issue).
func strongIdentity(e *evidence) bool {
	return e.doi == agree || e.pmid == agree ||
		(e.firstAuthor == agree && e.year == agree &&
			(printedAt(e) || (e.volume == agree && e.issue == agree && e.journal == agree)))
}

// hardConflict is the part of the guards that needs no title: used when
// titles are missing and when clusters are joined.
func hardConflict(a, b *prepared, e *evidence) bool {
	return e.doi == conflict || e.pmid == conflict || e.year == conflict ||
		e.volume == conflict || e.pages == conflict ||
		(e.issue == conflict && a.issuePlain && b.issuePlain) ||
		(a.kind == kindCochrane && b.kind == kindCochrane && (e.year != agree || e.issue == conflict))
}

// samePlace: both records are printed at one place — the same first page
// of one volume (or a garbled supplement volume), in issues and journals
// that do not conflict, identifiers not conflicting. Two reports of
// different kinds (an erratum and its article, an abstract and its paper)
// are never printed there together, so differing kinds are only databases
// typing one report differently (one says "Published Erratum", another
// gives no type; one "Conference Abstract", another "Article").
func samePlace(a, b *prepared, e *evidence) bool {
	if a.page == "" || pageDigits(a.page) != pageDigits(b.page) || e.issue == conflict || e.journal == conflict ||
		e.doi == conflict || e.pmid == conflict {
		return false
	}
	return e.volume == agree || e.volumeGarbled || (e.volume == missing && e.issue == agree && e.journal == agree)
}

// sameReportKinds: two records whose kinds differ only because the
// databases typed one report differently. Embase's "Conference Abstract"
// is Scopus's "Conference Paper"; an @inproceedings and an @article of one
// paper (Google Scholar lists some papers twice) name the same venue, or
// are key twins with no venue against each other.
func sameReportKinds(a, b *prepared, e *evidence) bool {
	if a.kind == kindComment && b.typed == typedLetter || b.kind == kindComment && a.typed == typedLetter {
		// MEDLINE types a letter about an article "Letter; Comment",
		// Scopus and Embase just "Letter": one report typed two ways.
		return true
	}
	if a.kind == kindAbstract {
		a, b = b, a
	}
	if b.kind != kindAbstract || a.kind != kindArticle {
		return false
	}
	if a.confPaper || a.abstractLike {
		return true // an "article" in a supplement or with a session number is an abstract untyped
	}
	return b.entryConf && (e.journal == agree || (e.keyTwin && e.journal != conflict))
}

// decideCochrane compares two Cochrane reviews. Databases write a review's
// issue, volume and number differently (the CD number as pages, or not at
// all), so those do not separate two records of one version; a different
// year, DOI or issue number is another version of the review: an update,
// a related report, not a duplicate.
func decideCochrane(a, b *prepared, e *evidence) verdict {
	T := e.titleScore
	sameReview := (T >= titleSame || (T >= titleClose && a.cd() != "" && a.cd() == b.cd())) && !authorsConflict(e)
	switch {
	case a.cd() != "" && b.cd() != "" && a.cd() != b.cd():
		return verdict{distinct, "guard:cochrane-number"}
	case e.pmid == conflict && e.doi != conflict:
		return verdict{distinct, "guard:pmid-conflict"}
	case e.doi == conflict || e.year != agree || (e.issue == conflict && a.issuePlain && b.issuePlain):
		if sameReview && e.hasAuthors && e.year != missing {
			return verdict{related, "related:cochrane-update"}
		}
		return verdict{distinct, "guard:cochrane-update"}
	case e.doi == agree && (T >= titleClose || e.titleContained):
		return verdict{duplicate, "doi+title"}
	case sameReview && T >= titleSame && (e.hasAuthors || (a.cd() != "" && a.cd() == b.cd())):
		return verdict{duplicate, "cochrane:title+authors+year"}
	case authorsConflict(e) && T >= titleClose:
		return verdict{distinct, "guard:authors-differ"}
	case T >= titleClose || e.titleContained:
		return verdict{review, "close-title"}
	}
	return verdict{distinct, "titles-differ"}
}

// decideKinds handles two records of different report kinds: a preprint and
// its article, an abstract and its article, a notice and what it concerns.
// ok is false when the kinds should be ignored (the same printed item typed
// differently by two databases: same volume and pages).
//
// A link between two reports makes them one study, which the synthesis
// counts once: it needs what a merge needs. Both sides must list authors
// that agree (a same-title pair with nothing else in common is sent to
// review), and the years must fit the relation (a preprint or abstract
// before its article, a notice after it).
func decideKinds(a, b *prepared, e *evidence, mergePreprints bool) (verdict, bool) {
	if a.kind > b.kind {
		a, b = b, a
	}
	notice := isNotice(a.kind) || isNotice(b.kind)
	pair := a.kind.String() + "/" + b.kind.String()
	if notice {
		n, other := a, b
		if !isNotice(n.kind) {
			n, other = b, a
		}
		// The notice names the article: the article's title makes up most
		// of the notice's, in the same journal, after it by a few years at
		// most, by authors that do not conflict (a letter by others about
		// the article is not a report of its study).
		if len(other.title) >= 20 && 10*len(other.title) >= 6*len(n.title) && strings.Contains(n.title, other.title) &&
			!isNotice(other.kind) && e.journal != conflict && yearsFit(other, n, 1, 3) && !noticeAuthorsConflict(e) {
			return verdict{related, "related:" + n.kind.String()}, true
		}
		return verdict{distinct, "guard:" + pair}, true
	}
	// A title that only starts or ends the other must make most of it: a
	// short title heading a long one is a title family, not one study.
	short, long := len(a.title), len(b.title)
	if short > long {
		short, long = long, short
	}
	titleOK := e.titleScore >= titleClose || (e.titleContained && 10*short >= 6*long)
	switch {
	case !titleOK || (e.hasAuthors && !(e.firstAuthor == agree && e.authorScore >= 0.5) && e.authorScore < 0.66):
		// Authors that agree: the first and half of the shorter list, or
		// two thirds (half of a short list can be one common family
		// name). A first author alone can be a given name that is the
		// other's family name ("Inetako, Robert Thomas" and "Thomas, J.").
		return verdict{distinct, "guard:" + pair}, true
	case !kindYearsFit(a, b):
		return verdict{distinct, "guard:" + pair + ", years"}, true
	case !e.hasAuthors:
		return verdict{review, "related?:" + pair + ", authors missing"}, true
	case (a.kind == kindPreprint || b.kind == kindPreprint) && mergePreprints && e.year != conflict:
		return verdict{duplicate, "preprint+article (merge_preprints)"}, true
	}
	return verdict{related, "related:" + pair}, true
}

// kindRank orders report kinds by when they appear in a study's life:
// meeting abstract, preprint, then article or review.
func kindRank(kind reportKind) int {
	switch kind {
	case kindAbstract:
		return 0
	case kindPreprint:
		return 1
	}
	return 2
}

// kindYearsFit: the later kind of report appears at most a year before
// (epub and print years) and at most three years after the earlier kind;
// two reports of one rank within two years. A missing year fits.
func kindYearsFit(a, b *prepared) bool {
	if !a.hasYear || !b.hasYear {
		return true
	}
	ra, rb := kindRank(a.kind), kindRank(b.kind)
	switch {
	case ra < rb:
		return yearsFit(a, b, 1, 3)
	case rb < ra:
		return yearsFit(b, a, 1, 3)
	}
	d := a.year - b.year
	return d >= -2 && d <= 2
}

// yearsFit: later appeared no more than before years before first and no
// more than after years after it; true when a year is missing.
func yearsFit(first, later *prepared, before, after int32) bool {
	if !first.hasYear || !later.hasYear {
		return true
	}
	d := later.year - first.year
	return d >= -before && d <= after
}

func isNotice(kind reportKind) bool {
	return kind == kindErratum || kind == kindRetraction || kind == kindComment
}

func (e *evidence) String() string {
	return fmt.Sprintf("title=%.3f authors=%.2f first=%v journal=%v doi=%v volume=%v pages=%v year=%v", e.titleScore, e.authorScore, e.firstAuthor, e.journal, e.doi, e.volume, e.pages, e.year)
}

// Miss is a pair of records a reference keeps together and the stage
// does not, with the decision and rule that kept them apart.
type Miss struct {
	RecordA, RecordB string
	Decision, Rule   string
	// Written is false for a pair duplicate_pairs leaves out (plainly
	// different, or a guard's verdict on dissimilar titles): its decision
	// comes from comparing the two records again.
	Written bool
	// DifferentReports: the rule names two different reports (see DifferentReports).
	DifferentReports bool
}

// ExplainMisses gives each missed pair (record ids) the decision and rule
// of its duplicate_pairs row, or of comparing the two records alone when
// the table has none.
func ExplainMisses(records []tables.Record, pairs []tables.DuplicatePair, missed [][2]string) []Miss {
	row := make(map[[2]string]*tables.DuplicatePair, len(pairs))
	for i := range pairs {
		row[[2]string{pairs[i].RecordA, pairs[i].RecordB}] = &pairs[i]
	}
	byID := make(map[string]*tables.Record, len(records))
	for i := range records {
		byID[records[i].RecordID] = &records[i]
	}
	out := make([]Miss, 0, len(missed))
	for _, m := range missed {
		a, b := min(m[0], m[1]), max(m[0], m[1])
		x := Miss{RecordA: a, RecordB: b}
		if p, ok := row[[2]string{a, b}]; ok {
			x.Decision, x.Rule, x.Written = p.Decision, p.Rule, true
		} else if ra, rb := byID[a], byID[b]; ra != nil && rb != nil {
			pa, pb := prepare(ra, false), prepare(rb, false)
			ev := compareFields(&pa, &pb)
			v := decide(&pa, &pb, &ev, false)
			x.Decision, x.Rule = v.decision, v.rule
		}
		x.DifferentReports = DifferentReports(x.Decision, x.Rule)
		out = append(out, x)
	}
	return out
}

// DifferentReports reports whether a pair's decision and rule say the two
// records are different reports in the sense of domain.md (an erratum,
// a reply, a preprint or an abstract and the article; parts of a series;
// an update of a Cochrane review; two members of a title family; the same
// abstract printed twice), rather than evidence too thin or conflicting to
// merge. Evaluations use it to score recall over the pairs that are
// duplicates by domain.md's definition.
func DifferentReports(decision, rule string) bool {
	if decision == related {
		return true
	}
	if decision != distinct {
		return false
	}
	switch rule {
	case "guard:title-numbers", "guard:title-contrast", "guard:cochrane-update", "guard:cochrane-number":
		return true
	}
	// guard:KIND1/KIND2: two kinds of report.
	return strings.HasPrefix(rule, "guard:") && strings.Contains(rule, "/")
}

// letterAndArticle: the exports typed one record a Letter and the other
// another kind of item.
func letterAndArticle(a, b *prepared) bool {
	return a.typed == typedLetter && b.typed == typedArticle || a.typed == typedArticle && b.typed == typedLetter
}
