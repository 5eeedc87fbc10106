package screening

import (
	"iter"

	"github.com/realsynth/realsynth/internal/tables"
)

// recordsOf yields records as the stage's scan of the records table does.
func recordsOf(records []tables.Record) iter.Seq[*tables.Record] {
	return func(yield func(*tables.Record) bool) {
		for i := range records {
			if !yield(&records[i]) {
				return
			}
		}
	}
}

// workRowsOf is works as the stage reads them when there are votes.
func workRowsOf(works []tables.Work) []workRow {
	rows := make([]workRow, len(works))
	for i, w := range works {
		rows[i] = workRow{WorkID: w.WorkID, StudyID: w.StudyID, FirstRound: w.FirstRound, DOI: w.DOI, PMID: w.PMID, Title: w.Title, Year: w.Year}
	}
	return rows
}
