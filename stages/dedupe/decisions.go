package dedupe

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
)

// humanDecision is the team's decision on a pair of records.
type humanDecision string

// The decisions a team can write: same report, different reports, different
// reports of one study (link them), different studies (never link them).
const (
	humanSame           humanDecision = "same"
	humanDifferent      humanDecision = "different"
	humanSameStudy      humanDecision = "same_study"
	humanDifferentStudy humanDecision = "different_study"
)

// verdict is the pair's decision and rule (human:<decision>).
func (h humanDecision) verdict() verdict {
	switch h {
	case humanSame:
		return verdict{duplicate, "human:same"}
	case humanSameStudy:
		return verdict{related, "human:same_study"}
	}
	return verdict{distinct, "human:" + string(h)}
}

// blocksMerge: the two records are different reports (every decision but same).
func (h humanDecision) blocksMerge() bool { return h != "" && h != humanSame }

// readDecisions reads the team's decisions: a CSV with at least the columns
// record_a, record_b and decision (same, different, same_study or
// different_study), in any order. Rows with an empty decision are skipped,
// so the review queue CSV can be filled in and used as it is. A later row
// for the same pair wins.
func readDecisions(path string) (map[[2]string]humanDecision, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dedupe decisions: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("dedupe decisions %s:1: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"record_a", "record_b", "decision"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("dedupe decisions %s:1: column %q missing (want record_a,record_b,decision)", path, need)
		}
	}
	out := map[[2]string]humanDecision{}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("dedupe decisions %s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		get := func(name string) string {
			if i := col[name]; i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		a, b, d := get("record_a"), get("record_b"), strings.ToLower(get("decision"))
		if d == "" {
			continue
		}
		if a == "" || b == "" {
			return nil, fmt.Errorf("dedupe decisions %s:%d: record_a and record_b must both be set", path, line)
		}
		if a > b {
			a, b = b, a
		}
		switch h := humanDecision(strings.ReplaceAll(strings.ReplaceAll(d, " ", "_"), "-", "_")); h {
		case humanSame, humanDifferent, humanSameStudy, humanDifferentStudy:
			out[[2]string{a, b}] = h
		default:
			return nil, fmt.Errorf("dedupe decisions %s:%d: decision %q, want same, different, same_study or different_study", path, line, d)
		}
	}
}

// reviewCSV writes the review queue as a decisions file with an empty
// decision column and the fields a reviewer needs to decide.
func reviewCSV(items []tables.ReviewItem) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"record_a", "record_b", "decision", "reason", "title_score", "title_a", "title_b", "year_a", "year_b", "first_author_a", "first_author_b", "journal_a", "journal_b", "source_a", "source_b", "doi_a", "doi_b", "database_a", "database_b"})
	year := func(y *int32) string {
		if y == nil {
			return ""
		}
		return strconv.Itoa(int(*y))
	}
	score := func(s *float64) string {
		if s == nil {
			return ""
		}
		return strconv.FormatFloat(*s, 'f', 3, 64)
	}
	for _, it := range items {
		_ = w.Write([]string{it.RecordA, it.RecordB, "", it.Reason, score(it.TitleScore), it.TitleA, it.TitleB, year(it.YearA), year(it.YearB), it.FirstAuthorA, it.FirstAuthorB, it.JournalA, it.JournalB, it.SourceA, it.SourceB, it.DOIA, it.DOIB, it.DatabaseA, it.DatabaseB})
	}
	w.Flush()
	return buf.Bytes()
}
