package synthgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// The hard profile. A corpus is generated in batches: one batch is a
// family of true reports (an article with its erratum, the issues of a
// recurring column, one study's abstracts in several supplements, the
// versions of a Cochrane review…), written at once by the databases that
// index each report, each in its own dialect (dialects.go). Nothing but a
// few cursors outlives a batch, so memory does not grow with the corpus.

// hardReport is one true report (publication).
type hardReport struct {
	id, study int
	kind      string // article, conference-abstract, conference-paper, erratum, comment, reply, cochrane-review, preprint, column, editorial
	relation  string
	relatedTo int // report id, -1 for none
	groups    []string
	tags      []string // patterns every record of the report shows

	title    string // as the publisher prints it, without a final full stop
	foreign  string // the original-language title of a translated article
	altTitle string // a second English rendering of a translated title
	lang     int    // index into wLanguages, -1 for English
	twoLang  bool   // one database gives the original-language title under the same DOI
	// noticePrefix is the lead of an erratum or comment's title ("Erratum: "),
	// which some databases drop, printing the notice under the article's title.
	noticePrefix string

	authors     []hardPerson
	groupAuthor string
	year, month int

	journal *hardJournal
	conf    int // index into wConferences for conference papers, -1 otherwise
	edition int // the conference's edition number ("23rd")
	volume  int
	issue   int
	suppl   *supplement
	page    string // first page as printed ("221", "S52", "e0212345"), "" for none
	endPage string // last page, "" for a one-page item or none
	artNo   bool   // page is an article number, not a page
	doi     string
	cd      string // Cochrane review number, CD006828

	abstract string
	keywords []string
	// pmid is the PubMed id; erratumIn and commentOn are MEDLINE's links
	// to the notice and to the commented article.
	pmid      int
	erratumIn string
	commentOn string
}

type hardJournal struct {
	full, abbrev, medline string // Title Case; abbreviation; MEDLINE's sentence-case title
	issn, eissn           string
	founded               int
	issues                int // per year
	pagesPerIssue         int
	online                bool // article numbers, no pages
	lang                  int  // -1 English
	doiPrefix, code       string
	doiStyle              int
	cinahl, psyc          bool // nursing or psychology titles, indexed more by CINAHL or PsycINFO
	cochrane, preprint    bool
}

func (j *hardJournal) volumeOf(year int) int { return max(1, year-j.founded+1) }

// supplement is one conference's abstracts printed in a journal supplement.
type supplement struct {
	id      int
	journal *hardJournal
	year    int
	volume  int
	issue   int
	number  int    // supplement number
	prefix  string // "S", "A", or "" for abstract numbers
	next    int
	doi     string // one DOI for the whole supplement, or ""
	left    int
}

type hardGen struct {
	rng      *rand.Rand
	txt      *textGen
	cfg      CorpusConfig
	journals []*hardJournal
	jZipf    *rand.Zipf
	cochrane *hardJournal
	servers  []*hardJournal // preprint servers
	cursor   map[int64]int  // next page by journal, volume and issue
	supps    []*supplement  // supplements taking abstracts
	nextSupp int
	nextID   int // report ids
	nextGrp  int
	out      *hardOutput
}

func newHardGen(cfg CorpusConfig, out *hardOutput) *hardGen {
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	g := &hardGen{rng: rng, txt: newTextGen(rng), cfg: cfg, cursor: map[int64]int{}, out: out}
	g.makeJournals()
	return g
}

func (g *hardGen) chance(p float64) bool { return g.rng.Float64() < p }

