package dedupe

import (
	"regexp"
	"slices"
	"strings"
	"unsafe"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/tables"
)

// reportKind is a record's kind of report. Two records of different kinds
// are different reports even when their titles agree: they may be
// related, never duplicates. The kinds are numbered in the order of their
// names, which rules and the duplicate_pairs table show ("related:" +
// kind, "guard:" + kind + "/" + kind, the lesser name first).
type reportKind uint8

const (
	kindArticle reportKind = iota
	kindCochrane
	kindComment
	kindAbstract
	kindErratum
	kindPreprint
	kindRetraction
)

var kindNames = [...]string{"article", "cochrane_review", "comment", "conference_abstract", "erratum", "preprint", "retraction"}

func (k reportKind) String() string { return kindNames[k] }

// prepared holds one record's matching keys, computed once.
type prepared struct {
	title   string   // compact folded title: letters and digits only
	tokHash []uint32 // sorted, unique hashes of title words, for a cheap overlap bound
	// bigrams is a 128-bit set of the compact title's byte pairs: a title
	// holds another only if it holds all its byte pairs (plainlyDifferent).
	bigrams [2]uint64
	numbers string // numbers and roman numerals of the title, in order ("part 2", "phase iii")
	generic bool   // "Editorial", "Reply", or too short to identify a paper
	brief   bool   // six words or fewer: a title that recurs (columns, short titles of one volume)
	// translated: the title is an English translation ("[Title in
	// brackets]", "Title. [Spanish]"); another database may translate it
	// differently, so bibliographic identity counts for more than wording.
	translated bool
	// foreignArticle: an English title of an article whose language field
	// names another language; like translated for the translated-title
	// rule, but both titles may be English, so not a title in two languages.
	foreignArticle bool
	// Signals some rules read (see signals.go).
	volGarbled   bool // the volume field is a badly split "138 (5 SUPPL. 1)"
	thesis       bool // a thesis, or its abstract in Dissertation Abstracts
	confPaper    bool // typed "Conference Paper" / "Proceedings Paper": may be a conference abstract's other record
	entryConf    bool // a conference item only by its entry type (@inproceedings, TY CONF), no abstract type given
	issuePlain   bool // the issue is a plain number ("7", not "5 Suppl 1" or "3-B")
	abstractLike bool // a conference abstract, or printed in a supplement or a meeting's proceedings
	// typed is what the export's publication types say of an article-kind
	// record: typedLetter, typedArticle (typed, not a letter) or typedNone.
	typed    byte
	lang     byte   // langEnglish, langOther or langUnknown
	contrast uint64 // contrast classes among the title's words
	kind     reportKind
	// rare holds the keys only a few records have; nil for most.
	rare        *rareKeys
	authors     []author
	authorParts []uint32 // the authors' name-part hashes (see author)
	year        int32
	hasYear     bool
	dois        []string
	pmid        string
	volume      string
	issue       string
	page        string
	pageEnd     string
	journal     []string
	issn        []string

	// doiBits and issnBits have one bit per DOI and ISSN (keyBits): two
	// records with no bit in common share none, without a string compared.
	// Most compared pairs have DOIs, which begin alike ("10.1016/j.").
	doiBits, issnBits uint64
}

// rareKeys are matching keys that only a few records have (a few percent
// each, in real exports): kept behind one pointer, not in every record's keys.
type rareKeys struct {
	// cd is a Cochrane review's number (digits of CD006828); page holds no CD number.
	cd string
	// bibKey is a BibTeX record's citation key, for key twins.
	bibKey string
	// venueAcr is an acronym the venue name holds ("amcis").
	venueAcr string
	// erratumAt lists where the title says an erratum to this record was
	// printed ("[Erratum appears in Am J Transplant. 2009 Sep;9(9):2205]"),
	// as "volume:page" keys separated by spaces.
	erratumAt string
}

func (p *prepared) cd() string {
	if p.rare == nil {
		return ""
	}
	return p.rare.cd
}

func (p *prepared) bibKey() string {
	if p.rare == nil {
		return ""
	}
	return p.rare.bibKey
}

func (p *prepared) venueAcr() string {
	if p.rare == nil {
		return ""
	}
	return p.rare.venueAcr
}

