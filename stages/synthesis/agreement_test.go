package synthesis

import (
	"math"
	"testing"
)

// Two reviewers, four studies, code C.STIGMA:
//
//	alice: S1 S2 S3      bob: S1 S2 S4
//	both present 2 (S1,S2), only alice 1 (S3), only bob 1 (S4), both absent 0.
//	po = 2/4 = 0.5 → 50%; pA = pB = 0.75;
//	pe = 0.75·0.75 + 0.25·0.25 = 0.625; κ = (0.5 − 0.625)/(1 − 0.625) = −1/3;
//	PABAK = 2·0.5 − 1 = 0.
//
// The parent C gets the same table (each C.STIGMA is the only context).
// S5 is coded by alice only: not a unit for the pair.
//
// With carol coding C.STIGMA in all four, presence counts per study
// (absent, present) are S1 (0,3), S2 (0,3), S3 (1,2), S4 (1,2).
// Krippendorff's nominal α: coincidences o_PP = 3+3+1+1 = 8, o_AP = o_PA = 2,
// o_AA = 0; n = 12, n_A = 2, n_P = 10; D_o = 4/12, D_e = 2·2·10/(12·11) = 40/132;
// α = 1 − (1/3)/(40/132) = 1 − 1.1 = −0.1.
func TestCodingAgreement(t *testing.T) {
	rows := "cmoc_id,study_id,reviewer,context\n" +
		"a,S1,alice,C.STIGMA\na,S2,alice,C.STIGMA\na,S3,alice,C.STIGMA\na,S4,alice,C.ROLE\na,S5,alice,C.STIGMA\n" +
		"b,S1,bob,C.STIGMA\nb,S2,bob,C.STIGMA\nb,S3,bob,C.ROLE\nb,S4,bob,C.STIGMA\n"
	out := fixture{cmo: rows}.analyse(t).must(t)
	found := false
	for _, r := range out.Agreement {
		if r.CodeID != "C.STIGMA" {
			continue
		}
		found = true
		if r.Scope != "pair" || r.ReviewerA != "alice" || r.ReviewerB != "bob" {
			t.Fatalf("row %+v, want the alice–bob pair", r)
		}
		eqInt(t, "studies", r.Studies, 4)
		eqInt(t, "both", r.BothPresent, 2)
		eqInt(t, "only a", r.OnlyA, 1)
		eqInt(t, "only b", r.OnlyB, 1)
		eqInt(t, "neither", r.BothAbsent, 0)
		eqFloat(t, "percent agreement", r.PercentAgreement, 0.5)
		eqFloat(t, "kappa", r.Kappa, -1.0/3)
		eqFloat(t, "PABAK", r.PABAK, 0)
		if r.Alpha != nil {
			t.Errorf("alpha on a pair row: %v", *r.Alpha)
		}
	}
	if !found {
		t.Fatalf("no agreement row for C.STIGMA: %+v", out.Agreement)
	}
	for _, r := range out.Agreement {
		if r.CodeID == "C" {
			// Both reviewers coded some context in every common study: all present.
			eqInt(t, "C both present", r.BothPresent, 4)
			eqFloat(t, "C percent", r.PercentAgreement, 1)
			if r.Kappa != nil {
				t.Errorf("C kappa = %v, want null (no variation)", *r.Kappa)
			}
		}
	}

	rows += "c,S1,carol,C.STIGMA\nc,S2,carol,C.STIGMA\nc,S3,carol,C.STIGMA\nc,S4,carol,C.STIGMA\n"
	out = fixture{cmo: rows}.analyse(t).must(t)
	var alpha *float64
	pairs := 0
	for _, r := range out.Agreement {
		if r.CodeID == "C.STIGMA" && r.Scope == "all" {
			alpha = r.Alpha
			eqInt(t, "pairable studies", r.Studies, 4) // S5 has one reviewer: not pairable
		}
		if r.CodeID == "C.STIGMA" && r.Scope == "pair" {
			pairs++
		}
	}
	if pairs != 3 {
		t.Errorf("C.STIGMA has %d pair rows, want 3 (alice–bob, alice–carol, bob–carol)", pairs)
	}
	if alpha == nil || math.Abs(*alpha-(-0.1)) > 1e-9 {
		t.Errorf("alpha = %v, want -0.1", alpha)
	}
}
