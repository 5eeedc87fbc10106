package synthgen

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	_ "github.com/realsynth/realsynth/internal/formats/all"
	"github.com/realsynth/realsynth/internal/tables"
)

// parsedRecord is a generated record as realsynth's reader sees it, with
// what the generator says it is.
type parsedRecord struct {
	rec   *tables.Record
	truth TruthRow
}

type memCorpus struct {
	corpus  *Corpus
	files   map[string]*bytes.Buffer
	truth   []TruthRow
	records []parsedRecord
}

// hardCorpus generates a corpus in memory and reads every file back with
// the reader realsynth would use, joining each record to its truth row by
// file and line.
func hardCorpus(t testing.TB, cfg CorpusConfig) *memCorpus {
	t.Helper()
	m := &memCorpus{files: map[string]*bytes.Buffer{}}
	var truth bytes.Buffer
	c, err := GenerateCorpus(cfg, func(name string) (io.Writer, error) {
		if m.files[name] != nil {
			return nil, fmt.Errorf("%s opened twice", name)
		}
		m.files[name] = &bytes.Buffer{}
		return m.files[name], nil
	}, &truth)
	if err != nil {
		t.Fatal(err)
	}
	m.corpus = c
	byPlace := map[string]TruthRow{}
	if err := ReadTruth(&truth, func(r *TruthRow) error {
		row := *r
		m.truth = append(m.truth, row)
		k := fmt.Sprintf("%s:%d", r.File, r.Line)
		if _, dup := byPlace[k]; dup {
			return fmt.Errorf("%s twice", k)
		}
		byPlace[k] = row
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(m.files))
	for n := range m.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		f, err := formats.ForPath(name)
		if err != nil {
			t.Fatal(err)
		}
		dec, _, err := formats.Decode(bytes.NewReader(m.files[name].Bytes()), "")
		if err != nil {
			t.Fatal(err)
		}
		rd := f.NewReader(dec, formats.Options{})
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			biblio.Complete(rec)
			k := fmt.Sprintf("%s:%d", name, rec.SourceLine)
			row, ok := byPlace[k]
			if !ok {
				t.Fatalf("%s: record at line %d (%q) is not in the truth", name, rec.SourceLine, rec.Title)
			}
			m.records = append(m.records, parsedRecord{rec: rec, truth: row})
		}
	}
	return m
}

var testCorpus *memCorpus

// smallHard is one 20k-record hard corpus shared by the pattern tests.
func smallHard(t *testing.T) *memCorpus {
	t.Helper()
	if testCorpus == nil {
		testCorpus = hardCorpus(t, CorpusConfig{Profile: ProfileHard, Records: 20000, Seed: 20261122})
	}
	return testCorpus
}

func (m *memCorpus) byReport() map[string][]parsedRecord {
	out := map[string][]parsedRecord{}
	for _, r := range m.records {
		out[r.truth.Report] = append(out[r.truth.Report], r)
	}
	return out
}

// byGroup lists each group's reports, each with its records.
func (m *memCorpus) byGroup(family string) map[string]map[string][]parsedRecord {
	out := map[string]map[string][]parsedRecord{}
	for _, r := range m.records {
		for _, g := range r.truth.Groups {
			if familyOf(g) != family {
				continue
			}
			if out[g] == nil {
				out[g] = map[string][]parsedRecord{}
			}
			out[g][r.truth.Report] = append(out[g][r.truth.Report], r)
		}
	}
	return out
}