// makeJournals draws the journal table. Journals are chosen Zipf-like, as a
// search's results concentrate in a few journals; the busiest get more
// pages per issue, so that start pages within a volume stay realistic.
func (g *hardGen) makeJournals() {
	const n = 2500
	reports := float64(g.cfg.Records) / 1.55
	seen := map[string]bool{}
	for len(g.journals) < n {
		j := &hardJournal{lang: -1}
		var words []string
		switch g.rng.IntN(8) {
		case 0, 1:
			words = []string{"Journal", "of", g.field(), g.field()}
		case 2:
			words = []string{"International", "Journal", "of", g.field(), "and", g.field()}
		case 3:
			words = []string{g.field(), "Research"}
		case 4:
			words = []string{capitalise(g.txt.pick(wAdjectives)), g.field(), g.field()}
		case 5:
			words = []string{g.txt.pick([]string{"Annals", "Archives", "Advances", "Current", "Reports"}), "of", g.field()}
		case 6:
			words = []string{g.txt.pick([]string{"American", "British", "European", "Canadian", "Australian", "Scandinavian", "Global"}), "Journal", "of", g.field()}
		default:
			words = []string{g.field(), "&", g.field()}
		}
		if g.chance(0.15) {
			words = append(words, capitalise(g.txt.topicWord()))
		}
		full := strings.Join(words, " ")
		if seen[full] {
			continue
		}
		seen[full] = true
		j.full = full
		var ab []string
		for _, w := range words {
			if wStopwords[strings.ToLower(w)] || w == "&" {
				continue
			}
			if a, ok := wJournalAbbrev[w]; ok {
				ab = append(ab, a)
			} else if len(w) > 6 {
				ab = append(ab, w[:4+g.rng.IntN(2)])
			} else {
				ab = append(ab, w)
			}
		}
		j.abbrev = strings.Join(ab, " ")
		j.medline = strings.ToUpper(full[:1]) + strings.ToLower(full[1:])
		j.issn = fmt.Sprintf("%04d-%03d%s", 1000+g.rng.IntN(9000), g.rng.IntN(1000), checkChar(g.rng))
		j.eissn = fmt.Sprintf("%04d-%03d%s", 1000+g.rng.IntN(9000), g.rng.IntN(1000), checkChar(g.rng))
		j.founded = 1950 + g.rng.IntN(60)
		j.issues = []int{4, 6, 12, 12, 12, 24}[g.rng.IntN(6)]
		share := 1 / (float64(len(g.journals)+10) * 4.5) // the Zipf share of this rank, roughly
		perVolume := share * reports / 30 * 0.75
		j.pagesPerIssue = max(60, int(perVolume*11/float64(j.issues)))
		j.online = g.chance(0.22)
		j.doiStyle = g.rng.IntN(6)
		j.doiPrefix = []string{"10.1016", "10.1007", "10.1111", "10.1186", "10.1080", "10.1002"}[j.doiStyle]
		j.code = strings.ToLower(strings.Join(ab, ""))
		if len(j.code) > 8 {
			j.code = j.code[:8]
		}
		j.cinahl = g.chance(0.2)
		j.psyc = !j.cinahl && g.chance(0.15)
		if g.chance(0.06) {
			j.lang = g.rng.IntN(len(wLanguages))
		}
		g.journals = append(g.journals, j)
	}
	g.jZipf = rand.NewZipf(g.rng, 1.05, 8, uint64(len(g.journals)-1))
	g.cochrane = &hardJournal{full: "Cochrane Database of Systematic Reviews", abbrev: "Cochrane Database Syst Rev",
		medline: "The Cochrane database of systematic reviews", issn: "1469-493X", eissn: "1465-1858", founded: 1996,
		issues: 12, lang: -1, doiPrefix: "10.1002", cochrane: true}
	for _, s := range []struct{ name, prefix string }{{"medRxiv", "10.1101"}, {"PsyArXiv", "10.31234"},
		{"Research Square", "10.21203"}, {"SSRN Electronic Journal", "10.2139"}, {"bioRxiv", "10.1101"}} {
		g.servers = append(g.servers, &hardJournal{full: s.name, abbrev: s.name, medline: s.name, lang: -1, doiPrefix: s.prefix, preprint: true, founded: 2013})
	}
}

func checkChar(rng *rand.Rand) string {
	if rng.IntN(11) == 10 {
		return "X"
	}
	return strconv.Itoa(rng.IntN(10))
}

func (g *hardGen) field() string { return g.txt.pick(wFieldWords) }

func (g *hardGen) journal() *hardJournal { return g.journals[g.jZipf.Uint64()] }

