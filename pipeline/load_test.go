package pipeline_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/pipeline"
)

type fakeParams struct {
	MinScore float64  `mapstructure:"min_score" doc:"threshold"`
	Labels   []string `mapstructure:"labels" doc:"labels"`
	Mode     string   `mapstructure:"mode" doc:"mode"`
}

var fakeRegistry = []pipeline.Stage{{
	Name:   "fake",
	Doc:    "a stage for tests",
	Params: func() any { return &fakeParams{MinScore: 0.5, Mode: "strict"} },
}}

// writeReview lays out a config and one export beside it.
func writeReview(t *testing.T, config string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "exports"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "exports", "medline.nbib"), []byte("PMID- 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "review.yaml")
	if err := os.WriteFile(path, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const goodConfig = `review: test
output: out
rounds:
  - id: r1
    date: 2026-03-02
    searches:
      - database: MEDLINE
        path: exports/*.nbib
stages:
  fake:
    min_score: 0.9
    labels: [a, b]
`

func TestLoadResolvesPathsAndDecodesParams(t *testing.T) {
	path := writeReview(t, goodConfig)
	plan, err := pipeline.Load(path, fakeRegistry, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	if plan.Config.Output != filepath.Join(dir, "out") {
		t.Errorf("output %q is not relative to the config file", plan.Config.Output)
	}
	files, err := plan.Config.SearchFiles(plan.Config.Rounds[0].Searches[0])
	if err != nil || len(files) != 1 || files[0] != filepath.Join(dir, "exports", "medline.nbib") {
		t.Errorf("glob gave %v, %v", files, err)
	}
	if plan.Config.Rounds[0].Date != "2026-03-02" {
		t.Errorf("date %q", plan.Config.Rounds[0].Date)
	}
	p := plan.Steps[0].Params.(*fakeParams)
	if p.MinScore != 0.9 || strings.Join(p.Labels, ",") != "a,b" || p.Mode != "strict" {
		t.Errorf("params %+v: want min_score 0.9 from the file, mode strict by default", p)
	}
	if !plan.Steps[0].Enabled {
		t.Error("stage disabled without enabled: false")
	}
}

func TestLoadRejects(t *testing.T) {
	cases := []struct {
		name, config string
		wantInError  []string
	}{
		{"misspelled top-level key", strings.Replace(goodConfig, "review:", "reviw:", 1), []string{"reviw"}},
		{"misspelled nested key", strings.Replace(goodConfig, "searches:", "serches:", 1), []string{"rounds[0]", "serches"}},
		{"misspelled stage parameter", strings.Replace(goodConfig, "min_score", "min_scor", 1), []string{"stages.fake", "min_scor"}},
		{"unknown stage", goodConfig + "  dedupee: {}\n", []string{"stages.dedupee", "unknown stage"}},
		{"wrong type", strings.Replace(goodConfig, "0.9", "high", 1), []string{"stages.fake", "min_score"}},
		{"missing file", strings.Replace(goodConfig, "exports/*.nbib", "exports/missing.nbib", 1), []string{"rounds[0].searches[0].path", "missing.nbib"}},
		{"glob matching nothing", strings.Replace(goodConfig, "exports/*.nbib", "exports/*.ris", 1), []string{"matches no file"}},
		{"bad date", strings.Replace(goodConfig, "2026-03-02", "March 2026", 1), []string{"rounds[0].date"}},
		{"no output", strings.Replace(goodConfig, "output: out\n", "", 1), []string{"output: required"}},
		{"not YAML", "review: [unclosed\n", []string{"not valid YAML"}},
		{"bad enabled", goodConfig + "    enabled: maybe\n", []string{"stages.fake.enabled"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := pipeline.Load(writeReview(t, c.config), fakeRegistry, nil)
			if err == nil {
				t.Fatal("accepted")
			}
			var ce *pipeline.ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("error %v is not a ConfigError (exit code 2)", err)
			}
			for _, w := range c.wantInError {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	path := writeReview(t, goodConfig)
	t.Setenv("REALSYNTH_STAGES_FAKE_MODE", "lenient")
	plan, err := pipeline.Load(path, fakeRegistry, []string{"stages.fake.min_score=0.75", "stages.fake.enabled=false"})
	if err != nil {
		t.Fatal(err)
	}
	p := plan.Steps[0].Params.(*fakeParams)
	if p.MinScore != 0.75 || p.Mode != "lenient" || plan.Steps[0].Enabled {
		t.Errorf("params %+v enabled %v: want --set and REALSYNTH_ overrides applied", p, plan.Steps[0].Enabled)
	}
	plain, err := pipeline.Load(path, fakeRegistry, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Config.SHA256 == plan.Config.SHA256 {
		t.Error("overrides do not change the config hash, so two different runs would claim the same config")
	}
	if _, err := pipeline.Load(path, fakeRegistry, []string{"stages.fake.nope=1"}); err == nil {
		t.Error("--set of an unknown key accepted")
	}
}
