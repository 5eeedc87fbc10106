package pipeline

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"sync"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

// Run is what a stage sees of the current run: the config, the tables put so
// far, the previous run's output, and the run's log, warnings and inputs.
type Run struct {
	Config *Config
	Log    *slog.Logger
	// DryRun is set by `realsynth validate`: the stages run, but nothing is
	// written, so messages must not point to output files.
	DryRun bool

	mu        sync.Mutex
	tables    map[string]any // table name → []Row or *table.Chunked; names come from tables.Catalog, never user data
	files     map[string][]byte
	warnings  []Warning
	stage     string // the stage running now: the kind of its plain warnings
	inputs    map[string]*InputFile
	progress  ProgressFactory
	outDir    string // the committed output of the previous run, if any
	tableMeta map[string]string
	// spillDir is where chunked tables keep their chunks (see Spill); ""
	// keeps them in memory. Execute sets it to a folder beside the output.
	spillDir string
	spill    *table.Spill
	// outTmp is the temporary output folder files are streamed into
	// (CreateFile); streamed lists them, nil until closed.
	outTmp   string
	streamed map[string]*ManifestFile
}

// NewRun prepares a run for cfg. prevOut is the directory holding the previous
// committed output (it may not exist).
func NewRun(cfg *Config, log *slog.Logger, progress ProgressFactory) *Run {
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if progress == nil {
		progress = quietProgress{}
	}
	return &Run{
		Config:   cfg,
		Log:      log,
		tables:   map[string]any{},
		files:    map[string][]byte{},
		streamed: map[string]*ManifestFile{},
		inputs:   map[string]*InputFile{},
		progress: progress,
		outDir:   cfg.Output,
	}
}

