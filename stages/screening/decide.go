package screening

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/realsynth/realsynth/internal/tables"
)

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05",
	"2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02", "02/01/2006 15:04:05", "02/01/2006"}

func parseTime(s string) (time.Time, bool) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// effective is the decision a vote counts as under the rules: maybe counts
// as include at title/abstract when configured, and a full-text exclusion
// for a "not retrieved" reason is a report not retrieved.
func effective(v *tables.Vote, p *Params) string {
	switch {
	case v.Stage == stageTA && v.Decision == maybe && p.MaybeCountsAsInclude:
		return include
	case v.Stage == stageTA && v.Decision == notRetrieved:
		return include // could not get the full text to judge: it passes to full text
	case v.Stage == stageFT && v.Decision == exclude && anyNotRetrieved(v.Reasons, p):
		return notRetrieved
	}
	return v.Decision
}

func anyNotRetrieved(reasons []string, p *Params) bool {
	for _, r := range reasons {
		for _, nr := range p.NotRetrievedReasons {
			if key(r) == key(nr) {
				return true
			}
		}
	}
	return false
}

type workStage struct{ work, stage string }

// decide resolves the current votes of every work and stage, keeping the
// decisions of earlier rounds from the previous output.
func decide(in input, p *Params, votes []tables.Vote, workPos map[string]int, w warner) ([]tables.Decision, error) {
	groups := map[workStage][]*tables.Vote{}
	var keys []workStage
	for i := range votes {
		v := &votes[i]
		if v.Superseded {
			continue
		}
		k := workStage{v.WorkID, v.Stage}
		if groups[k] == nil {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], v)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].work != keys[j].work {
			return keys[i].work < keys[j].work
		}
		return stageOrder(keys[i].stage) < stageOrder(keys[j].stage)
	})

	lastRound := ""
	if len(in.rounds) > 0 {
		lastRound = in.rounds[len(in.rounds)-1]
	}
	roundIndex := func(id string) int {
		for i, r := range in.rounds {
			if r == id {
				return i
			}
		}
		return -1
	}
	kept := map[workStage]tables.Decision{}
	vanished := newExamples()
	for _, d := range in.previous {
		if d.Decision == conflict || roundIndex(d.Round) >= roundIndex(lastRound) {
			continue // undecided, or decided in the round being run: decide again from the votes
		}
		if _, ok := workPos[d.WorkID]; !ok {
			vanished.add(d.WorkID)
			continue
		}
		kept[workStage{d.WorkID, d.Stage}] = d
	}
	if vanished.n > 0 {
		w.WarnN("vanished_decisions", vanished.n, "screening: %d decision(s) of earlier rounds are about works no longer in the works table and were dropped: %s", vanished.n, vanished)
	}

	reasonCanon := map[string]string{}
	for _, r := range p.FullTextReasons {
		reasonCanon[key(r)] = r
	}
	for _, r := range p.NotRetrievedReasons {
		if _, ok := reasonCanon[key(r)]; !ok {
			reasonCanon[key(r)] = r
		}
	}
	unknownReasons, missingReasons, changed := newExamples(), newExamples(), newExamples()

	decided := map[workStage]tables.Decision{}
	for _, k := range keys {
		d, adjudicated := resolve(groups[k], p)
		d.WorkID, d.Stage = k.work, k.stage
		work := &in.works[workPos[k.work]]
		d.Round, d.StudyID = work.FirstRound, studyOf(work)
		d.Reasons = sortedUnique(d.Reasons)
		if d.Stage == stageFT && (d.Decision == exclude || d.Decision == notRetrieved) {
			for i, r := range d.Reasons {
				if c, ok := reasonCanon[key(r)]; ok {
					d.Reasons[i] = c
				} else if len(p.FullTextReasons) > 0 {
					unknownReasons.add(fmt.Sprintf("%q (work %s)", r, k.work))
				}
			}
			d.Reasons = sortedUnique(d.Reasons)
			if len(d.Reasons) == 0 && d.Decision == exclude {
				missingReasons.add(k.work)
			}
			if d.Decision == exclude {
				d.PrismaReason, d.ReasonRule = countedReason(d.Reasons, adjudicated, p)
			}
		}
		if old, ok := kept[k]; ok {
			// The earlier row is kept as it was, so that running the same
			// round twice gives the same bytes; only a decision the current
			// votes no longer give is marked as held by the earlier round.
			if old.Decision != d.Decision {
				changed.add(fmt.Sprintf("%s %s: kept %s, votes now say %s", k.work, k.stage, old.Decision, d.Decision))
				old.ResolvedBy = "earlier_round"
			}
			old.Votes = d.Votes
			if old.Stage == stageFT && old.Decision == exclude && old.PrismaReason == "" {
				// A row written before realsynth recorded the counted reason.
				if old.Decision == d.Decision && slices.Equal(old.Reasons, d.Reasons) {
					old.PrismaReason, old.ReasonRule = d.PrismaReason, d.ReasonRule
				} else {
					old.PrismaReason, old.ReasonRule = countedReason(old.Reasons, false, p)
				}
			}
			decided[k] = old
			continue
		}
		decided[k] = d
	}
	for k, d := range kept {
		if _, ok := decided[k]; !ok {
			d.Votes = []string{} // no current votes: the earlier round alone holds it
			d.Reasons = nonNil(d.Reasons)
			d.ResolvedBy = "earlier_round"
			if d.Stage == stageFT && d.Decision == exclude && d.PrismaReason == "" {
				d.PrismaReason, d.ReasonRule = countedReason(d.Reasons, false, p)
			}
			decided[k] = d
		}
	}
	if unknownReasons.n > 0 {
		w.WarnN("unknown_exclusion_reasons", unknownReasons.n, "screening: %d full-text exclusion reason(s) are not in full_text_reasons: %s", unknownReasons.n, unknownReasons)
	}
	if missingReasons.n > 0 {
		w.WarnN("missing_exclusion_reasons", missingReasons.n, "screening: %d work(s) excluded at full text without a reason: %s", missingReasons.n, missingReasons)
	}
	if changed.n > 0 {
		w.WarnN("earlier_decisions_kept", changed.n, "screening: %d decision(s) of earlier rounds were kept although the current votes differ: %s", changed.n, changed)
	}

	// Full text follows title/abstract: a work not included there has no
	// full-text decision, whatever votes it got.
	notExpected := newExamples()
	var result []tables.Decision
	for k, d := range decided {
		if k.stage == stageFT {
			ta, ok := decided[workStage{k.work, stageTA}]
			if !ok || ta.Decision != include {
				state := "no title/abstract decision"
				if ok {
					state = "title/abstract " + ta.Decision
				}
				notExpected.add(fmt.Sprintf("%s (%s)", k.work, state))
				continue
			}
		}
		result = append(result, d)
	}
	if notExpected.n > 0 {
		w.WarnN("full_text_votes_not_decided", notExpected.n, "screening: %d work(s) have full-text votes but were not included at title/abstract; their full-text votes are kept in votes but not decided: %s", notExpected.n, notExpected)
	}
	var conflicts []string
	for _, d := range result {
		if d.Decision == conflict {
			conflicts = append(conflicts, d.WorkID+" "+d.Stage)
		}
	}
	if len(conflicts) > 0 {
		sort.Strings(conflicts)
		ex := newExamples()
		for _, c := range conflicts {
			ex.add(c)
		}
		w.WarnN("unresolved_conflicts", len(conflicts), "screening: %d unresolved conflict(s) await a tie-breaker or consensus vote: %s", len(conflicts), ex)
	}
	return result, nil
}

