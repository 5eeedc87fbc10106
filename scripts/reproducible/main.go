// Command reproducible checks the promise that a rerun is byte-identical at
// a real size: it writes a synthetic review (internal/synthgen), runs the
// realsynth binary on it several times into fresh folders, also with
// GOMAXPROCS set to other values, and compares every output file but
// manifest.json (which holds run times and the host by design).
//
//	go run ./scripts/reproducible -bin bin/realsynth -records 1000000 -runs 5 -procs 1,2,8
//
// It exits 1 if any file differs between runs. `make bench` runs it.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/realsynth/realsynth/internal/synthgen"
)

func main() {
	bin := flag.String("bin", "bin/realsynth", "the realsynth binary to run")
	records := flag.Int("records", 1_000_000, "records in the synthetic review")
	runs := flag.Int("runs", 5, "runs with the default GOMAXPROCS")
	procs := flag.String("procs", "1,2,8", "comma-separated GOMAXPROCS values, one more run each")
	seed := flag.Uint64("seed", 20261122, "corpus seed")
	flag.Parse()
	if err := check(*bin, *records, *runs, *procs, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "reproducible:", err)
		os.Exit(1)
	}
}

func check(bin string, records, runs int, procs string, seed uint64) error {
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("%w (run `make build` first)", err)
	}
	dir, err := os.MkdirTemp("", "realsynth-reproducible-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	config, err := writeReview(dir, records, seed)
	if err != nil {
		return err
	}

	type variant struct{ label, gomaxprocs string }
	var variants []variant
	for i := range runs {
		variants = append(variants, variant{fmt.Sprintf("run %d", i+1), ""})
	}
	for p := range strings.SplitSeq(procs, ",") {
		if p = strings.TrimSpace(p); p != "" {
			variants = append(variants, variant{"GOMAXPROCS=" + p, p})
		}
	}
	var want map[string]string
	differ := 0
	for _, v := range variants {
		out := filepath.Join(dir, "out")
		start := time.Now()
		cmd := exec.Command(bin, "run", "-q", "--config", config, "--out", out)
		cmd.Env = os.Environ()
		if v.gomaxprocs != "" {
			cmd.Env = append(cmd.Env, "GOMAXPROCS="+v.gomaxprocs)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %s: %w", v.label, strings.Join(cmd.Args, " "), err)
		}
		got, err := hashOutputs(out)
		if err != nil {
			return err
		}
		// Each run starts from no output, as the first run of a review does.
		if err := os.RemoveAll(out); err != nil {
			return err
		}
		os.Remove(out + ".lock")
		if want == nil {
			want = got
			fmt.Printf("%-14s %5.1fs  %d files\n", v.label, time.Since(start).Seconds(), len(got))
			continue
		}
		diff := compare(want, got)
		if len(diff) > 0 {
			differ++
		}
		fmt.Printf("%-14s %5.1fs  %s\n", v.label, time.Since(start).Seconds(), verdict(diff))
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range want {
			if !yield(n) {
				return
			}
		}
	})
	for _, n := range names {
		fmt.Printf("  %-34s %s\n", n, want[n][:16])
	}
	if differ > 0 {
		return fmt.Errorf("%d of %d runs differ from the first", differ, len(variants)-1)
	}
	fmt.Printf("all %d runs of %d records gave identical bytes in every output file\n", len(variants), records)
	return nil
}

// writeReview writes the synthetic exports and a one-round config that
// reads them, and returns the config's path.
func writeReview(dir string, records int, seed uint64) (string, error) {
	var files []*os.File
	var searches strings.Builder
	_, err := synthgen.Generate(synthgen.Config{Records: records, Seed: seed}, func(db string) (io.Writer, error) {
		f, err := os.Create(filepath.Join(dir, db+".ris"))
		if err == nil {
			files = append(files, f)
			fmt.Fprintf(&searches, "      - {database: %s, path: %s.ris}\n", db, db)
		}
		return f, err
	})
	for _, f := range files {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return "", err
	}
	config := filepath.Join(dir, "review.yaml")
	yaml := "review: reproducibility check\noutput: out\nrounds:\n  - id: r1\n    date: 2026-01-05\n    searches:\n" + searches.String()
	return config, os.WriteFile(config, []byte(yaml), 0o644)
}

// hashOutputs returns the SHA-256 of every file in an output folder but
// the manifest.
func hashOutputs(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	sums := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || e.Name() == "manifest.json" {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return nil, err
		}
		sums[e.Name()] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

func compare(want, got map[string]string) []string {
	var diff []string
	for n, s := range want {
		if got[n] != s {
			diff = append(diff, n)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			diff = append(diff, n+" (new)")
		}
	}
	slices.Sort(diff)
	return diff
}

func verdict(diff []string) string {
	if len(diff) == 0 {
		return "identical to run 1"
	}
	return "DIFFERS from run 1: " + strings.Join(diff, ", ")
}