// Put stores a stage's output table under its catalog name, replacing any
// earlier version (dedupe replaces records, adding work ids).
func Put[T any](run *Run, name string, rows []T) error {
	spec, ok := tables.Lookup(name)
	if !ok {
		return fmt.Errorf("internal error: table %q is not declared in internal/tables", name)
	}
	if got, want := reflect.TypeFor[T](), reflect.TypeOf(spec.Row); got != want {
		return fmt.Errorf("internal error: table %q holds %v rows, not %v", name, want, got)
	}
	if rows == nil {
		rows = []T{}
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	run.tables[name] = rows
	return nil
}

// Get returns a table an earlier stage put. ok is false when no stage did
// (for example when the stage that makes it is disabled). A chunked table
// is decoded whole, or only the columns named (T's other fields stay
// zero): stages read the largest tables with Scan instead.
func Get[T any](run *Run, name string, columns ...string) (rows []T, ok bool, err error) {
	run.mu.Lock()
	v, ok := run.tables[name]
	run.mu.Unlock()
	if !ok {
		return nil, false, nil
	}
	if c, isChunked := v.(*table.Chunked); isChunked {
		if c.RowType() != reflect.TypeFor[T]() {
			return nil, false, fmt.Errorf("internal error: table %q holds %v rows, not %v", name, c.RowType(), reflect.TypeFor[T]())
		}
		all, err := c.ReadAll(columns...)
		if err != nil {
			return nil, false, fmt.Errorf("table %s: %w", name, err)
		}
		return all.Interface().([]T), true, nil
	}
	rows, isT := v.([]T)
	if !isT {
		return nil, false, fmt.Errorf("internal error: table %q holds %T, not []%v", name, v, reflect.TypeFor[T]())
	}
	return rows, true, nil
}

// Previous reads a table from the previous committed output of this config,
// so that ids issued by an earlier round stay stable. ok is false when there
// is no previous output or it lacks the table.
func Previous[T any](run *Run, name string) (rows []T, ok bool, err error) {
	path, ok := run.previousTable(name)
	if !ok {
		return nil, false, nil
	}
	rows, err = table.ReadFile[T](path)
	if err != nil {
		return nil, false, fmt.Errorf("previous output %s: %w", path, err)
	}
	return rows, true, nil
}

// ScanPrevious reads a table of the previous committed output as Previous
// does, a batch of rows at a time (see table.ScanFile): the previous
// records of a million-record review are not all held at once. ok is
// false when there is no previous output or it lacks the table.
func ScanPrevious[T any](run *Run, name string, each func(rows []T) error) (ok bool, err error) {
	path, ok := run.previousTable(name)
	if !ok {
		return false, nil
	}
	if err := table.ScanFile(path, each); err != nil {
		return true, fmt.Errorf("previous output %s: %w", path, err)
	}
	return true, nil
}

// previousTable is the path of a table in the previous committed output;
// ok is false when there is none.
func (run *Run) previousTable(name string) (path string, ok bool) {
	if run.outDir == "" {
		return "", false
	}
	path = filepath.Join(run.outDir, name+".parquet")
	if _, err := os.Stat(path); err != nil {
		return "", false
	}
	return path, true
}

// PutFile stores a non-table output (prisma.csv, prisma.svg) written with the tables.
func (run *Run) PutFile(name string, data []byte) {
	run.mu.Lock()
	defer run.mu.Unlock()
	run.files[name] = data
}

// Warning is one warning of a run. Kind groups warnings for the run
// summary and report.html; Count is how many items it is about (records
// quarantined, votes unmatched), so a kind's total is the sum of its Counts.
type Warning struct {
	Kind    string `json:"kind"`
	Count   int    `json:"count"`
	Message string `json:"message"`
}

// Warn records a warning about one thing, of the running stage's kind, in
// the manifest and logs it. Use WarnN when a kind of its own helps the team.
func (run *Run) Warn(format string, args ...any) {
	run.mu.Lock()
	kind := run.stage
	run.mu.Unlock()
	if kind == "" {
		kind = "run"
	}
	run.WarnN(kind, 1, format, args...)
}

// WarnN records a warning of a named kind (quarantined_records,
// unmatched_votes…) that covers n items, and logs it.
func (run *Run) WarnN(kind string, n int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	run.mu.Lock()
	run.warnings = append(run.warnings, Warning{Kind: kind, Count: n, Message: msg})
	run.mu.Unlock()
	run.Log.Warn(run.Config.ShowPaths(msg), "kind", kind)
}

// Warnings returns the warnings' messages so far, in the order they were raised.
func (run *Run) Warnings() []string {
	run.mu.Lock()
	defer run.mu.Unlock()
	out := make([]string, len(run.warnings))
	for i, w := range run.warnings {
		out[i] = w.Message
	}
	return out
}

// WarningList returns the warnings so far with their kinds, in the order they were raised.
func (run *Run) WarningList() []Warning {
	run.mu.Lock()
	defer run.mu.Unlock()
	return append([]Warning(nil), run.warnings...)
}

// SetStage names the stage that runs now; its plain warnings take its name as their kind.
func (run *Run) SetStage(name string) {
	run.mu.Lock()
	defer run.mu.Unlock()
	run.stage = name
}

// Path resolves a path from the config relative to the config file's folder.
func (run *Run) Path(p string) string { return run.Config.Resolve(p) }

// Progress starts a progress report for long work (a bar on a terminal, log
// lines otherwise). total may be -1 when unknown.
func (run *Run) Progress(what string, total int64) Progress {
	return run.progress.Start(what, total)
}

// tableNames lists the tables put so far, in catalog order.
func (run *Run) tableNames() []string {
	run.mu.Lock()
	defer run.mu.Unlock()
	var names []string
	for _, spec := range tables.Catalog() {
		if _, ok := run.tables[spec.Name]; ok {
			names = append(names, spec.Name)
		}
	}
	return names
}

func (run *Run) fileNames() []string {
	run.mu.Lock()
	defer run.mu.Unlock()
	names := make([]string, 0, len(run.files))
	for n := range run.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RelPath shows a path relative to the config file's folder, as the config
// names it, so tables and manifests do not depend on where the review lives.
func (run *Run) RelPath(p string) string {
	if rel, err := filepath.Rel(run.Config.Dir, p); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(p)
}

// Table returns a table's rows (a []Row of its declared type; a chunked
// table decoded whole, or the columns named), for code that handles every
// table alike, such as tests.
func (run *Run) Table(name string, columns ...string) (any, bool) {
	run.mu.Lock()
	rows, ok := run.tables[name]
	run.mu.Unlock()
	if c, isChunked := rows.(*table.Chunked); isChunked {
		all, err := c.ReadAll(columns...)
		if err != nil {
			return nil, false
		}
		return all.Interface(), true
	}
	return rows, ok
}