func studyOf(w *workRow) string {
	if w.StudyID != "" {
		return w.StudyID
	}
	return w.WorkID
}

// resolve applies the decision rules to the current votes on one work at
// one stage. adjudicated is true when the reasons are those of an
// adjudicating vote (consensus or tie-breaker) rather than the screeners'
// pooled reasons: PRISMA then counts the adjudicator's reason, and falls back
// to full_text_reasons order only when nobody adjudicated.
func resolve(votes []*tables.Vote, p *Params) (d tables.Decision, adjudicated bool) {
	var screeners []*tables.Vote
	var tiebreaker, consensus *tables.Vote
	d = tables.Decision{Votes: []string{}, Reasons: []string{}}
	for _, v := range votes {
		d.Votes = append(d.Votes, v.Reviewer+": "+v.Decision)
		switch v.Role {
		case "tiebreaker":
			tiebreaker = v
		case "consensus":
			consensus = v
		default:
			screeners = append(screeners, v)
		}
	}
	sort.Strings(d.Votes)
	agreed := len(screeners) > 0
	for _, v := range screeners {
		if effective(v, p) != effective(screeners[0], p) {
			agreed = false
		}
	}
	d.Conflict = len(screeners) > 1 && !agreed
	// screenerReasons pools the reasons of the screeners who voted the
	// decision: the fallback when no adjudicating vote gives a reason.
	screenerReasons := func() []string {
		var rs []string
		for _, v := range screeners {
			if effective(v, p) == d.Decision {
				rs = append(rs, v.Reasons...)
			}
		}
		return rs
	}
	settledBy := func(v *tables.Vote, how string, adjudicator bool) (tables.Decision, bool) {
		d.Decision, d.ResolvedBy = effective(v, p), how
		if d.Decision == maybe { // a maybe that does not count as include settles nothing
			d.Decision, d.ResolvedBy = conflict, "unresolved"
			return d, false
		}
		if d.Decision == include {
			return d, false
		}
		if adjudicator && len(v.Reasons) > 0 {
			d.Reasons = append(d.Reasons, v.Reasons...)
			return d, true
		}
		if !adjudicator {
			d.Reasons = append(d.Reasons, v.Reasons...)
		}
		d.Reasons = append(d.Reasons, screenerReasons()...)
		return d, false
	}
	switch {
	case consensus != nil:
		return settledBy(consensus, "consensus", true)
	case agreed:
		how := "unanimous"
		if len(screeners) == 1 {
			how = "single"
		}
		e := effective(screeners[0], p)
		if e == maybe && tiebreaker != nil {
			return settledBy(tiebreaker, "tiebreaker", true)
		}
		d, _ = settledBy(screeners[0], how, false)
		// The screeners agree on the decision; when they gave different
		// reasons, a tie-breaker who voted the same decision settles the reason.
		if tiebreaker != nil && d.Decision != include && d.Decision != conflict &&
			effective(tiebreaker, p) == d.Decision && len(tiebreaker.Reasons) > 0 {
			d.Reasons = append([]string{}, tiebreaker.Reasons...)
			return d, true
		}
		return d, false
	case tiebreaker != nil:
		if len(screeners) == 0 {
			return settledBy(tiebreaker, "single", false)
		}
		return settledBy(tiebreaker, "tiebreaker", true)
	}
	d.Decision, d.ResolvedBy = conflict, "unresolved"
	return d, false
}

