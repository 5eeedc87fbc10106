package synthesis

import (
	"strings"
	"testing"
)

// contradictionCMO: trust under unfair pay leads to burnout (S1, S3) but to
// self-esteem in S4; under fair pay and stigma it leads to self-esteem (S2,
// S3); under unclear roles to burnout (S5).
const contradictionCMO = cmoHeader +
	"1,S1,consensus,C.PAY.UNFAIR,,M.TRUST,O.BURNOUT,,,negative,we were paid in vouchers,12,,\n" +
	"1,S2,consensus,C.PAY.FAIR,,M.TRUST,O.ESTEEM,,,positive,a real wage made me feel valued,5,,\n" +
	"1,S3,consensus,C.PAY.FAIR;C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,,,,\n" +
	"2,S3,consensus,C.PAY.UNFAIR,,M.TRUST,O.BURNOUT,,,negative,,,,\n" +
	"1,S4,consensus,C.PAY.UNFAIR,,M.TRUST,O.ESTEEM,,,positive,,,,\n" +
	"1,S5,consensus,C.ROLE,,M.TRUST,O.BURNOUT,,,negative,,,,\n"

// A contradicting case: same context and mechanism, opposite polarity.
//
//	UNFAIR|TRUST|BURNOUT|negative: linked in S1 and S3 → support 2;
//	  contradicting = studies linking UNFAIR+TRUST to a positive outcome = {S4};
//	  other contexts for TRUST→BURNOUT negative = {C.ROLE} (S5).
//	UNFAIR|TRUST|ESTEEM|positive: linked in S4 only; S3 codes UNFAIR (config 2)
//	  and TRUST→ESTEEM positive (config 1) without linking them → co-occurrence {S3}.
//	Contradictions for M.TRUST: positive {S2,S3,S4}, negative {S1,S3,S5}, both {S3};
//	  positive contexts FAIR 2 (S2,S3), STIGMA 1, UNFAIR 1 (S4);
//	  negative contexts ROLE 1, UNFAIR 2 (S1,S3);
//	  shared {UNFAIR}; negative only {ROLE} (the boundary condition); positive only {FAIR, STIGMA}.
func TestContradictingCasesAndBoundaryConditions(t *testing.T) {
	out := fixture{cmo: contradictionCMO}.analyse(t).must(t)

	burnout := out.chain(t, "C.PAY.UNFAIR|M.TRUST|O.BURNOUT|negative")
	eqStrings(t, "supporting", burnout.SupportingStudyIDs, []string{"S1", "S3"})
	eqStrings(t, "contradicting", burnout.ContradictingStudyIDs, []string{"S4"})
	eqStrings(t, "other contexts", burnout.OtherContexts, []string{"C.ROLE"})
	eqStrings(t, "co-occurring", burnout.CooccurrenceStudyIDs, nil)
	if len(burnout.Quotes) != 1 || burnout.Quotes[0].Text != "we were paid in vouchers" || burnout.Quotes[0].Page != "12" {
		t.Errorf("quotes = %+v, want S1's voucher quote on page 12", burnout.Quotes)
	}

	esteem := out.chain(t, "C.PAY.UNFAIR|M.TRUST|O.ESTEEM|positive")
	eqStrings(t, "supporting", esteem.SupportingStudyIDs, []string{"S4"})
	eqStrings(t, "co-occurring (not linked)", esteem.CooccurrenceStudyIDs, []string{"S3"})
	eqStrings(t, "contradicting", esteem.ContradictingStudyIDs, []string{"S1", "S3"})

	if len(out.Contradicts) != 1 {
		t.Fatalf("got %d contradiction rows, want 1 (M.TRUST): %+v", len(out.Contradicts), out.Contradicts)
	}
	c := out.Contradicts[0]
	if c.SubjectKind != "mechanism" || c.CodeID != "M.TRUST" {
		t.Fatalf("contradiction on %s %s, want mechanism M.TRUST", c.SubjectKind, c.CodeID)
	}
	eqStrings(t, "positive studies", c.PositiveStudyIDs, []string{"S2", "S3", "S4"})
	eqStrings(t, "negative studies", c.NegativeStudyIDs, []string{"S1", "S3", "S5"})
	eqStrings(t, "both sides", c.BothSidesIDs, []string{"S3"})
	var pos, neg []string
	for _, x := range c.PositiveContexts {
		pos = append(pos, x.ContextID+"="+string(rune('0'+x.Studies)))
	}
	for _, x := range c.NegativeContexts {
		neg = append(neg, x.ContextID+"="+string(rune('0'+x.Studies)))
	}
	eqStrings(t, "positive contexts", pos, []string{"C.PAY.FAIR=2", "C.PAY.UNFAIR=1", "C.STIGMA=1"})
	eqStrings(t, "negative contexts", neg, []string{"C.PAY.UNFAIR=2", "C.ROLE=1"})
	eqStrings(t, "shared", c.SharedContexts, []string{"C.PAY.UNFAIR"})
	eqStrings(t, "negative only", c.NegativeOnlyContexts, []string{"C.ROLE"})
	eqStrings(t, "positive only", c.PositiveOnlyContexts, []string{"C.PAY.FAIR", "C.STIGMA"})
}

