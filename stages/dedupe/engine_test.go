package dedupe

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// TestSortedByRecordID checks the keyed sort against the plain comparison
// on the ids that could fool an 8-byte head: a shared prefix, ids that end
// inside the head, a NUL byte where the padding goes, equal ids told apart
// only by round, file or line, and no shared prefix at all.
func TestSortedByRecordID(t *testing.T) {
	ids := []string{"rec-00", "rec-0", "rec-0\x00", "rec-0\x00\x00", "rec-0123456789abcdef", "rec-0123456789abcdee",
		"rec-0123456789abcdef-2", "rec-01234567", "rec-012345670", "rec-", "rec-ffffffffffffffff", "rec-10", "x", ""}
	rng := rand.New(rand.NewPCG(1, 2))
	var recs []tables.Record
	for k := 0; k < 400; k++ {
		recs = append(recs, tables.Record{
			RecordID:   ids[rng.IntN(len(ids))],
			Round:      []string{"r1", "r2"}[rng.IntN(2)],
			SourceFile: []string{"a.ris", "b.ris"}[rng.IntN(2)],
			SourceLine: int64(rng.IntN(5)),
		})
	}
	naive := func(rs []tables.Record) []int32 {
		pos := make([]int32, len(rs))
		for i := range pos {
			pos[i] = int32(i)
		}
		slices.SortStableFunc(pos, func(a, b int32) int {
			ra, rb := &rs[a], &rs[b]
			return cmp.Or(cmp.Compare(ra.RecordID, rb.RecordID), cmp.Compare(ra.Round, rb.Round),
				cmp.Compare(ra.Database, rb.Database), cmp.Compare(ra.SourceFile, rb.SourceFile),
				cmp.Compare(ra.SourceLine, rb.SourceLine), cmp.Compare(ra.Title, rb.Title))
		})
		return pos
	}
	for _, rs := range [][]tables.Record{recs, recs[:1], nil, slices.DeleteFunc(slices.Clone(recs), func(r tables.Record) bool { return r.RecordID == "x" || r.RecordID == "" })} {
		info, ties, fp := make([]recordInfo, len(rs)), make([]placeTie, len(rs)), make([]uint64, len(rs))
		for i := range rs {
			info[i] = recordInfo{id: rs[i].RecordID, round: rs[i].Round, database: rs[i].Database}
			ties[i], fp[i] = placeTie{file: rs[i].SourceFile, line: rs[i].SourceLine}, matchFingerprint(&rs[i])
		}
		got, want := sortedByRecordID(info, ties, fp), naive(rs)
		// Records equal on every key may come in either order; compare keys.
		for i := range want {
			g, w := rs[got[i]], rs[want[i]]
			if g.RecordID != w.RecordID || g.Round != w.Round || g.SourceFile != w.SourceFile || g.SourceLine != w.SourceLine {
				t.Fatalf("%d records, position %d: got %q %s %s:%d, want %q %s %s:%d", len(rs), i,
					g.RecordID, g.Round, g.SourceFile, g.SourceLine, w.RecordID, w.Round, w.SourceFile, w.SourceLine)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("got %d positions, want %d", len(got), len(want))
		}
	}
}
