// Package ingest reads every search export named in the config, in round
// and search order, into the records table. A record a reader cannot parse
// goes to the quarantine table with its file, line and reason, so that every
// input record ends up in exactly one of the two.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"

	// Readers register themselves with package formats.
	_ "github.com/realsynth/realsynth/internal/formats/all"
)

// Params are the ingest stage's settings.
type Params struct {
	FailOnQuarantine bool `mapstructure:"fail_on_quarantine" doc:"fail the run when any input record is quarantined, instead of warning"`
}

// Stage is the ingest stage's entry point.
var Stage = pipeline.Stage{
	Name:   "ingest",
	Doc:    "read every round's search exports (RIS, MEDLINE, BibTeX, EndNote XML, WoS, CSV) into records; unreadable input goes to quarantine",
	Params: func() any { return &Params{} },
	Run:    IngestExports,
	Check:  checkSearches,
}

// checkSearches makes sure every search names a known format and an
// encoding we can decode, and that each file looks like its format, before
// anything is read: a MEDLINE file named .ris, or format: medline on a RIS
// file, would lose fields from every record without a word.
func checkSearches(run *pipeline.Run, _ any) error {
	var errs []error
	for i, round := range run.Config.Rounds {
		for j, s := range round.Searches {
			at := fmt.Sprintf("rounds[%d].searches[%d]", i, j)
			if s.Encoding != "" {
				if err := formats.CheckEncoding(s.Encoding); err != nil {
					errs = append(errs, &pipeline.KeyError{Path: at + ".encoding", Err: err})
					continue
				}
			}
			if s.Format != "" {
				if _, err := formatFor(s, ""); err != nil {
					errs = append(errs, &pipeline.KeyError{Path: at + ".format", Err: err})
					continue
				}
			}
			files, err := run.Config.SearchFiles(s)
			if err != nil {
				errs = append(errs, &pipeline.KeyError{Path: at + ".path", Err: err})
				continue
			}
			for _, f := range files {
				format, err := formatFor(s, f)
				if err != nil {
					errs = append(errs, &pipeline.KeyError{Path: at, Err: err})
					continue
				}
				if err := checkContent(s, f, run.RelPath(f), format); err != nil {
					errs = append(errs, &pipeline.KeyError{Path: at, Err: err})
				}
			}
		}
	}
	return errors.Join(errs...)
}

// checkContent refuses a file that shows another format's signature and
// not its own, and says which format it looks like.
func checkContent(s pipeline.Search, path, rel string, format formats.Format) error {
	g, err := formats.SniffFile(path, s.Encoding)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	if g.Fits(format.Name) {
		return nil
	}
	why := "format: " + format.Name
	if s.Format == "" {
		why = "the format its extension " + filepath.Ext(path) + " names"
	}
	return fmt.Errorf("%s looks like %s, not %s (%s): set format: %s",
		rel, g.Looks, format.Title, why, g.Formats[0])
}

func formatFor(s pipeline.Search, path string) (formats.Format, error) {
	if s.Format != "" {
		f, ok := formats.Lookup(s.Format)
		if !ok {
			return formats.Format{}, fmt.Errorf("%q is unknown: use one of %s", s.Format, strings.Join(formats.Names(), ", "))
		}
		return f, nil
	}
	return formats.ForPath(path)
}

