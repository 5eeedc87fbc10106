package synthgen

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// How each database of the hard profile writes a report: MEDLINE as
// PubMed's .nbib, Embase as Ovid RIS (T1, Y1, JF/JO, M3 Conference
// Abstract, supplement volumes garbled now and then), Scopus RIS (T2/J2,
// M3 Conference Paper, no record key), CINAHL and PsycINFO as EBSCO RIS
// (JO/JF, Y1 with slashes, DOI in L3, "[ABSTRACT FROM AUTHOR]"), Web of
// Science RIS (upper-case sources, tags glued onto the line before, as
// its exports do) and Google Scholar BibTeX (@inproceedings/@article twins).

type dbSpec struct {
	name, stem, ext, format string
	crlf, bom               bool
	// p is the chance that the database indexes a report of each kind.
	p     map[string]float64
	write func(o *hardOutput, d *dbOut, r *hardReport, tags *[]string) string
}

var hardDatabases = []*dbSpec{
	{name: "MEDLINE", stem: "medline", ext: ".nbib", format: "medline", write: writeMedline,
		p: map[string]float64{"article": .42, "conference-abstract": .01, "erratum": .5, "comment": .5, "reply": .5,
			"cochrane-review": .9, "column": .35, "editorial": .4, "translated": .6}},
	{name: "Embase", stem: "embase", ext: ".ris", format: "ris", crlf: true, write: writeEmbase,
		p: map[string]float64{"article": .38, "conference-abstract": .75, "erratum": .4, "comment": .4, "reply": .4,
			"cochrane-review": .55, "preprint": .4, "column": .3, "editorial": .35, "translated": .6}},
	{name: "Scopus", stem: "scopus", ext: ".ris", format: "ris", write: writeScopus,
		p: map[string]float64{"article": .27, "conference-abstract": .30, "conference-paper": .55, "erratum": .35,
			"comment": .3, "reply": .3, "cochrane-review": .35, "preprint": .15, "column": .3, "editorial": .35, "translated": .5}},
	{name: "CINAHL", stem: "cinahl", ext: ".ris", format: "ris", crlf: true, write: writeCINAHL,
		p: map[string]float64{"article": .08, "conference-abstract": .02, "erratum": .05, "comment": .08, "reply": .08,
			"cochrane-review": .45, "column": .4, "editorial": .15, "nursing": .35}},
	{name: "PsycINFO", stem: "psycinfo", ext: ".ris", format: "ris", crlf: true, write: writePsycINFO,
		p: map[string]float64{"article": .05, "conference-abstract": .02, "cochrane-review": .08, "psychology": .4}},
	{name: "WebOfScience", stem: "wos", ext: ".ris", format: "ris", bom: true, write: writeWoS,
		p: map[string]float64{"article": .14, "conference-abstract": .12, "conference-paper": .35, "erratum": .15,
			"comment": .2, "reply": .2, "cochrane-review": .1, "column": .15, "editorial": .2}},
	{name: "GoogleScholar", stem: "scholar", ext: ".bib", format: "bibtex", write: writeBibTeX,
		p: map[string]float64{"article": .015, "conference-paper": .5, "preprint": .5}},
}

// hardOutput routes records to each database's current file, rotating
// files every FileRecords records, and writes their truth.
type hardOutput struct {
	g           *hardGen
	open        FileOpener
	truth       *TruthWriter
	dbs         []*dbOut
	fileRecords int
	records     int
	files       []ExportFile
}

type dbOut struct {
	spec   *dbSpec
	number int // current file number, from 1
	name   string
	w      *lineCounter
	closer io.Closer
	n      int // records in the current file
	// again are records to write once more in the next file: searches
	// exported in overlapping parts repeat a few records.
	again []*hardReport
	keys  map[string]bool // BibTeX keys used in the current file
	file  int             // index of the current file in hardOutput.files
}

func newHardOutput(open FileOpener, truth *TruthWriter, fileRecords int) *hardOutput {
	o := &hardOutput{open: open, truth: truth, fileRecords: fileRecords}
	for _, s := range hardDatabases {
		o.dbs = append(o.dbs, &dbOut{spec: s})
	}
	return o
}

// chanceFor is the chance that database s indexes report r.
func (s *dbSpec) chanceFor(r *hardReport) float64 {
	p := s.p[r.kind]
	if r.lang >= 0 {
		p = max(p, s.p["translated"])
	}
	if r.journal != nil && r.journal.cinahl {
		p = max(p, s.p["nursing"])
	}
	if r.journal != nil && r.journal.psyc {
		p = max(p, s.p["psychology"])
	}
	return p
}