func (g *hardGen) newReport(kind string) *hardReport {
	r := &hardReport{id: g.nextID, study: g.nextID, kind: kind, relatedTo: -1, lang: -1, conf: -1}
	g.nextID++
	r.pmid = 10000000 + int((uint64(r.id)*7919)%89999989)
	return r
}

func (g *hardGen) group(family string) string {
	g.nextGrp++
	return family + "/" + strconv.Itoa(g.nextGrp)
}

// year draws a publication year, recent years more often, as in real searches.
func (g *hardGen) year() int {
	return max(1990, 2025-int(g.rng.ExpFloat64()*7))
}

func (g *hardGen) authors(median float64) []hardPerson {
	n := g.txt.lognormal(median, 0.6, 1, 14)
	if g.chance(0.05) {
		n = 15 + g.rng.IntN(26) // multicentre trials, consortia: 15–40 authors
	}
	out := make([]hardPerson, n)
	for i := range out {
		out[i] = g.txt.person()
	}
	return out
}

// place puts r in journal j in year y: volume, issue, pages (or an
// article number) and a DOI.
func (g *hardGen) place(r *hardReport, j *hardJournal, y int, pages int) {
	r.journal, r.year = j, y
	r.month = 1 + g.rng.IntN(12)
	r.volume = j.volumeOf(y)
	r.issue = 1 + (r.month-1)*j.issues/12
	if j.online {
		r.page = "e" + strconv.Itoa(100000+(r.id*37)%899999)
		r.artNo = true
	} else {
		start := g.nextPage(j, r.volume, r.issue, pages)
		r.page = strconv.Itoa(start)
		if pages > 1 {
			r.endPage = strconv.Itoa(start + pages - 1)
		}
	}
	if g.chance(0.88) {
		r.doi = g.doi(j, r)
	}
}

func (g *hardGen) nextPage(j *hardJournal, volume, issue, pages int) int {
	k := int64(len(j.full))<<48 ^ int64(j.founded)<<40 ^ int64(j.issn[0])<<36 ^ int64(volume)<<8 ^ int64(issue)
	k ^= int64(hashString(j.full)) << 20
	p, ok := g.cursor[k]
	if !ok {
		p = (issue-1)*j.pagesPerIssue + 1 + g.rng.IntN(max(1, j.pagesPerIssue/10))
	}
	g.cursor[k] = p + pages + g.rng.IntN(2)
	return p
}

func hashString(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

func (g *hardGen) doi(j *hardJournal, r *hardReport) string {
	switch j.doiStyle {
	case 0:
		return fmt.Sprintf("%s/j.%s.%d.%02d.%03d", j.doiPrefix, j.code, r.year, r.month, r.id%1000)
	case 1:
		return fmt.Sprintf("%s/s%05d-%03d-%05d-%d", j.doiPrefix, 10000+hashString(j.full)%90000, r.year%100, r.id%100000, r.id%10)
	case 2:
		return fmt.Sprintf("%s/%s.%d", j.doiPrefix, j.code, 10000+r.id)
	case 3:
		return fmt.Sprintf("%s/s%05d-%03d-%05d-%d", j.doiPrefix, 12000+hashString(j.full)%80000, r.year%100, r.id%100000, r.id%7)
	case 4:
		return fmt.Sprintf("%s/%08d.%d.%07d", j.doiPrefix, 10000000+hashString(j.full)%90000000, r.year, r.id)
	default:
		return fmt.Sprintf("%s/%s.%d", j.doiPrefix, j.code, 20000+r.id)
	}
}

func (g *hardGen) titleLength() int { return g.txt.lognormal(110, 0.42, 18, 420) }

// article fills an article's text: title, authors, abstract, keywords.
func (g *hardGen) article(r *hardReport, j *hardJournal, y int) {
	r.title = g.txt.title(g.titleLength())
	if g.chance(0.25) {
		r.title = titleCase(r.title)
	}
	r.authors = g.authors(4.5)
	if g.chance(0.02) {
		r.groupAuthor = g.groupAuthorName()
	}
	g.place(r, j, y, 3+g.rng.IntN(14))
	if g.chance(0.9) {
		r.abstract = g.txt.abstract(g.txt.lognormal(1450, 0.35, 300, 4500), g.chance(0.55), g.txt.nounPhrase())
	}
	r.keywords = g.keywords(3 + g.rng.IntN(8))
	if j.lang >= 0 {
		g.translate(r, j.lang)
	}
}

func (g *hardGen) groupAuthorName() string {
	acr := strings.ToUpper(g.txt.topicWord())
	acr = acr[:min(len(acr), 3+g.rng.IntN(4))]
	return g.txt.pick([]string{acr + " Study Group", acr + "-3 Collaborators", "the " + acr + " Investigators", acr + " Trial Group"})
}

func (g *hardGen) keywords(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = g.txt.nounPhrase()
	}
	return out
}

