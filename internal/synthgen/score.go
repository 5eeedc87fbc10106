package synthgen

import (
	"cmp"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
)

// Prediction is what a de-duplicator made of one record: the work (report)
// and the study it put it in. File and Line name the record as the truth
// does (SourceFile relative to the corpus folder, SourceLine).
type Prediction struct {
	File  string
	Line  int64
	Work  string
	Study string
}

// Pairs counts record pairs: Gold pairs that belong together, Predicted
// pairs put together, Correct pairs both.
type Pairs struct {
	Gold, Predicted, Correct int64
}

// Precision is Correct/Predicted (1 when nothing was put together).
func (p Pairs) Precision() float64 {
	if p.Predicted == 0 {
		return 1
	}
	return float64(p.Correct) / float64(p.Predicted)
}

// Recall is Correct/Gold (1 when nothing belongs together).
func (p Pairs) Recall() float64 {
	if p.Gold == 0 {
		return 1
	}
	return float64(p.Correct) / float64(p.Gold)
}

// Score compares a de-duplication with the truth, pairwise as the
// labelled-set evaluation does, at two levels: reports (works) and studies.
type Score struct {
	// Records scored; Unknown predictions name no record of the truth;
	// Missing truth records have no prediction.
	Records, Unknown, Missing int
	// Reports and Works are the true reports and the predicted works.
	Reports, Works int
	// Report level: a pair put in one work that belongs to two different
	// true reports is a false merge, even when the reports are of one
	// study (an erratum merged into its article).
	Report          Pairs
	FalseMergePairs int64
	// FalseMergeWorks are the predicted works holding records of more than one report.
	FalseMergeWorks int
	// Study level: pairs put in one study against pairs of one true study.
	Study          Pairs
	FalseLinkPairs int64
	// Related are the record pairs of one true study but different reports,
	// by the two reports' kinds ("article~erratum").
	Related []RelatedScore
	// Families break the report level down by look-alike group family: the
	// duplicate pairs of reports in such groups (found or not) and the false
	// merges between two reports of one group. "(none)" counts false merges
	// between reports that share no group.
	Families []FamilyScore
	// Tags are the duplicate pairs involving a record built with each
	// variation pattern, and how many were found.
	Tags []TagScore
}

// RelatedScore counts related-report pairs: Linked put in one study but
// different works (right), Merged put in one work (a false merge).
type RelatedScore struct {
	Kinds                 string
	Pairs, Linked, Merged int64
}

// FamilyScore is one look-alike family's share of the score.
type FamilyScore struct {
	Family                string
	Reports               int
	GoldPairs, FoundPairs int64
	FalseMergePairs       int64
	reports               map[int32]bool
}

// TagScore is one variation pattern's duplicate pairs.
type TagScore struct {
	Tag                   string
	Records               int
	GoldPairs, FoundPairs int64
}

