package synthesis

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

const basicCodebook = "testdata/basic/codebook.yaml"

// fixture is one hand-computed case: CSV texts written to a temp folder and
// analysed as the stage would, without the pipeline around it.
type fixture struct {
	codebook  string // path; default basicCodebook
	cmo       string
	studies   string // studies CSV text, optional
	decisions string // candidate decisions CSV text, optional
	rounds    []string
	works     []tables.Work
	records   []tables.Record // de-duplicated records, for PMID and database:key references
	screening []tables.Decision
	params    func(*Params)
}

type result struct {
	out      *Output
	warnings []string
	err      error
}

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func (f fixture) analyse(t *testing.T) result {
	t.Helper()
	var warnings []string
	warn := func(format string, args ...any) { warnings = append(warnings, fmt.Sprintf(format, args...)) }
	p := *defaultParams().(*Params)
	if f.params != nil {
		f.params(&p)
	}
	if err := validateParams(&Params{Codebook: "x", Configurations: "x", Unit: p.Unit, MinStudies: p.MinStudies,
		MinConsistency: p.MinConsistency, ConsensusReviewer: p.ConsensusReviewer, MinClusters: p.MinClusters}); err != nil {
		return result{err: err}
	}
	cbPath := f.codebook
	if cbPath == "" {
		cbPath = basicCodebook
	}
	cb, err := LoadCodebook(cbPath, cbPath)
	if err != nil {
		return result{err: err}
	}
	cfgs, err := ReadConfigurations(writeTemp(t, "cmo.csv", f.cmo), "cmo.csv", cb, warn)
	if err != nil {
		return result{err: err, warnings: warnings}
	}
	var studyRows []StudyRow
	if f.studies != "" {
		if studyRows, err = ReadStudies(writeTemp(t, "studies.csv", f.studies), "studies.csv", warn); err != nil {
			return result{err: err, warnings: warnings}
		}
	}
	var decisions []CandidateDecision
	if f.decisions != "" {
		if decisions, err = ReadDecisions(writeTemp(t, "decisions.csv", f.decisions), "decisions.csv", cb, warn); err != nil {
			return result{err: err, warnings: warnings}
		}
	}
	rounds := f.rounds
	if rounds == nil {
		rounds = roundIDs(nil, cfgs)
	}
	res := newResolver(rounds, f.works, f.works != nil, f.screening, f.screening != nil, studyRows, warn)
	if f.records != nil {
		res.indexRecords(func(yield func(*tables.Record) bool) {
			for i := range f.records {
				if !yield(&f.records[i]) {
					return
				}
			}
		}, cfgs)
	}
	in, err := res.resolve(cfgs)
	if err != nil {
		return result{err: err, warnings: warnings}
	}
	in.Codebook, in.Params, in.Decisions, in.ConfigHash = cb, p, decisions, configHash(&p, cb)
	out, err := Analyse(*in)
	if out != nil {
		warnings = append(warnings, out.Warnings...)
	}
	return result{out: out, warnings: warnings, err: err}
}

func (r result) must(t *testing.T) *Output {
	t.Helper()
	if r.err != nil {
		t.Fatalf("unexpected error: %v", r.err)
	}
	return r.out
}

// tally finds the theme_tally row of a code and round.
func (o *Output) tally(t *testing.T, code, round string) tables.ThemeTally {
	t.Helper()
	for _, r := range o.ThemeTally {
		if r.CodeID == code && r.Round == round {
			return r
		}
	}
	t.Fatalf("no theme_tally row for %s at round %s", code, round)
	return tables.ThemeTally{}
}

func (o *Output) chain(t *testing.T, id string) tables.CMOChain {
	t.Helper()
	for _, r := range o.Chains {
		if r.ChainID == id {
			return r
		}
	}
	var ids []string
	for _, r := range o.Chains {
		ids = append(ids, r.ChainID)
	}
	t.Fatalf("no chain %s; have %s", id, strings.Join(ids, ", "))
	return tables.CMOChain{}
}

func (o *Output) candidate(id string) (tables.DemiRegularityCandidate, bool) {
	for _, r := range o.Candidates {
		if r.CandidateID == id {
			return r, true
		}
	}
	return tables.DemiRegularityCandidate{}, false
}

func eqStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if got == nil {
		got = []string{}
	}
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func eqInt(t *testing.T, what string, got int64, want int) {
	t.Helper()
	if int(got) != want {
		t.Errorf("%s = %d, want %d", what, got, want)
	}
}

func eqFloat(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = null, want %v", what, want)
		return
	}
	if d := *got - want; d > 1e-9 || d < -1e-9 {
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

// wantError checks that err mentions every fragment.
func wantError(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one mentioning %q", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not mention %q", err, f)
		}
	}
}

const cmoHeader = "cmoc_id,study_id,reviewer,context,mechanism_resource,mechanism_response,outcome,intervention,actor,polarity,quote,page,report_id,round\n"
