package dedupe

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
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
				var tested int
				var nanos int64
				pairs = appendBlockPairs(pairs, block, recs, maxBlock, nil, &tested, &nanos)
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
		got, _, _ := candidatePairs(context.Background(), recs, 64, nil, nil)
		runtime.GOMAXPROCS(old)
		if !slices.Equal(got, want) {
			t.Fatalf("GOMAXPROCS=%d: %d pairs, want %d (first difference at %d)", procs, len(got), len(want), firstDiff(got, want))
		}
	}
	// Dropping the plainly different pairs: the rest, and a count of them,
	// except the pairs dropPlain keeps (those a human decided).
	var plainWant int64
	var restWant []uint64
	keepOne := uint64(0)
	for _, k := range want {
		if k&plainBit != 0 && keepOne == 0 {
			keepOne = k &^ plainBit
		}
	}
	for _, k := range want {
		if k&plainBit != 0 && k&^plainBit != keepOne {
			plainWant++
			continue
		}
		restWant = append(restWant, k)
	}
	rest, plainGot, _ := candidatePairs(context.Background(), recs, 64, nil, func(k uint64) bool { return k != keepOne })
	if plainGot != plainWant || !slices.Equal(rest, restWant) || plainWant == 0 {
		t.Errorf("dropping plain pairs: %d pairs and %d plain, want %d and %d", len(rest), plainGot, len(restWant), plainWant)
	}
	if got, _, _ := candidatePairs(context.Background(), recs[:1], 64, nil, nil); len(got) != 0 {
		t.Errorf("one record gave pairs %v", got)
	}
	if got, _, _ := candidatePairs(context.Background(), nil, 64, nil, nil); len(got) != 0 {
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

// TestPreFilterShortcuts: the early exits of the pre-filter give what the
// plain tests give. diceAtLeastHalf is tokenDice >= 0.5 on random word
// sets of every size, and a title holding another is never plainly
// different, whatever the byte-pair set says.
func TestPreFilterShortcuts(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for n := 0; n < 50000; n++ {
		set := func() []uint32 {
			var s []uint32
			for k := rng.IntN(25); k > 0; k-- {
				s = append(s, uint32(rng.IntN(40)))
			}
			slices.Sort(s)
			return slices.Compact(s)
		}
		a, b := set(), set()
		if got, want := diceAtLeastHalf(a, b), tokenDice(a, b) >= 0.5; got != want {
			t.Fatalf("diceAtLeastHalf(%v, %v) = %v, tokenDice says %v", a, b, got, want)
		}
	}
	for _, c := range [][2]string{
		{"Peer support in mental health care", "Peer support in mental health care: a systematic review of twelve randomised trials and their costs"},
		{"Mental health care", "Peer support workers in community mental health care and their outcomes over three years"},
		{"Cost", "Hospital costs of hip fracture surgery among older adults in Norway"},
	} {
		a, b := rec("a", "title="+c[0]), rec("b", "title="+c[1])
		pa, pb := prepare(&a, false), prepare(&b, false)
		if !strings.Contains(pb.title, pa.title) {
			t.Fatalf("case %q: %q does not hold %q", c[0], pb.title, pa.title)
		}
		if plainlyDifferent(&pa, &pb) || plainlyDifferent(&pb, &pa) {
			t.Errorf("%q within %q called plainly different", c[0], c[1])
		}
	}
}
