package synthesis

import (
	"strings"
	"testing"
)

// Roll-up: S1 is coded at two children of C.PAY (unfair and fair pay) in two
// configurations; it must count once at C.PAY and once at C.
//
//	C.PAY   r1: studies {S1} = 1, configurations {1,2} = 2, direct 0
//	        r2: still 1; included studies r1 = {S1} = 1, r2 = {S1,S2} = 2 → share 1/1 then 1/2
//	C       r1: {S1} = 1; r2: {S1,S2} = 2, new_studies = 1
//	M.TRUST r2: studies 2; positive {S1,S2} = 2, negative {S1} = 1
func TestRollUpCountsStudyOnceAtParent(t *testing.T) {
	out := fixture{cmo: cmoHeader +
		"1,S1,consensus,C.PAY.UNFAIR,,M.TRUST,O.BURNOUT,,,negative,they paid us in vouchers,4,,r1\n" +
		"2,S1,consensus,C.PAY.FAIR,,M.TRUST,O.ESTEEM,,,positive,,,,r1\n" +
		"3,S2,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,,,,r2\n",
	}.analyse(t).must(t)

	pay1 := out.tally(t, "C.PAY", "r1")
	eqInt(t, "C.PAY r1 studies", pay1.Studies, 1)
	eqInt(t, "C.PAY r1 configurations", pay1.Configurations, 2)
	eqInt(t, "C.PAY r1 direct studies", pay1.DirectStudies, 0)
	eqInt(t, "C.PAY r1 excerpts", pay1.Excerpts, 1)
	eqFloat(t, "C.PAY r1 share", pay1.ShareOfIncluded, 1)
	pay2 := out.tally(t, "C.PAY", "r2")
	eqInt(t, "C.PAY r2 studies", pay2.Studies, 1)
	eqInt(t, "C.PAY r2 included", pay2.IncludedStudies, 2)
	eqFloat(t, "C.PAY r2 share", pay2.ShareOfIncluded, 0.5)
	eqInt(t, "C.PAY r2 new studies", pay2.NewStudies, 0)
	if pay2.FirstRound != "r1" {
		t.Errorf("C.PAY first round = %q, want r1", pay2.FirstRound)
	}

	c2 := out.tally(t, "C", "r2")
	eqInt(t, "C r2 studies", c2.Studies, 2)
	eqInt(t, "C r2 new studies", c2.NewStudies, 1)
	eqInt(t, "C r2 configurations", c2.Configurations, 3)
	eqStrings(t, "C r2 study ids", c2.StudyIDs, []string{"S1", "S2"})

	trust := out.tally(t, "M.TRUST", "r2")
	eqInt(t, "M.TRUST studies", trust.Studies, 2)
	eqInt(t, "M.TRUST positive", trust.PositiveStudies, 2)
	eqInt(t, "M.TRUST negative", trust.NegativeStudies, 1)
	eqInt(t, "M.TRUST direct", trust.DirectStudies, 2)

	for _, r := range out.ThemeTally {
		if r.CodeID == "C.PAY.TOKEN" {
			t.Errorf("merged code C.PAY.TOKEN has a tally row; it should count under C.PAY.UNFAIR")
		}
	}
}