func hasTag(r parsedRecord, tag string) bool {
	for _, t := range r.truth.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

func quantile(xs []int, q float64) int {
	s := append([]int(nil), xs...)
	sort.Ints(s)
	return s[int(q*float64(len(s)-1))]
}

// TestHardCorpusReadsBack: every file parses with realsynth's own readers,
// every record lands on its truth row and nothing is quarantined.
func TestHardCorpusReadsBack(t *testing.T) {
	m := smallHard(t)
	if len(m.records) != len(m.truth) || len(m.truth) != m.corpus.Records {
		t.Fatalf("parsed %d records, truth %d, corpus says %d", len(m.records), len(m.truth), m.corpus.Records)
	}
	if m.corpus.Records < 20000 || m.corpus.Records > 20050 {
		t.Errorf("%d records, want 20000 (a batch may go a few over)", m.corpus.Records)
	}
	for _, r := range m.records {
		if r.truth.Key != "" && r.rec.SourceKey != r.truth.Key {
			t.Fatalf("%s:%d: source key %q, truth says %q", r.truth.File, r.truth.Line, r.rec.SourceKey, r.truth.Key)
		}
		if r.rec.Title == "" || r.rec.Year == nil {
			t.Fatalf("%s:%d: no title or year: %+v", r.truth.File, r.truth.Line, r.rec)
		}
	}
}

// TestHardCorpusLooksLikeRealExports checks the corpus-wide shape the
// issue asks for: title lengths, abstracts, long author lists, files and
// dialects, the share of duplicates and their spread over databases.
func TestHardCorpusLooksLikeRealExports(t *testing.T) {
	m := smallHard(t)
	var titles, abstracts []int
	structured, longAuthors, maxAuthors := 0, 0, 0
	for _, r := range m.records {
		titles = append(titles, len(r.rec.Title))
		if r.rec.Abstract != "" {
			abstracts = append(abstracts, len(r.rec.Abstract))
			if strings.Contains(r.rec.Abstract, "METHODS: ") || strings.Contains(r.rec.Abstract, "Methods: ") {
				structured++
			}
		}
		if n := len(r.rec.Authors); n >= 15 {
			longAuthors++
			maxAuthors = max(maxAuthors, n)
		}
	}
	n := len(m.records)
	if med := quantile(titles, 0.5); med < 95 || med > 125 {
		t.Errorf("median title %d characters, want about 110", med)
	}
	if p99 := quantile(titles, 0.99); p99 < 250 {
		t.Errorf("99th percentile title %d characters, want a tail past 250", p99)
	}
	if share := float64(len(abstracts)) / float64(n); share < 0.75 {
		t.Errorf("%.2f of records have an abstract, want most", share)
	}
	if med := quantile(abstracts, 0.5); med < 1200 || med > 2000 {
		t.Errorf("median abstract %d bytes, want about 1.5 KB", med)
	}
	if float64(structured) < 0.2*float64(len(abstracts)) {
		t.Errorf("%d structured abstracts of %d", structured, len(abstracts))
	}
	if float64(longAuthors) < 0.02*float64(n) || maxAuthors > 40 {
		t.Errorf("%d records with 15+ authors (max %d), want a few percent with 15-40", longAuthors, maxAuthors)
	}

	files := map[string]int{}
	formatsSeen := map[string]bool{}
	for _, f := range m.corpus.Files {
		files[f.Database]++
		formatsSeen[f.Format] = true
	}
	for _, db := range []string{"MEDLINE", "Embase", "Scopus"} {
		if files[db] < 2 {
			t.Errorf("%s comes in %d file(s), want several", db, files[db])
		}
	}
	for _, f := range []string{"medline", "ris", "bibtex"} {
		if !formatsSeen[f] {
			t.Errorf("no %s file", f)
		}
	}

	// Each database's dialect, as the reader sees it.
	dialect := map[string]func(*tables.Record) bool{
		"Embase: JF/JO, M3 Conference Abstract": func(r *tables.Record) bool {
			return r.JournalAbbrev != "" && strings.Contains(strings.Join(r.PublicationType, ";"), "Conference Abstract")
		},
		"Scopus: M3 Conference Paper": func(r *tables.Record) bool {
			return strings.Contains(strings.Join(r.PublicationType, ";"), "Conference Paper")
		},
		"CINAHL: [ABSTRACT FROM AUTHOR]":  func(r *tables.Record) bool { return strings.HasSuffix(r.Abstract, "[ABSTRACT FROM AUTHOR]") },
		"WebOfScience: upper-case source": func(r *tables.Record) bool { return r.Journal != "" && r.Journal == strings.ToUpper(r.Journal) },
		"MEDLINE: PMID key, abbreviated pages": func(r *tables.Record) bool {
			return r.PMID != "" && r.SourceKey == r.PMID && strings.Count(r.Pages, "-") == 1 && len(r.Pages) < 8
		},
		"GoogleScholar: @inproceedings": func(r *tables.Record) bool { return r.Type == "inproceedings" },
	}
	for name, ok := range dialect {
		db, _, _ := strings.Cut(name, ":")
		found := 0
		for _, r := range m.records {
			if r.truth.Database == db && ok(r.rec) {
				found++
			}
		}
		if found == 0 {
			t.Errorf("no %s record shows %s", db, name)
		}
	}

	// 25-45% duplicates, spread over databases.
	reports := m.byReport()
	dup := 1 - float64(len(reports))/float64(n)
	if dup < 0.25 || dup > 0.45 {
		t.Errorf("duplicate share %.3f, want 0.25-0.45", dup)
	}
	cross, pairs := 0, 0
	for _, recs := range reports {
		for i := range recs {
			for j := i + 1; j < len(recs); j++ {
				pairs++
				if recs[i].truth.Database != recs[j].truth.Database {
					cross++
				}
			}
		}
	}
	if float64(cross) < 0.9*float64(pairs) {
		t.Errorf("%d of %d duplicate pairs cross databases", cross, pairs)
	}
}

// fold is a crude matching key for tests: letters and digits, lower case.
func fold(s string) string {
	return strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			return c
		case c >= 'A' && c <= 'Z':
			return c + 'a' - 'A'
		}
		return -1
	}, stripMarks(s))
}