// At chain_depth 2, unfair and fair pay both roll up to C.PAY, so S1–S4 all
// link C.PAY+TRUST; BURNOUT negative is supported by {S1,S3} and contradicted
// by the positive-side studies {S2,S3,S4}.
func TestChainDepthRollsUpCodes(t *testing.T) {
	out := fixture{cmo: contradictionCMO, params: func(p *Params) { p.ChainDepth = 2 }}.analyse(t).must(t)
	c := out.chain(t, "C.PAY|M.TRUST|O.BURNOUT|negative")
	eqStrings(t, "supporting", c.SupportingStudyIDs, []string{"S1", "S3"})
	eqStrings(t, "contradicting", c.ContradictingStudyIDs, []string{"S2", "S3", "S4"})
}

// candidateCMO: STIGMA|TRUST|ESTEEM|positive is linked in S1, S2 (cluster K1)
// and S3 (cluster K2), and contradicted by S4 (stigma + trust → burnout).
// BRIDGE|ESTEEM positive without context is linked in S1, S2 only (K1, both low rigour).
const candidateCMO = cmoHeader +
	"1,S1,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,,,,\n" +
	"2,S1,consensus,,R.BRIDGE,,O.ESTEEM,,,positive,,,,\n" +
	"1,S2,consensus,discrimination,,M.TRUST,O.ESTEEM,,,positive,,,,\n" +
	"2,S2,consensus,,R.BRIDGE,,O.ESTEEM,,,positive,,,,\n" +
	"1,S3,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,positive,,,,\n" +
	"1,S4,consensus,C.STIGMA,,M.TRUST,O.BURNOUT,,,negative,,,,\n"

const candidateStudies = "study_id,cluster_id,rigour\nS1,K1,low\nS2,K1,Low\nS3,K2,high\nS4,,medium\n"

// Each threshold is crossed by moving it one step past the hand-computed value.
//
//	STIGMA|TRUST|ESTEEM|positive, unit study: support 3, contradicting 1 (S4),
//	  consistency 3/4 = 0.75; clusters {K1,K2} = 2.
//	  unit cluster: support 2 clusters, contradicting 1 (S4 is its own cluster) → 2/3.
func TestCandidateThresholds(t *testing.T) {
	const id = "C.STIGMA|M.TRUST|O.ESTEEM|positive"
	cases := []struct {
		name        string
		params      func(*Params)
		flagged     bool
		support     int
		consistency float64
	}{
		{"defaults (2 studies, 0.5)", func(p *Params) {}, true, 3, 0.75},
		{"min_studies 3 met", func(p *Params) { p.MinStudies = 3 }, true, 3, 0.75},
		{"min_studies 4 not met", func(p *Params) { p.MinStudies = 4 }, false, 3, 0.75},
		{"min_clusters 2 met", func(p *Params) { p.MinClusters = 2 }, true, 3, 0.75},
		{"min_clusters 3 not met", func(p *Params) { p.MinClusters = 3 }, false, 3, 0.75},
		{"min_consistency 0.75 met", func(p *Params) { p.MinConsistency = 0.75 }, true, 3, 0.75},
		{"min_consistency 0.76 not met", func(p *Params) { p.MinConsistency = 0.76 }, false, 3, 0.75},
		{"unit cluster 0.66 met", func(p *Params) { p.Unit = "cluster"; p.MinConsistency = 0.66 }, true, 2, 2.0 / 3},
		{"unit cluster 0.67 not met", func(p *Params) { p.Unit = "cluster"; p.MinConsistency = 0.67 }, false, 2, 2.0 / 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := fixture{cmo: candidateCMO, studies: candidateStudies, params: tc.params}.analyse(t).must(t)
			c, listed := out.candidate(id)
			if listed != tc.flagged {
				t.Fatalf("candidate listed = %v, want %v (%+v)", listed, tc.flagged, out.Candidates)
			}
			// The chain's own counts do not depend on thresholds.
			ch := out.chain(t, id)
			eqInt(t, "supporting studies", ch.SupportingStudies, 3)
			eqInt(t, "supporting clusters", ch.SupportingClusters, 2)
			if !listed {
				return
			}
			eqInt(t, "support", c.Support, tc.support)
			eqInt(t, "contradicting", c.Contradicting, 1)
			eqFloat(t, "consistency", c.Consistency, tc.consistency)
			if !c.Flagged || !c.HasNegativeCases || c.SingleClusterOnly || c.OnlyLowRigourSupport {
				t.Errorf("flags = flagged %v negative %v single-cluster %v low-rigour %v, want true true false false",
					c.Flagged, c.HasNegativeCases, c.SingleClusterOnly, c.OnlyLowRigourSupport)
			}
		})
	}
}

