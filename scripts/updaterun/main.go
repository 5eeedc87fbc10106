//go:build unix

// Command updaterun times an update run, as a scheduled run after a new
// search round makes it: round 1 is a synthetic review without one of its
// exports, run and committed; round 2 adds that export, and the same
// config is run again over the committed output. It prints, for both
// runs, the wall and CPU time, the peak RSS and each stage's seconds.
//
//	go run ./scripts/updaterun -bin bin/realsynth -corpus $TMPDIR/realsynth-corpora/hard-1M-20261122
//
// The corpus is a folder gencorpus wrote (scripts/bench.sh keeps them);
// -hold names the export that becomes round 2 (default: the first Scopus
// file, 46k records of the hard 1M corpus). With -full the update run is
// made a second time comparing every pair again (stages.dedupe.incremental
// false), and the two are checked to give the same works. With -keep DIR
// the configs and outputs stay in DIR (DIR/out is the update run's).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"time"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/pipeline/table"
	"github.com/realsynth/realsynth/stages"
)

func main() {
	bin := flag.String("bin", "bin/realsynth", "the realsynth binary to run")
	corpus := flag.String("corpus", filepath.Join(os.TempDir(), "realsynth-corpora", "hard-1M-20261122"), "a corpus folder written by gencorpus")
	hold := flag.String("hold", "", "the export file (a name in the corpus) that becomes round 2; empty: the first Scopus file")
	full := flag.Bool("full", false, "also run the update comparing every pair, and check that it gives the same works")
	keep := flag.String("keep", "", "a new folder to keep the configs and outputs in (default: a temporary folder, removed at the end)")
	flag.Parse()
	if err := updateRun(*bin, *corpus, *hold, *keep, *full); err != nil {
		fmt.Fprintln(os.Stderr, "updaterun:", err)
		os.Exit(1)
	}
}

type search struct{ database, path string }

func updateRun(bin, corpus, hold, keep string, full bool) error {
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("%w (run `make build` first)", err)
	}
	plan, err := pipeline.Load(filepath.Join(corpus, "review.yaml"), stages.Pipeline, nil)
	if err != nil {
		return fmt.Errorf("%w (make the corpus with: go run ./internal/synthgen/cmd/gencorpus -profile hard -records 1000000 -out %s)", err, corpus)
	}
	// Every export of the corpus's one round, one search each, and the one held back.
	var first, second []search
	for _, s := range plan.Config.Rounds[0].Searches {
		files, err := plan.Config.SearchFiles(s)
		if err != nil {
			return err
		}
		for _, f := range files {
			held := filepath.Base(f) == hold || hold == "" && s.Database == "Scopus" && len(second) == 0
			if held {
				second = append(second, search{s.Database, f})
			} else {
				first = append(first, search{s.Database, f})
			}
		}
	}
	if len(second) == 0 {
		return fmt.Errorf("no export %q in %s", hold, corpus)
	}
	dir := keep
	if keep == "" {
		if dir, err = os.MkdirTemp("", "realsynth-updaterun-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.Mkdir(keep, 0o755); err != nil {
		return err // a new folder: never mix its outputs with an earlier check's
	}
	r1, r2 := filepath.Join(dir, "round1.yaml"), filepath.Join(dir, "round2.yaml")
	if err := writeConfig(r1, first, nil); err != nil {
		return err
	}
	if err := writeConfig(r2, first, second); err != nil {
		return err
	}
	fmt.Printf("round 2: %s (%s)\n", filepath.Base(second[0].path), second[0].database)
	out := filepath.Join(dir, "out")
	if err := timedRun(bin, "first run (round 1)", r1, out); err != nil {
		return err
	}
	if full {
		if err := os.CopyFS(filepath.Join(dir, "committed"), os.DirFS(out)); err != nil {
			return err
		}
	}
	if err := timedRun(bin, "update run (round 2 over the committed round 1)", r2, out); err != nil {
		return err
	}
	if !full {
		return nil
	}
	again := filepath.Join(dir, "again")
	if err := os.Rename(filepath.Join(dir, "committed"), again); err != nil {
		return err
	}
	if err := timedRun(bin, "update run comparing every pair (incremental false)", r2, again, "--set", "stages.dedupe.incremental=false"); err != nil {
		return err
	}
	a, err := table.ReadFile[tables.Work](filepath.Join(out, "works.parquet"))
	if err != nil {
		return err
	}
	b, err := table.ReadFile[tables.Work](filepath.Join(again, "works.parquet"))
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(a, b) {
		return errors.New("the incremental update run and the one comparing every pair made different works")
	}
	fmt.Printf("works: identical (%d) in both update runs\n", len(a))
	return nil
}

// writeConfig writes a review of round r1 (first) and, when second is
// not nil, round r2.
func writeConfig(path string, first, second []search) error {
	var b strings.Builder
	b.WriteString("review: \"update-run check\"\noutput: out\nrounds:\n")
	for k, round := range [][]search{first, second} {
		if round == nil {
			continue
		}
		fmt.Fprintf(&b, "  - id: r%d\n    date: 2026-0%d-15\n    searches:\n", k+1, 1+5*k)
		for _, s := range round {
			fmt.Fprintf(&b, "      - {database: %q, path: %q}\n", s.database, s.path)
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// timedRun runs realsynth on config into out and prints its times.
func timedRun(bin, label, config, out string, extra ...string) error {
	start := time.Now()
	cmd := exec.Command(bin, append([]string{"run", "-q", "--config", config, "--out", out}, extra...)...)
	// Its warnings (works awaiting screening, bridges) are the run's, not
	// the timing's: shown only when the run fails.
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		os.Stderr.Write(stderr.Bytes())
		return fmt.Errorf("%s: %w", label, err)
	}
	wall := time.Since(start)
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	data, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		return err
	}
	var m struct {
		Stages []struct {
			Name    string  `json:"name"`
			Seconds float64 `json:"seconds"`
		} `json:"stages"`
		Seconds float64 `json:"seconds"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	fmt.Printf("%s: %.1f s wall", label, wall.Seconds())
	if ru != nil {
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		fmt.Printf(", %.1f CPU-s, peak RSS %d MiB", cpu.Seconds(), ru.Maxrss/1024)
	}
	fmt.Println()
	staged := 0.0
	for _, s := range m.Stages {
		fmt.Printf("  %-10s %6.1f s\n", s.Name, s.Seconds)
		staged += s.Seconds
	}
	fmt.Printf("  %-10s %6.1f s\n", "write", m.Seconds-staged)
	return nil
}
