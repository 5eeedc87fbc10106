// Command gencorpus writes a synthetic search corpus with its truth, and
// scores a realsynth run on it.
//
//	gencorpus -profile hard -records 100000 -out DIR
//	realsynth run --config DIR/review.yaml --out OUT
//	gencorpus score -corpus DIR -run OUT
//
// The corpus folder holds the exports (several files per database:
// medline-01.nbib, embase-01.ris, …), truth.tsv (each record's true report
// and study), review.yaml (a config running every stage on the exports)
// and corpus.json. The same flags give the same bytes.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/realsynth/realsynth/internal/synthgen"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "score" {
		os.Exit(score(os.Args[2:], os.Stdout))
	}
	os.Exit(generate(os.Args[1:], os.Stdout))
}

func generate(args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("gencorpus", flag.ContinueOnError)
	profile := fs.String("profile", synthgen.ProfileHard, "corpus profile: hard (as hard as real exports) or old (the first benchmark corpus)")
	records := fs.Int("records", 10000, "number of records")
	seed := fs.Uint64("seed", 20261122, "random seed: the same seed gives the same bytes")
	fileRecords := fs.Int("file-records", 0, "records per export file at most (0: records/20, at least 500)")
	out := fs.String("out", "", "folder to write the corpus into (created; its corpus files are replaced)")
	reuse := fs.Bool("reuse", false, "keep the corpus already in -out if it was made with the same flags")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: gencorpus [-profile hard|old] [-records N] [-seed S] -out DIR\n       gencorpus score -corpus DIR -run OUTPUT_DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	start := time.Now()
	cfg := synthgen.CorpusConfig{Profile: *profile, Records: *records, Seed: *seed, FileRecords: *fileRecords}
	write := synthgen.WriteCorpusDir
	if *reuse {
		write = synthgen.EnsureCorpusDir
	}
	c, err := write(*out, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		return 1
	}
	var bytes int64
	for _, f := range c.Files {
		if fi, err := os.Stat(filepath.Join(*out, f.Name)); err == nil {
			bytes += fi.Size()
		}
	}
	fmt.Fprintf(stdout, "%s corpus: %d records in %d files (%.1f MB) in %s (%.1fs)\n",
		c.Config.Profile, c.Records, len(c.Files), float64(bytes)/1e6, *out, time.Since(start).Seconds())
	fmt.Fprintf(stdout, "run it:   realsynth run --config %s --out OUT\nscore it: gencorpus score -corpus %s -run OUT\n",
		filepath.Join(*out, synthgen.ReviewFile), *out)
	return 0
}

func score(args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("gencorpus score", flag.ContinueOnError)
	corpus := fs.String("corpus", "", "the corpus folder (with truth.tsv)")
	run := fs.String("run", "", "the output folder of a realsynth run on the corpus")
	asJSON := fs.Bool("json", false, "print the score as JSON")
	show := fs.String("show", "", "also print examples: the false merges of a look-alike family, or the split duplicates of a variation tag")
	examples := fs.Int("examples", 8, "how many examples -show prints")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *corpus == "" || *run == "" || fs.NArg() > 0 {
		fmt.Fprintln(fs.Output(), "usage: gencorpus score -corpus DIR -run OUTPUT_DIR [-json] [-show FAMILY|TAG [-examples N]]")
		return 2
	}
	s, err := scoreRun(*corpus, *run)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus score:", err)
		return 1
	}
	if *show != "" {
		defer func() {
			if err := showExamples(stdout, *corpus, *run, *show, *examples); err != nil {
				fmt.Fprintln(os.Stderr, "gencorpus score:", err)
			}
		}()
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(s); err != nil {
			fmt.Fprintln(os.Stderr, "gencorpus score:", err)
			return 1
		}
		return 0
	}
	s.WriteText(stdout)
	return 0
}

