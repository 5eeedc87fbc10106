package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/pipeline"
)

// writeReviewDir writes goodRIS as a.ris and a config with output out.
func writeReviewDir(t *testing.T, dir, output, searchPath, extra string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "a.ris"), []byte(goodRIS), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "review: output safety\noutput: " + output + "\nrounds:\n  - id: r1\n    searches:\n      - {database: Embase, path: " + searchPath + "}\n" + extra
	path := filepath.Join(dir, "review.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestInputInsideOutputRefused: the commit replaces the output folder whole,
// so a config that reads a file from inside it (a search export, a decisions
// CSV filled in where dedupe_review.csv was written) is refused, exit 2, in
// run and in validate, and the file is still there afterwards.
func TestInputInsideOutputRefused(t *testing.T) {
	dir := t.TempDir()
	cfg := writeReviewDir(t, dir, "out", "a.ris", "")
	if _, stderr, code := realsynth(t, nil, "run", "-q", "--config", cfg); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	inOut := filepath.Join(dir, "out", "a.ris")
	if err := os.WriteFile(inOut, []byte(goodRIS), 0o644); err != nil {
		t.Fatal(err)
	}
	decisions := filepath.Join(dir, "out", "decisions.csv")
	if err := os.WriteFile(decisions, []byte("record_a,record_b,decision\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, search, extra, key string }{
		{"search export", "out/a.ris", "", "rounds[0].searches[0].path: "},
		{"dedupe decisions", "a.ris", "stages:\n  dedupe: {decisions: out/decisions.csv}\n", "stages.dedupe.decisions: "},
	}
	for _, c := range cases {
		for _, cmd := range []string{"run", "validate"} {
			cfg := writeReviewDir(t, dir, "out", c.search, c.extra)
			_, stderr, code := realsynth(t, nil, cmd, "-q", "--config", cfg)
			if code != 2 || !strings.Contains(stderr, c.key) || !strings.Contains(stderr, "lies inside the output folder") {
				t.Errorf("%s, %s: exit %d, stderr %q; want exit 2 naming %s", c.name, cmd, code, stderr, c.key)
			}
		}
	}
	for _, f := range []string{inOut, decisions} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s was deleted: %v", f, err)
		}
	}
}

// TestSymlinkedOutput: a link to the output folder is the same output, with
// the same lock, and a run through it keeps the link a link.
func TestSymlinkedOutput(t *testing.T) {
	dir := t.TempDir()
	real, link := filepath.Join(dir, "real"), filepath.Join(dir, "link")
	if err := os.Mkdir(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real", link); err != nil {
		t.Fatal(err)
	}
	cfg := writeReviewDir(t, dir, "link", "a.ris", "")
	for i := 0; i < 2; i++ {
		if _, stderr, code := realsynth(t, nil, "run", "-q", "--config", cfg); code != 0 {
			t.Fatalf("run %d: exit %d: %s", i+1, code, stderr)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("after run %d the link is no longer a link (%v, %v)", i+1, fi.Mode(), err)
		}
		if _, err := os.Stat(filepath.Join(real, "manifest.json")); err != nil {
			t.Fatalf("after run %d the real folder holds no output: %v", i+1, err)
		}
	}
	// A run that writes the real folder holds its lock: a run through the
	// link must wait for it, not commit beside it.
	unlock, err := pipeline.LockOutput(real)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := realsynth(t, nil, "run", "-q", "--config", cfg)
	unlock()
	if code != 1 || !strings.Contains(stderr, "another realsynth run is writing") {
		t.Errorf("run through the link while the real folder is locked: exit %d, %q", code, stderr)
	}
	if _, err := os.Lstat(link + ".lock"); err == nil {
		t.Error("a second lock file was made beside the link")
	}
}

// TestRefusedRunCreatesNothing: a run refused for its config leaves the
// file system as it found it: no output folders, no lock file.
func TestRefusedRunCreatesNothing(t *testing.T) {
	cases := []struct{ name, output, search, extra string }{
		{"unknown encoding", "deep/er/out", "{database: Embase, path: a.ris, encoding: klingon}", ""},
		{"format mismatch", "deep/er/out", "{database: Embase, path: a.ris, format: medline}", ""},
		{"unknown stage key", "deep/er/out", "{database: Embase, path: a.ris}", "stages:\n  dedupe: {treshold: 3}\n"},
		{"input inside the output", "deep", "{database: Embase, path: deep/a.ris}", ""},
		{"output holds other files", "mine", "{database: Embase, path: a.ris}", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "a.ris"), []byte(goodRIS), 0o644); err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(c.search, "{database: Embase, path: deep/") {
				os.MkdirAll(filepath.Join(dir, "deep"), 0o755)
				os.WriteFile(filepath.Join(dir, "deep", "a.ris"), []byte(goodRIS), 0o644)
				os.WriteFile(filepath.Join(dir, "deep", "manifest.json"), []byte("{}"), 0o644)
			}
			if c.output == "mine" {
				os.MkdirAll(filepath.Join(dir, "mine"), 0o755)
				os.WriteFile(filepath.Join(dir, "mine", "thesis.docx"), []byte("mine"), 0o644)
			}
			cfg := "review: refused\noutput: " + c.output + "\nrounds:\n  - id: r1\n    searches:\n      - " + c.search + "\n" + c.extra
			cfgPath := filepath.Join(dir, "review.yaml")
			if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			before := listTree(t, dir)
			_, stderr, code := realsynth(t, nil, "run", "-q", "--config", cfgPath)
			if code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, stderr)
			}
			if after := listTree(t, dir); after != before {
				t.Errorf("the refused run changed the folder:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func listTree(t *testing.T, dir string) string {
	t.Helper()
	var names []string
	err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		names = append(names, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(names, " ")
}