func (p *prepared) erratumAt() string {
	if p.rare == nil {
		return ""
	}
	return p.rare.erratumAt
}

var (
	noticePrefix    = regexp.MustCompile(`^\s*(?:\[\s*)?(erratum|errata|corrigendum|correction\s*(?::|to\b|notice\b|of\s+error)|(?:author|publisher)'?s?\s+correction|notice\s+of\s+(?:correction|retraction)|retraction(?:\s+note|\s+notice)?\s*(?::|of\b|-)|retraction\s*$|withdrawn\s*:|expression\s+of\s+concern|comments?\s+on\b|comments?\s*:|re\s*:|reply\b|in\s+reply|response\s+to\b|authors?'?\s*(?:reply|response)|letter\s*:)`)
	noticeLead      = regexp.MustCompile(`^\s*(?i:erratum|errata|corrigendum|correction|retraction(?:\s+note|\s+notice)?|notice\s+of\s+(?:retraction|correction)|expression\s+of\s+concern|(?:author|publisher)'?s?\s+correction|comments?\s+on|re|withdrawn)\s*(?:to\s*)?[:\-–]\s*`)
	replySuffix     = regexp.MustCompile(`\s[-–:]\s*(?:authors?'?\s+)?(?:reply|response)\.?\s*$`)
	retractedPrefix = regexp.MustCompile(`^\s*(?i:retracted(?:\s+article)?\s*:\s*)`)
	preprintDOI     = regexp.MustCompile(`^10\.(?:1101/\d{4}\.\d{2}\.\d{2}|21203/rs\.|2139/ssrn|48550/arxiv|20944/preprints|31219/osf\.io|31234/osf\.io|31235/osf\.io|22541/au\.|1002/essoar)`)
)

var genericTitles = map[string]bool{}

func init() {
	for _, t := range []string{
		"editorial", "editorials", "guest editorial", "editor s note", "editors note", "from the editor", "editorial comment",
		"reply", "replies", "in reply", "author reply", "authors reply", "reply to letter", "response", "response to letter",
		"correction", "corrections", "erratum", "errata", "corrigendum", "retraction", "notice of retraction", "expression of concern",
		"comment", "comments", "commentary", "letter", "letters", "letter to the editor", "introduction", "preface", "foreword",
		"news", "abstracts", "poster abstracts", "oral presentations", "in this issue", "book review", "book reviews",
		"obituary", "announcement", "announcements", "untitled", "no title", "acknowledgements", "acknowledgments",
		"index", "contents", "table of contents", "proceedings", "conference proceedings", "summary", "highlights",
	} {
		genericTitles[strings.ReplaceAll(t, " ", "")] = true
	}
}

