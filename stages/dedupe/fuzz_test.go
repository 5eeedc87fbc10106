package dedupe

import (
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

// FuzzCompareRecords feeds arbitrary field values through normalisation,
// comparison and the whole engine: bad input must never panic, a pair's
// decision must not depend on which record comes first, and a record must
// always be a duplicate of an identical copy of itself unless it has no title.
func FuzzCompareRecords(f *testing.F) {
	f.Add("Erratum: [Effect of α-blockers &amp; <i>x</i>]. [Article in German]", "Smith, J. A.;Jones K", "221-8", "12 Suppl 1", "10.1000/ABC", "Cochrane Database Syst Rev",
		"RETRACTED: Effect (vol 3, pg 4, 2001)", "Si Hyun, Kang", "e24083", "", "https://doi.org/10.1000/abc", "J Clin Virol")
	f.Add("", ";;", "-", "-", "doi:", "[", "]", ",", "–", "x", "10.", "((")
	f.Fuzz(func(t *testing.T, titleA, authorsA, pagesA, volumeA, doiA, journalA, titleB, authorsB, pagesB, volumeB, doiB, journalB string) {
		y := int32(2001)
		a := tables.Record{RecordID: "a", Title: titleA, Authors: strings.Split(authorsA, ";"), Pages: pagesA, Volume: volumeA, DOI: doiA, Journal: journalA, Year: &y}
		b := tables.Record{RecordID: "b", Title: titleB, Authors: strings.Split(authorsB, ";"), Pages: pagesB, Volume: volumeB, DOI: doiB, Journal: journalB, Year: &y}
		pa, pb := prepare(&a, false), prepare(&b, false)
		eab, eba := compareFields(&pa, &pb), compareFields(&pb, &pa)
		vab, vba := decide(&pa, &pb, &eab, false), decide(&pb, &pa, &eba, false)
		if vab.decision != vba.decision {
			t.Errorf("decision depends on order: %v vs %v", vab, vba)
		}
		copyA := a
		copyA.RecordID = "a2"
		pc := prepare(&copyA, false)
		if e := compareFields(&pa, &pc); pa.title != "" && !pa.generic {
			if v := decide(&pa, &pc, &e, false); v.decision == distinct || v.decision == related {
				t.Errorf("record not a duplicate of its copy: %v (%s)", v, e.String())
			}
		}
		res := deduplicate([]tables.Record{a, b, copyA}, options{})
		if len(res.records) != 3 {
			t.Fatalf("%d records out, want 3", len(res.records))
		}
	})
}