// The bridging chain has no contradiction, one cluster and only low-rigour
// support (S1 "low", S2 "Low"): all three flags say so.
func TestCandidateFlagsSingleClusterAndLowRigour(t *testing.T) {
	out := fixture{cmo: candidateCMO, studies: candidateStudies}.analyse(t).must(t)
	c, ok := out.candidate("|R.BRIDGE|O.ESTEEM|positive")
	if !ok {
		t.Fatalf("bridging chain not flagged; candidates: %+v", out.Candidates)
	}
	eqStrings(t, "support", c.SupportingStudyIDs, []string{"S1", "S2"})
	eqFloat(t, "consistency", c.Consistency, 1)
	if c.HasNegativeCases || !c.SingleClusterOnly || !c.OnlyLowRigourSupport {
		t.Errorf("flags negative %v single-cluster %v low-rigour %v, want false true true", c.HasNegativeCases, c.SingleClusterOnly, c.OnlyLowRigourSupport)
	}
}

// Team decisions join by candidate id, written with a synonym and a label
// (resolved to codes), and a decision whose chain has gone is kept.
func TestCandidateDecisionsJoinAndPersist(t *testing.T) {
	r := fixture{cmo: candidateCMO, studies: candidateStudies, decisions: "candidate_id,decision,wording,rationale,decided_on\n" +
		"discrimination|Trust|O.ESTEEM|positive,accepted,\"Where stigma is named, trust builds self-esteem\",three studies,2026-01-10\n" +
		"C.ROLE|M.TRUST|O.BURNOUT|negative,needs_more_evidence,,only one study last round,2025-11-02\n",
		params: func(p *Params) { p.MinStudies = 5 }}.analyse(t)
	out := r.must(t)
	c, ok := out.candidate("C.STIGMA|M.TRUST|O.ESTEEM|positive")
	if !ok {
		t.Fatalf("decided candidate missing; have %+v", out.Candidates)
	}
	if c.Flagged || c.Decision != "accepted" || c.DecidedOn.String() != "2026-01-10" || !strings.HasPrefix(c.Wording, "Where stigma") {
		t.Errorf("decided candidate = flagged %v decision %q on %q wording %q", c.Flagged, c.Decision, c.DecidedOn, c.Wording)
	}
	if len(c.ConfigHash) != 16 {
		t.Errorf("config hash %q, want 16 hex digits", c.ConfigHash)
	}
	gone, ok := out.candidate("C.ROLE|M.TRUST|O.BURNOUT|negative")
	if !ok || gone.Support != 0 || gone.Decision != "needs_more_evidence" {
		t.Errorf("decision on a vanished chain: listed %v support %d decision %q", ok, gone.Support, gone.Decision)
	}
	if !strings.Contains(strings.Join(r.warnings, "\n"), "decisions.csv:3: decision on candidate C.ROLE|M.TRUST|O.BURNOUT|negative matches no chain") {
		t.Errorf("no warning about the vanished chain: %q", r.warnings)
	}
	if len(out.Candidates) != 2 {
		t.Errorf("got %d candidates with min_studies 5, want the 2 decided ones", len(out.Candidates))
	}
}

// Upstream links: S1's configuration 2 starts from the outcome of
// configuration 1 (self-esteem becomes the context of employment).
func TestUpstreamChains(t *testing.T) {
	out := fixture{cmo: "cmoc_id,study_id,reviewer,context,mechanism_response,outcome,polarity,upstream_cmoc_id\n" +
		"1,S1,consensus,C.STIGMA,M.TRUST,O.ESTEEM,positive,\n" +
		"2,S1,consensus,O.ESTEEM,M.TRUST,O.BURNOUT,negative,1\n"}.analyse(t).must(t)
	c := out.chain(t, "O.ESTEEM|M.TRUST|O.BURNOUT|negative")
	eqStrings(t, "upstream", c.UpstreamChainIDs, []string{"C.STIGMA|M.TRUST|O.ESTEEM|positive"})
}