// emit writes r in each database that indexes it (at least one).
func (o *hardOutput) emit(g *hardGen, r *hardReport) error {
	var chosen []*dbOut
	best, bestP := o.dbs[0], -1.0
	for _, d := range o.dbs {
		p := d.spec.chanceFor(r)
		if p > bestP {
			best, bestP = d, p
		}
		if g.rng.Float64() < p {
			chosen = append(chosen, d)
		}
	}
	if len(chosen) == 0 {
		chosen = []*dbOut{best}
	}
	for _, d := range chosen {
		if err := o.write(g, d, r, nil); err != nil {
			return err
		}
		if d.spec.format != "bibtex" && g.rng.Float64() < 0.005 {
			d.again = append(d.again, r)
		}
		// Google Scholar lists some papers twice, as @inproceedings and
		// @article, the second key with an "a".
		if d.spec.format == "bibtex" && g.rng.Float64() < 0.2 {
			if err := o.write(g, d, r, []string{"bibtex-twin"}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (o *hardOutput) write(g *hardGen, d *dbOut, r *hardReport, tags []string) error {
	if d.w == nil || d.n >= o.fileRecords {
		if err := o.nextFile(g, d); err != nil {
			return err
		}
	}
	line := d.w.lines + 1
	tags = append(tags, r.tags...)
	key := d.spec.write(o, d, r, &tags)
	o.records++
	d.n++
	o.files[d.file].Records++
	o.truth.Write(&TruthRow{File: d.name, Line: line, Database: d.spec.name, Key: key,
		Report: reportID(r.id), Study: studyID(r.study), Kind: r.kind, Relation: r.relation,
		RelatedTo: relatedID(r.relatedTo), Groups: r.groups, Tags: tags})
	return nil
}

func reportID(id int) string { return fmt.Sprintf("R%07d", id) }
func studyID(id int) string  { return fmt.Sprintf("S%07d", id) }
func relatedID(id int) string {
	if id < 0 {
		return ""
	}
	return reportID(id)
}

func (o *hardOutput) nextFile(g *hardGen, d *dbOut) error {
	if err := o.closeFile(d); err != nil {
		return err
	}
	d.number++
	d.name = fmt.Sprintf("%s-%02d%s", d.spec.stem, d.number, d.spec.ext)
	w, err := o.open(d.name)
	if err != nil {
		return fmt.Errorf("synthgen: open %s: %w", d.name, err)
	}
	d.closer, _ = w.(io.Closer)
	d.w = &lineCounter{Writer: bufio.NewWriterSize(w, 1<<16)}
	d.n = 0
	d.keys = map[string]bool{}
	o.files = append(o.files, ExportFile{Name: d.name, Database: d.spec.name, Format: d.spec.format})
	d.file = len(o.files) - 1
	if d.spec.bom {
		d.w.WriteString("\ufeff")
	}
	again := d.again
	d.again = nil
	for _, r := range again {
		if err := o.write(g, d, r, []string{"repeated-in-next-file"}); err != nil {
			return err
		}
	}
	return nil
}

func (o *hardOutput) closeFile(d *dbOut) error {
	if d.w == nil {
		return nil
	}
	err := d.w.Flush()
	if d.closer != nil {
		if cerr := d.closer.Close(); err == nil {
			err = cerr
		}
	}
	d.w, d.closer = nil, nil
	if err != nil {
		return fmt.Errorf("synthgen: write %s: %w", d.name, err)
	}
	return nil
}

func (o *hardOutput) close() error {
	for _, d := range o.dbs {
		if err := o.closeFile(d); err != nil {
			return err
		}
	}
	return nil
}

func (o *hardOutput) gen() *hardGen { return o.g }

// tagWriter writes "TAG  - value" lines in a dialect.
type tagWriter struct {
	w    *lineCounter
	eol  string
	nbib bool
}

func (t tagWriter) line(tag, value string) {
	if value == "" {
		return
	}
	if t.nbib {
		t.nbibLine(tag, value)
		return
	}
	t.w.WriteString(tag)
	t.w.WriteString("  - ")
	t.w.WriteString(value)
	t.w.WriteString(t.eol)
}

// nbibLine writes a MEDLINE tag ("PMID- ", "TI  - ") and wraps the value
// at about 88 columns with six-space continuation lines, as PubMed does.
func (t tagWriter) nbibLine(tag, value string) {
	t.w.WriteString(tag)
	for i := len(tag); i < 4; i++ {
		t.w.WriteByte(' ')
	}
	t.w.WriteString("- ")
	col := 6
	for i, word := range strings.Split(value, " ") {
		if i > 0 {
			if col+1+len(word) > 88 {
				t.w.WriteString("\n      ")
				col = 6
			} else {
				t.w.WriteByte(' ')
				col++
			}
		}
		t.w.WriteString(word)
		col += len(word)
	}
	t.w.WriteString("\n")
}

func (d *dbOut) tags() tagWriter {
	if d.spec.format == "medline" {
		return tagWriter{w: d.w, nbib: true}
	}
	eol := "\n"
	if d.spec.crlf {
		eol = "\r\n"
	}
	return tagWriter{w: d.w, eol: eol}
}

// ---- shared renderings ----

// titleIn is the title database db prints for r, and the variation tags it
// shows.
func titleIn(g *hardGen, db string, r *hardReport, tags *[]string) string {
	t := r.title
	if r.noticePrefix != "" && g.chance(0.75) {
		t = r.noticePrefix + t
		if strings.HasSuffix(r.noticePrefix, "\"") {
			t += "\""
		}
	} else if r.kind == "erratum" || r.kind == "comment" || r.kind == "reply" {
		if t == r.title {
			*tags = append(*tags, "notice-under-article-title")
		}
	}
	if r.lang >= 0 {
		switch db {
		case "MEDLINE":
			*tags = append(*tags, "bracketed-translation")
			return "[" + t + "]"
		case "Embase":
			if g.chance(0.6) {
				*tags = append(*tags, "translated-title-variant")
				return r.altTitle
			}
		case "Scopus":
			if r.twoLang {
				*tags = append(*tags, "title-other-language")
				return r.foreign
			}
			if g.chance(0.5) {
				*tags = append(*tags, "translated-title-variant")
				return r.altTitle
			}
		}
	}
	if r.kind == "conference-paper" && strings.Contains(t, ": ") && g.chance(0.4) {
		*tags = append(*tags, "title-punctuation")
		t = strings.Replace(t, ": ", " - ", 1)
	}
	if g.chance(0.004) && len(t) > 20 {
		*tags = append(*tags, "title-typo")
		b := []byte(t)
		k := 5 + g.rng.IntN(len(b)-6)
		if b[k] >= 'a' && b[k] <= 'z' && b[k+1] >= 'a' && b[k+1] <= 'z' {
			b[k], b[k+1] = b[k+1], b[k]
		}
		t = string(b)
	}
	return t
}

// authorsIn formats r's authors the way a database does.
type authorStyle int

const (
	styleMedline     authorStyle = iota // FAU "Family, Given M"
	styleInitialsDot                    // "Family, G.M."
	styleFull                           // "Family, Given M."
	styleWoS                            // "Family, GM"
	styleBibTeX                         // "Family, Given"
)

func formatAuthor(p hardPerson, style authorStyle, strip bool) string {
	fam := p.family
	given := strings.Join(p.given, " ")
	if strip {
		fam, given = stripMarks(fam), stripMarks(given)
	}
	switch style {
	case styleInitialsDot:
		in := p.initials(true)
		if strip {
			in = stripMarks(in)
		}
		return fam + ", " + in
	case styleWoS:
		in := p.initials(false)
		if strip {
			in = stripMarks(in)
		}
		return fam + ", " + in
	case styleFull:
		if len(p.given) > 1 {
			first := p.given[0]
			if strip {
				first = stripMarks(first)
			}
			second := []rune(p.given[1])
			return fam + ", " + first + " " + stripMarks(string(second[0])) + "."
		}
		return fam + ", " + given
	default:
		return fam + ", " + given
	}
}

// pageRange is "221-228"; abbreviated (MEDLINE) "221-8"; prefixed pages
// keep their prefix: "S52-S53" or "S52-3".
func pageRange(start, end string, abbreviated bool) string {
	if end == "" || end == start {
		return start
	}
	if !abbreviated {
		return start + "-" + end
	}
	p := strings.TrimRight(start, "0123456789")
	s, err1 := strconv.Atoi(start[len(p):])
	e, err2 := strconv.Atoi(strings.TrimPrefix(end, p))
	if err1 != nil || err2 != nil {
		return start + "-" + end
	}
	return p + abbreviatedRange(s, e)
}

// dateParts are the year a database gives (an epub year now and then).
func yearIn(g *hardGen, r *hardReport, tags *[]string, p float64) int {
	if r.kind == "article" && g.chance(p) {
		*tags = append(*tags, "epub-year")
		return r.year - 1
	}
	return r.year
}

func doiIn(g *hardGen, r *hardReport, p float64) string {
	if r.doi == "" || !g.chance(p) {
		return ""
	}
	if g.chance(0.05) {
		return strings.ToUpper(r.doi)
	}
	return r.doi
}

// supplementIssue renders a supplement issue: "5 Suppl 1", "5 SUPPL. 1".
func supplementIssue(r *hardReport, form string) string {
	if r.suppl == nil {
		return strconv.Itoa(r.issue)
	}
	n := strconv.Itoa(r.suppl.number)
	switch form {
	case "medline":
		return strconv.Itoa(r.issue) + " Suppl " + n
	case "embase":
		return strconv.Itoa(r.issue) + " SUPPL. " + n
	default:
		return strconv.Itoa(r.issue) + " Supplement " + n
	}
}

func abstractWithLabelsInCase(a string) string {
	for _, l := range []string{"BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS", "OBJECTIVE", "INTRODUCTION", "CONCLUSION"} {
		a = strings.ReplaceAll(a, l+": ", capitalise(strings.ToLower(l))+": ")
	}
	return a
}

func unlabelled(a string) string {
	for _, l := range []string{"BACKGROUND: ", "METHODS: ", "RESULTS: ", "CONCLUSIONS: ", "OBJECTIVE: ", "INTRODUCTION: ",
		"CONCLUSION: ", "DESIGN, SETTING, AND PARTICIPANTS: ", "MAIN OUTCOMES AND MEASURES: ", "CONCLUSIONS AND RELEVANCE: "} {
		a = strings.ReplaceAll(a, l, "")
	}
	return a
}

// ---- MEDLINE (.nbib) ----

func writeMedline(o *hardOutput, d *dbOut, r *hardReport, tags *[]string) string {
	g := o.gen()
	t := d.tags()
	j := r.journal
	key := strconv.Itoa(r.pmid)
	t.line("PMID", key)
	t.line("OWN", "NLM")
	t.line("STAT", g.txt.pick([]string{"MEDLINE", "MEDLINE", "PubMed-not-MEDLINE", "Publisher"}))
	t.line("DCOM", fmt.Sprintf("%d%02d%02d", min(2025, r.year+1), 1+g.rng.IntN(12), 1+g.rng.IntN(28)))
	if j.issn != "" {
		t.line("IS", j.eissn+" (Electronic)")
		t.line("IS", j.issn+" (Linking)")
	}
	if r.volume > 0 && g.chance(0.98) {
		t.line("VI", strconv.Itoa(r.volume))
	}
	if r.issue > 0 && g.chance(0.9) {
		t.line("IP", supplementIssue(r, "medline"))
	}
	t.line("DP", fmt.Sprintf("%d %s", r.year, monthAbbrev[max(1, r.month)-1]))
	title := titleIn(g, "MEDLINE", r, tags)
	if !strings.HasSuffix(title, "?") && !strings.HasSuffix(title, ".") {
		title += "."
	}
	t.line("TI", title)
	switch {
	case r.cd != "" && g.chance(0.25):
		*tags = append(*tags, "cochrane-no-cd")
	case r.page != "":
		t.line("PG", pageRange(r.page, r.endPage, true))
	}
	if r.cd != "" {
		t.line("LID", r.cd+" [pii]")
	} else if r.artNo {
		t.line("LID", r.page+" [pii]")
	}
	doi := doiIn(g, r, 0.92)
	if doi != "" {
		t.line("LID", doi+" [doi]")
	}
	if r.abstract != "" && g.chance(0.95) {
		t.line("AB", r.abstract)
		t.line("CI", fmt.Sprintf("(c) %d The Authors.", r.year))
	}
	for _, a := range r.authors {
		t.line("FAU", formatAuthor(a, styleMedline, false))
		t.line("AU", a.family+" "+a.initials(false))
		if g.chance(0.3) {
			t.line("AD", "Department of "+capitalise(g.field())+", University of "+capitalise(g.txt.topicWord())+".")
		}
	}
	if r.groupAuthor != "" {
		t.line("CN", r.groupAuthor)
	}
	if r.lang >= 0 {
		t.line("LA", wLanguages[r.lang].code)
		t.line("TT", r.foreign+".")
	} else {
		t.line("LA", "eng")
	}
	for _, pt := range medlineTypes(r) {
		t.line("PT", pt)
	}
	t.line("PL", g.txt.pick([]string{"England", "United States", "Netherlands", "Germany", "Switzerland"}))
	t.line("TA", j.abbrev)
	t.line("JT", j.medline)
	t.line("JID", strconv.Itoa(100000000+int(hashString(j.full)%800000000)))
	t.line("SB", "IM")
	if r.erratumIn != "" {
		t.line("EIN", "Erratum in: "+r.erratumIn)
	}
	if r.commentOn != "" {
		t.line("CON", "Comment on: "+r.commentOn)
	}
	for _, k := range r.keywords {
		t.line("OT", k)
	}
	t.line("EDAT", fmt.Sprintf("%d/%02d/%02d 06:00", r.year, max(1, r.month), 1+g.rng.IntN(28)))
	if doi != "" {
		t.line("AID", doi+" [doi]")
	}
	t.line("PST", "ppublish")
	t.line("SO", fmt.Sprintf("%s. %d %s;%d(%d):%s.", j.abbrev, r.year, monthAbbrev[max(1, r.month)-1], r.volume, r.issue, pageRange(r.page, r.endPage, false)))
	d.w.WriteString("\n")
	return key
}

func medlineTypes(r *hardReport) []string {
	switch r.kind {
	case "erratum":
		return []string{"Published Erratum"}
	case "comment":
		return []string{"Letter", "Comment"}
	case "reply":
		return []string{"Letter", "Comment"}
	case "cochrane-review":
		return []string{"Journal Article", "Review", "Systematic Review"}
	case "column", "editorial":
		return []string{"Editorial"}
	case "conference-abstract":
		return []string{"Congress"}
	}
	return []string{"Journal Article"}
}

// publicationTypes are the document types (RIS M3) databases give each
// kind of report; a kind not listed is the database's "article".
var publicationTypes = map[string]map[string]string{
	"Embase": {"": "Article", "conference-abstract": "Conference Abstract", "erratum": "Erratum", "comment": "Letter",
		"reply": "Letter", "cochrane-review": "Review", "preprint": "Preprint", "column": "Note", "editorial": "Editorial"},
	"Scopus": {"": "Article", "conference-abstract": "Conference Paper", "conference-paper": "Conference Paper",
		"erratum": "Erratum", "comment": "Letter", "reply": "Letter", "cochrane-review": "Review", "column": "Note", "editorial": "Editorial"},
	"CINAHL": {"": "Journal Article", "conference-abstract": "Abstract", "erratum": "Erratum/Correction", "comment": "Commentary",
		"reply": "Commentary", "cochrane-review": "Systematic Review", "column": "Editorial", "editorial": "Editorial"},
}

func publicationType(db string, r *hardReport) string {
	if t, ok := publicationTypes[db][r.kind]; ok {
		return t
	}
	return publicationTypes[db][""]
}

// ---- Embase (Ovid RIS) ----

func writeEmbase(o *hardOutput, d *dbOut, r *hardReport, tags *[]string) string {
	g := o.gen()
	t := d.tags()
	j := r.journal
	ty := "JOUR"
	if r.kind == "conference-abstract" && g.chance(0.3) {
		ty = "CONF"
	}
	t.line("TY", ty)
	t.line("T1", titleIn(g, "Embase", r, tags))
	for _, a := range r.authors {
		style := styleInitialsDot
		if r.year >= 2016 && g.chance(0.5) {
			style = styleFull
		}
		t.line("A1", formatAuthor(a, style, false))
	}
	if r.groupAuthor != "" {
		t.line("A1", r.groupAuthor)
	}
	t.line("Y1", fmt.Sprintf("%d//", yearIn(g, r, tags, 0.04)))
	t.line("JF", j.full)
	t.line("JO", j.abbrev)
	switch {
	case r.suppl != nil:
		x := g.rng.Float64()
		switch {
		case x < 0.25:
			// "138 (5 SUPPL. 1)" split at the wrong parenthesis.
			*tags = append(*tags, "garbled-supplement-volume")
			t.line("VL", strconv.Itoa(r.suppl.number)+")")
		case x < 0.4:
			*tags = append(*tags, "supplement-number-as-volume")
			t.line("VL", strconv.Itoa(r.suppl.number))
		default:
			t.line("VL", strconv.Itoa(r.volume))
		}
		t.line("IS", supplementIssue(r, "embase"))
	case r.journal.cochrane:
		if r.volume > 0 {
			t.line("VL", strconv.Itoa(r.year))
		}
		t.line("IS", strconv.Itoa(r.issue))
	default:
		if g.chance(0.97) {
			t.line("VL", strconv.Itoa(r.volume))
		}
		if r.issue > 0 && g.chance(0.85) {
			t.line("IS", strconv.Itoa(r.issue))
		}
	}
	switch {
	case r.cd != "" && g.chance(0.5):
		*tags = append(*tags, "cochrane-no-cd")
	case r.page != "" && g.chance(0.96):
		t.line("SP", r.page)
		t.line("EP", r.endPage)
	}
	t.line("M3", publicationType("Embase", r))
	if r.suppl != nil {
		t.line("N1", fmt.Sprintf("Conference: %d Annual Meeting of the %s Society. %s. (%d)", r.year-1980, capitalise(g.field()), g.txt.pick(wSettings), r.year))
	}
	if r.abstract != "" && g.chance(0.93) {
		a := r.abstract
		if g.chance(0.5) {
			a = abstractWithLabelsInCase(a)
		}
		t.line("AB", a)
	}
	if doi := doiIn(g, r, 0.85); doi != "" {
		if g.chance(0.3) {
			t.line("DO", "http://dx.doi.org/"+doi)
		} else {
			t.line("DO", doi)
		}
	}
	t.line("SN", j.issn)
	for _, k := range r.keywords {
		t.line("KW", k)
	}
	if r.lang >= 0 {
		t.line("LA", wLanguages[r.lang].name)
	} else {
		t.line("LA", "English")
	}
	key := strconv.Itoa(600000000 + int((uint64(r.id)*104729)%399999989))
	t.line("AN", key)
	t.line("U2", "L"+key)
	t.line("L2", "http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=emexb&NEWS=N&AN="+key)
	t.w.WriteString("ER  - " + t.eol + t.eol)
	return key
}

// ---- Scopus RIS ----

func writeScopus(o *hardOutput, d *dbOut, r *hardReport, tags *[]string) string {
	g := o.gen()
	t := d.tags()
	ty := "JOUR"
	if r.kind == "conference-paper" || (r.kind == "conference-abstract" && g.chance(0.5)) {
		ty = "CONF"
	}
	t.line("TY", ty)
	t.line("TI", titleIn(g, "Scopus", r, tags))
	if r.journal != nil {
		j := r.journal
		t.line("T2", j.full)
		if g.chance(0.6) {
			t.line("J2", j.abbrev)
		}
		if r.journal.cochrane {
			t.line("VL", strconv.Itoa(r.year))
			t.line("IS", strconv.Itoa(r.issue))
		} else {
			if r.volume > 0 && g.chance(0.97) {
				t.line("VL", strconv.Itoa(r.volume))
			}
			if r.suppl != nil {
				t.line("IS", g.txt.pick([]string{supplementIssue(r, "embase"), "SUPPL. " + strconv.Itoa(r.suppl.number), strconv.Itoa(r.issue)}))
			} else if r.issue > 0 && g.chance(0.85) {
				t.line("IS", strconv.Itoa(r.issue))
			}
		}
		if !r.artNo && r.page != "" && g.chance(0.95) {
			t.line("SP", r.page)
			t.line("EP", r.endPage)
		}
	} else {
		c := wConferences[r.conf]
		t.line("T2", g.txt.pick([]string{
			fmt.Sprintf("%s %s, %s %d", ordinal(r.edition), c.full, c.acronym, r.year),
			fmt.Sprintf("%s %d - %s", c.acronym, r.year, c.full),
			c.full,
		}))
		*tags = append(*tags, "venue-variant")
	}
	t.line("PY", strconv.Itoa(yearIn(g, r, tags, 0.05)))
	if doi := doiIn(g, r, 0.85); doi != "" {
		t.line("DO", doi)
	}
	for _, a := range r.authors {
		t.line("AU", formatAuthor(a, styleInitialsDot, false))
	}
	if r.kind == "conference-paper" {
		*tags = append(*tags, "author-initials")
	}
	if g.chance(0.5) {
		t.line("AD", "Department of "+capitalise(g.field())+", University of "+capitalise(g.txt.topicWord())+", "+g.txt.pick(wSettings))
	}
	if r.abstract != "" && g.chance(0.9) {
		t.line("AB", unlabelledMaybe(g, r.abstract)+fmt.Sprintf(" © %d Elsevier Ltd. All rights reserved.", r.year))
	}
	for _, k := range r.keywords {
		t.line("KW", k)
	}
	t.line("N1", "Export Date: 7 December 2025")
	t.line("M3", publicationType("Scopus", r))
	t.line("DB", "Scopus")
	if r.artNo {
		switch {
		case r.cd != "" && g.chance(0.3):
			*tags = append(*tags, "cochrane-no-cd")
		default:
			t.line("C7", r.page)
		}
	}
	if r.lang >= 0 {
		t.line("LA", wLanguages[r.lang].name)
	}
	t.line("UR", fmt.Sprintf("https://www.scopus.com/inward/record.uri?eid=2-s2.0-%d&partnerID=40", 84000000000+r.id))
	t.w.WriteString("ER  - " + t.eol + t.eol)
	return ""
}

func unlabelledMaybe(g *hardGen, a string) string {
	if g.chance(0.5) {
		return abstractWithLabelsInCase(a)
	}
	return a
}

func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// ---- CINAHL and PsycINFO (EBSCO RIS) ----

func writeCINAHL(o *hardOutput, d *dbOut, r *hardReport, tags *[]string) string {
	g := o.gen()
	t := d.tags()
	j := r.journal
	t.line("TY", "JOUR")
	strip := g.chance(0.2)
	for _, a := range r.authors {
		t.line("AU", formatAuthor(a, styleFull, strip))
	}
	title := titleIn(g, "CINAHL", r, tags)
	if g.chance(0.5) && !strings.HasSuffix(title, "?") {
		title += "."
	}
	t.line("T1", title)
	t.line("JO", j.full)
	t.line("JF", j.full)
	t.line("Y1", fmt.Sprintf("%d/%02d//", r.year, max(1, r.month)))
	if r.volume > 0 && !j.cochrane {
		t.line("VL", strconv.Itoa(r.volume))
	}
	if r.issue > 0 && g.chance(0.9) {
		t.line("IS", supplementIssue(r, "cinahl"))
	}
	t.line("M3", publicationType("CINAHL", r))
	switch {
	case r.cd != "" && g.chance(0.5):
		*tags = append(*tags, "cochrane-no-cd")
		t.line("SP", "N.PAG")
	case r.page != "":
		t.line("SP", r.page)
		t.line("EP", r.endPage)
	}
	t.line("PB", capitalise(g.txt.topicWord())+" Publishing")
	t.line("SN", strings.ReplaceAll(j.issn, "-", ""))
	if r.abstract != "" && g.chance(0.9) {
		t.line("AB", r.abstract+" [ABSTRACT FROM AUTHOR]")
		t.line("AB", "Copyright of "+j.full+" is the property of its publisher and its content may not be copied or emailed to multiple sites or posted to a listserv without the copyright holder's express written permission.")
	}
	for _, k := range r.keywords {
		t.line("KW", strings.ToUpper(k))
	}
	key := strconv.Itoa(100000000 + int((uint64(r.id)*15485863)%899999999))
	t.line("N1", "Accession Number: "+key+"; Publication Type: "+publicationType("CINAHL", r)+"; Language: English")
	t.line("AN", key)
	if doi := doiIn(g, r, 0.8); doi != "" {
		t.line("L3", doi)
	}
	t.line("UR", "https://search.ebscohost.com/login.aspx?direct=true&db=rzh&AN="+key+"&site=ehost-live&scope=site")
	t.line("DP", "EBSCOhost")
	t.line("DB", "rzh")
	t.w.WriteString("ER  - " + t.eol + t.eol)
	return key
}

func writePsycINFO(o *hardOutput, d *dbOut, r *hardReport, tags *[]string) string {
	g := o.gen()
	t := d.tags()
	j := r.journal
	key := fmt.Sprintf("%d-%05d-%03d", r.year, r.id%100000, 1+r.id%7)
	t.line("TY", "JOUR")
	t.line("ID", key)
	t.line("AN", key)
	for _, a := range r.authors {
		t.line("AU", formatAuthor(a, styleBibTeX, false))
	}
	t.line("T1", titleIn(g, "PsycINFO", r, tags))
	t.line("JF", j.full)
	t.line("JO", j.full)
	t.line("JA", j.abbrev)
	t.line("Y1", fmt.Sprintf("%d/%02d/%02d/", r.year, max(1, r.month), 1+g.rng.IntN(28)))
	if r.volume > 0 {
		t.line("VL", strconv.Itoa(r.volume))
	}
	if r.issue > 0 && g.chance(0.85) {
		t.line("IS", strconv.Itoa(r.issue))
	}
	if r.page != "" {
		t.line("SP", r.page)
		t.line("EP", r.endPage)
	}
	t.line("PB", "American Psychological Association")
	t.line("SN", j.issn)
	t.line("N1", "Accession Number: "+key+". Publication Type: Journal (0100), Peer Reviewed Journal (0110). Language: English.")
	if r.abstract != "" && g.chance(0.9) {
		t.line("AB", unlabelled(r.abstract)+fmt.Sprintf(" (PsycInfo Database Record (c) %d APA, all rights reserved)", min(2025, r.year+1)))
	}
	if doi := doiIn(g, r, 0.85); doi != "" {
		t.line("DO", doi)
	}
	t.line("DP", "EBSCOhost")
	t.line("DB", "psyh")
	for _, k := range r.keywords {
		t.line("KW", k)
	}
	t.w.WriteString("ER  - " + t.eol + t.eol)
	return key
}

// ---- Web of Science RIS ----

func writeWoS(o *hardOutput, d *dbOut, r *hardReport, tags *[]string) string {
	g := o.gen()
	t := d.tags()
	ty := "JOUR"
	if r.kind == "conference-paper" {
		ty = "CPAPER"
	}
	t.line("TY", ty)
	strip := g.chance(0.5)
	for _, a := range r.authors {
		t.line("AU", formatAuthor(a, styleWoS, strip))
	}
	title := titleIn(g, "WebOfScience", r, tags)
	if r.year < 1998 {
		*tags = append(*tags, "title-upper-case")
		title = strings.ToUpper(title)
	}
	t.line("TI", title)
	if r.journal != nil {
		t.line("T2", strings.ToUpper(r.journal.full))
	} else {
		c := wConferences[r.conf]
		t.line("T2", fmt.Sprintf("%s (%s)", c.full, c.acronym))
		*tags = append(*tags, "venue-variant")
	}
	t.line("LA", "English")
	for _, k := range r.keywords {
		t.line("KW", k)
	}
	if r.abstract != "" && g.chance(0.9) {
		t.line("AB", unlabelled(r.abstract))
	}
	// Web of Science's RIS export drops line breaks between some tags:
	// "AD  - …C3  - …" and "WE  - …AN  - WOS:…", losing the record key.
	key := fmt.Sprintf("WOS:%015d", 100000000000+int64(r.id)*1009)
	glued := g.chance(0.5)
	t.w.WriteString("AD  - Univ " + capitalise(g.txt.topicWord()) + ", Dept " + capitalise(g.field()) + "C3  - University of " + capitalise(g.txt.topicWord()) + "\n")
	if r.journal != nil {
		j := r.journal
		t.line("SN", j.issn)
		t.line("J9", strings.ToUpper(j.abbrev))
		t.line("JI", strings.ReplaceAll(j.abbrev, " ", ". ")+".")
		t.line("DA", strings.ToUpper(monthAbbrev[max(1, r.month)-1]))
	}
	t.line("PY", strconv.Itoa(r.year))
	if r.journal != nil {
		if r.volume > 0 {
			t.line("VL", strconv.Itoa(r.volume))
		}
		if r.issue > 0 && g.chance(0.85) {
			t.line("IS", strconv.Itoa(r.issue))
		}
		if r.suppl != nil {
			t.line("SU", strconv.Itoa(r.suppl.number))
		}
		if !r.artNo && r.page != "" {
			t.line("SP", r.page)
			t.line("EP", r.endPage)
		} else if r.artNo {
			t.line("AR", r.page)
		}
	}
	if r.kind == "conference-abstract" {
		t.line("M3", "Meeting Abstract")
	}
	if doi := doiIn(g, r, 0.85); doi != "" {
		t.line("DO", doi)
	}
	if glued {
		*tags = append(*tags, "wos-key-glued")
		t.w.WriteString("WE  - Science Citation Index Expanded (SCI-EXPANDED)AN  - " + key + "\n")
	} else {
		t.line("WE", "Science Citation Index Expanded (SCI-EXPANDED)")
		t.line("AN", key)
	}
	t.line("N1", "Times Cited in Web of Science Core Collection:  "+strconv.Itoa(g.rng.IntN(200)))
	t.w.WriteString("ER  -\n\n")
	if glued {
		return ""
	}
	return key
}

// ---- Google Scholar BibTeX ----

func writeBibTeX(o *hardOutput, d *dbOut, r *hardReport, tags *[]string) string {
	g := o.gen()
	twin := len(*tags) > 0 && (*tags)[0] == "bibtex-twin"
	typ := "article"
	if r.kind == "conference-paper" {
		typ = "inproceedings"
	}
	if twin {
		if typ == "article" {
			typ = "inproceedings"
		} else {
			typ = "article"
		}
	}
	key := bibKey(r)
	for k := 0; d.keys[key]; k++ {
		key = bibKey(r) + string(rune('a'+k))
	}
	d.keys[key] = true
	w := d.w
	fmt.Fprintf(w, "@%s{%s,\n", typ, key)
	field := func(name, value string) {
		if value != "" {
			w.WriteString("  " + name + "={" + value + "},\n")
		}
	}
	field("title", latex(titleIn(g, "GoogleScholar", r, tags)))
	var names []string
	for i, a := range r.authors {
		if i == 6 && len(r.authors) > 7 {
			names = append(names, "others")
			break
		}
		names = append(names, latex(formatAuthor(a, styleBibTeX, false)))
	}
	field("author", strings.Join(names, " and "))
	venue := ""
	if r.journal != nil {
		venue = r.journal.full
	} else {
		c := wConferences[r.conf]
		venue = g.txt.pick([]string{fmt.Sprintf("%s %d Proceedings", c.acronym, r.year), c.full})
		*tags = append(*tags, "venue-variant")
	}
	if typ == "inproceedings" {
		field("booktitle", latex(venue))
	} else {
		field("journal", latex(venue))
	}
	if r.volume > 0 {
		field("volume", strconv.Itoa(r.volume))
	}
	if r.issue > 0 && r.journal != nil && !r.journal.preprint {
		field("number", strconv.Itoa(r.issue))
	}
	if r.page != "" {
		field("pages", strings.Replace(pageRange(r.page, r.endPage, false), "-", "--", 1))
	}
	field("year", strconv.Itoa(r.year))
	field("publisher", g.txt.pick([]string{"Elsevier", "Springer", "Wiley Online Library", "Taylor \\& Francis", "AIS eLibrary"}))
	w.WriteString("}\n\n")
	return key
}

func bibKey(r *hardReport) string {
	fam := "anon"
	if len(r.authors) > 0 {
		fam = strings.ToLower(stripMarks(r.authors[0].family))
		fam = strings.Map(func(c rune) rune {
			if c >= 'a' && c <= 'z' {
				return c
			}
			return -1
		}, fam)
	}
	word := "untitled"
	for _, w := range strings.Fields(strings.ToLower(stripMarks(r.title))) {
		w = strings.Map(func(c rune) rune {
			if c >= 'a' && c <= 'z' {
				return c
			}
			return -1
		}, w)
		if w != "" && !wStopwords[w] {
			word = w
			break
		}
	}
	return fmt.Sprintf("%s%d%s", fam, r.year, word)
}

// latex escapes what BibTeX needs escaped and writes accents as Google
// Scholar does ({\"u}).
func latex(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '&', '%', '$', '#', '_':
			b.WriteByte('\\')
			b.WriteRune(c)
		case '{', '}':
		case 'ü', 'ö', 'ä', 'Ü', 'Ö', 'Ä', 'ë', 'ï':
			b.WriteString(`{\"` + stripMarks(string(c)) + `}`)
		case 'é', 'á', 'í', 'ó', 'ú', 'É', 'ś', 'ć', 'ń', 'ź':
			b.WriteString(`{\'` + stripMarks(string(c)) + `}`)
		case 'è', 'à', 'ò', 'ù':
			b.WriteString("{\\`" + stripMarks(string(c)) + `}`)
		case 'ñ', 'ã', 'õ':
			b.WriteString(`{\~` + stripMarks(string(c)) + `}`)
		case 'ç', 'Ç', 'ş', 'Ş':
			b.WriteString(`{\c{` + stripMarks(string(c)) + `}}`)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}
