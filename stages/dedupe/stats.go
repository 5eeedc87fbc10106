package dedupe

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// compareStats counts the candidate pairs the stage compared and, for each
// rule, how many pairs it ended: the cost of a run is pairs compared per
// record, and which rules end most pairs says where that cost goes. They
// are logged, never written to a table (they are not part of the result).
type compareStats struct {
	pairs   int64
	endedBy map[string]int64 // rule (or "plainly-different", the cheap pre-filter) → pairs
}

// plainlyDifferentRule names the pairs comparePair dropped before any rule.
const plainlyDifferentRule = "plainly-different"

func (s *compareStats) add(tally map[string]int64) {
	if s.endedBy == nil {
		s.endedBy = map[string]int64{}
	}
	for rule, n := range tally {
		s.endedBy[rule] += n
	}
}

// String lists the rules by the pairs they ended, most first:
// "plainly-different=5120 guard:doi-conflict=812 …".
func (s compareStats) String() string {
	type count struct {
		rule string
		n    int64
	}
	var counts []count
	for rule, n := range s.endedBy {
		counts = append(counts, count{rule, n})
	}
	slices.SortFunc(counts, func(a, b count) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.rule, b.rule)) })
	var b strings.Builder
	for i, c := range counts {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%d", c.rule, c.n)
	}
	return b.String()
}