// IngestExports reads all searches of all rounds and puts records and quarantine.
func IngestExports(ctx context.Context, run *pipeline.Run, params any) error {
	p, err := pipeline.ParamsAs[Params](params)
	if err != nil {
		return err
	}
	var total int64
	type job struct {
		round  pipeline.Round
		search pipeline.Search
		file   string
	}
	var jobs []job
	for _, round := range run.Config.Rounds {
		for _, s := range round.Searches {
			files, err := run.Config.SearchFiles(s)
			if err != nil {
				return err
			}
			for _, f := range files {
				if fi, err := os.Stat(f); err == nil {
					total += fi.Size()
				}
				jobs = append(jobs, job{round, s, f})
			}
		}
	}
	progress := run.Progress("ingest (bytes)", total)
	defer progress.Done()

	// Files are parsed concurrently (parsing and normalising are most of
	// ingest's cost), then assembled in config order, and only then given
	// ids, so the tables do not depend on which file finished first.
	results := make([]fileResult, len(jobs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if ctx.Err() != nil {
				results[i].err = ctx.Err()
				return
			}
			results[i] = readExport(run, j.round, j.search, j.file, progress)
		}()
	}
	wg.Wait()

	n, nq := 0, 0
	for _, r := range results {
		if r.err != nil {
			return r.err
		}
		n += r.n
		nq += len(r.quarantine)
	}
	ids := newIDAssigner()
	records := make([]tables.Record, 0, n)
	quarantine := make([]tables.Quarantine, 0, nq)
	for i := range results {
		r := &results[i]
		for _, msg := range r.warnings {
			run.Warn("%s", msg)
		}
		for _, chunk := range r.records {
			for k := range chunk {
				chunk[k].RecordID = ids.unique(chunk[k].RecordID)
			}
			records = append(records, chunk...)
		}
		quarantine = append(quarantine, r.quarantine...)
		run.AddInput(r.input)
		*r = fileResult{} // let the file's slice go before the next is copied
	}
	if len(quarantine) > 0 {
		if p.FailOnQuarantine {
			// Nothing is committed: name the records here, not a table.
			return fmt.Errorf("%d input record(s) could not be read, and fail_on_quarantine is set: %s",
				len(quarantine), quarantineList(quarantine))
		}
		where := "see quarantine.parquet"
		if run.DryRun {
			where = "a run writes them to quarantine.parquet"
		}
		run.WarnN("quarantined_records", len(quarantine), "%d input record(s) quarantined; %s (first: %s)",
			len(quarantine), where, quarantineList(quarantine[:1]))
	}
	if err := pipeline.Put(run, "records", records); err != nil {
		return err
	}
	return pipeline.Put(run, "quarantine", quarantine)
}

// quarantineList names quarantined input by file:line and reason, the
// first maxNamed of them.
func quarantineList(q []tables.Quarantine) string {
	var parts []string
	for _, r := range q[:min(len(q), maxNamed)] {
		parts = append(parts, fmt.Sprintf("%s:%d: %s", r.SourceFile, r.SourceLine, r.Error))
	}
	s := strings.Join(parts, "; ")
	if len(q) > maxNamed {
		s += fmt.Sprintf("; and %d more", len(q)-maxNamed)
	}
	return s
}

// fileResult is what one export file gave: its records (completed, not
// yet given ids), quarantined input, reader warnings and manifest entry.
type fileResult struct {
	// records come in chunks of chunkRecords: a record is 600-odd bytes,
	// and regrowing one slice per file copied every record several times
	// over (seconds at a million records); assembly copies each once.
	records    [][]tables.Record
	n          int
	quarantine []tables.Quarantine
	warnings   []string
	input      pipeline.InputFile
	err        error
}

// chunkRecords is how many records a file's results hold per chunk.
const chunkRecords = 4096

