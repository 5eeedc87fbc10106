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
		{"unknown compression", goodConfig + "parquet:\n  compression: lz4\n", []string{"parquet.compression", "lz4", "snappy or zstd"}},
		{"misspelled parquet key", goodConfig + "parquet:\n  compresion: zstd\n", []string{"parquet", "compresion"}},
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
	zstd, err := pipeline.Load(path, fakeRegistry, []string{"parquet.compression=zstd"})
	if err != nil || zstd.Config.Parquet.Compression != "zstd" {
		t.Errorf("--set parquet.compression=zstd: %v, compression %q", err, zstd.Config.Parquet.Compression)
	}
	if _, err := pipeline.Load(path, fakeRegistry, []string{"stages.fake.nope=1"}); err == nil {
		t.Error("--set of an unknown key accepted")
	}
}

// TestMessagesNameKeysNotGoTypes: config errors name the key path the user
// wrote and what was expected, never a Go type or function.
func TestMessagesNameKeysNotGoTypes(t *testing.T) {
	cases := []struct{ name, config, want string }{
		{"top-level key", strings.Replace(goodConfig, "review:", "reviw:", 1), "unknown top-level key(s): reviw"},
		{"stage key", strings.Replace(goodConfig, "min_score", "min_scor", 1), "stages.fake: has unknown key(s): min_scor"},
		{"wrong number", strings.Replace(goodConfig, "0.9", "high", 1), `stages.fake.min_score: want number, got "high"`},
		{"list for text", goodConfig + "    mode: [a, b]\n", "stages.fake.mode: want text, got a list"},
		{"nested key", strings.Replace(goodConfig, "searches:", "serches:", 1), "rounds[0]: has unknown key(s): serches"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := pipeline.Load(writeReview(t, c.config), fakeRegistry, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to say %q", err, c.want)
			}
			for _, leak := range []string{"pipeline.Config", "fakeParams", "strconv", "float64", "[]string", "interface {}"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error %q names %s", err, leak)
				}
			}
		})
	}
	// The same for --set, whose values arrive as text.
	_, err := pipeline.Load(writeReview(t, goodConfig), fakeRegistry, []string{"stages.fake.min_score=high"})
	if err == nil || !strings.Contains(err.Error(), `stages.fake.min_score: want number, got "high"`) {
		t.Errorf("--set of a wrong type: %v", err)
	}
}

// TestUnknownEnvSetting: a REALSYNTH_* variable that sets nothing is a
// config error, as the same typo with --set is, with a suggestion.
func TestUnknownEnvSetting(t *testing.T) {
	path := writeReview(t, goodConfig)
	t.Setenv("REALSYNTH_STAGES_FAKE_MOD", "lenient")
	_, err := pipeline.Load(path, fakeRegistry, nil)
	var ce *pipeline.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "environment variable REALSYNTH_STAGES_FAKE_MOD: unknown setting") ||
		!strings.Contains(err.Error(), "did you mean REALSYNTH_STAGES_FAKE_MODE?") {
		t.Fatalf("error %v", err)
	}
	os.Unsetenv("REALSYNTH_STAGES_FAKE_MOD")
	_, err = pipeline.Load(path, fakeRegistry, []string{"stages.fake.mod=x"})
	if err == nil || !strings.Contains(err.Error(), "did you mean stages.fake.mode?") {
		t.Errorf("--set typo: %v", err)
	}
	// Variables that are not settings (test data, the commit test hook) pass.
	t.Setenv("REALSYNTH_SHARED", "/nowhere")
	if _, err := pipeline.Load(path, fakeRegistry, nil); err != nil {
		t.Errorf("REALSYNTH_SHARED refused: %v", err)
	}
}

// TestDescribeParamsForPeople: `realsynth stages` shows types and defaults
// as a config writes them, not as Go prints them.
func TestDescribeParamsForPeople(t *testing.T) {
	type vote struct {
		Path   string `mapstructure:"path"`
		Format string `mapstructure:"format"`
		Stage  string `mapstructure:"stage"`
		List   string `mapstructure:"list"`
	}
	type params struct {
		Reasons []string `mapstructure:"reasons"`
		Votes   []vote   `mapstructure:"votes"`
		Min     int      `mapstructure:"min"`
		On      bool     `mapstructure:"on"`
	}
	got := pipeline.DescribeParams(&params{Reasons: []string{"not retrieved", "no full text"}, Min: 2})
	want := []string{"reasons|list of text|not retrieved, no full text", "votes|list of {path, format, …}|", "min|integer|2", "on|true/false|false"}
	for i, d := range got {
		if s := d.Key + "|" + d.Type + "|" + d.Default; i >= len(want) || s != want[i] {
			t.Errorf("param %d: %q, want %q", i, s, want[min(i, len(want)-1)])
		}
	}
}