func scoreRun(corpus, run string) (*synthgen.Score, error) {
	f, err := os.Open(filepath.Join(corpus, synthgen.TruthFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	truth, err := synthgen.LoadTruth(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	records, err := table.ReadFile[tables.Record](filepath.Join(run, "records.parquet"))
	if err != nil {
		return nil, err
	}
	works, err := table.ReadFile[tables.Work](filepath.Join(run, "works.parquet"))
	if err != nil {
		return nil, err
	}
	return truth.Score(synthgen.PredictionsFrom(records, works)), nil
}

// showExamples prints works that merge different reports of a family's
// groups (false merges), or reports with a variation tag that were split
// over several works (missed duplicates), one record a line.
func showExamples(w io.Writer, corpus, run, name string, limit int) error {
	f, err := os.Open(filepath.Join(corpus, synthgen.TruthFile))
	if err != nil {
		return err
	}
	defer f.Close()
	truth := map[string]synthgen.TruthRow{}
	if err := synthgen.ReadTruth(f, func(r *synthgen.TruthRow) error {
		truth[fmt.Sprintf("%s:%d", r.File, r.Line)] = *r
		return nil
	}); err != nil {
		return err
	}
	records, err := table.ReadFile[tables.Record](filepath.Join(run, "records.parquet"))
	if err != nil {
		return err
	}
	rowOf := func(r *tables.Record) synthgen.TruthRow {
		return truth[fmt.Sprintf("%s:%d", filepath.Base(r.SourceFile), r.SourceLine)]
	}
	inFamily := func(t synthgen.TruthRow) bool {
		return slices.ContainsFunc(t.Groups, func(g string) bool { return strings.HasPrefix(g, name+"/") })
	}
	group := func(key func(r *tables.Record) string) ([]string, map[string][]int) {
		var order []string
		m := map[string][]int{}
		for i := range records {
			k := key(&records[i])
			if m[k] == nil {
				order = append(order, k)
			}
			m[k] = append(m[k], i)
		}
		sort.Strings(order)
		return order, m
	}
	distinct := func(idx []int, key func(r *tables.Record) string) int {
		seen := map[string]bool{}
		for _, i := range idx {
			seen[key(&records[i])] = true
		}
		return len(seen)
	}
	report := func(r *tables.Record) string { return rowOf(r).Report }
	work := func(r *tables.Record) string { return r.WorkID }
	fmt.Fprintf(w, "\nexamples for %s: false merges (works holding several reports of the family), or split duplicates (reports with the tag in several works)\n", name)
	shown := 0
	print := func(idx []int) {
		fmt.Fprintln(w, "----")
		for _, i := range idx {
			r := &records[i]
			t := rowOf(r)
			year := ""
			if r.Year != nil {
				year = strconv.Itoa(int(*r.Year))
			}
			fmt.Fprintf(w, "%s %s %s %s:%d %v | %.70s | %s | %s v%s i%s p%s doi %s | %d authors, first %q | %v\n",
				r.WorkID, t.Report, t.Kind, t.File, t.Line, t.Tags, r.Title, r.Journal, year, r.Volume, r.Issue, r.Pages, r.DOI,
				len(r.Authors), strings.Join(r.Authors[:min(1, len(r.Authors))], ""), r.PublicationType)
		}
	}
	works, byWork := group(work)
	for _, k := range works {
		idx := byWork[k]
		if shown < limit && distinct(idx, report) > 1 && slices.ContainsFunc(idx, func(i int) bool { return inFamily(rowOf(&records[i])) }) {
			print(idx)
			shown++
		}
	}
	reports, byReport := group(report)
	for _, k := range reports {
		idx := byReport[k]
		if shown < limit && distinct(idx, work) > 1 && slices.ContainsFunc(idx, func(i int) bool { return slices.Contains(rowOf(&records[i]).Tags, name) }) {
			print(idx)
			shown++
		}
	}
	if shown == 0 {
		fmt.Fprintln(w, "none")
	}
	return nil
}
