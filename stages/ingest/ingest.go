// Package ingest reads every search export named in the config, in round
// and search order, into the records table. A record a reader cannot parse
// goes to the quarantine table with its file, line and reason, so that every
// input record ends up in exactly one of the two.
package ingest

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/pipeline/table"

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
	records, err := pipeline.NewChunked[tables.Record](run, "records")
	if err != nil {
		return err
	}

	// Files are parsed concurrently (parsing and normalising are most of
	// ingest's cost), each into chunks of Arrow columns encoded into the
	// run's spill as it goes; then the tables are assembled in a fixed
	// order and ids made unique, so they do not depend on which file
	// finished first.
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
			results[i] = readExport(ctx, run, records, j.round, j.search, j.file, progress)
		}()
	}
	wg.Wait()

	nq := 0
	for _, r := range results {
		if r.err != nil {
			return r.err
		}
		nq += len(r.quarantine)
	}
	quarantine := make([]tables.Quarantine, 0, nq)
	for i := range results {
		r := &results[i]
		for _, msg := range r.warnings {
			run.Warn("%s", msg)
		}
		quarantine = append(quarantine, r.quarantine...)
		run.AddInput(r.input)
	}
	if err := assembleRecords(ctx, run, records, results); err != nil {
		return err
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
	if err := pipeline.PutChunked(run, "records", records); err != nil {
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

// fileResult is what one export file gave: its records as encoded chunks
// (completed, with their base ids), quarantined input, reader warnings and
// manifest entry.
type fileResult struct {
	key    tableOrder
	chunks []table.Chunk
	// heads are the records' base ids in file order, each as the 64 bits
	// its hex digits spell ("rec-" + 16 hex digits): assembly finds the
	// ids a file repeats without keeping a million strings.
	heads []uint64
	// inLineOrder: every record starts on a later line than the one
	// before, so the file's order is the table's (see tableOrder).
	inLineOrder bool
	// units are the records and quarantined stretches to name in a
	// warning about repaired bytes (see repairWarning); kept only once the
	// decoder has repaired something.
	units      []unit
	quarantine []tables.Quarantine
	warnings   []string
	input      pipeline.InputFile
	err        error
}

// tableOrder is where a file's records go in the records table: by round
// (config order), database and file name, then by line. Readers give
// records in file order, so a table of such files is a sequence of files;
// the few exports with records sharing a line (one-line EndNote XML)
// are sorted by line and id.
type tableOrder struct {
	round       int
	roundID, db string
	file        string
}

func (a tableOrder) compare(b tableOrder) int {
	return cmp.Or(cmp.Compare(a.round, b.round), cmp.Compare(a.roundID, b.roundID), cmp.Compare(a.db, b.db), cmp.Compare(a.file, b.file))
}

// unit is a record or quarantined stretch, by its first line.
type unit struct {
	line int64
	name string
}

// readExport streams one file through its reader, completes each record
// and encodes them, a chunk at a time, into records' spill. It runs
// concurrently with other files, so it reports warnings in its result,
// not to run.
func readExport(ctx context.Context, run *pipeline.Run, records *table.Chunked, round pipeline.Round, s pipeline.Search, path string, progress pipeline.Progress) (res fileResult) {
	rel := run.RelPath(path)
	res.key = tableOrder{run.Config.RoundIndex(round.ID), round.ID, s.Database, rel}
	res.inLineOrder = true
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
	var last unit // the last unit before the decoder repaired anything
	note := func(u unit) {
		if len(decoded.Repairs()) == 0 {
			last = u
			return
		}
		if res.units == nil && last.name != "" {
			res.units = append(res.units, last)
		}
		res.units = append(res.units, u)
	}
	buf := make([]tables.Record, 0, table.ChunkRows)
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		chunks, err := table.EncodeRows(records, buf)
		if err != nil {
			return err
		}
		res.chunks = append(res.chunks, chunks...)
		clear(buf) // let the records' strings go
		buf = buf[:0]
		return ctx.Err()
	}
	n, prevLine := 0, int64(0)
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
			note(unit{b.Line, fmt.Sprintf("line %d (quarantined)", b.Line)})
			continue
		}
		if rerr != nil {
			return fileResult{err: fmt.Errorf("%s %s:%d: %w", format.Name, rel, lastLine, rerr)}
		}
		if n > 0 && rec.SourceLine <= prevLine {
			res.inLineOrder = false
		}
		prevLine, lastLine = rec.SourceLine, rec.SourceLine
		rec.Round, rec.Database, rec.SourceFile, rec.Format = round.ID, s.Database, rel, format.Name
		biblio.Complete(rec)
		// The hash is computed here, in the file's goroutine; assembly
		// only makes repeated ids unique.
		var head uint64
		rec.RecordID, head = baseRecordID(rec)
		res.heads = append(res.heads, head)
		name := fmt.Sprintf("line %d", rec.SourceLine)
		if rec.SourceKey != "" {
			name += " (key " + rec.SourceKey + ")"
		}
		if len(decoded.Repairs()) > 0 {
			note(unit{rec.SourceLine, name})
		} else {
			last = unit{rec.SourceLine, name}
		}
		buf = append(buf, *rec)
		n++
		if len(buf) == table.ChunkRows {
			if err := flush(); err != nil {
				return fileResult{err: err}
			}
		}
	}
	if err := flush(); err != nil {
		return fileResult{err: err}
	}
	if w, ok := reader.(interface{ Warnings() []string }); ok {
		for _, msg := range w.Warnings() {
			res.warnings = append(res.warnings, rel+": "+msg)
		}
	}
	if msg := repairWarning(rel, decoded, res.units); msg != "" {
		res.warnings = append(res.warnings, msg)
	}
	// Hash the whole file even if the reader stopped early.
	if _, err := io.Copy(io.Discard, hr); err != nil {
		return fileResult{err: fmt.Errorf("%s: %w", rel, err)}
	}
	if n == 0 {
		msg, fatal := noRecords(path, rel, s, format, len(res.quarantine))
		if fatal {
			return fileResult{err: errors.New(msg)}
		}
		res.warnings = append(res.warnings, msg)
	}
	res.input = pipeline.InputFile{
		Path: rel, Bytes: hr.N, SHA256: hr.SHA256(), Kind: "search export",
		Round: round.ID, Database: s.Database, Format: format.Name, Encoding: decoded.Encoding(),
		Records: n, Quarantined: len(res.quarantine),
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
// or before it, since readers give each record its first line; units are
// those records and stretches from the last one before the first repair on.
func repairWarning(rel string, d *formats.Decoded, units []unit) string {
	repairs := d.Repairs()
	if len(repairs) == 0 {
		return ""
	}
	units = slices.Clone(units)
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

// Record ids depend on the round, the database and the record's key in
// that database (or, without a key, its content), never on its position in
// a file: re-exporting a search or re-running the pipeline gives every
// record the same id. The round is part of the id because a record is one
// entry of one export; finding the same paper in a later round is the
// dedupe stage's business.

// baseRecordID hashes what identifies rec in its export: round, database
// and key, or its content when the database gives no key. head is the
// id's 16 hex digits as a number.
func baseRecordID(rec *tables.Record) (id string, head uint64) {
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
	sum := h.Sum(nil)[:8]
	return idFromHead(binary.BigEndian.Uint64(sum)), binary.BigEndian.Uint64(sum)
}

func idFromHead(head uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], head)
	return "rec-" + hex.EncodeToString(b[:])
}

