package dedupe

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBitParallelLevenshtein checks the bit-parallel distance against the
// banded table it replaced, on hand cases and on random strings of every
// length class: one word, two words, the growth of the mask table (more
// than 96 masks), long titles, non-ASCII bytes, and bounds cutting short.
func TestBitParallelLevenshtein(t *testing.T) {
	for _, c := range []struct {
		a, b string
		max  int
		want int
	}{
		{"kitten", "sitting", 10, 3},
		{"", "abc", 5, 3},
		{"abc", "", 5, 3},
		{"abc", "abc", 0, 0},
		{"flaw", "lawn", 1, 2}, // distance 2 > max 1: max+1
		{"a", "bbbbbb", 2, 3},  // lengths alone exceed max
	} {
		if got := boundedLevenshtein(c.a, c.b, c.max); got != c.want {
			t.Errorf("boundedLevenshtein(%q, %q, %d) = %d, want %d", c.a, c.b, c.max, got, c.want)
		}
	}
	rng := rand.New(rand.NewPCG(3, 5))
	alphabets := []string{"ab", "abcdefghijklmnopqrstuvwxyz0123456789", "aé中b\xff"}
	mutate := func(s string, edits int, alpha string) string {
		b := []byte(s)
		for e := 0; e < edits; e++ {
			c := alpha[rng.IntN(len(alpha))]
			switch k := rng.IntN(3); {
			case k == 0 || len(b) == 0:
				p := rng.IntN(len(b) + 1)
				b = append(b[:p], append([]byte{c}, b[p:]...)...)
			case k == 1:
				p := rng.IntN(len(b))
				b = append(b[:p], b[p+1:]...)
			default:
				b[rng.IntN(len(b))] = c
			}
		}
		return string(b)
	}
	for n := 0; n < 20000; n++ {
		alpha := alphabets[rng.IntN(len(alphabets))]
		length := []int{1, 5, 40, 63, 64, 65, 100, 128, 129, 200, 300, 700}[rng.IntN(12)]
		var sb strings.Builder
		for sb.Len() < length {
			sb.WriteByte(alpha[rng.IntN(len(alpha))])
		}
		a := sb.String()
		b := mutate(a, rng.IntN(1+length/3), alpha)
		if rng.IntN(10) == 0 {
			b = mutate(b, rng.IntN(length+1), "xyz")
		}
		max := rng.IntN(len(a)+len(b)+2) + 0
		want := bandedLevenshtein(a, b, max)
		if got := boundedLevenshtein(a, b, max); got != want {
			t.Fatalf("boundedLevenshtein(%q, %q, %d) = %d, the table says %d", a, b, max, got, want)
		}
	}
}

// bandedLevenshtein is the banded dynamic programming table the
// bit-parallel distance replaced, kept as the reference.
// (reference implementation)
func bandedLevenshtein(a, b string, max int) int {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > max {
		return max + 1
	}
	inf := max + 1
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		if j <= max {
			prev[j] = j
		} else {
			prev[j] = inf
		}
	}
	for i := 1; i <= len(a); i++ {
		lo := i - max
		if lo < 1 {
			lo = 1
		}
		hi := i + max
		if hi > len(b) {
			hi = len(b)
		}
		if lo > 1 {
			cur[lo-1] = inf
		} else {
			cur[0] = i
			if i > max {
				cur[0] = inf
			}
		}
		rowMin := inf
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if x := prev[j] + 1; x < v {
				v = x
			}
			if x := cur[j-1] + 1; x < v {
				v = x
			}
			if v > inf {
				v = inf
			}
			cur[j] = v
			if v < rowMin {
				rowMin = v
			}
		}
		if hi < len(b) {
			cur[hi+1] = inf
		}
		if rowMin > max {
			return inf
		}
		prev, cur = cur, prev
	}
	if prev[len(b)] > max {
		return inf
	}
	return prev[len(b)]
}

// BenchmarkTitleDistance: two 110-byte titles a few edits apart, the
// bound at 30% of the length as titleSimilarity sets it.
func BenchmarkTitleDistance(b *testing.B) {
	x := "effectofpeersupportworkersonengagementincommunitymentalhealthcarearandomisedcontrolledtrialinthreecities"
	y := "effectsofpeersupportworkeronengagementincommunitymentalhealthservicesarandomizedcontrolledtrialinthreecity"
	b.Run("bit-parallel", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			boundedLevenshtein(x, y, 33)
		}
	})
	b.Run("banded-table", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bandedLevenshtein(x, y, 33)
		}
	})
}