// TestHardNegatives: the look-alike families whose reports must never be
// merged are there, and look alike the way the issue describes.
func TestHardNegatives(t *testing.T) {
	m := smallHard(t)
	count := func(family string, ok func(reports map[string][]parsedRecord) bool) {
		t.Helper()
		found := 0
		for _, reports := range m.byGroup(family) {
			if ok(reports) {
				found++
			}
		}
		t.Logf("%s: %d groups show the pattern", family, found)
		if found < 3 {
			t.Errorf("%s: %d groups show the pattern, want several", family, found)
		}
	}
	first := func(recs []parsedRecord) *tables.Record { return recs[0].rec }

	// Recurring columns: one title and author in every issue of a volume.
	count("recurring-column", func(reports map[string][]parsedRecord) bool {
		issues := map[string]bool{}
		var title, volume, author string
		for _, recs := range reports {
			r := first(recs)
			if len(r.Authors) == 0 {
				return false
			}
			family, _, _ := strings.Cut(r.Authors[0], ",")
			if title == "" {
				title, volume, author = fold(r.Title), r.Volume, family
			}
			if fold(r.Title) != title || r.Volume != volume || family != author {
				return false
			}
			issues[r.Issue] = true
		}
		return len(reports) >= 4 && len(issues) >= 4
	})
	// Two papers, one short title, one volume and start page, different issues and end pages.
	count("same-short-title", func(reports map[string][]parsedRecord) bool {
		if len(reports) != 2 {
			return false
		}
		var rs []*tables.Record
		for _, recs := range reports {
			rs = append(rs, first(recs))
		}
		a, b := rs[0], rs[1]
		return len(a.Title) < 80 && fold(a.Title) == fold(b.Title) && a.Volume == b.Volume && a.PageStart == b.PageStart &&
			a.Issue != "" && b.Issue != "" && a.Issue != b.Issue && a.PageEnd != b.PageEnd
	})
	// Part 1 vs Part 2: titles that differ in the part number only.
	count("part-series", func(reports map[string][]parsedRecord) bool {
		var titles []string
		for _, recs := range reports {
			titles = append(titles, fold(first(recs).Title))
		}
		strip := func(s string) string {
			for _, p := range []string{"part1", "part2", "part3", "parti", "partii", "partiii"} {
				s = strings.Replace(s, p, "", 1)
			}
			return s
		}
		return len(titles) >= 2 && titles[0] != titles[1] && strip(titles[0]) == strip(titles[1])
	})
	// The same abstract at different meetings: one title, in the
	// supplements of different journals or years, never twice in one.
	count("abstract-repeats", func(reports map[string][]parsedRecord) bool {
		meetings := map[string]bool{}
		var title string
		for _, recs := range reports {
			r := first(recs)
			if title == "" {
				title = fold(r.Title)
			}
			if fold(r.Title) != title {
				return false
			}
			meetings[fold(r.Journal)+"/"+strconv.Itoa(int(*r.Year))] = true
		}
		if len(meetings) != len(reports) {
			t.Errorf("abstract-repeats: %d reports of one abstract at %d meetings", len(reports), len(meetings))
		}
		return len(reports) >= 2
	})
	// Cochrane updates: one title and CD number, a new year and DOI.
	count("cochrane-update", func(reports map[string][]parsedRecord) bool {
		years, dois := map[int32]bool{}, map[string]bool{}
		for _, recs := range reports {
			for _, r := range recs {
				if r.rec.Year != nil {
					years[*r.rec.Year] = true
				}
				if r.rec.DOI != "" {
					dois[r.rec.DOI] = true
				}
				if !strings.Contains(strings.ToLower(r.rec.DOI+r.rec.Pages+r.rec.ArticleNumber), "cd") && r.rec.DOI != "" {
					return false
				}
			}
		}
		return len(reports) >= 2 && len(years) >= 2 && len(dois) >= 2
	})
	// Errata under the article's title.
	count("erratum", func(reports map[string][]parsedRecord) bool {
		var article, notice []parsedRecord
		for _, recs := range reports {
			if recs[0].truth.Kind == "erratum" {
				notice = recs
			} else {
				article = recs
			}
		}
		for _, n := range notice {
			if hasTag(n, "notice-under-article-title") && fold(n.rec.Title) == fold(article[0].rec.Title) {
				return true
			}
		}
		return false
	})
	// Abstracts of one supplement sharing one DOI.
	count("supplement-doi", func(reports map[string][]parsedRecord) bool {
		dois := map[string]map[string]bool{}
		for report, recs := range reports {
			for _, r := range recs {
				if r.rec.DOI != "" {
					if dois[r.rec.DOI] == nil {
						dois[r.rec.DOI] = map[string]bool{}
					}
					dois[r.rec.DOI][report] = true
				}
			}
		}
		for _, reps := range dois {
			if len(reps) >= 2 {
				return true
			}
		}
		return false
	})
}

