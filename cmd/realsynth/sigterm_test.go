package main

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/realsynth/realsynth/internal/synthgen"
)

// TestSIGTERMDuringDedupe: a run terminated while it de-duplicates a hard
// synthetic corpus stops with an error that says so, leaves the previous
// output as it was, and leaves no unfinished folder behind. How fast it
// stops is measured by BenchmarkDedupeCancel (stages/dedupe), not here: the
// wait is only logged.
func TestSIGTERMDuringDedupe(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and runs a 50k-record corpus; skipped with -short")
	}
	dir := t.TempDir()
	if _, err := synthgen.WriteCorpusDir(dir, synthgen.CorpusConfig{Profile: synthgen.ProfileHard, Records: 50_000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "review.yaml")
	out := filepath.Join(dir, "committed")
	if _, stderr, code := realsynth(t, nil, "run", "-q", "--config", config, "--out", out); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	before := hashFolder(t, out)

	cmd := exec.Command(binary, "run", "--config", config, "--out", out, "--set", "review=changed")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	inDedupe := make(chan bool, 1)
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
			if !sent && strings.Contains(sc.Text(), "msg=stage name=dedupe") {
				inDedupe <- true
				sent = true
			}
		}
		if !sent {
			inDedupe <- false
		}
	}()
	select {
	case ok := <-inDedupe:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("the run ended before de-duplicating:\n%s", log.String())
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("the run did not reach dedupe")
	}
	time.Sleep(300 * time.Millisecond) // into the comparisons
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	wait := time.Since(sent)
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	t.Logf("stopped %v after SIGTERM: %s", wait.Round(time.Millisecond), lines[len(lines)-1])
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() == 0 {
		t.Fatalf("a terminated run must fail: %v\n%s", err, log.String())
	}
	if strings.Contains(log.String(), "msg=stage name=screening") {
		t.Fatalf("the signal came after dedupe had finished; the corpus is too small for this machine:\n%s", log.String())
	}
	if !strings.Contains(log.String(), "stopped by a signal before finishing (stage dedupe: context canceled); the output folder was not changed") {
		t.Errorf("the error does not say the run was stopped:\n%s", log.String())
	}
	after := hashFolder(t, out)
	if len(after) != len(before) {
		t.Fatalf("files before %d, after %d", len(before), len(after))
	}
	for name, sum := range before {
		if after[name] != sum {
			t.Errorf("%s changed although the run that would replace it was terminated", name)
		}
	}
	if temps, _ := filepath.Glob(filepath.Join(dir, ".committed.tmp-*")); len(temps) != 0 {
		t.Errorf("a terminated run left its unfinished folder: %v", temps)
	}
}
