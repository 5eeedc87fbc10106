package screening

import (
	"fmt"
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
func decide(in input, p *Params, votes []tables.Vote, workByID map[string]*tables.Work, w warner) ([]tables.Decision, error) {
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
		if workByID[d.WorkID] == nil {
			vanished.add(d.WorkID)
			continue
		}
		kept[workStage{d.WorkID, d.Stage}] = d
	}
	if vanished.n > 0 {
		w.Warn("screening: %d decision(s) of earlier rounds are about works no longer in the works table and were dropped: %s", vanished.n, vanished)
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
		d := resolve(groups[k], p)
		d.WorkID, d.Stage = k.work, k.stage
		work := workByID[k.work]
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
			decided[k] = d
		}
	}
	if unknownReasons.n > 0 {
		w.Warn("screening: %d full-text exclusion reason(s) are not in full_text_reasons: %s", unknownReasons.n, unknownReasons)
	}
	if missingReasons.n > 0 {
		w.Warn("screening: %d work(s) excluded at full text without a reason: %s", missingReasons.n, missingReasons)
	}
	if changed.n > 0 {
		w.Warn("screening: %d decision(s) of earlier rounds were kept although the current votes differ: %s", changed.n, changed)
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
		w.Warn("screening: %d work(s) have full-text votes but were not included at title/abstract; their full-text votes are kept in votes but not decided: %s", notExpected.n, notExpected)
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
		w.Warn("screening: %d unresolved conflict(s) await a tie-breaker or consensus vote: %s", len(conflicts), ex)
	}
	return result, nil
}

func studyOf(w *tables.Work) string {
	if w.StudyID != "" {
		return w.StudyID
	}
	return w.WorkID
}

// resolve applies the decision rules to the current votes on one work at one stage.
func resolve(votes []*tables.Vote, p *Params) tables.Decision {
	var screeners []*tables.Vote
	var tiebreaker, consensus *tables.Vote
	d := tables.Decision{Votes: []string{}, Reasons: []string{}}
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
	settledBy := func(v *tables.Vote, how string) tables.Decision {
		d.Decision, d.ResolvedBy = effective(v, p), how
		if d.Decision == maybe { // a maybe that does not count as include settles nothing
			d.Decision, d.ResolvedBy = conflict, "unresolved"
		}
		if d.Decision != include {
			d.Reasons = append(d.Reasons, v.Reasons...)
		}
		return d
	}
	switch {
	case consensus != nil:
		return settledBy(consensus, "consensus")
	case agreed:
		how := "unanimous"
		if len(screeners) == 1 {
			how = "single"
		}
		e := effective(screeners[0], p)
		if e == maybe && tiebreaker != nil {
			return settledBy(tiebreaker, "tiebreaker")
		}
		d = settledBy(screeners[0], how)
		for _, v := range screeners[1:] {
			if d.Decision != include {
				d.Reasons = append(d.Reasons, v.Reasons...)
			}
		}
		return d
	case tiebreaker != nil:
		how := "tiebreaker"
		if len(screeners) == 0 {
			how = "single"
		}
		return settledBy(tiebreaker, how)
	}
	d.Decision, d.ResolvedBy = conflict, "unresolved"
	return d
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
