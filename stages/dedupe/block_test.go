package dedupe

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
)

// TestCandidatePairsMatchesPlainBlocking checks the bucketed, parallel
// blocking against the plain algorithm it replaced (all keys in one sorted
// slice, one pass, one sort of the pairs), on records that make small
// blocks, oversized blocks (sorted neighbourhood) and shared identifiers,
// with one CPU and with several.
func TestCandidatePairsMatchesPlainBlocking(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	words := []string{"asthma", "children", "school", "nurse", "led", "education", "trial", "outcomes", "care", "editorial"}
	surnames := []string{"Smith", "Jones", "Li", "Garcia"}
	var recs []prepared
	for i := 0; i < 6000; i++ {
		title := ""
		for w := 0; w < 1+rng.IntN(5); w++ {
			title += words[rng.IntN(len(words))] + " "
		}
		r := rec(fmt.Sprintf("rec-%05d", i), "title="+title,
			"authors="+surnames[rng.IntN(len(surnames))]+", A", fmt.Sprintf("year=%d", 2018+rng.IntN(3)),
			fmt.Sprintf("volume=%d", rng.IntN(40)), fmt.Sprintf("pages=%d-9", 1+rng.IntN(50)))
		if rng.IntN(10) == 0 {
			r.DOI = fmt.Sprintf("10.1000/x%d", rng.IntN(300))
		}
		recs = append(recs, prepare(&r, false))
	}
	plain := func(recs []prepared, maxBlock int) []uint64 {
		var keys []keyed
		for i := range recs {
			keys = blockingKeys(keys, i, &recs[i])
		}
		slices.SortFunc(keys, func(a, b keyed) int {
			if a.key != b.key {
				if a.key < b.key {
					return -1
				}
				return 1
			}
			return int(a.rec) - int(b.rec)
		})
		var pairs []uint64
		var block []uint32
		for start := 0; start < len(keys); {
			end := start + 1
			for end < len(keys) && keys[end].key == keys[start].key {
				end++
			}
			block = block[:0]
			for _, k := range keys[start:end] {
				if len(block) == 0 || block[len(block)-1] != k.rec {
					block = append(block, k.rec)
				}
			}
			if len(block) > 1 {
				pairs = appendBlockPairs(pairs, block, recs, maxBlock)
			}
			start = end
		}
		slices.Sort(pairs)
		return slices.Compact(pairs)
	}
	want := plain(recs, 64)
	if len(want) < 10000 {
		t.Fatalf("only %d reference pairs: the case no longer makes big blocks", len(want))
	}
	for _, procs := range []int{1, 2, 4} {
		old := runtime.GOMAXPROCS(procs)
		got := candidatePairs(recs, 64)
		runtime.GOMAXPROCS(old)
		if !slices.Equal(got, want) {
			t.Fatalf("GOMAXPROCS=%d: %d pairs, want %d (first difference at %d)", procs, len(got), len(want), firstDiff(got, want))
		}
	}
	if got := candidatePairs(recs[:1], 64); len(got) != 0 {
		t.Errorf("one record gave pairs %v", got)
	}
	if got := candidatePairs(nil, 64); len(got) != 0 {
		t.Errorf("no records gave pairs %v", got)
	}
}

func firstDiff(a, b []uint64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
