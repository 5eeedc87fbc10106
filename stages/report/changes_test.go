package report

import (
	"iter"
	"reflect"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// A hand-made update round: the previous output had records p1, p2 (work
// W1) and p3 (W2), W1 included at full text, W2 excluded at title/abstract,
// and candidate X with support 2 and Y with support 1. This run adds r4 from
// Embase joining W1 (already screened), r5 from Embase and MEDLINE's r6
// forming new work W3, includes W3, turns W2's exclusion into an include
// (a tie-breaker), raises X to 3, keeps Y's support, and drops nothing else.
func TestChangesOfAnUpdateRound(t *testing.T) {
	prev := previous{found: true,
		records:    map[string]bool{"p1": true, "p2": true, "p3": true},
		works:      map[string]bool{"W1": true, "W2": true},
		decisions:  []prevDecision{{"W1", "title_abstract", "include", "W1"}, {"W1", "full_text", "include", "W1"}, {"W2", "title_abstract", "exclude", "W2"}},
		candidates: []prevCandidate{{"X", 2}, {"Y", 1}, {"Z", 4}},
	}
	cur := current{
		records: seqOf([]tables.Record{
			{RecordID: "p1", WorkID: "W1", Database: "MEDLINE"}, {RecordID: "p2", WorkID: "W1", Database: "Embase"},
			{RecordID: "p3", WorkID: "W2", Database: "MEDLINE"},
			{RecordID: "r4", WorkID: "W1", Database: "Embase"},
			{RecordID: "r5", WorkID: "W3", Database: "Embase"}, {RecordID: "r6", WorkID: "W3", Database: "MEDLINE"},
		}),
		decisions: []tables.Decision{
			{WorkID: "W1", Stage: "title_abstract", Decision: "include", StudyID: "W1"},
			{WorkID: "W1", Stage: "full_text", Decision: "include", StudyID: "W1"},
			{WorkID: "W2", Stage: "title_abstract", Decision: "include", StudyID: "W2"},
			{WorkID: "W3", Stage: "title_abstract", Decision: "include", StudyID: "S3"},
			{WorkID: "W3", Stage: "full_text", Decision: "include", StudyID: "S3"},
		},
		candidates: []tables.DemiRegularityCandidate{{CandidateID: "X", Support: 3}, {CandidateID: "Y", Support: 1}, {CandidateID: "new", Support: 2}},
	}
	want := []tables.Change{
		{Kind: "previous_output", Subject: "found", Count: 2},
		{Kind: "new_records", Count: 3},
		{Kind: "new_works", Count: 1},        // W3, once although two databases found it
		{Kind: "already_screened", Count: 1}, // W1
		{Kind: "new_records", Database: "Embase", Count: 2},
		{Kind: "new_works", Database: "Embase", Count: 1},
		{Kind: "already_screened", Database: "Embase", Count: 1},
		{Kind: "new_records", Database: "MEDLINE", Count: 1},
		{Kind: "new_works", Database: "MEDLINE", Count: 1},
		{Kind: "already_screened", Database: "MEDLINE", Count: 0},
		{Kind: "newly_included", Subject: "S3", Count: 1},
		{Kind: "decision_changed", Subject: "W2", Stage: "title_abstract", Before: "exclude", After: "include", Count: 1},
		{Kind: "support_changed", Subject: "X", Before: "2", After: "3", Count: 1},
		{Kind: "support_changed", Subject: "Z", Before: "4", Count: 1}, // gone
		{Kind: "support_changed", Subject: "new", After: "2", Count: 1},
	}
	got := Changes(cur, prev)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes:\n%+v\nwant\n%+v", got, want)
	}
}

func TestChangesOnAFirstRun(t *testing.T) {
	got := Changes(current{records: seqOf([]tables.Record{{RecordID: "r1", WorkID: "W1", Database: "MEDLINE"}})}, previous{})
	if want := []tables.Change{{Kind: "previous_output", Subject: "none"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("first run: %+v, want %+v", got, want)
	}
}

func seqOf(records []tables.Record) iter.Seq[*tables.Record] {
	return func(yield func(*tables.Record) bool) {
		for i := range records {
			if !yield(&records[i]) {
				return
			}
		}
	}
}
