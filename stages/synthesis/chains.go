package synthesis

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
)

// chainSet holds every chain linked in at least one consensus configuration.
type chainSet struct {
	keys []chainKey // sorted by chain id
	ids  []string
	acc  map[chainKey]*chainAcc
	// ofCoding lists the chains each consensus coding links (index as in consensus).
	ofCoding [][]chainKey
	// contra indexes studies by (context, mechanism, intervention, polarity)
	// and contexts by (mechanism, outcome, intervention, polarity).
	contra   map[chainKey][]int
	contexts map[chainKey][]int32
	cooc     map[chainKey][]int
}

type chainAcc struct {
	studies []int // sorted, once each
	codings []int // indices into consensus, in order
}

// slotCodes returns a configuration's codes for the given slots, rolled up
// to depth, once each; scale levels are left out (they are not activities).
func slotCodes(cb *Codebook, c *Configuration, depth int, skipScale bool, slotList ...int) []int32 {
	var out []int32
	for _, s := range slotList {
		for _, k := range c.Codes[s] {
			if skipScale && cb.Codes[k].Scale != "" {
				continue
			}
			out = append(out, int32(cb.RollUp(k, depth)))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

var none = []int32{-1}

// configurationChains lists the chains one configuration links: every
// context × mechanism (resource or response) × outcome (× intervention).
// A configuration without a mechanism or an outcome links no chain; one
// without a context links chains with an empty context.
func configurationChains(cb *Codebook, p Params, c *Configuration) []chainKey {
	mechs := slotCodes(cb, c, p.ChainDepth, false, slotResource, slotResponse)
	outs := slotCodes(cb, c, p.ChainDepth, false, slotOutcome)
	if len(mechs) == 0 || len(outs) == 0 {
		return nil
	}
	ctxs := slotCodes(cb, c, p.ChainDepth, false, slotContext)
	if len(ctxs) == 0 {
		ctxs = none
	}
	ints := none
	if p.ChainByIntervention {
		if ints = slotCodes(cb, c, p.ChainDepth, true, slotIntervention); len(ints) == 0 {
			ints = none
		}
	}
	var keys []chainKey
	for _, cx := range ctxs {
		for _, m := range mechs {
			for _, o := range outs {
				for _, i := range ints {
					keys = append(keys, chainKey{context: cx, mechanism: m, outcome: o, intervention: i, polarity: int8(c.Polarity)})
				}
			}
		}
	}
	return keys
}

func buildChains(cb *Codebook, p Params, studies []Study, consensus []coding) *chainSet {
	cs := &chainSet{acc: map[chainKey]*chainAcc{}, ofCoding: make([][]chainKey, len(consensus)),
		contra: map[chainKey][]int{}, contexts: map[chainKey][]int32{}, cooc: map[chainKey][]int{}}
	for ci, c := range consensus {
		keys := configurationChains(cb, p, c.cfg)
		cs.ofCoding[ci] = keys
		for _, k := range keys {
			a := cs.acc[k]
			if a == nil {
				a = &chainAcc{}
				cs.acc[k] = a
			}
			// Consensus codings come sorted by study, so a study repeats only
			// at the end of the list.
			if n := len(a.studies); n == 0 || a.studies[n-1] != c.study {
				a.studies = append(a.studies, c.study)
			}
			a.codings = append(a.codings, ci)
			ck := chainKey{context: k.context, mechanism: k.mechanism, outcome: -1, intervention: k.intervention, polarity: k.polarity}
			if l := cs.contra[ck]; len(l) == 0 || l[len(l)-1] != c.study {
				cs.contra[ck] = append(l, c.study)
			}
			if k.context >= 0 {
				mk := chainKey{context: -1, mechanism: k.mechanism, outcome: k.outcome, intervention: k.intervention, polarity: k.polarity}
				cs.contexts[mk] = append(cs.contexts[mk], k.context)
			}
		}
	}
	for k, l := range cs.contexts {
		slices.Sort(l)
		cs.contexts[k] = slices.Compact(l)
	}
	cs.keys = make([]chainKey, 0, len(cs.acc))
	for k := range cs.acc {
		cs.keys = append(cs.keys, k)
	}
	ids := make(map[chainKey]string, len(cs.keys))
	for _, k := range cs.keys {
		ids[k] = cb.chainID(k)
	}
	slices.SortFunc(cs.keys, func(a, b chainKey) int { return strings.Compare(ids[a], ids[b]) })
	cs.ids = make([]string, len(cs.keys))
	for i, k := range cs.keys {
		cs.ids[i] = ids[k]
	}
	cs.cooccurrence(cb, p, len(studies), consensus)
	return cs
}

// cooccurrence finds, for each linked chain, the studies that code every
// part of it in separate configurations but never link them in one.
// Chains without a context have no co-occurrence: their parts are just
// mechanism and outcome, which any linking study already shows together.
// Study sets are bitsets, so a chain costs a few hundred word operations
// even at 10,000 studies.
func (cs *chainSet) cooccurrence(cb *Codebook, p Params, nStudies int, consensus []coding) {
	K := len(cb.Codes)
	words := (nStudies + 63) / 64
	ctx, mech, outPol, ints := make([]bitset, K), make([]bitset, K), make([]bitset, K*len(polarities)), make([]bitset, K)
	mark := func(sets []bitset, i, study int) {
		if sets[i] == nil {
			sets[i] = make(bitset, words)
		}
		sets[i].set(study)
	}
	for _, c := range consensus {
		for _, k := range slotCodes(cb, c.cfg, p.ChainDepth, false, slotContext) {
			mark(ctx, int(k), c.study)
		}
		for _, k := range slotCodes(cb, c.cfg, p.ChainDepth, false, slotResource, slotResponse) {
			mark(mech, int(k), c.study)
		}
		for _, k := range slotCodes(cb, c.cfg, p.ChainDepth, false, slotOutcome) {
			mark(outPol, int(k)*len(polarities)+c.cfg.Polarity, c.study)
		}
		if p.ChainByIntervention {
			for _, k := range slotCodes(cb, c.cfg, p.ChainDepth, true, slotIntervention) {
				mark(ints, int(k), c.study)
			}
		}
	}
	for _, k := range cs.keys {
		if k.context < 0 {
			continue
		}
		sets := []bitset{ctx[k.context], mech[k.mechanism], outPol[int(k.outcome)*len(polarities)+int(k.polarity)]}
		if k.intervention >= 0 {
			sets = append(sets, ints[k.intervention])
		}
		linked := cs.acc[k].studies
		and := func(w int) uint64 {
			x := ^uint64(0)
			for _, s := range sets {
				x &= s[w]
			}
			return x
		}
		total := 0
		for w := range words {
			total += bits.OnesCount64(and(w))
		}
		if total <= len(linked) {
			continue // every study with all the parts links them
		}
		found := make([]int, 0, total-len(linked))
		for w := range words {
			x := and(w)
			for x != 0 {
				study := w*64 + bits.TrailingZeros64(x)
				x &= x - 1
				if _, isLinked := slices.BinarySearch(linked, study); !isLinked {
					found = append(found, study)
				}
			}
		}
		if len(found) > 0 {
			cs.cooc[k] = found
		}
	}
}

type bitset []uint64

func (b bitset) set(i int) { b[i>>6] |= 1 << (i & 63) }

func studyLabels(studies []Study, idx []int) []string {
	out := make([]string, len(idx))
	for i, s := range idx {
		out[i] = studies[s].Label
	}
	return out
}

func distinctClusters(clusterOf []int, idx []int) int {
	seen := map[int]bool{}
	for _, s := range idx {
		seen[clusterOf[s]] = true
	}
	return len(seen)
}

// contradicting returns the studies linking the chain's context and
// mechanism to an outcome of the opposite polarity.
func (cs *chainSet) contradicting(k chainKey) []int {
	opp := opposite(int(k.polarity))
	if opp < 0 {
		return nil
	}
	return cs.contra[chainKey{context: k.context, mechanism: k.mechanism, outcome: -1, intervention: k.intervention, polarity: int8(opp)}]
}

func (cs *chainSet) table(cb *Codebook, p Params, studies []Study, clusterOf []int, consensus []coding) []tables.CMOChain {
	// Upstream links: the chains of the configuration each consensus
	// configuration names as its upstream.
	type studyCMOC struct {
		study int
		id    string
	}
	byCMOC := map[studyCMOC]int{}
	for ci, c := range consensus {
		byCMOC[studyCMOC{c.study, c.cfg.CMOCID}] = ci
	}
	rows := make([]tables.CMOChain, 0, len(cs.keys))
	for i, k := range cs.keys {
		a := cs.acc[k]
		contra := cs.contradicting(k)
		others := []string{}
		for _, cx := range cs.contexts[chainKey{context: -1, mechanism: k.mechanism, outcome: k.outcome, intervention: k.intervention, polarity: k.polarity}] {
			if cx != k.context {
				others = append(others, cb.idOf(cx))
			}
		}
		slices.Sort(others)
		upstream := []string{}
		quotes := []tables.Quote{}
		for _, ci := range a.codings {
			c := consensus[ci].cfg
			if c.Upstream != "" {
				if uj, ok := byCMOC[studyCMOC{consensus[ci].study, c.Upstream}]; ok {
					for _, uk := range cs.ofCoding[uj] {
						upstream = append(upstream, cb.chainID(uk))
					}
				}
			}
			if c.Quote != "" && len(quotes) < p.MaxQuotes {
				quotes = append(quotes, tables.Quote{StudyID: c.Study, CMOCID: c.CMOCID, ReportID: c.ReportID, Page: c.Page, Text: c.Quote})
			}
		}
		slices.Sort(upstream)
		upstream = slices.Compact(upstream)
		cooc := cs.cooc[k]
		rows = append(rows, tables.CMOChain{
			ChainID:   cs.ids[i],
			ContextID: cb.idOf(k.context), ContextLabel: cb.labelOf(k.context),
			MechanismID: cb.idOf(k.mechanism), MechanismLabel: cb.labelOf(k.mechanism),
			OutcomeID: cb.idOf(k.outcome), OutcomeLabel: cb.labelOf(k.outcome),
			Polarity: polarities[k.polarity], InterventionID: cb.idOf(k.intervention),
			SupportingStudies: int64(len(a.studies)), SupportingClusters: int64(distinctClusters(clusterOf, a.studies)),
			SupportingStudyIDs: studyLabels(studies, a.studies), Configurations: int64(len(a.codings)),
			ContradictingStudies: int64(len(contra)), ContradictingStudyIDs: studyLabels(studies, contra),
			CooccurrenceStudies: int64(len(cooc)), CooccurrenceStudyIDs: studyLabels(studies, cooc),
			OtherContexts: others, UpstreamChainIDs: upstream, Quotes: quotes,
		})
	}
	return rows
}

// candidates flags chains that meet the thresholds and joins the team's
// decisions. Only a contradictable chain (positive or negative) can be
// flagged: a mixed or unclear outcome has no opposite, so its consistency
// would be 1 by construction. A decided chain is always listed, even below
// the thresholds, with no support left, or not contradictable, so that no
// decision silently disappears.
func candidates(cb *Codebook, p Params, studies []Study, clusterOf []int, cs *chainSet, decisions []CandidateDecision, hash string) ([]tables.DemiRegularityCandidate, []string) {
	decided := map[chainKey]*CandidateDecision{}
	for i := range decisions {
		decided[decisions[i].Key] = &decisions[i]
	}
	var warnings []string
	low := map[string]bool{}
	for _, v := range p.LowRigour {
		low[strings.ToLower(v)] = true
	}
	var rows []tables.DemiRegularityCandidate
	add := func(k chainKey, id string, support []int) {
		contra := cs.contradicting(k)
		contradictable := opposite(int(k.polarity)) >= 0
		row := tables.DemiRegularityCandidate{
			CandidateID: id, ContextID: cb.idOf(k.context), MechanismID: cb.idOf(k.mechanism), OutcomeID: cb.idOf(k.outcome),
			Polarity: polarities[k.polarity], InterventionID: cb.idOf(k.intervention), Unit: p.Unit,
			SupportingStudies: int64(len(support)), SupportingClusters: int64(distinctClusters(clusterOf, support)),
			SupportingStudyIDs: studyLabels(studies, support), ContradictingStudyIDs: studyLabels(studies, contra),
			ConfigHash: hash, CodebookVersion: cb.Metadata.Version, Contradictable: contradictable,
		}
		if p.Unit == "cluster" {
			row.Support, row.Contradicting = row.SupportingClusters, int64(distinctClusters(clusterOf, contra))
		} else {
			row.Support, row.Contradicting = row.SupportingStudies, int64(len(contra))
		}
		if total := row.Support + row.Contradicting; total > 0 && contradictable {
			c := float64(row.Support) / float64(total)
			row.Consistency = &c
		}
		row.MeetsMinStudies = int(row.SupportingStudies) >= p.MinStudies
		row.MeetsMinClusters = int(row.SupportingClusters) >= p.MinClusters
		row.MeetsMinConsistency = row.Consistency != nil && *row.Consistency >= p.MinConsistency
		row.Flagged = contradictable && row.MeetsMinStudies && row.MeetsMinClusters && row.MeetsMinConsistency
		row.HasNegativeCases = len(contra) > 0
		row.SingleClusterOnly = row.SupportingClusters == 1
		row.OnlyLowRigourSupport = len(support) > 0
		for _, s := range support {
			if !low[strings.ToLower(studies[s].Rigour)] {
				row.OnlyLowRigourSupport = false
			}
		}
		if d := decided[k]; d != nil {
			row.Decision, row.Wording, row.Rationale, row.MergedInto, row.DecidedOn = d.Decision, d.Wording, d.Rationale, d.MergedInto, d.DecidedOn
		}
		if row.Flagged || row.Decision != "" {
			rows = append(rows, row)
		}
	}
	for i, k := range cs.keys {
		add(k, cs.ids[i], cs.acc[k].studies)
	}
	for _, d := range decisions {
		if opposite(int(d.Key.polarity)) < 0 {
			warnings = append(warnings, fmt.Sprintf("%s:%d: candidate %s has polarity %s: nothing can contradict it, so it is never flagged; the decision is kept",
				d.File, d.Line, d.CandidateID, polarities[d.Key.polarity]))
		}
		if _, ok := cs.acc[d.Key]; !ok {
			warnings = append(warnings, fmt.Sprintf("%s:%d: decision on candidate %s matches no chain in the current coding; kept with zero support", d.File, d.Line, d.CandidateID))
			add(d.Key, cb.chainID(d.Key), nil)
		}
	}
	slices.SortFunc(rows, func(a, b tables.DemiRegularityCandidate) int { return strings.Compare(a.CandidateID, b.CandidateID) })
	return rows, warnings
}

// contradictions sets, per mechanism and per intervention, the studies and
// contexts linked to positive outcomes against those linked to negative ones.
func contradictions(cb *Codebook, p Params, studies []Study, consensus []coding) []tables.Contradiction {
	type subject struct {
		kind string
		code int32
	}
	type side struct {
		studies  []int
		contexts map[int32][]int
	}
	sides := map[subject]*[2]side{}
	for _, c := range consensus {
		pol := c.cfg.Polarity
		if pol != polPositive && pol != polNegative {
			continue
		}
		if len(c.cfg.Codes[slotOutcome]) == 0 {
			continue
		}
		ctxs := slotCodes(cb, c.cfg, p.ChainDepth, false, slotContext)
		var subjects []subject
		for _, m := range slotCodes(cb, c.cfg, p.ChainDepth, false, slotResource, slotResponse) {
			subjects = append(subjects, subject{"mechanism", m})
		}
		for _, i := range slotCodes(cb, c.cfg, p.ChainDepth, true, slotIntervention) {
			subjects = append(subjects, subject{"intervention", i})
		}
		for _, sub := range subjects {
			s := sides[sub]
			if s == nil {
				s = &[2]side{{contexts: map[int32][]int{}}, {contexts: map[int32][]int{}}}
				sides[sub] = s
			}
			sd := &s[pol]
			sd.studies = append(sd.studies, c.study)
			for _, cx := range ctxs {
				sd.contexts[cx] = append(sd.contexts[cx], c.study)
			}
		}
	}
	var rows []tables.Contradiction
	for sub, s := range sides {
		pos, neg := uniqueInts(s[polPositive].studies), uniqueInts(s[polNegative].studies)
		if len(pos) == 0 || len(neg) == 0 {
			continue
		}
		both := intersect(pos, neg)
		posCtx, negCtx := contextCounts(cb, s[polPositive].contexts), contextCounts(cb, s[polNegative].contexts)
		shared, negOnly, posOnly := []string{}, []string{}, []string{}
		for cx := range s[polNegative].contexts {
			if _, ok := s[polPositive].contexts[cx]; ok {
				shared = append(shared, cb.idOf(cx))
			} else {
				negOnly = append(negOnly, cb.idOf(cx))
			}
		}
		for cx := range s[polPositive].contexts {
			if _, ok := s[polNegative].contexts[cx]; !ok {
				posOnly = append(posOnly, cb.idOf(cx))
			}
		}
		for _, l := range [][]string{shared, negOnly, posOnly} {
			slices.Sort(l)
		}
		rows = append(rows, tables.Contradiction{
			SubjectKind: sub.kind, CodeID: cb.idOf(sub.code), Label: cb.labelOf(sub.code),
			PositiveStudies: int64(len(pos)), NegativeStudies: int64(len(neg)),
			PositiveStudyIDs: studyLabels(studies, pos), NegativeStudyIDs: studyLabels(studies, neg),
			BothSidesIDs: studyLabels(studies, both), PositiveContexts: posCtx, NegativeContexts: negCtx,
			SharedContexts: shared, NegativeOnlyContexts: negOnly, PositiveOnlyContexts: posOnly,
		})
	}
	slices.SortFunc(rows, func(a, b tables.Contradiction) int {
		return cmp.Or(strings.Compare(a.SubjectKind, b.SubjectKind), strings.Compare(a.CodeID, b.CodeID))
	})
	return rows
}

func contextCounts(cb *Codebook, m map[int32][]int) []tables.ContextCount {
	out := make([]tables.ContextCount, 0, len(m))
	for cx, st := range m {
		out = append(out, tables.ContextCount{ContextID: cb.idOf(cx), Studies: int64(len(uniqueInts(st)))})
	}
	slices.SortFunc(out, func(a, b tables.ContextCount) int { return strings.Compare(a.ContextID, b.ContextID) })
	return out
}

func uniqueInts(l []int) []int {
	l = slices.Clone(l)
	slices.Sort(l)
	return slices.Compact(l)
}

func intersect(a, b []int) []int {
	out := []int{}
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); ok {
			out = append(out, x)
		}
	}
	return out
}