// TestDuplicateVariations: the true duplicates vary the way issue 11's
// failure classes 1-8 describe. Each case finds records of one report that
// show the variation, beside a record of the same report that does not.
func TestDuplicateVariations(t *testing.T) {
	m := smallHard(t)
	reports := m.byReport()
	count := func(name string, ok func(recs []parsedRecord) bool) {
		t.Helper()
		found := 0
		for _, recs := range reports {
			if len(recs) > 1 && ok(recs) {
				found++
			}
		}
		t.Logf("%s: %d reports", name, found)
		if found < 3 {
			t.Errorf("%s: %d reports show it, want several", name, found)
		}
	}
	pairOf := func(recs []parsedRecord, ok func(a, b *tables.Record) bool) bool {
		for i := range recs {
			for j := range recs {
				if i != j && ok(recs[i].rec, recs[j].rec) {
					return true
				}
			}
		}
		return false
	}
	pubType := func(r *tables.Record, s string) bool {
		return strings.Contains(strings.Join(r.PublicationType, ";"), s)
	}

	// 1. Supplement abstracts: "VL - 1)" + "IS - 5 SUPPL. 1", or the
	// supplement number as the volume, beside the right volume.
	count("1 garbled supplement volume", func(recs []parsedRecord) bool {
		return pairOf(recs, func(a, b *tables.Record) bool {
			return strings.HasSuffix(a.Volume, ")") && strings.Contains(a.Issue, "SUPPL.") && b.Volume != a.Volume &&
				len(b.Volume) >= 1 && !strings.HasSuffix(b.Volume, ")") && (a.PageStart == b.PageStart || a.Pages == b.Pages)
		})
	})
	count("1 supplement number as volume", func(recs []parsedRecord) bool {
		return pairOf(recs, func(a, b *tables.Record) bool {
			_, n, _ := strings.Cut(a.Issue, "SUPPL. ")
			return n != "" && a.Volume == n && b.Volume != "" && b.Volume != a.Volume && a.Pages == b.Pages
		})
	})
	// 3. Cochrane: one record with its CD number, one without.
	count("3 Cochrane with and without CD number", func(recs []parsedRecord) bool {
		return recs[0].truth.Kind == "cochrane-review" && pairOf(recs, func(a, b *tables.Record) bool {
			has := func(r *tables.Record) bool {
				return strings.HasPrefix(r.Pages, "CD") || strings.HasPrefix(r.ArticleNumber, "CD")
			}
			return has(a) && !has(b)
		})
	})
	// 4. A bracketed translated title in one database, another English
	// rendering in another; same volume and pages.
	count("4 bracketed vs other rendering", func(recs []parsedRecord) bool {
		return pairOf(recs, func(a, b *tables.Record) bool {
			return strings.HasPrefix(a.Title, "[") && !strings.HasPrefix(b.Title, "[") &&
				fold(a.Title) != fold(b.Title) && a.Volume == b.Volume && a.PageStart == b.PageStart
		})
	})
	// 5. Embase's conference abstract and Scopus's conference paper.
	count("5 conference abstract vs conference paper", func(recs []parsedRecord) bool {
		return pairOf(recs, func(a, b *tables.Record) bool {
			return pubType(a, "Conference Abstract") && pubType(b, "Conference Paper") && fold(a.Title) == fold(b.Title)
		})
	})
	// 6. Google Scholar twins: @inproceedings and @article, keys x and xa.
	count("6 BibTeX twins", func(recs []parsedRecord) bool {
		return pairOf(recs, func(a, b *tables.Record) bool {
			return a.Format == "bibtex" && b.Format == "bibtex" && a.Type != b.Type && b.SourceKey == a.SourceKey+"a"
		})
	})
	// 7. One DOI, the title in two languages.
	count("7 same DOI, two languages", func(recs []parsedRecord) bool {
		return pairOf(recs, func(a, b *tables.Record) bool {
			if a.DOI == "" || a.DOI != b.DOI {
				return false
			}
			words := map[string]bool{}
			for _, w := range strings.Fields(strings.ToLower(strings.Trim(a.Title, "[]."))) {
				if !wStopwords[w] {
					words[w] = true
				}
			}
			shared := 0
			for _, w := range strings.Fields(strings.ToLower(b.Title)) {
				if words[w] {
					shared++
				}
			}
			return shared <= 1
		})
	})
	// 8. One conference paper, two names of its venue, titles differing in
	// punctuation only, an initial against a full given name.
	count("8 venue names and punctuation", func(recs []parsedRecord) bool {
		return recs[0].truth.Kind == "conference-paper" && pairOf(recs, func(a, b *tables.Record) bool {
			initial := func(r *tables.Record) string { _, g, _ := strings.Cut(r.Authors[0], ", "); return g }
			return a.Journal != b.Journal && a.Title != b.Title && fold(a.Title) == fold(b.Title) &&
				len(a.Authors) > 0 && len(b.Authors) > 0 && len(initial(a)) <= 4 && len(initial(b)) > 4
		})
	})
}