// translate makes r a non-English article: MEDLINE gives a bracketed
// English translation with the original in TT, other databases their own
// English rendering, and a few the original-language title with the same DOI.
func (g *hardGen) translate(r *hardReport, lang int) {
	r.lang = lang
	r.foreign = g.txt.foreignTitle(r.title, lang)
	r.altTitle = g.txt.otherRendering(r.title)
	r.twoLang = r.doi != "" && g.chance(0.35)
}

// families are the batches a corpus is made of, with their weights (in
// batches; a batch writes one report or several).
var families = []struct {
	weight float64
	write  func(g *hardGen) error
}{
	{0.735, (*hardGen).plainArticle},
	{0.015, (*hardGen).articleWithErratum},
	{0.012, (*hardGen).articleWithComment},
	{0.006, (*hardGen).partSeries},
	{0.002, (*hardGen).recurringColumn},
	{0.008, (*hardGen).genericTitle},
	{0.004, (*hardGen).sameShortTitle},
	{0.118, func(g *hardGen) error { return g.conferenceAbstracts(1, false) }},
	{0.015, func(g *hardGen) error { return g.conferenceAbstracts(2+g.rng.IntN(4), false) }},
	{0.020, func(g *hardGen) error { return g.conferenceAbstracts(1, true) }},
	{0.006, (*hardGen).cochraneReview},
	{0.015, (*hardGen).preprintAndArticle},
	{0.030, (*hardGen).conferencePaper},
}

// batch writes one family of reports, chosen at random.
func (g *hardGen) batch() error {
	x := g.rng.Float64()
	for _, f := range families {
		if x < f.weight {
			return f.write(g)
		}
		x -= f.weight
	}
	return g.plainArticle()
}

func (g *hardGen) plainArticle() error {
	r := g.newReport("article")
	g.article(r, g.journal(), g.year())
	return g.out.emit(g, r)
}

// groupedArticle starts an article that heads a look-alike group.
func (g *hardGen) groupedArticle(family string, year int) (*hardReport, string) {
	a := g.newReport("article")
	g.article(a, g.journal(), year)
	grp := g.group(family)
	a.groups = []string{grp}
	return a, grp
}

// relatedTo starts a report of a's study, related to it and in its group.
func (g *hardGen) relatedTo(a *hardReport, kind, relation, grp string) *hardReport {
	r := g.newReport(kind)
	r.study, r.relation, r.relatedTo, r.groups = a.study, relation, a.id, []string{grp}
	return r
}

func (g *hardGen) articleWithErratum() error {
	a, grp := g.groupedArticle("erratum", g.year())
	e := g.relatedTo(a, "erratum", "erratum", grp)
	// An erratum is printed under the article's title, with or without a lead.
	e.noticePrefix = g.txt.pick([]string{"Erratum: ", "Correction to: ", "Correction: ", "Erratum to: ", "Corrigendum to \"", "", ""})
	e.title = a.title
	if g.chance(0.5) {
		e.authors = a.authors
	}
	y := a.year + g.rng.IntN(2)
	g.place(e, a.journal, y, 1)
	if e.year == a.year && e.issue <= a.issue && a.journal.issues > 1 {
		e.issue = min(a.journal.issues, a.issue+1+g.rng.IntN(2))
	}
	a.erratumIn = fmt.Sprintf("%s. %d %s;%d(%d):%s", a.journal.abbrev, e.year, monthAbbrev[e.month-1], e.volume, e.issue, e.page)
	if err := g.out.emit(g, a); err != nil {
		return err
	}
	return g.out.emit(g, e)
}