// Score scores predictions against the truth.
func (t *TruthTable) Score(preds []Prediction) *Score {
	s := &Score{}
	type rec struct {
		row        int32
		work, stud int32
	}
	var works, studies interner
	recs := make([]rec, 0, len(preds))
	seen := make([]bool, len(t.rows))
	for _, p := range preds {
		i, ok := t.lookup(p.File, p.Line)
		if !ok || seen[i] {
			s.Unknown++
			continue
		}
		seen[i] = true
		recs = append(recs, rec{row: i, work: works.id(p.Work), stud: studies.id(p.Study)})
	}
	s.Records = len(recs)
	s.Missing = len(t.rows) - len(recs)
	s.Works = len(works.names)

	c2 := func(n int64) int64 { return n * (n - 1) / 2 }
	count := func(key func(r rec) uint64) int64 {
		m := map[uint64]int64{}
		for _, r := range recs {
			m[key(r)]++
		}
		var sum int64
		for _, n := range m {
			sum += c2(n)
		}
		return sum
	}
	report := func(r rec) uint64 { return uint64(t.rows[r.row].report) }
	study := func(r rec) uint64 { return uint64(t.rows[r.row].study) }
	reportSet := map[int32]bool{}
	for _, r := range recs {
		reportSet[t.rows[r.row].report] = true
	}
	s.Reports = len(reportSet)

	s.Report = Pairs{
		Gold:      count(report),
		Predicted: count(func(r rec) uint64 { return uint64(r.work) }),
		Correct:   count(func(r rec) uint64 { return uint64(r.work)<<32 | report(r) }),
	}
	s.FalseMergePairs = s.Report.Predicted - s.Report.Correct
	s.Study = Pairs{
		Gold:      count(study),
		Predicted: count(func(r rec) uint64 { return uint64(r.stud) }),
		Correct:   count(func(r rec) uint64 { return uint64(r.stud)<<32 | study(r) }),
	}
	s.FalseLinkPairs = s.Study.Predicted - s.Study.Correct

	// Pairs within true studies (related reports) and within true reports
	// (duplicates, by family and tag): these groups are small, so every
	// pair is looked at.
	byStudy := groupBy(recs, func(r rec) int32 { return t.rows[r.row].study })
	related := map[string]*RelatedScore{}
	families := map[string]*FamilyScore{}
	family := func(name string) *FamilyScore {
		f := families[name]
		if f == nil {
			f = &FamilyScore{Family: name, reports: map[int32]bool{}}
			families[name] = f
		}
		return f
	}
	tags := map[string]*TagScore{}
	tag := func(name string) *TagScore {
		ts := tags[name]
		if ts == nil {
			ts = &TagScore{Tag: name}
			tags[name] = ts
		}
		return ts
	}
	for _, r := range recs {
		e := &t.rows[r.row]
		for _, g := range e.groups {
			f := family(familyOf(t.names.names[g]))
			f.reports[e.report] = true
		}
		for _, tg := range e.tags {
			tag(t.names.names[tg]).Records++
		}
	}
	for _, members := range byStudy {
		for x := 0; x < len(members); x++ {
			a := &t.rows[members[x].row]
			for y := x + 1; y < len(members); y++ {
				b := &t.rows[members[y].row]
				sameWork := members[x].work == members[y].work
				if a.report != b.report {
					ka, kb := t.kindName(a.kind), t.kindName(b.kind)
					if ka > kb {
						ka, kb = kb, ka
					}
					rs := related[ka+"~"+kb]
					if rs == nil {
						rs = &RelatedScore{Kinds: ka + "~" + kb}
						related[rs.Kinds] = rs
					}
					rs.Pairs++
					if sameWork {
						rs.Merged++
					} else if members[x].stud == members[y].stud {
						rs.Linked++
					}
					continue
				}
				// A duplicate pair: credit its report's families and both records' tags.
				for _, fam := range t.familiesOf(a) {
					f := family(fam)
					f.GoldPairs++
					if sameWork {
						f.FoundPairs++
					}
				}
				for _, tg := range unionIDs(a.tags, b.tags) {
					ts := tag(t.names.names[tg])
					ts.GoldPairs++
					if sameWork {
						ts.FoundPairs++
					}
				}
			}
		}
	}

	// False merges by family: look at the pairs of each predicted work that
	// holds more than one report.
	byWork := groupBy(recs, func(r rec) int32 { return r.work })
	for _, members := range byWork {
		if len(members) < 2 {
			continue
		}
		mixed := false
		for _, m := range members[1:] {
			if t.rows[m.row].report != t.rows[members[0].row].report {
				mixed = true
				break
			}
		}
		if !mixed {
			continue
		}
		s.FalseMergeWorks++
		if len(members) > 2000 {
			// A pathological cluster: count its pairs, not their families.
			family("(none: cluster too large to attribute)").FalseMergePairs += falsePairs(members, func(r rec) int32 { return t.rows[r.row].report })
			continue
		}
		for x := 0; x < len(members); x++ {
			a := &t.rows[members[x].row]
			for y := x + 1; y < len(members); y++ {
				b := &t.rows[members[y].row]
				if a.report == b.report {
					continue
				}
				shared := sharedFamilies(t, a, b)
				if len(shared) == 0 {
					shared = []string{"(none)"}
				}
				for _, fam := range shared {
					family(fam).FalseMergePairs++
				}
			}
		}
	}

	for _, rs := range related {
		s.Related = append(s.Related, *rs)
	}
	slices.SortFunc(s.Related, func(a, b RelatedScore) int { return cmp.Compare(a.Kinds, b.Kinds) })
	for _, f := range families {
		f.Reports = len(f.reports)
		f.reports = nil
		s.Families = append(s.Families, *f)
	}
	slices.SortFunc(s.Families, func(a, b FamilyScore) int { return cmp.Compare(a.Family, b.Family) })
	for _, ts := range tags {
		s.Tags = append(s.Tags, *ts)
	}
	slices.SortFunc(s.Tags, func(a, b TagScore) int { return cmp.Compare(a.Tag, b.Tag) })
	return s
}

