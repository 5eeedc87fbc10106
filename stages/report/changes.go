package report

import (
	"cmp"
	"iter"
	"slices"
	"strconv"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
)

// The previous output's columns the comparison needs. The reader matches
// columns by name, so these read only what they declare, and an output
// written by an older version (other columns, other types) still compares.
type (
	prevRecord struct {
		RecordID string `table:"record_id"`
	}
	prevWork struct {
		WorkID string `table:"work_id"`
	}
	prevDecision struct {
		WorkID   string `table:"work_id"`
		Stage    string `table:"stage"`
		Decision string `table:"decision"`
		StudyID  string `table:"study_id,optional"`
	}
	prevCandidate struct {
		CandidateID string `table:"candidate_id"`
		Support     int64  `table:"support"`
	}
)

// previous is the previous committed output, as far as the comparison needs it.
type previous struct {
	found      bool
	records    map[string]bool // record id → in the previous output
	works      map[string]bool
	decisions  []prevDecision
	candidates []prevCandidate
}

// current is this run's tables, as far as the comparison needs them.
type current struct {
	records    iter.Seq[*tables.Record] // the record_id, database and work_id of each
	decisions  []tables.Decision
	candidates []tables.DemiRegularityCandidate
}

func readPrevious(run *pipeline.Run) (previous, error) {
	var p previous
	p.records = map[string]bool{}
	okR, err := pipeline.ScanPrevious(run, "records", func(rows []prevRecord) error {
		for _, r := range rows {
			p.records[r.RecordID] = true
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	p.works = map[string]bool{}
	okW, err := pipeline.ScanPrevious(run, "works", func(rows []prevWork) error {
		for _, w := range rows {
			p.works[w.WorkID] = true
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	if p.decisions, _, err = pipeline.Previous[prevDecision](run, "decisions"); err != nil {
		return p, err
	}
	if p.candidates, _, err = pipeline.Previous[prevCandidate](run, "demi_regularity_candidates"); err != nil {
		return p, err
	}
	p.found = okR || okW
	return p, nil
}

// Changes compares this run's tables with the previous committed output.
// Rows come out sorted: by kind in the order of the Change doc, then
// database, subject and stage.
func Changes(cur current, prev previous) []tables.Change {
	if !prev.found {
		return []tables.Change{{Kind: "previous_output", Subject: "none"}}
	}
	out := []tables.Change{{Kind: "previous_output", Subject: "found", Count: int64(len(prev.works))}}

	// Per database: records new in this run, works new in this run, and
	// earlier works that new records joined (already screened, not screened again).
	type dbCounts struct {
		records       int64
		newWorks      map[string]bool
		alreadySeenIn map[string]bool
	}
	perDB := map[string]*dbCounts{} // database names come from the config; only iterated sorted
	counts := func(db string) *dbCounts {
		c, ok := perDB[db]
		if !ok {
			c = &dbCounts{newWorks: map[string]bool{}, alreadySeenIn: map[string]bool{}}
			perDB[db] = c
		}
		return c
	}
	for r := range cur.records {
		if prev.records[r.RecordID] {
			continue
		}
		c := counts(r.Database)
		c.records++
		if r.WorkID == "" {
			continue
		}
		if prev.works[r.WorkID] {
			c.alreadySeenIn[r.WorkID] = true
		} else {
			c.newWorks[r.WorkID] = true
		}
	}
	dbs := make([]string, 0, len(perDB))
	all := dbCounts{newWorks: map[string]bool{}, alreadySeenIn: map[string]bool{}}
	for db, c := range perDB {
		dbs = append(dbs, db)
		all.records += c.records
		for w := range c.newWorks {
			all.newWorks[w] = true
		}
		for w := range c.alreadySeenIn {
			all.alreadySeenIn[w] = true
		}
	}
	slices.Sort(dbs)
	// The row without a database counts each work once, however many databases found it.
	out = append(out,
		tables.Change{Kind: "new_records", Count: all.records},
		tables.Change{Kind: "new_works", Count: int64(len(all.newWorks))},
		tables.Change{Kind: "already_screened", Count: int64(len(all.alreadySeenIn))})
	for _, db := range dbs {
		c := perDB[db]
		out = append(out,
			tables.Change{Kind: "new_records", Database: db, Count: c.records},
			tables.Change{Kind: "new_works", Database: db, Count: int64(len(c.newWorks))},
			tables.Change{Kind: "already_screened", Database: db, Count: int64(len(c.alreadySeenIn))})
	}

	// Studies included at full text now that were not before.
	wasIncluded := map[string]bool{}
	type decisionKey struct{ work, stage string }
	before := map[decisionKey]string{}
	for _, d := range prev.decisions {
		before[decisionKey{d.WorkID, d.Stage}] = d.Decision
		if d.Stage == "full_text" && d.Decision == "include" {
			wasIncluded[cmp.Or(d.StudyID, d.WorkID)] = true
		}
	}
	var included []string
	seen := map[string]bool{}
	var changed []tables.Change
	for _, d := range cur.decisions {
		if d.Stage == "full_text" && d.Decision == "include" {
			study := cmp.Or(d.StudyID, d.WorkID)
			if !wasIncluded[study] && !seen[study] {
				seen[study] = true
				included = append(included, study)
			}
		}
		if b, ok := before[decisionKey{d.WorkID, d.Stage}]; ok && b != d.Decision {
			changed = append(changed, tables.Change{Kind: "decision_changed", Subject: d.WorkID, Stage: d.Stage, Before: b, After: d.Decision, Count: 1})
		}
	}
	slices.Sort(included)
	for _, s := range included {
		out = append(out, tables.Change{Kind: "newly_included", Subject: s, Count: 1})
	}
	slices.SortFunc(changed, func(a, b tables.Change) int {
		return cmp.Or(cmp.Compare(a.Subject, b.Subject), cmp.Compare(stageRank(a.Stage), stageRank(b.Stage)))
	})
	out = append(out, changed...)

	// Candidates whose support changed, appeared or went.
	was := map[string]int64{}
	for _, c := range prev.candidates {
		was[c.CandidateID] = c.Support
	}
	now := map[string]int64{}
	for _, c := range cur.candidates {
		now[c.CandidateID] = c.Support
	}
	var support []tables.Change
	for _, c := range cur.candidates {
		b, ok := was[c.CandidateID]
		switch {
		case !ok:
			support = append(support, tables.Change{Kind: "support_changed", Subject: c.CandidateID, After: strconv.FormatInt(c.Support, 10), Count: 1})
		case b != c.Support:
			support = append(support, tables.Change{Kind: "support_changed", Subject: c.CandidateID,
				Before: strconv.FormatInt(b, 10), After: strconv.FormatInt(c.Support, 10), Count: 1})
		}
	}
	for _, c := range prev.candidates {
		if _, ok := now[c.CandidateID]; !ok {
			support = append(support, tables.Change{Kind: "support_changed", Subject: c.CandidateID, Before: strconv.FormatInt(c.Support, 10), Count: 1})
		}
	}
	slices.SortFunc(support, func(a, b tables.Change) int { return cmp.Compare(a.Subject, b.Subject) })
	return append(out, support...)
}

func stageRank(s string) int {
	if s == "full_text" {
		return 1
	}
	return 0
}
