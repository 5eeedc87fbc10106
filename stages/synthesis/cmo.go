package synthesis

import (
	"fmt"
	"slices"
	"strings"
)

// Polarities of an outcome, in output order.
var polarities = []string{"positive", "negative", "mixed", "unclear"}

const (
	polPositive = iota
	polNegative
	polMixed
	polUnclear
)

// opposite returns the polarity that contradicts p, or -1 when none does
// (mixed and unclear outcomes contradict nothing).
func opposite(p int) int {
	switch p {
	case polPositive:
		return polNegative
	case polNegative:
		return polPositive
	}
	return -1
}

// Configuration is one CMO row as read: codes resolved through synonyms and
// merges, still keyed by the team's study label.
type Configuration struct {
	File     string
	Line     int
	CMOCID   string
	Study    string
	Reviewer string
	// Codes holds code indices per slot (slotContext … slotActor), sorted, once each.
	Codes    [numSlots][]int
	Polarity int // polPositive …; polUnclear when the cell is empty
	Quote    string
	Page     string
	ReportID string
	// ReportKey is the work ReportID names once resolved (a PMID, DOI and
	// work id of one report give one key), else empty: reports are counted
	// by it.
	ReportKey string
	Round     string
	// Upstream is the upstream_cmoc_id as written.
	Upstream   string
	Confidence string
}

var cmoColumns = []string{"cmoc_id", "study_id", "reviewer", "context", "mechanism_resource", "mechanism_response",
	"outcome", "intervention", "actor", "polarity", "quote", "page", "report_id", "round", "confidence", "upstream_cmoc_id", "notes"}

// ReadConfigurations reads the CMO coding CSV, resolving every code through
// the codebook. Unknown codes (with the closest suggestion), codes used in a
// role they do not allow, bad polarities, duplicate ids and dangling or
// cyclic upstream links are errors naming file and line. warn receives
// non-fatal notes (deprecated codes, unknown columns).
func ReadConfigurations(path, name string, cb *Codebook, warn func(string, ...any)) ([]Configuration, error) {
	var rows []Configuration
	var errs problems
	deprecatedSeen := map[int]bool{}
	err := readCSV(path, name, []string{"cmoc_id", "study_id", "reviewer"}, cmoColumns,
		func(col string) { warn("%s: ignoring unknown column %q", name, col) },
		func(r csvRow) error {
			c := Configuration{File: name, Line: r.line, CMOCID: r.get("cmoc_id"), Study: r.get("study_id"), Reviewer: r.get("reviewer"),
				Quote: r.get("quote"), Page: r.get("page"), ReportID: r.get("report_id"), Round: r.get("round"),
				Upstream: r.get("upstream_cmoc_id"), Confidence: r.get("confidence"), Polarity: polUnclear}
			for _, col := range []struct{ name, v string }{{"cmoc_id", c.CMOCID}, {"study_id", c.Study}, {"reviewer", c.Reviewer}} {
				if col.v == "" {
					errs.add(r.errorf("%s is empty", col.name))
				}
			}
			if p := strings.ToLower(r.get("polarity")); p != "" {
				c.Polarity = slices.Index(polarities, p)
				if c.Polarity < 0 {
					errs.add(r.errorf("polarity %q, want positive, negative, mixed or unclear", r.get("polarity")))
					c.Polarity = polUnclear
				}
			}
			for s, slot := range slots {
				for _, item := range r.list(slot.column) {
					target, direct, ok := cb.Resolve(item)
					if !ok {
						errs.add(r.errorf("%s: unknown code %q (did you mean %s?)", slot.column, item, cb.Suggest(item)))
						continue
					}
					if !cb.HasRole(target, slot.role) {
						errs.add(r.errorf("%s: code %s (%s) may not be used as %s; its roles are %s",
							slot.column, cb.Codes[target].ID, cb.Codes[target].Label, slot.role, strings.Join(cb.Codes[target].Roles, ", ")))
						continue
					}
					if cb.Codes[direct].Status == "deprecated" && !deprecatedSeen[direct] {
						deprecatedSeen[direct] = true
						warn("%s:%d: code %s is deprecated (first use; later uses not repeated)", name, r.line, cb.Codes[direct].ID)
					}
					c.Codes[s] = append(c.Codes[s], target)
				}
				slices.Sort(c.Codes[s])
				c.Codes[s] = slices.Compact(c.Codes[s])
			}
			rows = append(rows, c)
			return nil
		})
	if err != nil {
		errs.add(err)
	}
	if err := errs.err(); err != nil {
		return nil, fmt.Errorf("configurations: %w", err)
	}
	if err := checkIDs(rows); err != nil {
		return nil, fmt.Errorf("configurations: %w", err)
	}
	return rows, nil
}

// cmoc ids are unique per study and reviewer: teams often number
// configurations within each study (CMOC1, CMOC2, …).
type cmocKey struct{ study, reviewer, id string }

// checkIDs rejects a cmoc_id used twice by one reviewer in one study, and
// upstream links that point nowhere (or into another study) or round in a cycle.
func checkIDs(rows []Configuration) error {
	var errs problems
	at := map[cmocKey]int{}
	for i, c := range rows {
		k := cmocKey{c.Study, c.Reviewer, c.CMOCID}
		if j, dup := at[k]; dup {
			errs.add(fmt.Errorf("%s:%d: cmoc_id %s is used twice in study %s by reviewer %s (also line %d)", c.File, c.Line, c.CMOCID, c.Study, c.Reviewer, rows[j].Line))
			continue
		}
		at[k] = i
	}
	next := make([]int, len(rows))
	for i, c := range rows {
		next[i] = -1
		if c.Upstream == "" {
			continue
		}
		j, ok := at[cmocKey{c.Study, c.Reviewer, c.Upstream}]
		if !ok {
			errs.add(fmt.Errorf("%s:%d: upstream_cmoc_id %s is not a configuration of reviewer %s in study %s", c.File, c.Line, c.Upstream, c.Reviewer, c.Study))
			continue
		}
		next[i] = j
	}
	if cyc := findCycle(next); cyc != nil {
		ids := make([]string, len(cyc))
		for i, k := range cyc {
			ids[i] = rows[k].CMOCID
		}
		errs.add(fmt.Errorf("%s:%d: cycle in upstream_cmoc_id: %s", rows[cyc[0]].File, rows[cyc[0]].Line, strings.Join(append(ids, ids[0]), " → ")))
	}
	return errs.err()
}