// assembleRecords puts the files' chunks into records in table order
// (see tableOrder) and makes ids unique: the same key (or identical
// keyless content) twice in one round and database keeps both rows, the
// Nth appearance, in config and file order, being id-N. Only the chunks
// that hold such a record, or files whose records share lines, are
// decoded and encoded again.
func assembleRecords(ctx context.Context, run *pipeline.Run, records *table.Chunked, results []fileResult) error {
	// Appearances, in config and file order, grouped by base id.
	type appearance struct {
		head     uint64
		file, at int32
	}
	var all []appearance
	for f := range results {
		for k, h := range results[f].heads {
			all = append(all, appearance{h, int32(f), int32(k)})
		}
	}
	slices.SortStableFunc(all, func(a, b appearance) int { return cmp.Compare(a.head, b.head) })
	renamed := map[[2]int32]string{} // (file, record) → id-N
	for s := 0; s < len(all); {
		e := s + 1
		for e < len(all) && all[e].head == all[s].head {
			e++
		}
		for n := 2; s+n-1 < e; n++ {
			a := all[s+n-1]
			renamed[[2]int32{a.file, a.at}] = idFromHead(a.head) + "-" + strconv.Itoa(n)
		}
		s = e
	}
	all = nil

	order := make([]int, len(results))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return results[a].key.compare(results[b].key) })
	for g := 0; g < len(order); {
		h := g + 1
		for h < len(order) && results[order[h]].key.compare(results[order[g]].key) == 0 {
			h++
		}
		group := order[g:h]
		g = h
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(group) == 1 && results[group[0]].inLineOrder {
			// The file's order is the table's: its chunks go in as they
			// are, but for those holding a renamed record.
			f := group[0]
			at := 0
			for _, ch := range results[f].chunks {
				var fix []int
				for k := range ch.Rows {
					if _, ok := renamed[[2]int32{int32(f), int32(at + k)}]; ok {
						fix = append(fix, k)
					}
				}
				if len(fix) > 0 {
					var err error
					if ch, err = renameInChunk(records, ch, func(k int) string { return renamed[[2]int32{int32(f), int32(at + k)}] }, fix); err != nil {
						return err
					}
				}
				records.Add(ch)
				at += ch.Rows
			}
			continue
		}
		// Records sharing lines, or files of one round, database and
		// name (one file named by two searches): sorted by line and id.
		var rows []tables.Record
		for _, f := range group {
			at := 0
			for _, ch := range results[f].chunks {
				part, err := decodeChunk(records, ch)
				if err != nil {
					return err
				}
				for k := range part {
					if id, ok := renamed[[2]int32{int32(f), int32(at + k)}]; ok {
						part[k].RecordID = id
					}
				}
				rows = append(rows, part...)
				at += ch.Rows
			}
		}
		slices.SortStableFunc(rows, func(a, b tables.Record) int {
			return cmp.Or(cmp.Compare(a.SourceLine, b.SourceLine), cmp.Compare(a.RecordID, b.RecordID))
		})
		if err := table.AppendRows(records, rows); err != nil {
			return err
		}
	}
	for i := range results {
		results[i].chunks, results[i].heads = nil, nil
	}
	return nil
}

// decodeChunk decodes a chunk a file's reading encoded.
func decodeChunk(records *table.Chunked, ch table.Chunk) ([]tables.Record, error) {
	return table.DecodeEncoded[tables.Record](records, ch, nil)
}

// renameInChunk gives the records at rows fix of ch their ids id(k):
// only the chunk's record_id column is decoded and encoded again.
func renameInChunk(records *table.Chunked, ch table.Chunk, id func(k int) string, fix []int) (table.Chunk, error) {
	rows, err := table.DecodeEncoded[tables.Record](records, ch, nil, "record_id")
	if err != nil {
		return table.Chunk{}, err
	}
	ids := make([]string, len(rows))
	for k := range rows {
		ids[k] = rows[k].RecordID
	}
	for _, k := range fix {
		ids[k] = id(k)
	}
	return records.WithStrings(ch, "record_id", ids)
}

func yearString(y *int32) string {
	if y == nil {
		return ""
	}
	return strconv.Itoa(int(*y))
}