// decided_on is a date column, so a date that does not read as YYYY-MM-DD
// is an error naming the file and line, not text passed on to analysts.
func TestCandidateDecisionDateMustBeISO(t *testing.T) {
	r := fixture{cmo: candidateCMO, studies: candidateStudies, decisions: "candidate_id,decision,decided_on\n" +
		"C.STIGMA|M.TRUST|O.ESTEEM|positive,accepted,2026-01-10\n" +
		"C.ROLE|M.TRUST|O.BURNOUT|negative,rejected,10/01/2026\n"}.analyse(t)
	if r.err == nil || !strings.Contains(r.err.Error(), "decisions.csv:3:") || !strings.Contains(r.err.Error(), `decided_on: "10/01/2026" is not a date as YYYY-MM-DD`) {
		t.Fatalf("error %v, want decisions.csv:3 and the bad date", r.err)
	}
}

// A mixed or unclear outcome has no opposite, so nothing can contradict its
// chain and its consistency would be 1 by construction: such a chain is listed
// in cmo_chains but never flagged. Worked case: STIGMA|TRUST|ESTEEM is coded
// mixed in S1, S2, S3 and unclear (empty polarity) in S1, S2 — three and two
// supporting studies, past min_studies 2, and S4's negative burnout does not
// contradict either. A team decision on the mixed chain is kept, unflagged,
// with a warning.
func TestMixedAndUnclearChainsAreNeverCandidates(t *testing.T) {
	cmo := cmoHeader +
		"1,S1,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,mixed,,,,\n" +
		"2,S1,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,,,,,\n" +
		"1,S2,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,mixed,,,,\n" +
		"2,S2,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,unclear,,,,\n" +
		"1,S3,consensus,C.STIGMA,,M.TRUST,O.ESTEEM,,,mixed,,,,\n" +
		"1,S4,consensus,C.STIGMA,,M.TRUST,O.BURNOUT,,,negative,,,,\n" +
		"2,S4,consensus,C.STIGMA,,M.TRUST,O.BURNOUT,,,negative,,,,\n" +
		"1,S5,consensus,C.STIGMA,,M.TRUST,O.BURNOUT,,,negative,,,,\n"
	r := fixture{cmo: cmo, decisions: "candidate_id,decision\nC.STIGMA|M.TRUST|O.ESTEEM|mixed,accepted\n"}.analyse(t)
	out := r.must(t)
	mixed := out.chain(t, "C.STIGMA|M.TRUST|O.ESTEEM|mixed")
	eqStrings(t, "mixed chain support", mixed.SupportingStudyIDs, []string{"S1", "S2", "S3"})
	unclear := out.chain(t, "C.STIGMA|M.TRUST|O.ESTEEM|unclear")
	eqStrings(t, "unclear chain support", unclear.SupportingStudyIDs, []string{"S1", "S2"})
	if _, listed := out.candidate("C.STIGMA|M.TRUST|O.ESTEEM|unclear"); listed {
		t.Errorf("the unclear chain is listed as a candidate: %+v", out.Candidates)
	}
	c, listed := out.candidate("C.STIGMA|M.TRUST|O.ESTEEM|mixed")
	if !listed || c.Flagged || c.Contradictable || c.Consistency != nil || c.MeetsMinConsistency || c.Decision != "accepted" {
		t.Errorf("mixed chain with a decision: listed %v flagged %v contradictable %v consistency %v meets %v decision %q; "+
			"want listed for its decision only, never flagged, consistency null", listed, c.Flagged, c.Contradictable,
			c.Consistency, c.MeetsMinConsistency, c.Decision)
	}
	if !strings.Contains(strings.Join(r.warnings, "\n"), "decisions.csv:2: candidate C.STIGMA|M.TRUST|O.ESTEEM|mixed has polarity mixed") {
		t.Errorf("no warning about the decision on a mixed chain: %q", r.warnings)
	}
	// The negative chain beside them is contradictable and flagged (S4, S5; nothing positive).
	neg, listed := out.candidate("C.STIGMA|M.TRUST|O.BURNOUT|negative")
	if !listed || !neg.Flagged || !neg.Contradictable {
		t.Errorf("negative chain: listed %v flagged %v contradictable %v, want all true", listed, neg.Flagged, neg.Contradictable)
	}
	eqFloat(t, "negative chain consistency", neg.Consistency, 1)
	if len(out.Candidates) != 2 {
		t.Errorf("%d candidates, want the negative chain and the decided mixed one: %+v", len(out.Candidates), out.Candidates)
	}
}