// Reason rules: how the one reason PRISMA counts a full-text exclusion under
// was chosen (decisions.reason_rule).
const (
	ruleAdjudicator   = "adjudicator"    // the consensus or tie-breaker vote's reason
	ruleOnlyReason    = "only_reason"    // nobody adjudicated; the votes gave one reason between them
	rulePriorityOrder = "priority_order" // nobody adjudicated; several reasons, the first in full_text_reasons order
	ruleNotGiven      = "not_given"      // no vote gave a reason
)

// countedReason is the reason PRISMA counts a report excluded at full text
// under, and the rule that chose it: the adjudicating vote's reason (the
// first in full_text_reasons order if it gave several), else the only reason
// the screeners gave, else the first of theirs in full_text_reasons order.
func countedReason(reasons []string, adjudicated bool, p *Params) (reason, rule string) {
	switch {
	case len(reasons) == 0:
		return notGivenReason, ruleNotGiven
	case adjudicated:
		return primaryReason(reasons, p), ruleAdjudicator
	case len(reasons) == 1:
		return reasons[0], ruleOnlyReason
	}
	return primaryReason(reasons, p), rulePriorityOrder
}

// notGivenReason is the label PRISMA counts a full-text exclusion without a reason under.
const notGivenReason = "reason not given"

// primaryReason is the first of reasons in full_text_reasons order, else the
// first alphabetically (reasons are sorted).
func primaryReason(reasons []string, p *Params) string {
	if len(reasons) == 0 {
		return notGivenReason
	}
	for _, r := range p.FullTextReasons {
		for _, x := range reasons {
			if key(x) == key(r) {
				return r
			}
		}
	}
	return reasons[0]
}

func sortedUnique(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return nonNil(out)
}