// hashString is FNV-1a: a fixed hash, so runs are reproducible to the bit.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func prepare(r *tables.Record, mergePreprints bool) prepared {
	var p prepared
	rawTitle := r.Title
	first := firstWord(rawTitle)
	if first == "retracted" {
		if m := retractedPrefix.FindStringIndex(rawTitle); m != nil {
			rawTitle = rawTitle[m[1]:]
			first = firstWord(rawTitle)
		}
	}
	kindTitle := rawTitle
	maybeNotice := noticeStarters[first]
	if !maybeNotice {
		// no notice prefix: skip the regular expressions below
	} else if m := noticeLead.FindStringIndex(rawTitle); m != nil && m[1] < len(rawTitle) {
		// "Erratum: <title>" is compared by its subject; its kind keeps it
		// apart. A citation of the corrected article cut off by the title
		// length limit is not part of the subject.
		rawTitle = cutOpenParen(rawTitle[m[1]:])
	}
	p.translated = isTranslatedTitle(rawTitle)
	var rare rareKeys
	rare.erratumAt = erratumLocations(rawTitle)
	clean := cleanTitle(rawTitle)
	folded := fold(clean)
	nTokens := 0
	if folded != "" {
		// One pass over the folded title: the compact title (letters and
		// digits only), a hash per word, and the count of words.
		compact := make([]byte, 0, len(folded))
		h := make([]uint32, 0, strings.Count(folded, " ")+1)
		start := 0
		for i := 0; i <= len(folded); i++ {
			if i == len(folded) || folded[i] == ' ' {
				h = append(h, uint32(hashString(folded[start:i])))
				start = i + 1
				continue
			}
			compact = append(compact, folded[i])
		}
		nTokens = len(h)
		p.lang, p.contrast = titleSignals(h)
		// An English title of an article in another language (Embase and
		// Scopus give the article's language): another database may
		// render it in other words.
		p.foreignArticle = !p.translated && p.lang != langOther && foreignLanguage(r.Language)
		p.title = unsafe.String(unsafe.SliceData(compact), len(compact))
		p.bigrams = bigramSet(p.title)
		slices.Sort(h)
		p.tokHash = slices.Compact(h)
		p.numbers = titleNumbers(folded, p.title)
	}
	p.generic = p.title != "" && (genericTitles[p.title] || nTokens <= 2 || len(p.title) < 16)
	p.brief = p.title != "" && nTokens <= 6

	p.authors, p.authorParts = parseAuthors(r.Authors)
	if len(p.authors) == 0 && len(r.AuthorsNormalised) > 0 {
		p.authors, p.authorParts = parseAuthors(r.AuthorsNormalised)
	}
	if r.Year != nil && *r.Year > 0 {
		p.year, p.hasYear = *r.Year, true
	}
	for _, d := range r.DOIs {
		if n := normaliseDOI(d); n != "" {
			p.dois = append(p.dois, n)
		}
	}
	if n := normaliseDOI(r.DOI); n != "" && !slices.Contains(p.dois, n) {
		p.dois = append([]string{n}, p.dois...)
	}
	slices.Sort(p.dois)
	p.dois = slices.Compact(p.dois)
	p.pmid = digitsOnly(r.PMID)
	p.volume = volumeKey(r.Volume)
	p.issue = volumeKey(r.Issue)
	switch {
	case isPageCount(r.Pages):
		// "215 p": a thesis's or book's length, not where it is printed.
	case r.PageStart != "" && strings.ContainsAny(r.PageStart, "0123456789"):
		p.page, p.pageEnd = pageKey(r.PageStart), pageKey(r.PageEnd)
	default:
		p.page, p.pageEnd = pageRange(r.Pages)
	}
	if p.page == "" && r.ArticleNumber != "" {
		p.page = pageKey(r.ArticleNumber)
	}
	p.volGarbled = p.volume != "" && volumeGarbled(r.Volume, r.Issue)
	p.issuePlain = biblio.IsDigits(strings.TrimSpace(r.Issue))
	journal := r.Journal
	if journal == "" {
		journal = r.JournalAbbrev
	}
	p.journal = journalTokens(journal)
	rare.venueAcr = venueAcronymOf(journal)
	if r.Format == "bibtex" {
		rare.bibKey = r.SourceKey
	}
	for _, s := range r.ISSN {
		if n := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "-", "")); len(n) == 8 {
			p.issn = append(p.issn, n)
		}
	}
	p.doiBits, p.issnBits = keyBits(p.dois), keyBits(p.issn)
	p.kind = kindOf(r, kindTitle, maybeNotice, p.journal, p.dois)
	if p.kind == kindCochrane {
		// The review number identifies the review across its versions;
		// it is not a page.
		if rare.cd = cochraneNumber(p.page, p.dois); rare.cd != "" && strings.HasPrefix(p.page, "cd") {
			p.page, p.pageEnd = "", ""
		}
	}
	p.confPaper, p.entryConf = conferenceSignals(r, p.kind)
	p.typed = letterOrArticle(r, p.kind)
	p.abstractLike = p.kind == kindAbstract || p.confPaper || inSupplement(r.Volume, r.Issue, p.page) || meetingVenue(p.journal) || sessionNumber(r.Pages)
	if rare != (rareKeys{}) {
		p.rare = &rare
	}
	_ = mergePreprints
	return p
}

// bigramSet is the set of s's byte pairs, hashed into 128 bits.
func bigramSet(s string) (set [2]uint64) {
	for k := 0; k+1 < len(s); k++ {
		h := (uint32(s[k])*0x9e3779b1 ^ uint32(s[k+1])*0x85ebca6b) >> 25 // 0..127
		set[h>>6] |= 1 << (h & 63)
	}
	return set
}

