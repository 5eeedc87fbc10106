package dedupe

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestGuardedApartIsDecide: wherever the short cut of comparePair
// (guardedApart) ends a pair, comparing the pair whole gives the same
// distinct verdict, and the pair is not one duplicate_pairs keeps. Checked
// on random records of one title family (titles a word or two apart, or
// the same; DOIs, PMIDs, years, volumes, kinds and erratum notes varied),
// and on every pair of records of the labelled sets that share a key.
func TestGuardedApartIsDecide(t *testing.T) {
	check := func(a, b *prepared, what string) bool {
		var ev evidence
		comparePlace(a, b, &ev)
		rule, ok := guardedApart(a, b, &ev)
		if !ok {
			return false
		}
		full := compareFields(a, b)
		v := decide(a, b, &full, false)
		kept := v.decision != distinct || (full.hasTitle && full.titleScore >= titleClose) || full.doi == agree || full.pmid == agree
		if v.decision != distinct || v.rule != rule || kept {
			t.Errorf("%s: short cut says %s, the whole comparison %v (kept %v; %s)", what, rule, v, kept, full.String())
		}
		return true
	}
	rng := rand.New(rand.NewPCG(11, 13))
	words := []string{"peer", "support", "workers", "engagement", "community", "mental", "health", "care", "adult", "adolescent", "trial", "part 1", "part 2", "erratum:", "[Spanish]"}
	pick := func(options ...string) string { return options[rng.IntN(len(options))] }
	var recs []prepared
	for i := 0; i < 400; i++ {
		title := "title=Effect of"
		for w := 0; w < 4+rng.IntN(6); w++ {
			title += " " + words[rng.IntN(len(words))]
		}
		r := rec(fmt.Sprintf("r%d", i), title,
			pick("authors=Smith, J.;Jones, K.", "authors=Brown, L.", "authors="),
			pick("year=2019", "year=2020", "year=2022", "year="),
			pick("volume=12", "volume=13", "volume=", "volume=1)"),
			pick("issue=3", "issue=4", "issue=5 Suppl 1", "issue="),
			pick("pages=221-8", "pages=221-230", "pages=S52", "pages="),
			pick("doi=10.1000/a", "doi=10.1000/b", "doi=10.1002/14651858.CD006828.pub2", "doi="),
			pick("pmid=111", "pmid=222", "pmid="),
			pick("journal=J Clin Virol", "journal=Cochrane Database Syst Rev", "journal=medRxiv", "journal="))
		if rng.IntN(8) == 0 {
			r.Title += " [Erratum appears in J Clin Virol. 2009 Sep;12(9):221]"
		}
		if rng.IntN(6) == 0 {
			r.PublicationType = []string{pick("Conference Abstract", "Comment", "Published Erratum")}
		}
		recs = append(recs, prepare(&r, false))
	}
	short := 0
	for i := range recs {
		for j := i + 1; j < len(recs); j++ {
			if check(&recs[i], &recs[j], fmt.Sprintf("r%d, r%d", i, j)) {
				short++
			}
		}
	}
	if short < 1000 {
		t.Fatalf("the short cut ended only %d random pairs: the case no longer exercises it", short)
	}
	for _, tc := range evalFloors {
		s := loadSet(t, tc.set)
		var prep []prepared
		for i := range s.Records {
			prep = append(prep, prepare(&s.Records[i], false))
		}
		cands, _, _ := candidatePairs(t.Context(), prep, 1<<30, nil, nil)
		n := 0
		for _, k := range cands {
			i, j := int(k>>32), int(k&^plainBit&0xffffffff)
			if check(&prep[i], &prep[j], fmt.Sprintf("%s %s, %s", tc.set, s.Records[i].RecordID, s.Records[j].RecordID)) {
				n++
			}
		}
		t.Logf("%s: the short cut ended %d of %d candidate pairs", tc.set, n, len(cands))
	}
}
