package dedupe

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// updateCase is an update run to check: round 1's records de-duplicated
// and committed, then round 1 and round 2 together, once comparing every
// pair again (full) and once incrementally.
type updateCase struct {
	round1, all []tables.Record
	decisions   map[[2]string]humanDecision
}

// splitRounds puts about one record in every (every ≥ 2) into round r2,
// by a hash of its id, and the rest into r1.
func splitRounds(records []tables.Record, every uint32) updateCase {
	var c updateCase
	for _, r := range records {
		h := fnv.New32a()
		h.Write([]byte(r.RecordID))
		r.WorkID = ""
		if h.Sum32()%every == 0 {
			r.Round = "r2"
		} else {
			r.Round = "r1"
			c.round1 = append(c.round1, r)
		}
		c.all = append(c.all, r)
	}
	return c
}

// updateOutcome is what an update run gave, full and incremental.
type updateOutcome struct {
	full, incremental *testResult
	// pairRows counts the duplicate_pairs rows that differ (only in one,
	// or with another decision, rule, note or work).
	pairRows int
}

// runUpdate runs c: round 1 committed, then round 2 full and incremental.
// A nil change leaves round 1's records as they are; otherwise it is
// applied to the records of the second run (a database corrected a record).
func runUpdate(tb testing.TB, c updateCase, change func([]tables.Record)) updateOutcome {
	tb.Helper()
	rounds := func(id string) int { return map[string]int{"r1": 0, "r2": 1}[id] }
	first := deduplicate(slices.Clone(c.round1), options{maxBlock: 64, roundIndex: rounds, decisions: c.decisions})
	var out updateOutcome
	for _, incremental := range []bool{false, true} {
		opt := options{maxBlock: 64, roundIndex: rounds, decisions: c.decisions, incremental: incremental}
		withPrevious(&opt, first)
		records := slices.Clone(c.all)
		if change != nil {
			change(records)
		}
		res := deduplicate(records, opt)
		if incremental {
			out.incremental = res
		} else {
			out.full = res
		}
	}
	out.pairRows = differentRows(digest(out.full).pairs, digest(out.incremental).pairs)
	return out
}

// runDigest is what two runs are compared by: each record's work, and a
// hash of every works and duplicate_pairs row (BenchmarkDedupeUpdate keeps
// a digest of a million-record run, not the run).
type runDigest struct {
	recordWorks []string // record id and work id, in table order
	works       []rowDigest
	rest        uint64 // bridges, contribution, overlap
	pairs       []rowDigest
}

type rowDigest struct {
	key  string
	hash uint64
}

func digest(r *testResult) *runDigest {
	hash := func(v any) uint64 {
		h := fnv.New64a()
		// JSON, not %v: a *float64 score is hashed by its value.
		if err := json.NewEncoder(h).Encode(v); err != nil {
			panic(err)
		}
		return h.Sum64()
	}
	d := &runDigest{rest: hash([]any{r.bridges, r.contribution, r.overlap})}
	for _, rec := range r.records {
		d.recordWorks = append(d.recordWorks, rec.RecordID+" in "+rec.WorkID)
	}
	for _, w := range r.works {
		d.works = append(d.works, rowDigest{w.WorkID, hash(w)})
	}
	for _, p := range r.pairs {
		d.pairs = append(d.pairs, rowDigest{p.RecordA + "\x00" + p.RecordB, hash(p)})
	}
	return d
}

// sameWorks reports the first difference between two runs' records (work
// ids) and works, or "".
func sameWorks(a, b *testResult) string { return digest(a).differs(digest(b)) }