// Consensus only: reviewer rows never count; S2 has reviewer rows but no
// consensus, so it is provisional and shown apart.
//
//	C.ROLE:  bob coded it in S1 (not adjudicated) and alice in S2 → studies 0, provisional {S2}
//	C.STIGMA: consensus S1 → studies 1, provisional 0
//	M.TRUST: consensus S1 → studies 1; provisional {S2}
func TestTalliesUseConsensusOnlyAndShowProvisionalApart(t *testing.T) {
	out := fixture{cmo: cmoHeader +
		"a1,S1,alice,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,,,,\n" +
		"b1,S1,bob,C.ROLE,,M.TRUST,O.ESTEEM,,,positive,,,,\n" +
		"1,S1,Consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,,,,\n" + // any capitalisation
		"a1,S2,alice,C.ROLE,,M.TRUST,O.BURNOUT,,,negative,,,,\n",
	}.analyse(t).must(t)
	role := out.tally(t, "C.ROLE", "all")
	eqInt(t, "C.ROLE studies", role.Studies, 0)
	eqInt(t, "C.ROLE provisional", role.ProvisionalStudies, 1)
	eqStrings(t, "C.ROLE provisional ids", role.ProvisionalStudyIDs, []string{"S2"})
	eqInt(t, "C.STIGMA studies", out.tally(t, "C.STIGMA", "all").Studies, 1)
	trust := out.tally(t, "M.TRUST", "all")
	eqInt(t, "M.TRUST studies", trust.Studies, 1)
	eqInt(t, "M.TRUST provisional", trust.ProvisionalStudies, 1)
	eqInt(t, "O.BURNOUT studies", out.tally(t, "O.BURNOUT", "all").Studies, 0)

	var s2 []string
	for _, m := range out.Matrix {
		if m.StudyID == "S2" {
			s2 = append(s2, m.CodeID+"/"+m.Role+"/"+m.Status)
		}
		if m.StudyID == "S1" && m.CodeID == "C.ROLE" {
			t.Errorf("study_theme_matrix shows bob's C.ROLE for S1, which has consensus coding")
		}
	}
	eqStrings(t, "S2 matrix rows", s2, []string{"C.ROLE/C/provisional", "M.TRUST/MX/provisional", "O.BURNOUT/O/provisional"})
}

// Synonyms, labels and merged codes resolve: "discrimination" is a synonym
// of C.STIGMA, "Unfair pay" the label of C.PAY.UNFAIR, and C.PAY.TOKEN was
// merged into C.PAY.UNFAIR. M.VALID is deprecated: it still counts, with a warning.
//
//	C.STIGMA studies {S1, S2} = 2; C.PAY.UNFAIR studies {S2 (label), S3 (merged)} = 2
func TestSynonymsLabelsAndMergedCodesResolve(t *testing.T) {
	r := fixture{cmo: cmoHeader +
		"1,S1,consensus,discrimination,,M.TRUST,O.ESTEEM,,,positive,,,,\n" +
		"1,S2,consensus,Stigmatising  Attitudes;Unfair pay,,M.VALID,O.ESTEEM,,,positive,,,,\n" +
		"1,S3,consensus,C.PAY.TOKEN,,m.valid,O.BURNOUT,,,negative,,,,\n",
	}.analyse(t)
	out := r.must(t)
	stigma := out.tally(t, "C.STIGMA", "all")
	eqInt(t, "C.STIGMA studies", stigma.Studies, 2)
	eqStrings(t, "C.STIGMA ids", stigma.StudyIDs, []string{"S1", "S2"})
	unfair := out.tally(t, "C.PAY.UNFAIR", "all")
	eqStrings(t, "C.PAY.UNFAIR ids", unfair.StudyIDs, []string{"S2", "S3"})
	eqInt(t, "M.VALID studies", out.tally(t, "M.VALID", "all").Studies, 2)
	deprecated := 0
	for _, w := range r.warnings {
		if strings.Contains(w, "M.VALID is deprecated") {
			deprecated++
		}
	}
	if deprecated != 1 {
		t.Errorf("got %d deprecation warnings for M.VALID, want 1 (first use only): %q", deprecated, r.warnings)
	}
	if c := out.chain(t, "C.PAY.UNFAIR|M.VALID|O.BURNOUT|negative"); c.SupportingStudies != 1 {
		t.Errorf("merged code's chain support = %d, want 1", c.SupportingStudies)
	}
}

