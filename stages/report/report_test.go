package report_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages"
	"github.com/realsynth/realsynth/stages/report"
)

func runDemo(t *testing.T, out string) *pipeline.Result {
	t.Helper()
	plan, err := pipeline.Load("../../configs/demo.yaml", stages.Pipeline, []string{"output=" + out})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Execute(context.Background(), plan, pipeline.NewRun(plan.Config, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// report.html is part of the byte-identical promise, and `realsynth
// report DIR` redraws exactly the page the run wrote.
func TestDemoReportIsDeterministicAndRedrawable(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	runDemo(t, a)
	runDemo(t, b)
	pageA, err := os.ReadFile(filepath.Join(a, report.File))
	if err != nil {
		t.Fatal(err)
	}
	pageB, err := os.ReadFile(filepath.Join(b, report.File))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pageA, pageB) {
		t.Fatal("two runs of the demo wrote different report.html bytes")
	}
	in, err := report.FromDir(a)
	if err != nil {
		t.Fatal(err)
	}
	redrawn, err := report.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(redrawn, pageA) {
		t.Fatal("the page redrawn from the committed output differs from the run's")
	}

	page := string(pageA)
	for _, id := range []string{"run", "changes", "prisma", "sources", "dedupe", "screening", "synthesis"} {
		if !strings.Contains(page, `<section id="`+id+`"`) {
			t.Errorf("no section %s", id)
		}
	}
	// Self-contained: nothing to fetch. The SVG namespace URI is a name, not a request.
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:|//)|@import|url\(`).FindString(page); m != "" {
		t.Errorf("the page refers to an outside resource: %s", m)
	}
	// Numbers from the demo, worked out from its inputs: 414 records from
	// seven exports, one quarantined; 156 works; a first run. The studies
	// and the works by kind (read from the works table's study_id and
	// report_kind) are as the page showed them when the report still read
	// whole Work rows.
	for _, want := range []string{
		`<b>414</b><span>records in the search exports</span>`,
		`<b>1</b><span>quarantined</span>`,
		`<b>156</b><span>works</span>`,
		`<b>152</b><span>studies (4 with related reports)</span>`,
		`<tr><td>cochrane review</td><td class="n">2</td></tr>`,
		`<b>First run:</b>`,
		`Records identified from databases <span class="n">(n = 61)</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
