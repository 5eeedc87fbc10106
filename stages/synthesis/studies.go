package synthesis

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/realsynth/realsynth/pipeline/table"
)

// StudyRow is one row of the studies CSV: the team's study label, the works
// (reports) it maps to, its cluster and appraisal. WorkIDs holds the
// work_id and report_id cells as written: work ids, DOIs, PMIDs or
// database:key references (see refKey).
type StudyRow struct {
	File      string
	Line      int
	Label     string
	WorkIDs   []string
	DOIs      []string
	Cluster   string
	Design    string
	Setting   string
	Relevance string
	Rigour    string
	Richness  string
	// Order is the study's position in extraction order (0: not given).
	Order int
}

var studyColumns = []string{"study_id", "work_id", "report_id", "doi", "cluster_id", "design", "setting", "relevance", "rigour", "richness", "extraction_order", "notes"}

// ReadStudies reads the studies CSV (columns by header name; work_id,
// report_id and doi cells may list several reports, `;`-separated).
func ReadStudies(path, name string, warn func(string, ...any)) ([]StudyRow, error) {
	var rows []StudyRow
	var errs problems
	seen := map[string]int{}
	err := readCSV(path, name, []string{"study_id"}, studyColumns,
		func(col string) { warn("%s: ignoring unknown column %q", name, col) },
		func(r csvRow) error {
			s := StudyRow{File: name, Line: r.line, Label: r.get("study_id"), WorkIDs: append(r.list("work_id"), r.list("report_id")...), DOIs: r.list("doi"),
				Cluster: r.get("cluster_id"), Design: r.get("design"), Setting: r.get("setting"),
				Relevance: r.get("relevance"), Rigour: r.get("rigour"), Richness: r.get("richness")}
			if s.Label == "" {
				return r.errorf("study_id is empty")
			}
			if o := r.get("extraction_order"); o != "" {
				n, err := strconv.Atoi(o)
				if err != nil || n < 1 {
					return r.errorf("extraction_order %q, want a whole number from 1", o)
				}
				s.Order = n
			}
			if line, dup := seen[s.Label]; dup {
				return r.errorf("study %s is listed twice (also line %d); list all its reports in one row", s.Label, line)
			}
			seen[s.Label] = r.line
			rows = append(rows, s)
			return nil
		})
	errs.add(err)
	if err := errs.err(); err != nil {
		return nil, fmt.Errorf("studies: %w", err)
	}
	return rows, nil
}

// CandidateDecision is the team's decision on one candidate, kept in a CSV
// across reruns.
type CandidateDecision struct {
	File        string
	Line        int
	CandidateID string // as written
	Key         chainKey
	Decision    string
	Wording     string
	Rationale   string
	MergedInto  string
	DecidedOn   table.Date
}

var decisionValues = []string{"accepted", "rejected", "merged", "needs_more_evidence"}

var decisionColumns = []string{"candidate_id", "decision", "wording", "rationale", "merged_into", "decided_on", "decided_by", "notes"}

// ReadDecisions reads the candidate decisions CSV. Candidate ids are parsed
// and their codes resolved through the codebook, so a decision survives a
// code being renamed (synonym) or merged.
func ReadDecisions(path, name string, cb *Codebook, warn func(string, ...any)) ([]CandidateDecision, error) {
	var rows []CandidateDecision
	seen := map[chainKey]int{}
	err := readCSV(path, name, []string{"candidate_id", "decision"}, decisionColumns,
		func(col string) { warn("%s: ignoring unknown column %q", name, col) },
		func(r csvRow) error {
			d := CandidateDecision{File: name, Line: r.line, CandidateID: r.get("candidate_id"), Decision: strings.ToLower(r.get("decision")),
				Wording: r.get("wording"), Rationale: r.get("rationale"), MergedInto: r.get("merged_into")}
			if on := r.get("decided_on"); on != "" {
				date, err := table.ParseDate(on)
				if err != nil {
					return r.errorf("decided_on: %v", err)
				}
				d.DecidedOn = date
			}
			if !slices.Contains(decisionValues, d.Decision) {
				return r.errorf("decision %q, want one of %s", r.get("decision"), strings.Join(decisionValues, ", "))
			}
			key, err := parseChainID(d.CandidateID, cb)
			if err != nil {
				return r.errorf("candidate_id %q: %v", d.CandidateID, err)
			}
			if line, dup := seen[key]; dup {
				return r.errorf("candidate %s is decided twice (also line %d)", d.CandidateID, line)
			}
			seen[key] = r.line
			d.Key = key
			rows = append(rows, d)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("candidate decisions: %w", err)
	}
	return rows, nil
}