// readExport streams one file through its reader. It runs concurrently
// with other files, so it reports warnings in its result, not to run.
func readExport(run *pipeline.Run, round pipeline.Round, s pipeline.Search, path string, progress pipeline.Progress) (res fileResult) {
	rel := run.RelPath(path)
	format, err := formatFor(s, path)
	if err != nil {
		return fileResult{err: err}
	}
	f, err := os.Open(path)
	if err != nil {
		return fileResult{err: fmt.Errorf("%s: %w", rel, err)}
	}
	defer f.Close()
	hr := pipeline.NewHashingReader(&progressReader{r: f, p: progress})
	decoded, err := formats.DecodeExport(hr, s.Encoding)
	if err != nil {
		return fileResult{err: fmt.Errorf("%s: %w", rel, err)}
	}
	reader := format.NewReader(decoded, formats.Options{Encoding: s.Encoding, Columns: s.Columns})

	// A reader bug must not take the run down with a stack trace: report
	// where it happened so the input can be sent to us.
	lastLine := int64(0)
	defer func() {
		if r := recover(); r != nil {
			res = fileResult{err: fmt.Errorf("%s reader failed near %s:%d (please report this with the file): %v", format.Name, rel, lastLine, r)}
		}
	}()
	for {
		rec, rerr := reader.Next()
		if rerr == io.EOF {
			break
		}
		if b, ok := formats.AsBadRecord(rerr); ok {
			lastLine = b.Line
			res.quarantine = append(res.quarantine, tables.Quarantine{
				Round: round.ID, Database: s.Database, SourceFile: rel, SourceLine: b.Line,
				Format: format.Name, Error: b.Msg, Raw: formats.CutRaw(b.Raw),
			})
			continue
		}
		if rerr != nil {
			return fileResult{err: fmt.Errorf("%s %s:%d: %w", format.Name, rel, lastLine, rerr)}
		}
		lastLine = rec.SourceLine
		rec.Round, rec.Database, rec.SourceFile, rec.Format = round.ID, s.Database, rel, format.Name
		biblio.Complete(rec)
		// The hash is computed here, in the file's goroutine; assembly
		// only makes repeated ids unique.
		rec.RecordID = baseRecordID(rec)
		if k := len(res.records); k == 0 || len(res.records[k-1]) == chunkRecords {
			res.records = append(res.records, make([]tables.Record, 0, chunkRecords))
		}
		last := &res.records[len(res.records)-1]
		*last = append(*last, *rec)
		res.n++
	}
	if w, ok := reader.(interface{ Warnings() []string }); ok {
		for _, msg := range w.Warnings() {
			res.warnings = append(res.warnings, rel+": "+msg)
		}
	}
	if msg := repairWarning(rel, decoded, &res); msg != "" {
		res.warnings = append(res.warnings, msg)
	}
	// Hash the whole file even if the reader stopped early.
	if _, err := io.Copy(io.Discard, hr); err != nil {
		return fileResult{err: fmt.Errorf("%s: %w", rel, err)}
	}
	if res.n == 0 {
		msg, fatal := noRecords(path, rel, s, format, len(res.quarantine))
		if fatal {
			return fileResult{err: errors.New(msg)}
		}
		res.warnings = append(res.warnings, msg)
	}
	res.input = pipeline.InputFile{
		Path: rel, Bytes: hr.N, SHA256: hr.SHA256(), Kind: "search export",
		Round: round.ID, Database: s.Database, Format: format.Name, Encoding: decoded.Encoding(),
		Records: res.n, Quarantined: len(res.quarantine),
	}
	return res
}

// noRecords explains a file that gave no record. An empty file, or an
// export of the right format that holds none (a CSV header, an empty
// EndNote library), is a warning; anything else is an error that says what
// the file looks like, since a search export is never meant to be so.
func noRecords(path, rel string, s pipeline.Search, format formats.Format, quarantined int) (msg string, fatal bool) {
	g, err := formats.SniffFile(path, s.Encoding)
	switch {
	case err != nil:
		return fmt.Sprintf("%s: no records, and the file cannot be read again: %v", rel, err), true
	case g.Empty:
		return fmt.Sprintf("%s is empty: no records from this search", rel), false
	case g.Shows(format.Name) && quarantined == 0:
		return fmt.Sprintf("%s holds no records: a %s export without entries", rel, format.Title), false
	case g.Shows(format.Name):
		return fmt.Sprintf("%s: no record could be read; all %d are in quarantine", rel, quarantined), true
	}
	return fmt.Sprintf("%s gave no records: it looks like %s, not %s", rel, g.Looks, format.Title), true
}

// maxNamed is how many records a warning names before it only counts.
const maxNamed = 5