// differs reports the first difference between a's and b's records (work
// ids), works, bridges and source tables, or "".
func (a *runDigest) differs(b *runDigest) string {
	if i := slices.Compare(a.recordWorks, b.recordWorks); i != 0 {
		for k := range min(len(a.recordWorks), len(b.recordWorks)) {
			if a.recordWorks[k] != b.recordWorks[k] {
				return fmt.Sprintf("record %s, record %s", a.recordWorks[k], b.recordWorks[k])
			}
		}
		return fmt.Sprintf("%d records vs %d", len(a.recordWorks), len(b.recordWorks))
	}
	if len(a.works) != len(b.works) {
		return fmt.Sprintf("%d works vs %d", len(a.works), len(b.works))
	}
	for i := range a.works {
		if a.works[i] != b.works[i] {
			return fmt.Sprintf("work %s differs", a.works[i].key)
		}
	}
	if a.rest != b.rest {
		return "bridges or source tables differ"
	}
	return ""
}

// differentRows counts the rows of a and b (sorted by record pair) that
// are not in both alike.
func differentRows(a, b []rowDigest) int {
	n := 0
	for len(a) > 0 || len(b) > 0 {
		switch {
		case len(b) == 0 || (len(a) > 0 && a[0].key < b[0].key):
			n, a = n+1, a[1:]
		case len(a) == 0 || a[0].key != b[0].key:
			n, b = n+1, b[1:]
		default:
			if a[0].hash != b[0].hash {
				n++
			}
			a, b = a[1:], b[1:]
		}
	}
	return n
}

