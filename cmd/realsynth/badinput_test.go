package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/pipeline/table"
	"github.com/realsynth/realsynth/stages"
)

func stagesForTest() []pipeline.Stage { return stages.Pipeline }

const goodRIS = "TY  - JOUR\nTI  - Peer workers and trust\nAU  - Smith, J.\nPY  - 2020\nER  - \n"

// TestBadInput runs the CLI on broken inputs: each must give a clear error
// or a quarantine row, with the right exit code, and never a panic.
func TestBadInput(t *testing.T) {
	binaryJunk := make([]byte, 4096)
	for i := range binaryJunk {
		binaryJunk[i] = byte(i*7 + i/13)
	}
	cases := []struct {
		name       string
		file       string // export file name
		content    []byte
		configEdit func(string) string
		wantCode   int
		wantErr    []string // in stderr
		wantQuar   int      // quarantined records when the run succeeds
		wantRecs   int
	}{
		{name: "record without ER", file: "a.ris", content: []byte(goodRIS + "TY  - JOUR\nTI  - Unfinished\n"),
			wantCode: 0, wantQuar: 1, wantRecs: 1},
		{name: "truncated file", file: "a.ris", content: []byte(goodRIS + goodRIS[:30]),
			wantCode: 0, wantQuar: 1, wantRecs: 1},
		// No record from a non-empty file is an error that says what it is.
		{name: "binary file", file: "a.ris", content: binaryJunk, wantCode: 1, wantErr: []string{"a.ris gave no records: it looks like binary data, not RIS"}},
		{name: "empty file", file: "a.ris", content: nil, wantCode: 0, wantRecs: 0},
		{name: "missing file", file: "a.ris", content: []byte(goodRIS),
			configEdit: func(c string) string { return strings.Replace(c, "a.ris", "nope.ris", 1) },
			wantCode:   2, wantErr: []string{"nope.ris", "no such file"}},
		{name: "unknown format", file: "a.ris", content: []byte(goodRIS),
			configEdit: func(c string) string { return c + "        format: refworks\n" },
			wantCode:   2, wantErr: []string{`rounds[0].searches[0].format: "refworks" is unknown`}},
		{name: "unknown extension", file: "a.refs", content: []byte(goodRIS),
			wantCode: 2, wantErr: []string{"a.refs", "set format:"}},
		{name: "misspelled key", file: "a.ris", content: []byte(goodRIS),
			configEdit: func(c string) string { return strings.Replace(c, "database:", "datbase:", 1) },
			wantCode:   2, wantErr: []string{"datbase"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, c.file), c.content, 0o644); err != nil {
				t.Fatal(err)
			}
			cfg := "review: bad input\noutput: out\nrounds:\n  - id: r1\n    searches:\n      - database: Embase\n        path: " + c.file + "\n"
			if c.configEdit != nil {
				cfg = c.configEdit(cfg)
			}
			cfgPath := filepath.Join(dir, "review.yaml")
			if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := realsynth(t, nil, "run", "-q", "--config", cfgPath)
			if code != c.wantCode {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, c.wantCode, stderr)
			}
			for _, w := range c.wantErr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
			if code != 0 {
				return
			}
			recs, err := table.ReadFile[tables.Record](filepath.Join(dir, "out", "records.parquet"))
			if err != nil {
				t.Fatal(err)
			}
			quar, err := table.ReadFile[tables.Quarantine](filepath.Join(dir, "out", "quarantine.parquet"))
			if err != nil {
				t.Fatal(err)
			}
			if c.wantQuar >= 0 && (len(quar) != c.wantQuar || len(recs) != c.wantRecs) {
				t.Errorf("%d records, %d quarantined; want %d, %d", len(recs), len(quar), c.wantRecs, c.wantQuar)
			}
			if c.wantQuar < 0 && len(quar) == 0 {
				t.Errorf("binary input gave %d records and nothing quarantined", len(recs))
			}
			for _, q := range quar {
				if q.SourceFile != c.file || q.SourceLine < 1 || q.Error == "" {
					t.Errorf("quarantine row without file, line or reason: %+v", q)
				}
			}
		})
	}
}

func TestExitCodes(t *testing.T) {
	if _, _, code := realsynth(t, nil, "run"); code != 2 {
		t.Errorf("run without --config: exit %d, want 2", code)
	}
	if _, _, code := realsynth(t, nil, "run", "--config", demoConfig, "--no-such-flag"); code != 2 {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	if _, _, code := realsynth(t, nil, "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	out, _, code := realsynth(t, nil, "stages")
	if code != 0 || !strings.Contains(out, "stages.ingest.fail_on_quarantine") {
		t.Errorf("stages: exit %d, output %q", code, out)
	}
	out, stderr, code := realsynth(t, nil, "validate", "-q", "--config", demoConfig)
	if code != 0 || !strings.Contains(out, "is valid") {
		t.Errorf("validate: exit %d\n%s\n%s", code, out, stderr)
	}
}