var monthAbbrev = strings.Fields("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")

func (g *hardGen) articleWithComment() error {
	a, grp := g.groupedArticle("comment", g.year())
	c := g.relatedTo(a, "comment", "comment", grp)
	switch g.rng.IntN(4) {
	case 0:
		c.noticePrefix = "Comment on: "
	case 1:
		c.noticePrefix = "Re: "
	}
	c.title = a.title
	if g.chance(0.3) {
		c.title = g.txt.title(g.txt.lognormal(60, 0.3, 20, 120))
		c.noticePrefix = ""
	}
	c.authors = g.authors(1.5)
	g.place(c, a.journal, a.year+g.rng.IntN(2), 1+g.rng.IntN(2))
	c.commentOn = fmt.Sprintf("%s. %d;%d(%d):%s", a.journal.abbrev, a.year, a.volume, a.issue, a.page)
	if err := g.out.emit(g, a); err != nil {
		return err
	}
	if err := g.out.emit(g, c); err != nil {
		return err
	}
	if !g.chance(0.5) {
		return nil
	}
	// The authors' reply, under the same title.
	rp := g.relatedTo(a, "reply", "reply", grp)
	rp.noticePrefix = g.txt.pick([]string{"Reply: ", "Authors' reply: ", "Response to: ", ""})
	rp.title = c.title
	rp.authors = a.authors[:min(len(a.authors), 1+g.rng.IntN(3))]
	g.place(rp, a.journal, c.year, 1+g.rng.IntN(2))
	rp.issue = c.issue
	rp.commentOn = c.commentOn
	return g.out.emit(g, rp)
}

// partSeries writes the parts of a series: one title with "Part 1",
// "Part 2"… (or I, II), by the same authors in one journal.
func (g *hardGen) partSeries() error {
	base := g.newReport("article")
	g.article(base, g.journal(), g.year())
	grp := g.group("part-series")
	n := 2 + g.rng.IntN(2)
	style := g.rng.IntN(3)
	// The first part is base itself: number the titles from copies, or
	// part 2 would be titled "Part 2: Part 1: …".
	title, altTitle, foreign := base.title, base.altTitle, base.foreign
	for k := 1; k <= n; k++ {
		r := base
		if k > 1 {
			r = g.newReport("article")
			id, pmid := r.id, r.pmid
			*r = *base
			r.id, r.study, r.pmid = id, id, pmid
			// Each part has its own DOI, or none: never its first part's.
			r.doi = ""
			r.abstract = g.txt.abstract(g.txt.lognormal(1450, 0.35, 300, 4500), g.chance(0.5), g.txt.nounPhrase())
			if g.chance(0.6) {
				g.place(r, base.journal, base.year, 3+g.rng.IntN(14))
			} else {
				g.place(r, base.journal, base.year+1, 3+g.rng.IntN(14))
			}
		}
		// A translated part keeps its number in every rendering.
		r.title = partTitle(title, style, k)
		if altTitle != "" {
			r.altTitle = partTitle(altTitle, style, k)
		}
		if foreign != "" {
			r.foreign = partTitle(foreign, style, k)
		}
		r.groups = []string{grp}
		if err := g.out.emit(g, r); err != nil {
			return err
		}
	}
	return nil
}

// partTitle numbers part k of a series in one of three styles.
func partTitle(title string, style, k int) string {
	switch style {
	case 0:
		return title + ": part " + strconv.Itoa(k)
	case 1:
		return title + " (Part " + []string{"I", "II", "III"}[k-1] + ")"
	default:
		return "Part " + strconv.Itoa(k) + ": " + title
	}
}