// repairWarning names the records whose bytes the decoder changed: stray
// bytes that are not UTF-8 (read as Windows-1252) and NUL bytes (removed).
// A line is attributed to the record or quarantined stretch that starts at
// or before it, since readers give each record its first line.
func repairWarning(rel string, d *formats.Decoded, res *fileResult) string {
	repairs := d.Repairs()
	if len(repairs) == 0 {
		return ""
	}
	type unit struct {
		line int64
		name string
	}
	var units []unit // records and quarantined stretches, by first line
	for _, chunk := range res.records {
		for i := range chunk {
			name := fmt.Sprintf("line %d", chunk[i].SourceLine)
			if chunk[i].SourceKey != "" {
				name += " (key " + chunk[i].SourceKey + ")"
			}
			units = append(units, unit{chunk[i].SourceLine, name})
		}
	}
	for _, q := range res.quarantine {
		units = append(units, unit{q.SourceLine, fmt.Sprintf("line %d (quarantined)", q.SourceLine)})
	}
	sort.SliceStable(units, func(i, j int) bool { return units[i].line < units[j].line })
	var notUTF8Lines, nulLines int
	var named []string
	last := -1
	for _, r := range repairs {
		if r.NotUTF8 > 0 {
			notUTF8Lines++
		}
		if r.NUL > 0 {
			nulLines++
		}
		k := sort.Search(len(units), func(i int) bool { return units[i].line > r.Line }) - 1
		if k >= 0 && k != last {
			named = append(named, units[k].name)
			last = k
		}
	}
	list := strings.Join(named[:min(len(named), maxNamed)], ", ")
	if len(named) > maxNamed {
		list += fmt.Sprintf(" and %d more", len(named)-maxNamed)
	}
	if d.Encoding() == "windows-1252" && nulLines == 0 {
		return fmt.Sprintf("%s: not valid UTF-8; read as Windows-1252 (set encoding: in the config to choose another); %d record(s) hold such bytes: %s",
			rel, len(named), list)
	}
	var what []string
	switch {
	case notUTF8Lines > 0 && d.Encoding() == "windows-1252":
		what = append(what, fmt.Sprintf("the file is not valid UTF-8 and was read as Windows-1252 (%d line(s); set encoding: in the config to choose another)", notUTF8Lines))
	case notUTF8Lines > 0:
		what = append(what, fmt.Sprintf("%d line(s) had bytes that are not UTF-8, read as Windows-1252 while the rest of the file stays UTF-8 (set encoding: if it is in another encoding)", notUTF8Lines))
	}
	if nulLines > 0 {
		what = append(what, fmt.Sprintf("%d line(s) had NUL bytes, removed", nulLines))
	}
	msg := fmt.Sprintf("%s: repaired the bytes of %d record(s): %s. %s", rel, len(named), list, strings.Join(what, "; "))
	return msg
}

type progressReader struct {
	r io.Reader
	p pipeline.Progress
}

func (pr *progressReader) Read(b []byte) (int, error) {
	n, err := pr.r.Read(b)
	pr.p.Add(int64(n))
	return n, err
}

// idAssigner derives record ids. An id depends on the round, the database
// and the record's key in that database (or, without a key, its content),
// never on its position in a file: re-exporting a search or re-running the
// pipeline gives every record the same id. The round is part of the id
// because a record is one entry of one export; finding the same paper in a
// later round is the dedupe stage's business.
type idAssigner struct {
	seen map[string]int // id → times issued, to keep ids unique when a file repeats a key
}

func newIDAssigner() *idAssigner { return &idAssigner{seen: map[string]int{}} }

// baseRecordID hashes what identifies rec in its export: round, database
// and key, or its content when the database gives no key.
func baseRecordID(rec *tables.Record) string {
	h := sha256.New()
	writeField := func(s string) {
		h.Write([]byte(s))
		h.Write([]byte{0x1f})
	}
	writeField(rec.Round)
	writeField(strings.ToLower(rec.Database))
	if rec.SourceKey != "" {
		writeField("key")
		writeField(rec.SourceKey)
	} else {
		writeField("content")
		for _, f := range []string{rec.Type, rec.Title, strings.Join(rec.Authors, ";"), yearString(rec.Year),
			rec.Journal, rec.Volume, rec.Issue, rec.Pages, rec.DOI, rec.Abstract} {
			writeField(f)
		}
	}
	return "rec-" + hex.EncodeToString(h.Sum(nil)[:8])
}

// unique returns id, or id-N for its Nth appearance: the same key (or
// identical keyless content) twice in one round and database keeps both
// rows, told apart by their order of appearance.
func (a *idAssigner) unique(id string) string {
	a.seen[id]++
	if n := a.seen[id]; n > 1 {
		return id + "-" + strconv.Itoa(n)
	}
	return id
}

func yearString(y *int32) string {
	if y == nil {
		return ""
	}
	return strconv.Itoa(int(*y))
}
