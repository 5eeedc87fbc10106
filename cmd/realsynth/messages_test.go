package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestValidateWarnsOnce: validate prints each warning once, shows paths
// from where the user stands (the repository root here, not configs/), and
// does not point to quarantine.parquet, which it never writes.
func TestValidateWarnsOnce(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "validate", "--config", "configs/demo.yaml")
	cmd.Dir = root
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("validate: %v\n%s", err, errb.String())
	}
	all := out.String() + errb.String()
	quarantined := regexp.MustCompile(`1 input record\(s\) quarantined[^\n]*`).FindAllString(all, -1)
	if len(quarantined) != 1 {
		t.Fatalf("the quarantine warning appears %d times:\n%s", len(quarantined), all)
	}
	if strings.Contains(quarantined[0], "see quarantine.parquet") {
		t.Errorf("validate points to a file it does not write: %s", quarantined[0])
	}
	if !strings.Contains(quarantined[0], "testdata/demo-review/searches/round1/cinahl.ris:1303") || strings.Contains(all, "../testdata") {
		t.Errorf("paths are not shown from the repository root:\n%s", all)
	}
}

// TestFailOnQuarantineNamesRecords: a run that fails on quarantine commits
// nothing, so its error names the records, not quarantine.parquet.
func TestFailOnQuarantineNamesRecords(t *testing.T) {
	r := runReview(t, "embase.ris", []byte(goodRIS+"TY  - JOUR\nTI  - Unfinished\n"), "", "run", "-q", "--set", "stages.ingest.fail_on_quarantine=true")
	r.exits(t, 1, "1 input record(s) could not be read, and fail_on_quarantine is set: ", `embase.ris:6: record has no "ER  -" line`)
	if strings.Contains(r.stderr, "quarantine.parquet") {
		t.Errorf("the error points to a table that was not written:\n%s", r.stderr)
	}
}

// TestNoGoTypeNames: `realsynth stages` and config errors speak of keys and
// kinds of value, never of Go types.
func TestNoGoTypeNames(t *testing.T) {
	goType := regexp.MustCompile(`\[\][a-z]|\b[a-z]+\.[A-Z][A-Za-z]+\b|map\[|\bfloat64\b|\bstrconv\b|interface \{\}`)
	out, _, code := realsynth(t, nil, "stages")
	if code != 0 {
		t.Fatalf("stages: exit %d", code)
	}
	if m := goType.FindAllString(out, -1); len(m) > 0 {
		t.Errorf("realsynth stages names Go types: %q", m)
	}
	for _, c := range []struct{ set, want string }{
		{"stages.synthesis.min_studies=two", `stages.synthesis.min_studies: want integer, got "two"`},
		{"stages.ingest.fail_on_quarantine=maybe", "stages.ingest.fail_on_quarantine: want true/false"},
	} {
		r := runReview(t, "embase.ris", []byte(goodRIS), "", "validate", "-q", "--set", c.set)
		r.exits(t, 2, c.want)
		if m := goType.FindAllString(r.stderr, -1); len(m) > 0 {
			t.Errorf("--set %s: error names Go types %q: %s", c.set, m, r.stderr)
		}
	}
}

// TestUnknownEnvVariable: a typo in a REALSYNTH_* variable is exit 2, as the
// same typo with --set is.
func TestUnknownEnvVariable(t *testing.T) {
	_, stderr, code := realsynth(t, []string{"REALSYNTH_STAGES_DEDUPE_TRESHOLD=3"}, "validate", "-q", "--config", demoConfig)
	if code != 2 || !strings.Contains(stderr, "environment variable REALSYNTH_STAGES_DEDUPE_TRESHOLD: unknown setting") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = realsynth(t, []string{"REALSYNTH_STAGES_DEDUPE_MAX_BLOK=3"}, "validate", "-q", "--config", demoConfig)
	if code != 2 || !strings.Contains(stderr, "did you mean REALSYNTH_STAGES_DEDUPE_MAX_BLOCK?") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestEvalDedupWithoutSets: a set folder that is not there (the shared
// data absent, its glob left unexpanded) is a usage error that says where
// the sets are, not a raw "open …" error.
func TestEvalDedupWithoutSets(t *testing.T) {
	_, stderr, code := realsynth(t, nil, "eval-dedup", "../shared/data/dedup-dev/*/")
	if code != 2 || !strings.Contains(stderr, "../shared/data/dedup-dev/*/ is not a folder") || !strings.Contains(stderr, "shared reference data") || strings.Contains(stderr, "open ") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
