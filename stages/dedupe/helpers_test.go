package dedupe

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// TestCancelledRunStops: a cancelled context ends the stage with its
// error and leaves the records as they came (the pipeline then writes
// nothing and the previous output stays).
func TestCancelledRunStops(t *testing.T) {
	records := []tables.Record{article("b", "doi=10.1000/one"), article("a", "doi=10.1000/one"), article("c")}
	want := slices.Clone(records)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, _, err := deduplicateFrom(ctx, sliceSource(records), options{})
	if !errors.Is(err, context.Canceled) || res != nil {
		t.Fatalf("deduplicate after cancel: %v, %v; want context.Canceled and no result", res, err)
	}
	if !reflect.DeepEqual(records, want) {
		t.Errorf("records changed by a cancelled run: %+v", records)
	}
}

// withPrevious sets opt as the stage would with res as the previous
// committed output (its records, works and duplicate pairs, as the
// stage reads them).
func withPrevious(opt *options, res *testResult) {
	records := make([]previousRecord, len(res.records))
	for i := range res.records {
		r := &res.records[i]
		records[i] = previousRecord{
			RecordID: r.RecordID, WorkID: r.WorkID, Format: r.Format, SourceKey: r.SourceKey, Type: r.Type,
			Title: r.Title, Authors: r.Authors, AuthorsNormalised: r.AuthorsNormalised, Year: r.Year,
			Journal: r.Journal, JournalAbbrev: r.JournalAbbrev, Volume: r.Volume, Issue: r.Issue, Pages: r.Pages,
			PageStart: r.PageStart, PageEnd: r.PageEnd, ArticleNumber: r.ArticleNumber, DOI: r.DOI, DOIs: r.DOIs,
			PMID: r.PMID, ISSN: r.ISSN, PublicationType: r.PublicationType,
		}
	}
	works := make([]previousWork, len(res.works))
	for i, w := range res.works {
		works[i] = previousWork{WorkID: w.WorkID, StudyID: w.StudyID, FirstRound: w.FirstRound}
	}
	setPrevious(opt, records, works, slices.Clone(res.pairs), true)
}