// TestHardSameSeedSameBytes: a corpus is fixed by its config.
func TestHardSameSeedSameBytes(t *testing.T) {
	gen := func(seed uint64) (map[string][]byte, []byte) {
		files := map[string]*bytes.Buffer{}
		var truth bytes.Buffer
		if _, err := GenerateCorpus(CorpusConfig{Profile: ProfileHard, Records: 3000, Seed: seed}, func(name string) (io.Writer, error) {
			files[name] = &bytes.Buffer{}
			return files[name], nil
		}, &truth); err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for n, b := range files {
			out[n] = b.Bytes()
		}
		return out, truth.Bytes()
	}
	a, at := gen(3)
	b, bt := gen(3)
	c, _ := gen(4)
	if !bytes.Equal(at, bt) || len(a) != len(b) {
		t.Fatal("truth or file list differs between two runs with one seed")
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs with one seed", name)
		}
		if bytes.Equal(a[name], c[name]) {
			t.Errorf("%s identical for two seeds", name)
		}
	}
}

// TestHardCorpusPinned pins the hard profile's bytes: the benchmark figures
// in the READMEs were measured on it. A deliberate change to the generator
// updates this hash and Version, and re-measures the figures.
func TestHardCorpusPinned(t *testing.T) {
	files := map[string]*bytes.Buffer{}
	var truth bytes.Buffer
	if _, err := GenerateCorpus(CorpusConfig{Profile: ProfileHard, Records: 3000, Seed: 20261122}, func(name string) (io.Writer, error) {
		files[name] = &bytes.Buffer{}
		return files[name], nil
	}, &truth); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s %d\n", n, files[n].Len())
		h.Write(files[n].Bytes())
	}
	h.Write(truth.Bytes())
	if got, want := fmt.Sprintf("%x", h.Sum(nil)), "35ee555c99a0c9f9ff8435332d4e4c9ffb67c49110b18ccc3edebc99a42c9ae5"; got != want {
		t.Errorf("hard corpus sha256 %s, want %s", got, want)
	}
}

