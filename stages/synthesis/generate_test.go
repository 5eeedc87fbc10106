package synthesis

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// syntheticCodebook has the shape of a real programme-theory codebook: six
// context families of five codes, twenty mechanisms, twelve outcomes, six
// activities, three actors and a five-level scale with an unclear level.
func syntheticCodebook(t testing.TB) *Codebook {
	var codes []*Code
	add := func(id, parent string, roles ...string) *Code {
		c := &Code{ID: id, ParentID: parent, Label: "label " + id, Roles: roles, Line: len(codes) + 1}
		codes = append(codes, c)
		return c
	}
	for f := range 6 {
		parent := fmt.Sprintf("C%d", f)
		add(parent, "", RoleContext)
		for c := range 5 {
			add(fmt.Sprintf("C%d.%d", f, c), parent, RoleContext)
		}
	}
	for m := range 10 {
		add(fmt.Sprintf("MR%d", m), "", RoleResource)
		add(fmt.Sprintf("MX%d", m), "", RoleResponse)
	}
	for o := range 12 {
		add(fmt.Sprintf("O%d", o), "", RoleOutcome, RoleContext)
	}
	for i := range 6 {
		add(fmt.Sprintf("I%d", i), "", RoleIntervention)
	}
	for a := range 3 {
		add(fmt.Sprintf("A%d", a), "", RoleActor)
	}
	for l := range 5 {
		rank := l + 1
		level := add(fmt.Sprintf("L%d", l), "", RoleIntervention)
		level.Scale, level.Rank = "IAP2", &rank
	}
	add("L.UNCLEAR", "", RoleIntervention).Scale = "IAP2"
	cb, err := buildCodebook("synthetic.yaml", codes)
	if err != nil {
		t.Fatal(err)
	}
	cb.Bytes = []byte("synthetic")
	return cb
}

// syntheticInput codes nStudies studies with perStudy consensus
// configurations each, plus two reviewers with half as many each, over two
// rounds and nStudies/5 clusters.
func syntheticInput(t testing.TB, nStudies, perStudy int, seed uint64) Input {
	cb := syntheticCodebook(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	codeOf := func(prefix string, n int) int {
		i, _, ok := cb.Resolve(fmt.Sprintf("%s%d", prefix, rng.IntN(n)))
		if !ok {
			t.Fatalf("synthetic code %s missing", prefix)
		}
		return i
	}
	context := func() int {
		i, _, _ := cb.Resolve(fmt.Sprintf("C%d.%d", rng.IntN(6), rng.IntN(5)))
		return i
	}
	in := Input{Codebook: cb, Rounds: []string{"r1", "r2"}, Params: *defaultParams().(*Params), ConfigHash: "synthetic"}
	for s := range nStudies {
		label := fmt.Sprintf("S%05d", s)
		round := s % 2
		in.Studies = append(in.Studies, Study{Label: label, Cluster: fmt.Sprintf("K%d", s/5), Rigour: []string{"low", "high"}[s%2], Included: true, Round: round})
		for _, reviewer := range []string{"consensus", "alice", "bob"} {
			n := perStudy
			if reviewer != "consensus" {
				n = perStudy / 2
			}
			for k := range n {
				var c Configuration
				c.File, c.Line, c.Study, c.Reviewer, c.CMOCID = "synthetic.csv", len(in.Configurations)+2, label, reviewer, fmt.Sprint(k)
				c.Codes[slotContext] = []int{context()}
				if rng.IntN(3) == 0 {
					c.Codes[slotContext] = append(c.Codes[slotContext], context())
				}
				if rng.IntN(2) == 0 {
					c.Codes[slotResource] = []int{codeOf("MR", 10)}
				}
				c.Codes[slotResponse] = []int{codeOf("MX", 10)}
				c.Codes[slotOutcome] = []int{codeOf("O", 12)}
				c.Codes[slotIntervention] = []int{codeOf("I", 6)}
				if rng.IntN(4) == 0 {
					c.Codes[slotIntervention] = append(c.Codes[slotIntervention], codeOf("L", 5))
				}
				c.Codes[slotActor] = []int{codeOf("A", 3)}
				for sl := range c.Codes {
					c.Codes[sl] = sortedInts(c.Codes[sl])
				}
				c.Polarity = rng.IntN(4)
				c.Quote = fmt.Sprintf("quote %d of %s", k, label)
				c.ReportID = fmt.Sprintf("W%05d", s)
				in.Configurations = append(in.Configurations, c)
				in.RoundOf = append(in.RoundOf, round)
			}
		}
	}
	return in
}

func sortedInts(l []int) []int { return uniqueInts(l) }

// Any order of studies and configurations gives the same tables.
func TestOutputDoesNotDependOnInputOrder(t *testing.T) {
	in := syntheticInput(t, 60, 6, 7)
	want, err := Analyse(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Chains) == 0 || len(want.Contradicts) == 0 || len(want.Agreement) == 0 || len(want.Candidates) == 0 {
		t.Fatalf("synthetic data too thin to compare: %d chains, %d contradictions, %d agreement, %d candidates",
			len(want.Chains), len(want.Contradicts), len(want.Agreement), len(want.Candidates))
	}
	rng := rand.New(rand.NewPCG(42, 42))
	for trial := range 3 {
		shuffled := in
		shuffled.Studies = append([]Study(nil), in.Studies...)
		rng.Shuffle(len(shuffled.Studies), func(i, j int) { shuffled.Studies[i], shuffled.Studies[j] = shuffled.Studies[j], shuffled.Studies[i] })
		perm := rng.Perm(len(in.Configurations))
		shuffled.Configurations = make([]Configuration, len(perm))
		shuffled.RoundOf = make([]int, len(perm))
		for i, j := range perm {
			shuffled.Configurations[i], shuffled.RoundOf[i] = in.Configurations[j], in.RoundOf[j]
		}
		got, err := Analyse(shuffled)
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range []struct {
			name      string
			got, want any
		}{
			{"theme_tally", got.ThemeTally, want.ThemeTally}, {"cmo_chains", got.Chains, want.Chains},
			{"demi_regularity_candidates", got.Candidates, want.Candidates}, {"contradictions", got.Contradicts, want.Contradicts},
			{"study_theme_matrix", got.Matrix, want.Matrix}, {"coding_agreement", got.Agreement, want.Agreement},
			{"scale_summary", got.Scale, want.Scale}, {"saturation", got.Saturation, want.Saturation},
		} {
			if !reflect.DeepEqual(table.got, table.want) {
				t.Errorf("trial %d: %s differs after shuffling the input", trial, table.name)
			}
		}
	}
}

// BenchmarkTally100k: 100,000 consensus configurations over 10,000 studies,
// plus two reviewers' 50,000 rows each for agreement.
func BenchmarkTally100k(b *testing.B) {
	in := syntheticInput(b, 10_000, 10, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Analyse(in); err != nil {
			b.Fatal(err)
		}
	}
}
