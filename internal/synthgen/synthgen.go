// Package synthgen writes synthetic search exports with a known duplicate
// structure, for benchmarks and tests of ingest and dedupe. It has two
// profiles (see corpus.go):
//
//   - "old", this file: the first benchmark corpus, kept byte for byte so
//     that earlier figures stay comparable. A corpus is a set of works, each
//     exported by one or more of four databases as RIS records, each database
//     writing a work its own way: full or abbreviated journal names, "221-8"
//     or "221-228" pages, initials or full given names, DOIs missing,
//     upper-cased or URL-prefixed, epub year one before print year, case and
//     punctuation changes, a bracketed language note, the odd typo; 3% of
//     works look like the one before (series part, erratum, conference
//     abstract). Its titles are short word salads without abstracts worth
//     the name, which is easier than real exports.
//   - "hard", hard.go: exports as hard as real searches — long titles in
//     families of near-identical ones, 1.5 KB abstracts, supplements, errata,
//     Cochrane updates, several files per database in MEDLINE, RIS dialects
//     and BibTeX — with each record's true report and study (truth.go).
package synthgen

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Config sizes a corpus.
type Config struct {
	// Records is the approximate number of records over all databases.
	Records int
	// Databases name the exports; each work appears in a random subset.
	Databases []string
	// Seed fixes the corpus: the same config gives the same bytes.
	Seed uint64
}

// DefaultDatabases are four sources with different export habits.
var DefaultDatabases = []string{"MEDLINE", "Embase", "PsycINFO", "Scopus"}

// work is one publication's true fields.
type work struct {
	id int
	// study is the work whose study this is (its own id for most works);
	// relation says how a look-alike relates to the work before it.
	study     int
	relation  string
	relatedTo int      // the work a look-alike copies; -1 for none
	title     []string // words
	authors   []person
	year      int
	journal   int // index into the journal table
	volume    int
	issue     int
	page      int
	pages     int
	doi       string
	kind      string // article, erratum, abstract
	abstract  string
}

type person struct {
	family string
	given  []string
}

// Truth maps each record's source key (its RIS ID) to its true work.
type Truth map[string]int

// Writers gives the generator one writer per database.
type Writers func(database string) (io.Writer, error)

// Generate writes the corpus, one RIS stream per database, and returns the
// truth. It streams: memory does not grow with the corpus.
func Generate(cfg Config, open Writers) (Truth, error) {
	truth := Truth{}
	err := generateOld(cfg, open, func(_ int, key string, _ int64, w *work) { truth[key] = w.id })
	if err != nil {
		return nil, err
	}
	return truth, nil
}

// generateOld writes the old corpus and calls emit for every record with its
// database index, source key, the line its TY tag is on, and its work.
func generateOld(cfg Config, open Writers, emit func(db int, key string, line int64, w *work)) error {
	if len(cfg.Databases) == 0 {
		cfg.Databases = DefaultDatabases
	}
	g := newGenerator(cfg.Seed)
	outs := make([]*lineCounter, len(cfg.Databases))
	for i, db := range cfg.Databases {
		w, err := open(db)
		if err != nil {
			return fmt.Errorf("synthgen: open %s: %w", db, err)
		}
		outs[i] = &lineCounter{Writer: bufio.NewWriterSize(w, 1<<16)}
	}
	records := 0
	seq := make([]int, len(cfg.Databases))
	for id := 0; records < cfg.Records; id++ {
		w := g.work(id)
		// Each work is found by 0–4 databases; about 1.8 when found at all.
		for d := range cfg.Databases {
			p := 0.3
			if d == 0 {
				p = 0.7
			}
			if g.rng.Float64() >= p {
				continue
			}
			seq[d]++
			key := fmt.Sprintf("%s-%d", strings.ToLower(cfg.Databases[d]), seq[d])
			emit(d, key, outs[d].lines+1, w)
			g.writeRIS(outs[d], d, key, w)
			records++
		}
	}
	for i, o := range outs {
		if err := o.Flush(); err != nil {
			return fmt.Errorf("synthgen: write %s: %w", cfg.Databases[i], err)
		}
	}
	return nil
}

// lineCounter counts the lines written through it, so that each record's
// truth can name the line it starts on.
type lineCounter struct {
	*bufio.Writer
	lines int64
}

func (c *lineCounter) WriteString(s string) (int, error) {
	c.lines += int64(strings.Count(s, "\n"))
	return c.Writer.WriteString(s)
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.lines += int64(bytes.Count(p, []byte{'\n'}))
	return c.Writer.Write(p)
}

func (c *lineCounter) WriteByte(b byte) error {
	if b == '\n' {
		c.lines++
	}
	return c.Writer.WriteByte(b)
}

