package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `realsynth report DIR` redraws the run's page byte for byte, and refuses a
// folder realsynth did not write.
func TestReportCommandRedrawsTheRunsPage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	if _, stderr, code := realsynth(t, nil, "run", "-q", "--config", demoConfig, "--out", out); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	before, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(out, "report.html")); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := realsynth(t, nil, "report", out)
	if code != 0 || !strings.Contains(stdout, "identical to the page the run wrote") {
		t.Fatalf("report: exit %d\n%s%s", code, stdout, stderr)
	}
	after, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil || string(after) != string(before) {
		t.Fatalf("redrawn page differs (%v)", err)
	}

	empty := t.TempDir()
	if _, stderr, code := realsynth(t, nil, "report", empty); code != 2 || !strings.Contains(stderr, "has no manifest.json") {
		t.Errorf("report on a folder without a manifest: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(empty + ".lock"); err == nil {
		t.Error("report left a lock file beside a folder it refused")
	}
}
