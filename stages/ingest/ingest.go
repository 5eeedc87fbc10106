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
	"strconv"
	"strings"

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

	ids := newIDAssigner()
	var records []tables.Record
	var quarantine []tables.Quarantine
	for _, j := range jobs {
		if err := ctx.Err(); err != nil {
			return err
		}
		recs, bad, err := readExport(run, j.round, j.search, j.file, ids, progress)
		if err != nil {
			return err
		}
		records = append(records, recs...)
		quarantine = append(quarantine, bad...)
	}
	if len(quarantine) > 0 {
		msg := fmt.Sprintf("%d input record(s) quarantined; see quarantine.parquet (first: %s:%d: %s)",
			len(quarantine), quarantine[0].SourceFile, quarantine[0].SourceLine, quarantine[0].Error)
		if p.FailOnQuarantine {
			return errors.New(msg)
		}
		run.Warn("%s", msg)
	}
	if err := pipeline.Put(run, "records", records); err != nil {
		return err
	}
	return pipeline.Put(run, "quarantine", quarantine)
}

// readExport streams one file through its reader.
func readExport(run *pipeline.Run, round pipeline.Round, s pipeline.Search, path string, ids *idAssigner, progress pipeline.Progress) (recs []tables.Record, bad []tables.Quarantine, err error) {
	rel := run.RelPath(path)
	format, err := formatFor(s, path)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	defer f.Close()
	hr := pipeline.NewHashingReader(&progressReader{r: f, p: progress})
	decoded, encoding, err := formats.Decode(hr, s.Encoding)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	if s.Encoding == "" && encoding == "windows-1252" {
		run.Warn("%s: not valid UTF-8; read as Windows-1252 (set encoding: in the config to choose another)", rel)
	}
	reader := format.NewReader(decoded, formats.Options{Encoding: s.Encoding, Columns: s.Columns})

	// A reader bug must not take the run down with a stack trace: report
	// where it happened so the input can be sent to us.
	lastLine := int64(0)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s reader failed near %s:%d (please report this with the file): %v", format.Name, rel, lastLine, r)
		}
	}()
	for {
		rec, rerr := reader.Next()
		if rerr == io.EOF {
			break
		}
		if b, ok := formats.AsBadRecord(rerr); ok {
			lastLine = b.Line
			bad = append(bad, tables.Quarantine{
				Round: round.ID, Database: s.Database, SourceFile: rel, SourceLine: b.Line,
				Format: format.Name, Error: b.Msg, Raw: formats.CutRaw(b.Raw),
			})
			continue
		}
		if rerr != nil {
			return nil, nil, fmt.Errorf("%s %s:%d: %w", format.Name, rel, lastLine, rerr)
		}
		lastLine = rec.SourceLine
		rec.Round, rec.Database, rec.SourceFile, rec.Format = round.ID, s.Database, rel, format.Name
		biblio.Complete(rec)
		rec.RecordID = ids.assign(rec)
		recs = append(recs, *rec)
	}
	if w, ok := reader.(interface{ Warnings() []string }); ok {
		for _, msg := range w.Warnings() {
			run.Warn("%s: %s", rel, msg)
		}
	}
	// Hash the whole file even if the reader stopped early.
	if _, err := io.Copy(io.Discard, hr); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	run.AddInput(pipeline.InputFile{
		Path: rel, Bytes: hr.N, SHA256: hr.SHA256(), Kind: "search export",
		Round: round.ID, Database: s.Database, Format: format.Name, Encoding: encoding,
		Records: len(recs), Quarantined: len(bad),
	})
	return recs, bad, nil
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

func (a *idAssigner) assign(rec *tables.Record) string {
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
	id := "rec-" + hex.EncodeToString(h.Sum(nil))[:16]
	a.seen[id]++
	if n := a.seen[id]; n > 1 {
		// The same key (or identical keyless content) twice in one round and
		// database: keep both rows, told apart by their order of appearance.
		id += "-" + strconv.Itoa(n)
	}
	return id
}

func yearString(y *int32) string {
	if y == nil {
		return ""
	}
	return strconv.Itoa(int(*y))
}
