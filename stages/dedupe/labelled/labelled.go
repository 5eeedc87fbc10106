// Package labelled reads labelled de-duplication sets (the bib-dedupe layout
// of records_pre_merged.csv and merged_record_ids.csv) and scores a
// partition of their records against the gold groups, pairwise.
package labelled

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
)

// Set is one labelled set: its records and its gold duplicate groups.
type Set struct {
	Name    string
	Records []tables.Record
	// Groups are the gold groups of two or more record ids; records in no
	// group are unique.
	Groups [][]string
}

// Load reads dir/records_pre_merged.csv and dir/merged_record_ids.csv.
func Load(dir string) (*Set, error) {
	s := &Set{Name: filepath.Base(filepath.Clean(dir))}
	recPath := filepath.Join(dir, "records_pre_merged.csv")
	rows, header, err := readCSV(recPath)
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, need := range []string{"ID", "title", "year", "author", "pages", "volume", "number", "ENTRYTYPE", "journal"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s:1: column %q missing from header", recPath, need)
		}
	}
	for n, row := range rows {
		get := func(name string) string { return strings.TrimSpace(row[col[name]]) }
		r := tables.Record{
			RecordID: get("ID"), Round: "1", Database: s.Name, SourceFile: recPath,
			SourceLine: int64(n + 2), SourceKey: get("ID"), Format: "csv",
			Type: get("ENTRYTYPE"), Title: get("title"), Journal: get("journal"),
			Volume: get("volume"), Issue: get("number"), Pages: get("pages"),
		}
		if y := get("year"); y != "" {
			v, err := strconv.Atoi(y)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: year %q: %w", recPath, n+2, y, err)
			}
			y32 := int32(v)
			r.Year = &y32
		}
		if a := get("author"); a != "" {
			r.Authors = strings.Split(a, " and ")
		}
		s.Records = append(s.Records, r)
	}
	groupPath := filepath.Join(dir, "merged_record_ids.csv")
	grows, gheader, err := readCSV(groupPath)
	if err != nil {
		return nil, err
	}
	if len(gheader) == 0 || gheader[0] != "merged_ids" {
		return nil, fmt.Errorf("%s:1: want header merged_ids, found %q", groupPath, gheader)
	}
	for _, row := range grows {
		ids := strings.Split(row[0], ";")
		if len(ids) > 1 {
			s.Groups = append(s.Groups, ids)
		}
	}
	return s, nil
}

func readCSV(path string) (rows [][]string, header []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err = r.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("%s:1: %w", path, err)
	}
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, header, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		rows = append(rows, row)
	}
}

// Shuffle puts the records in a pseudo-random order fixed by seed: the sets
// are stored with duplicates next to each other.
func (s *Set) Shuffle(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	rng.Shuffle(len(s.Records), func(i, j int) { s.Records[i], s.Records[j] = s.Records[j], s.Records[i] })
}

// Metrics are pairwise scores of a partition against the gold groups.
type Metrics struct {
	Records        int
	GoldPairs      int64
	PredictedPairs int64
	TruePairs      int64
	// FalseMerges is the number of predicted pairs not in one gold group.
	FalseMerges int64
	Precision   float64
	Recall      float64
	F1          float64
}

// Missed lists the gold pairs that workOf puts in different clusters, each
// pair in id order, sorted.
func (s *Set) Missed(workOf map[string]string) [][2]string {
	var out [][2]string
	for _, ids := range s.Groups {
		for i := 0; i < len(ids); i++ {
			for j := i + 1; j < len(ids); j++ {
				if workOf[ids[i]] != workOf[ids[j]] {
					out = append(out, [2]string{min(ids[i], ids[j]), max(ids[i], ids[j])})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	return out
}

// Score compares workOf (record id → cluster id; every record of the set)
// with the gold groups.
func (s *Set) Score(workOf map[string]string) Metrics {
	gold := map[string]int{}
	for g, ids := range s.Groups {
		for _, id := range ids {
			gold[id] = g + 1
		}
	}
	m := Metrics{Records: len(s.Records)}
	for _, ids := range s.Groups {
		n := int64(len(ids))
		m.GoldPairs += n * (n - 1) / 2
	}
	clusters := map[string][]string{}
	for _, r := range s.Records {
		clusters[workOf[r.RecordID]] = append(clusters[workOf[r.RecordID]], r.RecordID)
	}
	for _, ids := range clusters {
		for i := 0; i < len(ids); i++ {
			for j := i + 1; j < len(ids); j++ {
				m.PredictedPairs++
				if g := gold[ids[i]]; g != 0 && g == gold[ids[j]] {
					m.TruePairs++
				} else {
					m.FalseMerges++
				}
			}
		}
	}
	if m.PredictedPairs > 0 {
		m.Precision = float64(m.TruePairs) / float64(m.PredictedPairs)
	} else {
		m.Precision = 1
	}
	if m.GoldPairs > 0 {
		m.Recall = float64(m.TruePairs) / float64(m.GoldPairs)
	}
	if m.Precision+m.Recall > 0 {
		m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
	}
	return m
}
