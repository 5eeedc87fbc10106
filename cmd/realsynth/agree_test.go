package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedAgreement returns a file of ../shared/data/agreement, or skips.
func sharedAgreement(t *testing.T, name string) string {
	t.Helper()
	dir := os.Getenv("REALSYNTH_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	path := filepath.Join(dir, "data", "agreement", name)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared reference data not found at %s (set REALSYNTH_SHARED): %v", path, err)
	}
	return path
}

// TestAgreeCommandMultiRater: Krippendorff's (2011) 4 coders × 12 units are
// irrCAC's cac.raw4raters (Gwet 2014, p. 120). `realsynth agree --json`
// reports what irrCAC's weighting vignette prints for them with quadratic
// weights (AC2 0.914, Fleiss 0.86494, Conger 0.85771, Brennan–Prediger
// 0.90152; SE 0.10396, 0.14603, 0.14367, 0.11089), and the text output
// shows the table and the labelled null-SE interval.
func TestAgreeCommandMultiRater(t *testing.T) {
	file := sharedAgreement(t, "krippendorff2011_4coders_12units.csv")
	stdout, stderr, code := realsynth(t, nil, "agree", "--json", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Multi struct {
			Coefficients []struct {
				Name, Weights string
				Estimate, SE  *float64
			} `json:"coefficients"`
		} `json:"multi_rater"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{
		"gwet_ac/quadratic": {0.914, 0.10396}, "fleiss_kappa/quadratic": {0.86494, 0.14603},
		"conger_kappa/quadratic": {0.85771, 0.14367}, "brennan_prediger/quadratic": {0.90152, 0.11089},
	}
	found := 0
	for _, c := range rep.Multi.Coefficients {
		w, ok := want[c.Name+"/"+c.Weights]
		if !ok {
			continue
		}
		found++
		if c.Estimate == nil || c.SE == nil || math.Abs(*c.Estimate-w[0]) > 5e-6 || math.Abs(*c.SE-w[1]) > 5e-6 {
			t.Errorf("%s/%s = %v (SE %v), want %v", c.Name, c.Weights, c.Estimate, c.SE, w)
		}
	}
	if found != len(want) {
		t.Errorf("found %d of %d coefficients in %s", found, len(want), stdout)
	}
	text, _, _ := realsynth(t, nil, "agree", file)
	for _, s := range []string{"Conger's kappa", "Brennan–Prediger (Randolph's free κ)", "Gwet's AC2",
		`95% CI with SE0 (epiR method "fleiss")`, "PABAK (Brennan–Prediger, q = 5)", "exact 95% CI"} {
		if !strings.Contains(text, s) {
			t.Errorf("text output lacks %q", s)
		}
	}
}