type generator struct {
	rng      *rand.Rand
	words    []string
	wordZipf *rand.Zipf
	surnames []string
	surZipf  *rand.Zipf
	journals []journal
	prev     *work // the previous work, for look-alikes
}

type journal struct{ full, abbrev, issn string }

func newGenerator(seed uint64) *generator {
	rng := rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
	g := &generator{rng: rng}
	seen := map[string]bool{}
	for len(g.words) < 6000 {
		w := g.pseudoWord(2 + rng.IntN(3))
		if !seen[w] {
			seen[w] = true
			g.words = append(g.words, w)
		}
	}
	for len(g.surnames) < 40000 {
		s := g.pseudoWord(1 + rng.IntN(3))
		if !seen[s] {
			seen[s] = true
			g.surnames = append(g.surnames, strings.ToUpper(s[:1])+s[1:])
		}
	}
	// Word and surname frequencies are Zipfian, like real titles and names:
	// a few very common words and surnames make large blocks.
	g.wordZipf = rand.NewZipf(rng, 1.07, 20, uint64(len(g.words)-1))
	g.surZipf = rand.NewZipf(rng, 1.1, 50, uint64(len(g.surnames)-1))
	for i := 0; i < 3000; i++ {
		n := 2 + rng.IntN(4)
		var full, abbr []string
		for k := 0; k < n; k++ {
			w := g.words[rng.IntN(len(g.words))]
			full = append(full, strings.ToUpper(w[:1])+w[1:])
			abbr = append(abbr, strings.ToUpper(w[:1])+w[1:min(len(w), 3+rng.IntN(3))])
		}
		if rng.IntN(3) == 0 {
			full = append([]string{"Journal", "of"}, full...)
			abbr = append([]string{"J"}, abbr...)
		}
		g.journals = append(g.journals, journal{
			full: strings.Join(full, " "), abbrev: strings.Join(abbr, " "),
			issn: fmt.Sprintf("%04d-%04d", 1000+rng.IntN(9000), rng.IntN(10000)),
		})
	}
	return g
}

var syllables = strings.Fields("ba be bi bo bu ca co cu da de di do fa fe fi ga ge go ha he hi ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to tu va ve vi vo za an en in on ar er ir or al el il ol ex ism ine ate ous ity ent ive ic ia ase")

func (g *generator) pseudoWord(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(syllables[g.rng.IntN(len(syllables))])
	}
	return b.String()
}

func (g *generator) person() person {
	p := person{family: g.surnames[g.surZipf.Uint64()]}
	for k := 0; k < 1+g.rng.IntN(2); k++ {
		w := g.words[g.rng.IntN(len(g.words))]
		p.given = append(p.given, strings.ToUpper(w[:1])+w[1:])
	}
	return p
}

func (g *generator) work(id int) *work {
	w := &work{id: id, study: id, relatedTo: -1, kind: "article"}
	// About 3% of works are look-alikes of the previous one: the next part
	// of a series, an erratum, or the conference abstract of the study.
	if g.prev != nil && g.rng.Float64() < 0.03 {
		p := g.prev
		*w = *p
		w.id = id
		w.relatedTo = p.id
		w.title = append([]string(nil), p.title...)
		switch g.rng.IntN(3) {
		case 0:
			w.study, w.relation = id, "part"
			w.title = append(w.title, "part", strconv.Itoa(2+g.rng.IntN(3)))
			w.page = p.page + p.pages + 1 + g.rng.IntN(50)
		case 1:
			w.relation = "erratum"
			w.kind = "erratum"
			w.title = append([]string{"erratum:"}, w.title...)
			w.issue = p.issue + 1 + g.rng.IntN(3)
			w.pages = 0
			w.page = 1 + g.rng.IntN(900)
		case 2:
			w.relation = "abstract"
			w.kind = "abstract"
			w.year = p.year - 1
			w.volume = p.volume - 1
			w.page = 1 + g.rng.IntN(300)
			w.pages = 0
		}
		w.doi = fmt.Sprintf("10.%d/x%d", 1000+id%9000, id)
		g.prev = w
		return w
	}
	n := 6 + g.rng.IntN(14)
	for k := 0; k < n; k++ {
		w.title = append(w.title, g.words[g.wordZipf.Uint64()])
	}
	na := 1 + int(math.Min(15, g.rng.ExpFloat64()*4))
	for k := 0; k < na; k++ {
		w.authors = append(w.authors, g.person())
	}
	w.year = 1990 + g.rng.IntN(36)
	w.journal = g.rng.IntN(len(g.journals))
	w.volume = 1 + g.rng.IntN(300)
	w.issue = 1 + g.rng.IntN(12)
	w.page = 1 + g.rng.IntN(3000)
	w.pages = 3 + g.rng.IntN(15)
	if g.rng.Float64() < 0.85 {
		w.doi = fmt.Sprintf("10.%d/%s.%d.%d", 1000+g.rng.IntN(9000), g.words[g.rng.IntN(len(g.words))], w.year, id)
	}
	var ab []string
	for k := 0; k < 25; k++ {
		ab = append(ab, g.words[g.wordZipf.Uint64()])
	}
	w.abstract = strings.Join(ab, " ") + "."
	g.prev = w
	return w
}