// isRomanNumeral: a numeral a title's part or phase is written with.
func isRomanNumeral(t string) bool {
	switch t {
	case "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii":
		return true
	}
	return false
}

// titleNumbers lists the digit runs of the compact title ("CO 2" and "CO2",
// "10 000" and "10000" agree) and the roman numerals among its words.
func titleNumbers(folded, compact string) string {
	var nums []string
	for i := 0; i < len(compact); {
		if compact[i] < '0' || compact[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(compact) && compact[j] >= '0' && compact[j] <= '9' {
			j++
		}
		nums = append(nums, compact[i:j])
		i = j
	}
	for start := 0; start < len(folded); {
		end := strings.IndexByte(folded[start:], ' ')
		if end < 0 {
			end = len(folded)
		} else {
			end += start
		}
		if t := folded[start:end]; len(t) >= 2 && len(t) <= 4 && isRomanNumeral(t) {
			nums = append(nums, t)
		}
		start = end + 1
	}
	if nums == nil {
		return ""
	}
	return strings.Join(nums, " ")
}

// kindOf tells articles from preprints, conference abstracts, notices
// (errata, retractions, comments and replies) and Cochrane reviews, from the
// export's type fields, the journal, the DOI prefix and the title's opening words.
func kindOf(r *tables.Record, title string, maybeNotice bool, journal []string, dois []string) reportKind {
	pubTypes := ""
	if len(r.PublicationType) > 0 {
		pubTypes = strings.ToLower(strings.Join(r.PublicationType, "|"))
	}
	if noticeCitation(title) != nil {
		return kindErratum
	}
	if endsWithReplyWord(title) && hasReplyWord(title) && replySuffix.MatchString(strings.ToLower(title)) {
		return kindComment
	}
	var m []string
	if maybeNotice {
		m = noticePrefix.FindStringSubmatch(strings.ToLower(title))
	}
	if m != nil || strings.Contains(pubTypes, "erratum") || strings.Contains(pubTypes, "retraction of publication") {
		switch {
		case strings.Contains(pubTypes, "retraction of publication"), m != nil && (strings.Contains(m[1], "retraction") || strings.HasPrefix(m[1], "withdrawn") || strings.HasPrefix(m[1], "expression")):
			return kindRetraction
		case strings.Contains(pubTypes, "erratum"), m != nil && (strings.HasPrefix(m[1], "errat") || strings.Contains(m[1], "correct") || strings.HasPrefix(m[1], "corrig")):
			return kindErratum
		default:
			return kindComment
		}
	}
	if strings.Contains(pubTypes, "comment") {
		// MEDLINE's "Comment", CINAHL's "Commentary": it comments on
		// another article, often under that article's title.
		return kindComment
	}
	j := strings.Join(journal, " ")
	for _, d := range dois {
		if hasPreprintPrefix(d) && preprintDOI.MatchString(d) {
			return kindPreprint
		}
	}
	for _, w := range []string{"medrxiv", "biorxiv", "arxiv", "research square", "ssrn", "preprints", "psyarxiv", "socarxiv", "osf preprints", "authorea"} {
		if strings.Contains(j, w) {
			return kindPreprint
		}
	}
	if strings.Contains(pubTypes, "preprint") {
		return kindPreprint
	}
	if strings.Contains(j, "cochrane database") {
		return kindCochrane
	}
	typ := strings.ToLower(strings.TrimSpace(r.Type))
	switch typ {
	case "abst", "conf", "cpaper", "inproceedings", "conference", "conference abstract", "meeting abstract":
		return kindAbstract
	}
	if strings.Contains(pubTypes, "conference abstract") || strings.Contains(pubTypes, "meeting abstract") || strings.Contains(pubTypes, "congress") {
		return kindAbstract
	}
	for _, t := range r.PublicationType {
		if strings.EqualFold(strings.TrimSpace(t), "abstract") { // CINAHL
			return kindAbstract
		}
	}
	return kindArticle
}

const (
	typedNone byte = iota
	typedLetter
	typedArticle
)

// letterOrArticle: whether the database typed an article-kind record a
// Letter (Embase, MEDLINE, Scopus and Web of Science all have the type) or
// another kind of item. A letter and an article under one title by one
// author are often two items (a reply printed under the article's title),
// so the pair needs more than the title, authors and volume to merge.
func letterOrArticle(r *tables.Record, kind reportKind) byte {
	if kind != kindArticle || len(r.PublicationType) == 0 {
		return typedNone
	}
	for _, t := range r.PublicationType {
		if strings.Contains(strings.ToLower(t), "letter") {
			return typedLetter
		}
	}
	return typedArticle
}

// conferenceSignals: confPaper when a database typed the record
// "Conference Paper" or "Proceedings Paper" (Scopus, Web of Science), which
// it does for conference abstracts in journal supplements too; entryConf
// when the record is a conference abstract only by its entry type
// (@inproceedings, TY CONF) with no abstract publication type.
func conferenceSignals(r *tables.Record, kind reportKind) (confPaper, entryConf bool) {
	for _, t := range r.PublicationType {
		l := strings.ToLower(t)
		if strings.Contains(l, "conference paper") || strings.Contains(l, "proceedings paper") {
			confPaper = true
		}
	}
	if kind == kindAbstract {
		switch strings.ToLower(strings.TrimSpace(r.Type)) {
		case "inproceedings", "conference", "conf", "cpaper":
			entryConf = true
			for _, t := range r.PublicationType {
				l := strings.ToLower(t)
				if strings.Contains(l, "abstract") || strings.Contains(l, "congress") {
					entryConf = false
				}
			}
		}
	}
	return confPaper, entryConf
}

// noticeStarters are the first words a notice's title can start with; only
// titles starting with one go through the notice regular expressions.
var noticeStarters = map[string]bool{
	"erratum": true, "errata": true, "corrigendum": true, "correction": true, "author": true, "authors": true,
	"author's": true, "authors'": true, "publisher": true, "publisher's": true, "notice": true, "retraction": true,
	"withdrawn": true, "expression": true, "comment": true, "comments": true, "re": true, "reply": true,
	"in": true, "response": true, "letter": true,
}

// firstWord is the title's first word, lower-cased, without a leading
// bracket or trailing punctuation.
func firstWord(t string) string {
	t = strings.TrimLeft(t, " [(\t")
	end := 0
	for end < len(t) && t[end] != ' ' && t[end] != ':' && t[end] != '-' && t[end] != '.' && t[end] != ',' {
		end++
	}
	return strings.ToLower(t[:end])
}

// endsWithReplyWord: the title, lower-cased, ends with "reply" or
// "response" and maybe a full stop and spaces, as replySuffix requires:
// a test of a few bytes before the regular expression.
func endsWithReplyWord(t string) bool {
	t = strings.TrimRight(t, " \t\n\r\f\v")
	t = strings.TrimSuffix(t, ".")
	tail := func(w string) bool {
		return len(t) >= len(w) && strings.EqualFold(t[len(t)-len(w):], w)
	}
	return tail("reply") || tail("response")
}

// hasPreprintPrefix: d starts with one of preprintDOI's registrant
// prefixes, which the expression then checks in full.
func hasPreprintPrefix(d string) bool {
	for _, p := range []string{"10.1101/", "10.21203/rs.", "10.2139/ssrn", "10.48550/arxiv", "10.20944/preprints", "10.31219/osf.io",
		"10.31234/osf.io", "10.31235/osf.io", "10.22541/au.", "10.1002/essoar"} {
		if strings.HasPrefix(d, p) {
			return true
		}
	}
	return false
}

func hasReplyWord(t string) bool {
	return strings.Contains(t, "eply") || strings.Contains(t, "esponse") || strings.Contains(t, "EPLY") || strings.Contains(t, "ESPONSE")
}

// foreignLanguage: the export names the article's language, and it is not
// English ("Italian", "ita"; not "English", "eng", "en", nor a list holding
// English, nor "Undetermined").
func foreignLanguage(language string) bool {
	l := strings.ToLower(strings.TrimSpace(language))
	switch l {
	case "", "en", "und", "undetermined", "unknown", "mul", "multiple languages", "zxx":
		return false
	}
	return !strings.Contains(l, "eng")
}
