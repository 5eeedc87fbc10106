package dedupe

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// compareStats counts the candidate pairs the stage compared and, for each
// rule, how many pairs it ended: the cost of a run is pairs compared per
// record, and which rules end most pairs says where that cost goes. They
// are logged, never written to a table (they are not part of the result).
type compareStats struct {
	pairs   int64
	endedBy map[string]int64 // rule (or "plainly-different", the cheap pre-filter) → pairs
	// incremental: an update run compared only pairs with a new or
	// changed record, and carried the rows of the others.
	incremental bool
	carried     int64
}

// stageTiming is where one run's time went. It is apart from the result,
// which is the same from run to run; timings are not.
type stageTiming struct {
	// nanos estimates the time spent on the pairs each rule ended, from
	// one pair in timeSample timed (the pre-filter: one test in timeSample).
	nanos map[string]int64
	// phases are the stage's steps and their wall time, in run order.
	phases []phase
}

// phase is one step of the stage and its wall time.
type phase struct {
	name string
	wall time.Duration
}

// timeSample: one pair in timeSample is timed for the per-rule shares.
const timeSample = 32

// ruleTally counts, per rule, the pairs a worker compared and their
// sampled time.
type ruleTally struct {
	count, nanos map[string]int64
}

func newRuleTally() ruleTally {
	return ruleTally{count: map[string]int64{}, nanos: map[string]int64{}}
}

// plainlyDifferentRule names the pairs comparePair dropped before any rule.
const plainlyDifferentRule = "plainly-different"

func (s *compareStats) add(tally ruleTally, t *stageTiming) {
	if s.endedBy == nil {
		s.endedBy = map[string]int64{}
	}
	if t.nanos == nil {
		t.nanos = map[string]int64{}
	}
	for rule, n := range tally.count {
		s.endedBy[rule] += n
	}
	for rule, n := range tally.nanos {
		t.nanos[rule] += n
	}
}

// timed runs step and records its wall time as the phase name.
func (s *stageTiming) timed(name string, step func()) {
	start := time.Now()
	step()
	s.phases = append(s.phases, phase{name, time.Since(start)})
}

// Phases lists the steps' wall times: "prepare=1.20s block=0.41s …".
func (s stageTiming) Phases() string {
	var b strings.Builder
	for i, p := range s.phases {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%.2fs", p.name, p.wall.Seconds())
	}
	return b.String()
}

// RuleShares lists the rules by their estimated share of the time spent
// testing and comparing pairs, largest first, down to 1%:
// "plainly-different=41% guard:doi-conflict=12% …". Timing is sampled, so
// the shares are estimates; every pair is counted in endedBy.
func (s stageTiming) RuleShares() string {
	type share struct {
		rule  string
		nanos int64
	}
	var total int64
	var shares []share
	for rule, n := range s.nanos {
		shares = append(shares, share{rule, n})
		total += n
	}
	if total == 0 {
		return ""
	}
	slices.SortFunc(shares, func(a, b share) int { return cmp.Or(cmp.Compare(b.nanos, a.nanos), cmp.Compare(a.rule, b.rule)) })
	var b strings.Builder
	for _, sh := range shares {
		pct := 100 * float64(sh.nanos) / float64(total)
		if pct < 1 {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%.0f%%", sh.rule, pct)
	}
	return b.String()
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
