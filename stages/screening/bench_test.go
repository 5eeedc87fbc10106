package screening

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// BenchmarkAgreement1M measures agreement over one million votes: 500,000
// works rated by two screeners at title/abstract, ~8% includes, ~5% of
// votes flipped, in two rounds (so the per-round and all-rounds rows and
// the pilot subset are all computed).
func BenchmarkAgreement1M(b *testing.B) {
	const works = 500_000
	rng := rand.New(rand.NewPCG(1, 2))
	votes := make([]tables.Vote, 0, 2*works)
	for i := range works {
		truth := exclude
		if rng.Float64() < 0.08 {
			truth = include
		}
		round := "r1"
		if i >= works*3/4 {
			round = "r2"
		}
		id := fmt.Sprintf("W%07d", i)
		for _, reviewer := range []string{"Ana", "Ben"} {
			d := truth
			if rng.Float64() < 0.05 {
				d = map[string]string{include: exclude, exclude: maybe}[truth]
			}
			votes = append(votes, tables.Vote{WorkID: id, Round: round, Stage: stageTA, Reviewer: reviewer, Role: "screener", Decision: d})
		}
	}
	p := DefaultParams()
	p.PilotRecords = 100
	var w warnings
	b.ReportAllocs()
	cpu0, cpuOK := processCPU()
	b.ResetTimer()
	for range b.N {
		rows, err := agreementRows(votes, []string{"r1", "r2"}, p, &w)
		if err != nil || len(rows) != 4 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
	b.StopTimer()
	// CPU seconds per op (all threads, GC included): on a shared machine
	// the wall-clock ns/op also counts time spent waiting for a CPU.
	if cpu1, ok := processCPU(); ok && cpuOK {
		b.ReportMetric((cpu1-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	}
}