// recurringColumn writes one column's issues through a volume: the same
// title and author in every issue, often without pages or a DOI.
func (g *hardGen) recurringColumn() error {
	j := g.journal()
	y := g.year()
	title := g.txt.pick(wColumnTitles)
	if g.chance(0.3) {
		title = capitalise(g.field()) + " " + g.txt.pick([]string{"update", "news", "corner", "notes", "forum"})
	}
	editor := []hardPerson{g.txt.person()}
	grp := g.group("recurring-column")
	pages := g.chance(0.4)
	dois := g.chance(0.4)
	for issue := 1; issue <= min(j.issues, 12); issue++ {
		r := g.newReport("column")
		r.title, r.authors, r.groups = title, editor, []string{grp}
		r.journal, r.year, r.volume, r.issue = j, y, j.volumeOf(y), issue
		r.month = 1 + (issue-1)*12/min(j.issues, 12)
		if pages && !j.online {
			r.page = strconv.Itoa(g.nextPage(j, r.volume, issue, 1))
		}
		if dois {
			r.doi = g.doi(j, r)
		}
		if err := g.out.emit(g, r); err != nil {
			return err
		}
	}
	return nil
}

// genericTitle writes an item with a title many items share ("Editorial").
func (g *hardGen) genericTitle() error {
	k := g.rng.IntN(len(wGenericTitles))
	r := g.newReport("editorial")
	r.title = wGenericTitles[k]
	r.groups = []string{"generic-title/" + strconv.Itoa(k)}
	r.authors = g.authors(1.3)
	g.place(r, g.journal(), g.year(), 1+g.rng.IntN(3))
	return g.out.emit(g, r)
}

// sameShortTitle writes two different papers with one short title in one
// volume of a journal, starting on the same page of different issues.
func (g *hardGen) sameShortTitle() error {
	j := g.journal()
	for j.online {
		j = g.journal()
	}
	y := g.year()
	title := capitalise(g.txt.nounPhrase() + " " + g.txt.pick(wPreps) + " " + g.txt.pick(wPopulations))
	title = strings.ReplaceAll(title, "-", " ")
	grp := g.group("same-short-title")
	issue := 1 + g.rng.IntN(j.issues)
	start := g.nextPage(j, j.volumeOf(y), issue, 15)
	other := issue
	for other == issue && j.issues > 1 {
		other = 1 + g.rng.IntN(j.issues)
	}
	for k, is := range []int{issue, other} {
		r := g.newReport("article")
		r.title, r.groups = title, []string{grp}
		r.authors = g.authors(3)
		r.journal, r.year, r.volume, r.issue, r.month = j, y, j.volumeOf(y), is, 1+(is-1)*12/j.issues
		r.page = strconv.Itoa(start)
		r.endPage = strconv.Itoa(start + 6 + 7*(1-k) + g.rng.IntN(3))
		if g.chance(0.5) {
			r.doi = g.doi(j, r)
		}
		if g.chance(0.8) {
			r.abstract = g.txt.abstract(g.txt.lognormal(1300, 0.35, 300, 4000), g.chance(0.5), g.txt.nounPhrase())
		}
		if err := g.out.emit(g, r); err != nil {
			return err
		}
	}
	return nil
}

// supplementFor returns a supplement taking abstracts, opening new ones as
// old ones fill up.
func (g *hardGen) supplementFor() *supplement {
	if len(g.supps) < 48 || g.chance(0.02) {
		j := g.journal()
		for j.online {
			j = g.journal()
		}
		y := g.year()
		s := &supplement{id: g.nextSupp, journal: j, year: y, volume: j.volumeOf(y), issue: 1 + g.rng.IntN(j.issues),
			number: 1 + g.rng.IntN(3), prefix: g.txt.pick([]string{"S", "S", "A", ""}), next: 1 + g.rng.IntN(50),
			left: 40 + g.rng.IntN(400)}
		g.nextSupp++
		if g.chance(0.25) {
			s.doi = fmt.Sprintf("%s/%s/mdx%03d", j.doiPrefix, j.code, s.id%1000)
		}
		if len(g.supps) < 48 {
			g.supps = append(g.supps, s)
		} else {
			g.supps[g.rng.IntN(len(g.supps))] = s
		}
		return s
	}
	i := g.rng.IntN(len(g.supps))
	s := g.supps[i]
	s.left--
	if s.left <= 0 {
		g.supps[i] = g.supps[len(g.supps)-1]
		g.supps = g.supps[:len(g.supps)-1]
	}
	return s
}

