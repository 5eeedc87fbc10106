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
	"runtime"
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
// encoding we can decode, before anything is read.
func checkSearches(run *pipeline.Run, _ any) error {
	var errs []error
	for i, round := range run.Config.Rounds {
		for j, s := range round.Searches {
			files, err := run.Config.SearchFiles(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("rounds[%d].searches[%d].path: %w", i, j, err))
				continue
			}
			for _, f := range files {
				if _, err := formatFor(s, f); err != nil {
					errs = append(errs, fmt.Errorf("rounds[%d].searches[%d]: %w", i, j, err))
				}
			}
		}
	}
	return errors.Join(errs...)
}

func formatFor(s pipeline.Search, path string) (formats.Format, error) {
	if s.Format != "" {
		f, ok := formats.Lookup(s.Format)
		if !ok {
			return formats.Format{}, fmt.Errorf("format %q is unknown: use one of %s", s.Format, strings.Join(formats.Names(), ", "))
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
		msg := fmt.Sprintf("%d input record(s) quarantined; see quarantine.parquet (first: %s:%d: %s)",
			len(quarantine), quarantine[0].SourceFile, quarantine[0].SourceLine, quarantine[0].Error)
		if p.FailOnQuarantine {
			return errors.New(msg)
		}
		run.WarnN("quarantined_records", len(quarantine), "%s", msg)
	}
	if err := pipeline.Put(run, "records", records); err != nil {
		return err
	}
	return pipeline.Put(run, "quarantine", quarantine)
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
	decoded, encoding, err := formats.Decode(hr, s.Encoding)
	if err != nil {
		return fileResult{err: fmt.Errorf("%s: %w", rel, err)}
	}
	if s.Encoding == "" && encoding == "windows-1252" {
		res.warnings = append(res.warnings, rel+": not valid UTF-8; read as Windows-1252 (set encoding: in the config to choose another)")
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
	// Hash the whole file even if the reader stopped early.
	if _, err := io.Copy(io.Discard, hr); err != nil {
		return fileResult{err: fmt.Errorf("%s: %w", rel, err)}
	}
	res.input = pipeline.InputFile{
		Path: rel, Bytes: hr.N, SHA256: hr.SHA256(), Kind: "search export",
		Round: round.ID, Database: s.Database, Format: format.Name, Encoding: encoding,
		Records: res.n, Quarantined: len(res.quarantine),
	}
	return res
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