// TestHardDOIsNameOneReport: two different reports share a DOI only where
// real exports do, the abstracts of one supplement; anything else (a part
// of a series inheriting its first part's DOI) is a duplicate that no rule
// could keep apart, and would be scored as a false merge.
func TestHardDOIsNameOneReport(t *testing.T) {
	m := smallHard(t)
	reports := map[string]map[string]bool{}
	shared := map[string]bool{}
	for _, pr := range m.records {
		doi := strings.ToLower(pr.rec.DOI)
		if doi == "" {
			continue
		}
		if reports[doi] == nil {
			reports[doi] = map[string]bool{}
		}
		reports[doi][pr.truth.Report] = true
		for _, g := range pr.truth.Groups {
			if strings.HasPrefix(g, "supplement-doi/") {
				shared[doi] = true
			}
		}
	}
	bad := 0
	for doi, rs := range reports {
		if len(rs) > 1 && !shared[doi] {
			if bad++; bad <= 5 {
				t.Errorf("DOI %s names %d reports", doi, len(rs))
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d DOIs name several reports outside supplements", bad)
	}
}

// TestHardPartTitlesNumberedOnce: a part of a series says which part it is
// once ("Part 2: Part 1: …" was a part numbered from its first part's title).
func TestHardPartTitlesNumberedOnce(t *testing.T) {
	m := smallHard(t)
	n := 0
	for _, reports := range m.byGroup("part-series") {
		for _, recs := range reports {
			for _, pr := range recs {
				n++
				if c := strings.Count(strings.ToLower(pr.rec.Title), "part "); c > 1 {
					t.Errorf("%s:%d: %q numbers its part %d times", pr.truth.File, pr.truth.Line, pr.rec.Title, c)
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("%d part-series records, want at least 50", n)
	}
}