// TestIncrementalIsFull: an update run that compares only the new round's
// records gives the works, studies, bridges and source tables of one that
// compares every pair again, and the same duplicate pairs. Checked on hand
// cases (a new record joining an earlier work, bridging two, a corrected
// record, team decisions added and withdrawn) and on the labelled sets
// with one record in eight in a second round.
func TestIncrementalIsFull(t *testing.T) {
	title := "title=Peer support for people leaving prison: a randomised trial"
	round1 := []tables.Record{
		article("m1", "doi=10.1000/one"),
		article("e1", "db=Embase", "doi=10.1000/two"),
		rec("x1", "title=Housing first and recovery: a qualitative study of tenants", "authors=Doe, J.", "year=2018", "journal=Health Soc Care Community", "volume=26", "pages=10-19"),
		rec("x3", "db=Scopus", "title=Housing first and recovery: a qualitative study of tenants", "authors=Doe J", "year=2018", "journal=Health and Social Care in the Community", "volume=26", "pages=10-9"),
		rec("p", title, "authors=Smith, J.;Jones, K.;Lee, M.", "year=2019", "journal=medRxiv", "doi=10.1101/2019.01.01.123456"),
		rec("y", title, "authors=Jones, K.;Lee, M.;White, R.", "year=2020", "journal=BMJ Open", "volume=10", "pages=e034567"),
		rec("c1", "title=Gateways to Clinical Trials", "authors=Bayes, M.", "year=2009", "journal=Methods Find Exp Clin Pharmacol", "volume=31", "issue=3"),
		rec("c2", "title=Gateways to Clinical Trials", "authors=Bayes, M.", "year=2009", "journal=Methods Find Exp Clin Pharmacol", "volume=31", "issue=4"),
	}
	round2 := []tables.Record{
		rec("x2", "round=r2", "db=CINAHL", "title=HOUSING FIRST AND RECOVERY - A QUALITATIVE STUDY OF TENANTS", "authors=Doe J", "year=2018", "journal=Health and Social Care in the Community", "volume=26", "pages=10-9"),
		article("b2", "round=r2", "db=Scopus"), // matches both m1 and e1
		rec("x", "round=r2", title, "authors=Smith, J.;Brown, A.", "year=2019", "journal=Lancet Psychiatry", "volume=6", "pages=101-109"),
		rec("c3", "round=r2", "title=Gateways to Clinical Trials", "authors=Bayes, M.", "year=2009", "journal=Methods Find Exp Clin Pharmacol", "volume=31"),
	}
	c := updateCase{round1: round1, all: append(slices.Clone(round1), round2...)}
	for _, tc := range []struct {
		name      string
		decisions map[[2]string]humanDecision
		change    func([]tables.Record)
	}{
		{"new round", nil, nil},
		{"a corrected record", nil, func(rs []tables.Record) {
			for i := range rs {
				if rs[i].RecordID == "e1" {
					rs[i].DOI = "10.1000/one" // now e1 is m1's duplicate
				}
			}
		}},
		{"decisions", map[[2]string]humanDecision{{"x1", "x3"}: humanDifferent, {"p", "y"}: humanSameStudy, {"b2", "e1"}: humanSame}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.decisions = tc.decisions
			out := runUpdate(t, c, tc.change)
			if why := sameWorks(out.full, out.incremental); why != "" {
				t.Errorf("incremental and full update runs differ: %s", why)
			}
			if out.pairRows != 0 {
				t.Errorf("%d duplicate_pairs rows differ:\nfull        %+v\nincremental %+v", out.pairRows, out.full.pairs, out.incremental.pairs)
			}
			if out.incremental.stats.carried == 0 {
				t.Errorf("the incremental run carried no pair of round 1")
			}
			if !out.incremental.stats.incremental || out.full.stats.incremental {
				t.Errorf("incremental run says %v, full run says %v", out.incremental.stats.incremental, out.full.stats.incremental)
			}
		})
	}
	// A decision withdrawn: the team had kept x1 and x3 apart. Their
	// works, issued apart, stay apart; x2, a duplicate of both, joins one
	// and is reported as a bridge, in both kinds of run.
	t.Run("decision withdrawn", func(t *testing.T) {
		rounds := func(id string) int { return map[string]int{"r1": 0, "r2": 1}[id] }
		first := deduplicate(slices.Clone(round1), options{roundIndex: rounds, decisions: map[[2]string]humanDecision{{"x1", "x3"}: humanDifferent}})
		var runs []*testResult
		for _, incremental := range []bool{false, true} {
			opt := options{roundIndex: rounds, incremental: incremental}
			withPrevious(&opt, first)
			runs = append(runs, deduplicate(slices.Clone(c.all), opt))
		}
		if why := sameWorks(runs[0], runs[1]); why != "" {
			t.Errorf("incremental and full update runs differ: %s", why)
		}
		w := workOf(runs[1])
		b := runs[1].bridges
		if w["x1"] == w["x3"] || len(b) != 2 || b[1].RecordID != "x2" || !slices.Equal(b[1].BridgedWorkIDs, []string{"W-x1", "W-x3"}) {
			t.Errorf("x1, x3 in works %s, %s, bridges %+v: want two works, x2 bridging them", w["x1"], w["x3"], b)
		}
	})

	for _, tc := range evalFloors {
		t.Run(tc.set, func(t *testing.T) {
			s := loadSet(t, tc.set)
			out := runUpdate(t, splitRounds(s.Records, 8), nil)
			if why := sameWorks(out.full, out.incremental); why != "" {
				t.Errorf("incremental and full update runs differ: %s", why)
			}
			if out.pairRows != 0 {
				t.Errorf("%d duplicate_pairs rows differ", out.pairRows)
			}
			t.Logf("%d records; full run compared %d pairs, incremental %d (and carried %d)", len(s.Records),
				out.full.stats.pairs, out.incremental.stats.pairs, out.incremental.stats.carried)
		})
	}
}