// otherMeeting returns a supplement of another meeting than those used:
// another journal, or the same journal another year. (The same abstract
// printed twice in one supplement is a different case, not modelled here.)
func (g *hardGen) otherMeeting(used []*supplement) *supplement {
	for {
		o := g.supplementFor()
		if !slices.ContainsFunc(used, func(s *supplement) bool { return s.journal == o.journal && s.year == o.year }) {
			return o
		}
	}
}

// abstractIn places a conference abstract in supplement s: several
// abstracts share a printed page.
func (g *hardGen) abstractIn(r *hardReport, s *supplement) {
	r.journal, r.year, r.volume, r.issue, r.suppl = s.journal, s.year, s.volume, s.issue, s
	r.month = 1 + (s.issue-1)*12/s.journal.issues
	if s.prefix == "" {
		r.page = g.txt.pick([]string{"P", "OP-", "", "PO-"}) + strconv.Itoa(s.next)
		s.next++
	} else {
		r.page = s.prefix + strconv.Itoa(s.next)
		if g.chance(0.15) {
			r.endPage = s.prefix + strconv.Itoa(s.next+1)
		}
		if g.chance(0.4) {
			s.next++
		}
	}
	if s.doi != "" {
		r.doi = s.doi
		r.groups = append(r.groups, "supplement-doi/"+strconv.Itoa(s.id))
	} else if g.chance(0.3) {
		r.doi = fmt.Sprintf("%s/%s.%d.abstract%d", s.journal.doiPrefix, s.journal.code, s.year, r.id)
	}
}

// conferenceAbstracts writes one study's conference abstract, presented at
// n meetings (the same title in n supplements), and perhaps its article.
func (g *hardGen) conferenceAbstracts(n int, withArticle bool) error {
	first := g.newReport("conference-abstract")
	first.title = g.txt.title(g.titleLength())
	first.authors = g.authors(6)
	first.abstract = g.txt.abstract(g.txt.lognormal(1700, 0.3, 500, 3500), g.chance(0.7), g.txt.nounPhrase())
	first.keywords = g.keywords(3 + g.rng.IntN(5))
	g.abstractIn(first, g.supplementFor())
	var grp string
	switch {
	case n > 1:
		grp = g.group("abstract-repeats")
	case withArticle:
		grp = g.group("abstract-article")
	}
	if grp != "" {
		first.groups = append(first.groups, grp)
	}
	// The article the abstract became, written after it.
	var a *hardReport
	if withArticle {
		a = g.newReport("article")
		g.article(a, g.journal(), min(2025, first.year+1+g.rng.IntN(2)))
		a.study, a.authors = first.study, first.authors
		a.groups = []string{grp}
		if g.chance(0.7) {
			a.title = first.title
			if a.lang >= 0 {
				g.translate(a, a.lang)
			}
		}
		first.relation, first.relatedTo = "abstract", a.id
	}
	if err := g.out.emit(g, first); err != nil {
		return err
	}
	used := []*supplement{first.suppl}
	for k := 1; k < n; k++ {
		r := g.newReport("conference-abstract")
		r.study, r.relation, r.relatedTo = first.study, "presentation", first.id
		r.title, r.abstract, r.keywords = first.title, first.abstract, first.keywords
		r.authors = first.authors
		if g.chance(0.4) && len(r.authors) > 2 {
			r.authors = append([]hardPerson(nil), r.authors[:len(r.authors)-1]...)
		}
		g.abstractIn(r, g.otherMeeting(used))
		used = append(used, r.suppl)
		r.groups = append(r.groups, grp)
		if err := g.out.emit(g, r); err != nil {
			return err
		}
	}
	if a == nil {
		return nil
	}
	return g.out.emit(g, a)
}

