package report

import (
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
)

// pairSummary is all the page shows of duplicate_pairs: the pairs counted
// by rule for the decisions duplicate and related, and the evidence of the
// review-queue pairs shown. The table itself is 1.4M rows at a million
// records; decoding it into structs only to count them cost the report
// stage more than drawing the rest of the page, so summarizePairs reads it
// once, a chunk at a time, and keeps only this.
type pairSummary struct {
	// Duplicate and Related count the pairs of each rule decided duplicate
	// and related, most pairs first (see sortedCounts).
	Duplicate, Related []ruleCount
	// Evidence is the field-by-field evidence of the pairs among
	// top(Input.Queue), the queue items the page shows; a queued pair
	// with no duplicate_pairs row has none.
	Evidence map[recordPair][]evidence
}

// recordPair names a pair as duplicate_pairs and review_queue do.
type recordPair struct{ a, b string }

// pairRow is the part of a duplicate_pairs row (tables.DuplicatePair) the
// page shows: reading into it decodes 12 of the table's 18 columns.
type pairRow struct {
	RecordA     string `table:"record_a"`
	RecordB     string `table:"record_b"`
	Decision    string `table:"decision"`
	Rule        string `table:"rule"`
	FirstAuthor string `table:"first_author_evidence"`
	Journal     string `table:"journal_evidence"`
	DOI         string `table:"doi_evidence"`
	PMID        string `table:"pmid_evidence"`
	Volume      string `table:"volume_evidence"`
	Issue       string `table:"issue_evidence"`
	Pages       string `table:"pages_evidence"`
	Year        string `table:"year_evidence"`
}

// summarizePairs reads duplicate_pairs once through scan and keeps what
// the page shows of it, for the queue items shown. FromRun and FromDir
// both fill Input.Pairs with it, so a redrawn page matches the run's.
func summarizePairs(shown []tables.ReviewItem, scan scanTable[pairRow]) (pairSummary, error) {
	wanted := make(map[recordPair]bool, len(shown))
	for _, q := range shown {
		wanted[recordPair{q.RecordA, q.RecordB}] = true
	}
	// Rule names come from the table; sortedCounts orders them.
	duplicate, related := map[string]int{}, map[string]int{}
	found := map[recordPair][]evidence{}
	err := scan(func(rows []pairRow) error {
		for i := range rows {
			p := &rows[i]
			switch p.Decision {
			case "duplicate":
				countRule(duplicate, p.Rule)
			case "related":
				countRule(related, p.Rule)
			}
			if k := (recordPair{p.RecordA, p.RecordB}); wanted[k] {
				// Copies: the row's strings point into its whole chunk.
				found[k] = []evidence{{"first author", strings.Clone(p.FirstAuthor)}, {"journal", strings.Clone(p.Journal)},
					{"DOI", strings.Clone(p.DOI)}, {"PMID", strings.Clone(p.PMID)}, {"volume", strings.Clone(p.Volume)},
					{"issue", strings.Clone(p.Issue)}, {"pages", strings.Clone(p.Pages)}, {"year", strings.Clone(p.Year)}}
			}
		}
		return nil
	})
	if err != nil {
		return pairSummary{}, err
	}
	return pairSummary{Duplicate: sortedCounts(duplicate), Related: sortedCounts(related), Evidence: found}, nil
}

// countRule adds a pair to its rule's count. A rule's name is copied the
// first time it is seen: the row's string points into its whole decoded
// column chunk, which the map key would otherwise keep alive.
func countRule(counts map[string]int, rule string) {
	n, seen := counts[rule]
	if !seen {
		rule = strings.Clone(rule)
	}
	counts[rule] = n + 1
}