// TestFingerprintFields: previousRecord reads, under the same column names,
// every field of tables.Record that matching reads, and a change to any of
// them changes the fingerprint. A field added to tables.Record must be
// listed here as read by matching (then in previousRecord and
// matchFingerprint) or not.
func TestFingerprintFields(t *testing.T) {
	notMatched := map[string]bool{
		"RecordID": true, "WorkID": true, "Round": true, "Database": true, "SourceFile": true, "SourceLine": true,
		"OriginalTitle": true, "Date": true, "PublicationDate": true, "PublicationDatePrecision": true,
		"PMCID": true, "ISBN": true, "Abstract": true, "Keywords": true, "Language": true, "URLs": true,
		"Notes": true, "AccessionNumber": true, "Extra": true,
	}
	recType, prevType := reflect.TypeFor[tables.Record](), reflect.TypeFor[previousRecord]()
	base := article("a", "doi=10.1000/x", "pmid=1")
	base.SourceKey, base.Type, base.JournalAbbrev, base.PageStart, base.PageEnd, base.ArticleNumber = "k", "JOUR", "J", "1", "9", "e1"
	base.AuthorsNormalised, base.DOIs, base.ISSN, base.PublicationType = []string{"Smith, J."}, []string{"10.1000/x"}, []string{"1234-5678"}, []string{"Article"}
	fp := matchFingerprint(&base)
	for i := 0; i < recType.NumField(); i++ {
		f := recType.Field(i)
		pf, inPrev := prevType.FieldByName(f.Name)
		if notMatched[f.Name] {
			if inPrev && f.Name != "RecordID" && f.Name != "WorkID" {
				t.Errorf("%s is read by previousRecord but listed as not matched", f.Name)
			}
			continue
		}
		if !inPrev || pf.Tag.Get("table") != f.Tag.Get("table") {
			t.Errorf("tables.Record.%s (%s) is not read by previousRecord under its column name", f.Name, f.Tag.Get("table"))
			continue
		}
		changed := base
		v := reflect.ValueOf(&changed).Elem().Field(i)
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Slice:
			v.Set(reflect.Append(v, reflect.ValueOf("x")))
		case reflect.Pointer:
			y := *changed.Year + 1
			v.Set(reflect.ValueOf(&y))
		default:
			t.Fatalf("field %s of kind %s: extend the test", f.Name, v.Kind())
		}
		if matchFingerprint(&changed) == fp {
			t.Errorf("changing %s leaves the fingerprint as it was", f.Name)
		}
	}
	// A record read back from the previous output has its fingerprint.
	var p previousRecord
	pv, bv := reflect.ValueOf(&p).Elem(), reflect.ValueOf(base)
	for i := 0; i < prevType.NumField(); i++ {
		pv.Field(i).Set(bv.FieldByName(prevType.Field(i).Name))
	}
	if back := p.record(); matchFingerprint(&back) != fp {
		t.Errorf("previousRecord.record() loses a field: %+v", back)
	}
}

// TestUpdateDropsPreviousOutputAfterLastUse: an update run's engine lets
// go of the previous records map once it has marked the stable records,
// and of the previous pairs and the id index once it has carried them
// (held to the end of a million-record update, they kept the heap at its
// limit). The run must still carry the pair of the two earlier records.
func TestUpdateDropsPreviousOutputAfterLastUse(t *testing.T) {
	housing := "title=Housing first and recovery: a qualitative study of tenants"
	round1 := []tables.Record{
		rec("x1", housing, "authors=Doe, J.", "year=2018", "journal=Health Soc Care Community", "volume=26", "pages=10-19"),
		rec("x3", "db=Scopus", housing, "authors=Doe J", "year=2018", "journal=Health and Social Care in the Community", "volume=26", "pages=10-9"),
	}
	all := append(slices.Clone(round1), rec("x2", "round=r2", "db=CINAHL", housing, "authors=Doe J", "year=2018", "journal=Health and Social Care in the Community", "volume=26", "pages=10-9"))
	rounds := func(id string) int { return map[string]int{"r1": 0, "r2": 1}[id] }
	opt := options{roundIndex: rounds, incremental: true}
	withPrevious(&opt, deduplicate(slices.Clone(round1), options{roundIndex: rounds}))
	if opt.prev == nil || opt.prevPairs == nil {
		t.Fatal("no previous output to start from")
	}
	e, err := newEngine(context.Background(), sliceSource(all), opt)
	if err != nil {
		t.Fatal(err)
	}
	if !e.update || e.opt.prev != nil {
		t.Errorf("after newEngine: update %v, previous records held %v; want true, false", e.update, e.opt.prev != nil)
	}
	e.humanPairs()
	e.markStable()
	e.incremental = true
	e.comparePairs()
	if e.opt.prevPairs != nil || e.index != nil {
		t.Errorf("after comparePairs: previous pairs held %v, id index held %v; want neither", e.opt.prevPairs != nil, e.index != nil)
	}
	if e.carried != 1 {
		t.Errorf("%d pairs carried, want 1 (x1, x3)", e.carried)
	}
}
