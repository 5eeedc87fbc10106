// Package scripts holds the checks of the repository's scripts; the
// scripts' own Go programs live in the folders below.
package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFuzzScriptFuzzes runs scripts/fuzz.sh on one package: each target
// must run new inputs (minimising is bounded, so a slow target cannot spend
// its budget there), and its log goes to a folder of this run, not to a
// fixed path shared by every run.
func TestFuzzScriptFuzzes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and fuzzes a package: not in -short")
	}
	logs, tmp := t.TempDir(), t.TempDir()
	cmd := exec.Command("bash", "scripts/fuzz.sh")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "FUZZPKG=./internal/agreement", "FUZZTIME=200x", "FUZZFRESH=1", "FUZZLOGS="+logs, "TMPDIR="+tmp)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fuzz.sh: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "fuzz ./internal/agreement FuzzReadCSV (200x, minimising at most 100x per input)") {
		t.Errorf("output does not name the target and its minimise bound:\n%s", out)
	}
	// 200 runs less the seeds and testdata/fuzz inputs re-run first; an
	// empty cache of this run keeps inputs cached by earlier runs out.
	if m := regexp.MustCompile(`\n  (\d+) new inputs`).FindStringSubmatch(string(out)); m == nil || m[1] == "0" {
		t.Errorf("the target ran no new inputs:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(logs, "internal_agreement-FuzzReadCSV.log")); err != nil {
		t.Errorf("no per-run log: %v", err)
	}
	// Without FUZZLOGS the run's own log folder is removed when all pass.
	cmd = exec.Command("bash", "scripts/fuzz.sh")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "FUZZPKG=./internal/agreement", "FUZZTIME=10x", "FUZZFRESH=1", "TMPDIR="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("fuzz.sh: %v\n%s", err, out)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "realsynth-fuzz*")); len(left) != 0 {
		t.Errorf("logs left behind after a passing run: %v", left)
	}
}
