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