// writeRIS writes one database's version of w. Database 0 writes
// MEDLINE-like records (abbreviated journal, initials, "221-8" pages);
// the others vary at random.
func (g *generator) writeRIS(out *lineCounter, db int, key string, w *work) {
	r := g.rng
	line := func(tag, value string) {
		if value == "" {
			return
		}
		out.WriteString(tag)
		out.WriteString("  - ")
		out.WriteString(value)
		out.WriteString("\r\n")
	}
	ty := "JOUR"
	if w.kind == "abstract" {
		ty = "CONF"
	}
	line("TY", ty)
	line("ID", key)
	line("TI", g.titleVariant(w))
	authors := w.authors
	if db != 0 && len(authors) > 6 && r.Float64() < 0.2 {
		authors = authors[:6] // some databases cut long author lists
	}
	initials := db == 0 || r.Float64() < 0.5
	for _, a := range authors {
		line("AU", g.authorVariant(a, initials, db))
	}
	year := w.year
	if r.Float64() < 0.04 {
		year-- // epub year
	}
	line("PY", strconv.Itoa(year))
	j := g.journals[w.journal]
	if db == 0 || r.Float64() < 0.3 {
		line("JO", j.abbrev)
	} else {
		line("T2", j.full)
		if r.Float64() < 0.5 {
			line("J2", j.abbrev)
		}
	}
	if r.Float64() < 0.4 {
		line("SN", j.issn)
	}
	if r.Float64() < 0.97 {
		line("VL", strconv.Itoa(w.volume))
	}
	if r.Float64() < 0.8 {
		line("IS", strconv.Itoa(w.issue))
	}
	if r.Float64() < 0.95 {
		if w.pages == 0 {
			line("SP", strconv.Itoa(w.page))
		} else if db == 0 || r.Float64() < 0.3 {
			line("SP", abbreviatedRange(w.page, w.page+w.pages))
		} else {
			line("SP", strconv.Itoa(w.page))
			line("EP", strconv.Itoa(w.page+w.pages))
		}
	}
	if w.doi != "" && r.Float64() < 0.8 {
		d := w.doi
		switch r.IntN(6) {
		case 0:
			d = strings.ToUpper(d)
		case 1:
			d = "https://doi.org/" + d
		}
		line("DO", d)
	}
	if w.abstract != "" && r.Float64() < 0.7 {
		line("AB", w.abstract)
	}
	out.WriteString("ER  - \r\n\r\n")
}

func abbreviatedRange(start, end int) string {
	s, e := strconv.Itoa(start), strconv.Itoa(end)
	if len(s) == len(e) {
		i := 0
		for i < len(s)-1 && s[i] == e[i] {
			i++
		}
		e = e[i:]
	}
	return s + "-" + e
}

func (g *generator) titleVariant(w *work) string {
	r := g.rng
	words := append([]string(nil), w.title...)
	if r.Float64() < 0.03 && len(words) > 3 {
		// One typo: a letter dropped or two swapped.
		k := 1 + r.IntN(len(words)-1)
		if len(words[k]) > 3 {
			b := []byte(words[k])
			p := r.IntN(len(b) - 1)
			if r.IntN(2) == 0 {
				b = append(b[:p], b[p+1:]...)
			} else {
				b[p], b[p+1] = b[p+1], b[p]
			}
			words[k] = string(b)
		}
	}
	if len(words) > 6 {
		sep := ":"
		if r.Float64() < 0.3 {
			sep = " -"
		}
		words[len(words)/2] += sep
	}
	t := strings.Join(words, " ")
	switch r.IntN(10) {
	case 0:
		t = strings.ToUpper(t)
	case 1, 2, 3:
		t = strings.ToUpper(t[:1]) + t[1:] + "."
	default:
		t = strings.ToUpper(t[:1]) + t[1:]
	}
	switch {
	case r.Float64() < 0.02:
		t = "[" + strings.TrimSuffix(t, ".") + "]. [Article in German]"
	case r.Float64() < 0.02:
		t = strings.Replace(t, " ", " &amp; ", 1)
	}
	return t
}

func (g *generator) authorVariant(a person, initials bool, db int) string {
	if !initials {
		return a.family + ", " + strings.Join(a.given, " ")
	}
	var in strings.Builder
	for _, gv := range a.given {
		in.WriteByte(gv[0])
		if db != 0 {
			in.WriteByte('.')
		}
	}
	if db == 0 {
		return a.family + " " + in.String()
	}
	return a.family + ", " + in.String()
}