// Scale summary: each study counts once per activity and level, unclear apart.
//
//	S1 puts the advisory board at Consult twice → once. S2 advisory board, level unclear.
//	S3 outreach at Empower. "all" rows: Consult {S1}, Empower {S3}, unclear {S2} (last).
func TestScaleSummaryCountsSourcesOncePerActivityAndLevel(t *testing.T) {
	out := fixture{cmo: cmoHeader +
		"1,S1,consensus,,,,,I.ADVISORY;IAP2.CONSULT,,,,,,\n" +
		"2,S1,consensus,,,,,I.ADVISORY;IAP2.CONSULT,,,,,,\n" +
		"1,S2,consensus,,,,,I.ADVISORY;IAP2.UNCLEAR,,,,,,\n" +
		"1,S3,consensus,,,,,I.OUTREACH;IAP2.EMPOWER,,,,,,\n",
	}.analyse(t).must(t)
	var got []string
	for _, r := range out.Scale {
		rank := "-"
		if r.Rank != nil {
			rank = string(rune('0' + *r.Rank))
		}
		got = append(got, r.Scope+":"+r.ActivityID+":"+r.LevelID+":"+rank+":"+strings.Join(r.StudyIDs, "+"))
	}
	eqStrings(t, "scale rows", got, []string{
		"activity:I.ADVISORY:IAP2.CONSULT:2:S1",
		"activity:I.ADVISORY:IAP2.UNCLEAR:-:S2",
		"activity:I.OUTREACH:IAP2.EMPOWER:5:S3",
		"all::IAP2.CONSULT:2:S1",
		"all::IAP2.EMPOWER:5:S3",
		"all::IAP2.UNCLEAR:-:S2",
	})
	for _, r := range out.Scale {
		if r.Unclear != (r.LevelID == "IAP2.UNCLEAR") {
			t.Errorf("%s unclear = %v", r.LevelID, r.Unclear)
		}
	}
}

// Saturation: studies in round order then label; what each adds.
//
//	r1 S1: codes C.PAY.UNFAIR, M.TRUST, O.BURNOUT (3), chain UNFAIR|TRUST|BURNOUT|negative
//	r1 S2: C.STIGMA new (1), chain STIGMA|TRUST|BURNOUT|negative new → cumulative 4 codes, 2 chains
//	r2 S0: nothing new (same as S1), even though its label sorts first: round comes first
func TestSaturationByRoundAndStudyOrder(t *testing.T) {
	out := fixture{rounds: []string{"r1", "r2"}, cmo: cmoHeader +
		"1,S0,consensus,C.PAY.UNFAIR,,M.TRUST,O.BURNOUT,,,negative,,,,r2\n" +
		"1,S1,consensus,C.PAY.UNFAIR,,M.TRUST,O.BURNOUT,,,negative,,,,r1\n" +
		"1,S2,consensus,C.STIGMA,,M.TRUST,O.BURNOUT,,,negative,,,,r1\n",
	}.analyse(t).must(t)
	var got []string
	for _, s := range out.Saturation {
		got = append(got, strings.Join([]string{s.Round, s.StudyID, strings.Join(s.NewCodes, "+"), strings.Join(s.NewChainIDs, "+"),
			string(rune('0' + s.CumulativeCodes)), string(rune('0' + s.CumulativeChains))}, " "))
	}
	eqStrings(t, "saturation", got, []string{
		"r1 S1 C.PAY.UNFAIR+M.TRUST+O.BURNOUT C.PAY.UNFAIR|M.TRUST|O.BURNOUT|negative 3 1",
		"r1 S2 C.STIGMA C.STIGMA|M.TRUST|O.BURNOUT|negative 4 2",
		"r2 S0   4 2",
	})
}

// With extraction_order in the studies CSV, studies within a round follow it:
// S2 (order 1) comes before S1 (order 2) and adds the three shared codes;
// S3 has no order and comes last.
func TestSaturationFollowsExtractionOrder(t *testing.T) {
	out := fixture{studies: "study_id,extraction_order\nS1,2\nS2,1\n", cmo: cmoHeader +
		"1,S1,consensus,C.PAY.UNFAIR,,M.TRUST,O.BURNOUT,,,negative,,,,\n" +
		"1,S2,consensus,C.STIGMA,,M.TRUST,O.BURNOUT,,,negative,,,,\n" +
		"1,S3,consensus,C.ROLE,,M.TRUST,O.BURNOUT,,,negative,,,,\n",
	}.analyse(t).must(t)
	var got []string
	for _, s := range out.Saturation {
		got = append(got, s.StudyID+" "+strings.Join(s.NewCodes, "+"))
	}
	eqStrings(t, "order", got, []string{"S2 C.STIGMA+M.TRUST+O.BURNOUT", "S1 C.PAY.UNFAIR", "S3 C.ROLE"})
}