func (t *TruthTable) kindName(id int32) string {
	return strings.TrimPrefix(t.names.names[id], "kind:")
}

// familiesOf lists the families of a record's groups, once each.
func (t *TruthTable) familiesOf(e *truthEntry) []string {
	var out []string
	for _, g := range e.groups {
		f := familyOf(t.names.names[g])
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// sharedFamilies lists the families of the groups two records share.
func sharedFamilies(t *TruthTable, a, b *truthEntry) []string {
	var out []string
	for _, g := range a.groups {
		if slices.Contains(b.groups, g) {
			f := familyOf(t.names.names[g])
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// familyOf is the family of a "family/id" group label.
func familyOf(group string) string {
	if i := strings.IndexByte(group, '/'); i >= 0 {
		return group[:i]
	}
	return group
}

func unionIDs(a, b []int32) []int32 {
	out := append([]int32(nil), a...)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// groupBy groups items by key, groups in order of first appearance.
func groupBy[T any](items []T, key func(T) int32) [][]T {
	idx := map[int32]int{}
	var out [][]T
	for _, it := range items {
		k := key(it)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], it)
	}
	return out
}

// falsePairs counts the pairs of members that differ in key.
func falsePairs[T any](members []T, key func(T) int32) int64 {
	n := map[int32]int64{}
	for _, m := range members {
		n[key(m)]++
	}
	total := int64(len(members)) * int64(len(members)-1) / 2
	for _, c := range n {
		total -= c * (c - 1) / 2
	}
	return total
}

// WriteText prints the score for people: the headline figures, then the
// related-report links, the families and the variation patterns.
func (s *Score) WriteText(w io.Writer) {
	fmt.Fprintf(w, "records %d (unknown %d, missing %d) · reports %d · works %d\n", s.Records, s.Unknown, s.Missing, s.Reports, s.Works)
	fmt.Fprintf(w, "reports: precision %.4f recall %.4f · false-merge pairs %d in %d works (gold pairs %d, found %d)\n",
		s.Report.Precision(), s.Report.Recall(), s.FalseMergePairs, s.FalseMergeWorks, s.Report.Gold, s.Report.Correct)
	fmt.Fprintf(w, "studies: precision %.4f recall %.4f · false-link pairs %d\n", s.Study.Precision(), s.Study.Recall(), s.FalseLinkPairs)
	if len(s.Related) > 0 {
		fmt.Fprintln(w, "related reports (pairs of one study, different reports): kinds, pairs, linked, merged")
		for _, r := range s.Related {
			fmt.Fprintf(w, "  %-40s %8d %8d %8d\n", r.Kinds, r.Pairs, r.Linked, r.Merged)
		}
	}
	if len(s.Families) > 0 {
		fmt.Fprintln(w, "look-alike families: reports, duplicate pairs, found, false-merge pairs")
		for _, f := range s.Families {
			fmt.Fprintf(w, "  %-40s %8d %8d %8d %8d\n", f.Family, f.Reports, f.GoldPairs, f.FoundPairs, f.FalseMergePairs)
		}
	}
	if len(s.Tags) > 0 {
		fmt.Fprintln(w, "variation patterns: records, duplicate pairs, found, recall")
		for _, tg := range s.Tags {
			recall := 1.0
			if tg.GoldPairs > 0 {
				recall = float64(tg.FoundPairs) / float64(tg.GoldPairs)
			}
			fmt.Fprintf(w, "  %-40s %8d %8d %8d %8.4f\n", tg.Tag, tg.Records, tg.GoldPairs, tg.FoundPairs, recall)
		}
	}
}

// PredictionsFrom turns a run's records and works tables into predictions:
// each record's work, and that work's study. Records are named by the base
// name of their source file, as the corpus folder is flat.
func PredictionsFrom(records []tables.Record, works []tables.Work) []Prediction {
	study := make(map[string]string, len(works))
	for i := range works {
		study[works[i].WorkID] = works[i].StudyID
	}
	preds := make([]Prediction, len(records))
	for i := range records {
		r := &records[i]
		preds[i] = Prediction{File: path.Base(r.SourceFile), Line: r.SourceLine, Work: r.WorkID, Study: study[r.WorkID]}
	}
	return preds
}
