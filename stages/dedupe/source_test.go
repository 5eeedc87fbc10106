package dedupe

import (
	"cmp"
	"context"
	"slices"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
)

// sliceSource gives records as the stage's records table does: chunk by
// chunk, through Arrow, with only the named columns and the rows' memory
// reused, so a test fails when the engine reads a column it does not ask
// for or keeps a row of a chunk.
func sliceSource(records []tables.Record) recordSource {
	return func(columns []string, each func(start int, rows []tables.Record) error) error {
		var buf []tables.Record
		for start := 0; start < len(records); start += table.ChunkRows {
			rec, err := table.BuildBatch(records[start:min(start+table.ChunkRows, len(records))], table.Meta{Table: "records"})
			if err != nil {
				return err
			}
			buf, err = table.DecodeBatch(rec, buf, columns...)
			rec.Release()
			if err != nil {
				return err
			}
			if err := each(start, buf); err != nil {
				return err
			}
		}
		return nil
	}
}

// testResult is a result with the records it was made from, and its
// chunked tables in memory.
type testResult struct {
	*result
	// records are the input, filled with work ids and put in table order
	// (round in config order, database, file, line, record id), as the
	// stage's records table is written.
	records []tables.Record
	// works (sorted by work id, as tests look them up) and pairs, decoded.
	works []tables.Work
	pairs []tables.DuplicatePair
}

// deduplicate runs the stage logic on records (any order) and fills them
// with their work ids in place, in table order.
func deduplicate(records []tables.Record, opt options) *testResult {
	res, _, err := deduplicateFrom(context.Background(), sliceSource(records), opt)
	if err != nil {
		panic(err)
	}
	return withRecords(res, records, opt)
}

// withRecords fills records (the input of res, in the source's order) with
// their work ids and puts them in table order.
func withRecords(res *result, records []tables.Record, opt options) *testResult {
	for i := range records {
		records[i].WorkID = res.workOf[i]
	}
	res.workOf = nil // by input position: in records now
	roundIndex := opt.roundIndex
	if roundIndex == nil {
		roundIndex = func(string) int { return 0 }
	}
	slices.SortStableFunc(records, func(a, b tables.Record) int {
		return cmp.Or(cmp.Compare(roundIndex(a.Round), roundIndex(b.Round)), cmp.Compare(a.Round, b.Round),
			cmp.Compare(a.Database, b.Database), cmp.Compare(a.SourceFile, b.SourceFile), cmp.Compare(a.SourceLine, b.SourceLine),
			cmp.Compare(a.RecordID, b.RecordID), cmp.Compare(a.Title, b.Title))
	})
	works := readAll[tables.Work](res.works)
	slices.SortFunc(works, func(a, b tables.Work) int { return cmp.Compare(a.WorkID, b.WorkID) })
	pairs := readAll[tables.DuplicatePair](res.pairs)
	res.works, res.pairs = nil, nil // decoded above: a chunked table is a handle, no value to compare
	return &testResult{result: res, records: records, works: works, pairs: pairs}
}

// readAll decodes a chunked table whole.
func readAll[T any](t *table.Chunked) []T {
	all, err := t.ReadAll()
	if err != nil {
		panic(err)
	}
	return all.Interface().([]T)
}

// directSource hands records to the engine as they are, chunk by chunk,
// without the round trip through Arrow: for benchmarks of the engine alone.
func directSource(records []tables.Record) recordSource {
	return func(_ []string, each func(start int, rows []tables.Record) error) error {
		for start := 0; start < len(records); start += table.ChunkRows {
			if err := each(start, records[start:min(start+table.ChunkRows, len(records))]); err != nil {
				return err
			}
		}
		return nil
	}
}
