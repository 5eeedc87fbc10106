package pipeline

import (
	"os"
	"path/filepath"
	"testing"
)

// TestShowPaths: a path named relative to the config file is shown from
// where the user stands; words that are not existing paths are left alone.
func TestShowPaths(t *testing.T) {
	root := t.TempDir()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
	for _, d := range []string{"configs", "testdata/r1"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "testdata/r1/cinahl.ris"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(root); err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Dir: filepath.Join(root, "configs")}
	cases := map[string]string{
		"1 quarantined (first: ../testdata/r1/cinahl.ris:1303: no ER line)": "1 quarantined (first: testdata/r1/cinahl.ris:1303: no ER line)",
		`"../testdata/r1/cinahl.ris" looks like MEDLINE.`:                   `"testdata/r1/cinahl.ris" looks like MEDLINE.`,
		"see quarantine.parquet, DOI 10.1000/xyz, https://doi.org/10.1/a":   "see quarantine.parquet, DOI 10.1000/xyz, https://doi.org/10.1/a",
		"../testdata/r1/missing.ris: no such file":                          "../testdata/r1/missing.ris: no such file",
	}
	for in, want := range cases {
		if got := cfg.ShowPaths(in); got != want {
			t.Errorf("ShowPaths(%q)\n = %q\nwant %q", in, got, want)
		}
	}
	// From elsewhere, a file outside the working directory is shown whole.
	if err := os.Chdir(filepath.Join(root, "configs")); err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.ShowPaths("../testdata/r1/cinahl.ris:2"), filepath.Join(root, "testdata/r1/cinahl.ris")+":2"; got != want {
		t.Errorf("from configs/: %q, want %q", got, want)
	}
}
