package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"time"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

// Result summarises a finished run for the CLI's closing summary.
type Result struct {
	Output   string
	Manifest Manifest
	Run      *Run
}

// Check validates every enabled stage's parameters and inputs without
// running anything or writing a file (`realsynth validate`).
func Check(plan *Plan, run *Run) error {
	var errs []error
	output, err := ResolveOutput(plan.Config.Output)
	if err != nil {
		errs = append(errs, err)
	} else if err := checkInputsOutsideOutput(plan, output); err != nil {
		errs = append(errs, err)
	}
	for _, st := range plan.Steps {
		if st.Enabled && st.Stage.Check != nil {
			if err := st.Stage.Check(run, st.Params); err != nil {
				errs = append(errs, underStage(st.Stage.Name, err)...)
			}
		}
	}
	if len(errs) > 0 {
		return &ConfigError{errors.Join(errs...)}
	}
	return nil
}

// Execute runs the plan's stages in order and commits their tables to the
// output folder atomically: a run that fails or is killed leaves the
// previous output as it was. The caller closes the run (Run.Close) when it
// no longer reads its tables: chunked tables stay readable until then.
//
// A run refused for its config (exit 2) changes nothing on disk: every
// check runs before the lock file and the output's parent folders are made.
func Execute(ctx context.Context, plan *Plan, run *Run) (*Result, error) {
	cfg := plan.Config
	output, err := ResolveOutput(cfg.Output)
	if err != nil {
		return nil, &ConfigError{err}
	}
	if err := checkOutputIsOurs(output); err != nil {
		return nil, &ConfigError{err}
	}
	if err := Check(plan, run); err != nil {
		return nil, err
	}
	unlock, err := LockOutput(output)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Again under the lock: another run may have committed meanwhile.
	if err := checkOutputIsOurs(output); err != nil {
		return nil, &ConfigError{err}
	}
	removeStaleTemps(output, run)
	tmp, err := os.MkdirTemp(filepath.Dir(output), "."+filepath.Base(output)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	// MkdirTemp makes the folder private; the output is for the whole team.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("output: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			run.Close()
			os.RemoveAll(tmp)
		}
	}()
	// Exports stream into the folder, and chunked tables spill there: a
	// killed run leaves one folder, which the next run removes.
	run.outTmp, run.spillDir = tmp, tmp

	start := time.Now()
	m := Manifest{
		Tool: "realsynth", Version: Version, Review: cfg.Review,
		Config:    ManifestConfig{Path: cfg.Path, SHA256: cfg.SHA256, Overrides: plan.Overrides},
		StartedAt: start.UTC().Format(time.RFC3339),
		Host:      hostInfo(),
	}
	for _, r := range cfg.Rounds {
		m.Rounds = append(m.Rounds, ManifestRound{ID: r.ID, Date: r.Date})
	}
	for _, st := range plan.Steps {
		ms := ManifestStage{Name: st.Stage.Name, Enabled: st.Enabled}
		if st.Enabled {
			run.Log.Info("stage", "name", st.Stage.Name)
			run.SetStage(st.Stage.Name)
			t0 := time.Now()
			if err := st.Stage.Run(ctx, run, st.Params); err != nil {
				return nil, fmt.Errorf("stage %s: %w", st.Stage.Name, err)
			}
			ms.Seconds = time.Since(t0).Seconds()
		}
		m.Stages = append(m.Stages, ms)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}

	if err := writeOutputs(run, tmp, &m); err != nil {
		return nil, err
	}
	// The spill file leaves the folder before it is committed; the run
	// keeps it open, so its chunked tables stay readable until Close.
	if err := run.unlinkSpill(); err != nil {
		return nil, err
	}
	m.Inputs = run.inputList()
	m.Warnings = run.Warnings()
	m.WarningKinds = GroupWarnings(run.WarningList())
	m.FinishedAt = time.Now().UTC().Format(time.RFC3339)
	m.Seconds = time.Since(start).Seconds()
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFileSync(filepath.Join(tmp, "manifest.json"), append(mb, '\n')); err != nil {
		return nil, err
	}
	if os.Getenv("REALSYNTH_DEBUG_PAUSE_BEFORE_COMMIT") != "" {
		// For the test that kills a run mid-write: the tables are written
		// but not yet committed.
		fmt.Fprintln(os.Stderr, "realsynth: paused before commit")
		time.Sleep(time.Hour)
	}
	if err := commitOutput(tmp, output); err != nil {
		return nil, fmt.Errorf("output %s: %w", cfg.Output, err)
	}
	committed = true
	return &Result{Output: cfg.Output, Manifest: m, Run: run}, nil
}

// writeOutputs writes every table (and the other files) into dir, one
// table at a time: each encodes its row groups on every CPU (table.Writer).
func writeOutputs(run *Run, dir string, m *Manifest) error {
	names := run.tableNames()
	errs := make([]error, len(names))
	for i, name := range names {
		var mt ManifestTable
		if mt, errs[i] = writeTable(run, dir, name); errs[i] != nil {
			break
		}
		m.Tables = append(m.Tables, mt)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, name := range run.fileNames() {
		run.mu.Lock()
		data := run.files[name]
		run.mu.Unlock()
		if err := writeFileSync(filepath.Join(dir, name), data); err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		m.Files = append(m.Files, ManifestFile{File: name, Bytes: int64(len(data)), SHA256: hex.EncodeToString(sum[:])})
	}
	run.mu.Lock()
	for name, f := range run.streamed {
		if f == nil {
			run.mu.Unlock()
			return fmt.Errorf("internal error: output file %s was not closed", name)
		}
		m.Files = append(m.Files, *f)
	}
	run.mu.Unlock()
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].File < m.Files[j].File })
	return nil
}

// writeTable writes one table as dir/<name>.parquet and fsyncs it.
func writeTable(run *Run, dir, name string) (ManifestTable, error) {
	run.mu.Lock()
	rows := run.tables[name]
	run.mu.Unlock()
	file := name + ".parquet"
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		return ManifestTable{}, err
	}
	h := sha256.New()
	w := io.MultiWriter(f, h)
	meta := table.Meta{Table: name, ToolVersion: Version, ConfigSHA256: run.Config.SHA256, Compression: run.Config.Parquet.Compression}
	n := 0
	if c, ok := rows.(*table.Chunked); ok {
		err, n = table.WriteChunked(w, c, meta), c.Len()
	} else {
		err, n = table.WriteAny(w, reflect.ValueOf(rows), meta), reflect.ValueOf(rows).Len()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return ManifestTable{}, fmt.Errorf("writing %s: %w", file, err)
	}
	return ManifestTable{Name: name, File: file, Rows: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func hostInfo() ManifestHost {
	h, _ := os.Hostname()
	return ManifestHost{Hostname: h, GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU()}
}

// TableNames lists the tables declared in internal/tables, for docs and checks.
func TableNames() []string {
	var n []string
	for _, s := range tables.Catalog() {
		n = append(n, s.Name)
	}
	return n
}
