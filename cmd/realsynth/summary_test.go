package main

import (
	"bytes"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// The summary a team reads after `make run`: the PRISMA line with the
// demo's numbers (415 records identified, one of them quarantined; 258
// duplicates; 155 screened; 15 studies in 16 reports), the warnings by
// kind with counts, and where report.html is.
func TestSummaryShowsPrismaWarningsAndReport(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	stdout, stderr, code := realsynth(t, nil, "run", "--config", demoConfig, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"PRISMA, all rounds to r2: 415 identified → 258 duplicates → 155 screened → 15 studies included (16 reports)",
		"PRISMA, round r2 alone: 61 identified → 42 duplicates → 18 screened → 1 new studies included",
		"Warnings by kind (",
		"  quarantined records  1  1 input record(s) quarantined",
		"  unmatched votes      2  screening: 2 vote(s) could not be joined",
		"Report: " + filepath.Join(out, "report.html"),
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
}

// -q prints what its help says: warnings and errors, nothing else.
func TestQuietPrintsOnlyWarnings(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	stdout, stderr, code := realsynth(t, nil, "run", "-q", "--config", demoConfig, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("-q printed a summary:\n%s", stdout)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for _, l := range lines {
		if !strings.Contains(l, "level=WARN") && !strings.Contains(l, "level=ERROR") {
			t.Errorf("-q printed a line that is not a warning or error: %q", l)
		}
	}
	if len(lines) < 2 {
		t.Errorf("-q hid the demo's warnings: %q", stderr)
	}
}

// On a terminal the CLI sends its log lines through the terminal writer
// that clears the progress bar's line first (the mechanism is tested in
// pipeline: TestLogLineDuringBarGetsItsOwnLine), so no log line starts
// after a bar's text.
func TestOnATerminalLogLinesClearTheBarLine(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	cmd := exec.Command(binary, "run", "--config", demoConfig, "--out", out)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 200})
	if err != nil {
		t.Skipf("SKIPPED: no pseudo-terminal on this machine: %v", err)
	}
	var raw bytes.Buffer
	done := make(chan struct{})
	go func() { io.Copy(&raw, tty); close(done) }()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("run under a terminal: %v\n%s", err, raw.String())
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
	}
	tty.Close()
	logs := 0
	for _, chunk := range strings.Split(raw.String(), "time=")[1:] {
		if strings.Contains(strings.SplitN(chunk, "\n", 2)[0], "level=") {
			logs++
		}
	}
	cleared := strings.Count(raw.String(), "\r\x1b[Ktime=")
	if logs == 0 || cleared != logs {
		t.Errorf("%d log lines, %d of them clearing the bar's line first:\n%q", logs, cleared, raw.String())
	}
}