// cochraneReview writes a Cochrane review and its updates: the same title
// and CD number, new years and DOIs (.pub2, .pub3).
func (g *hardGen) cochraneReview() error {
	n := 1 + g.rng.IntN(4)
	cd := fmt.Sprintf("CD%06d", 1000+g.rng.IntN(15000))
	title := capitalise(g.txt.intervention()) + " for " + g.txt.disease()
	if g.chance(0.5) {
		title += " in " + g.txt.population()
	}
	authors := g.authors(4)
	grp := g.group("cochrane-update")
	y := max(1997, g.year()-6)
	var prev *hardReport
	for k := 1; k <= n && y <= 2025; k++ {
		r := g.newReport("cochrane-review")
		r.title, r.cd, r.groups = title, cd, []string{grp}
		if k > 2 && g.chance(0.3) {
			r.title = title + ": an update"
		}
		r.authors = authors
		if g.chance(0.5) {
			r.authors = append(append([]hardPerson(nil), authors...), g.txt.person())
			authors = r.authors
		}
		r.journal, r.year, r.month = g.cochrane, y, 1+g.rng.IntN(12)
		r.issue = r.month
		if y >= 2016 {
			r.volume = r.month
		}
		r.page, r.artNo = cd, true
		r.doi = "10.1002/14651858." + cd
		if k > 1 {
			r.doi += ".pub" + strconv.Itoa(k)
			r.study, r.relation, r.relatedTo = prev.study, "update", prev.id
		}
		r.abstract = g.cochraneAbstract()
		if err := g.out.emit(g, r); err != nil {
			return err
		}
		prev = r
		y += 2 + g.rng.IntN(5)
	}
	return nil
}

func (g *hardGen) cochraneAbstract() string {
	var b strings.Builder
	for i, label := range []string{"BACKGROUND", "OBJECTIVES", "SEARCH METHODS", "SELECTION CRITERIA", "DATA COLLECTION AND ANALYSIS", "MAIN RESULTS", "AUTHORS' CONCLUSIONS"} {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(label + ": ")
		b.WriteString(g.txt.abstract(250+g.rng.IntN(300), false, g.txt.nounPhrase()))
	}
	return b.String()
}

// preprintAndArticle writes a preprint and, a year or so later, its article,
// often with a retouched title.
func (g *hardGen) preprintAndArticle() error {
	a, grp := g.groupedArticle("preprint", max(2016, g.year()))
	p := g.relatedTo(a, "preprint", "preprint", grp)
	p.title = a.title
	if g.chance(0.4) {
		p.title = g.txt.otherRendering(a.title)
	}
	p.authors, p.abstract = a.authors, a.abstract
	srv := g.servers[g.rng.IntN(len(g.servers))]
	p.journal, p.year, p.month = srv, a.year-g.rng.IntN(2), 1+g.rng.IntN(12)
	p.doi = fmt.Sprintf("%s/%d.%02d.%02d.%08d", srv.doiPrefix, p.year, p.month, 1+g.rng.IntN(28), 20000000+p.id)
	if err := g.out.emit(g, p); err != nil {
		return err
	}
	return g.out.emit(g, a)
}

// conferencePaper writes a paper in conference proceedings (information
// systems style: no DOI or pages, the venue named several ways).
func (g *hardGen) conferencePaper() error {
	r := g.newReport("conference-paper")
	r.title = titleCase(g.txt.title(g.txt.lognormal(90, 0.35, 25, 220)))
	if !strings.Contains(r.title, ":") && g.chance(0.6) {
		words := strings.Fields(r.title)
		k := len(words) / 2
		r.title = strings.Join(words[:k], " ") + ": " + strings.Join(words[k:], " ")
	}
	r.authors = g.authors(2.5)
	r.conf = g.rng.IntN(len(wConferences))
	r.year = max(2000, g.year())
	r.edition = r.year - 1994
	r.month = 1 + g.rng.IntN(12)
	if g.chance(0.2) {
		r.doi = fmt.Sprintf("10.24251/%s.%d.%03d", strings.ToLower(wConferences[r.conf].acronym), r.year, r.id%1000)
	}
	if g.chance(0.8) {
		r.abstract = g.txt.abstract(g.txt.lognormal(1000, 0.3, 300, 2500), false, g.txt.nounPhrase())
	}
	return g.out.emit(g, r)
}
