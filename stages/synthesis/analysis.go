package synthesis

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/realsynth/realsynth/internal/tables"
)

// Study is one counting unit as the analysis sees it: the team's label, its
// cluster and appraisal, and whether (and from which round) it is included.
type Study struct {
	Label   string
	Cluster string // "" → the study is its own cluster
	Rigour  string
	WorkIDs []string
	// Included is false for a study screening did not include; its coding
	// appears in study_theme_matrix only.
	Included bool
	// Round is the index of the round it was included in; -1 when unknown
	// (then the round of its first configuration is used).
	Round int
	// Order is its position in the team's extraction order (0: not given),
	// which orders studies within a round in the saturation table.
	Order int
}

// Input is everything the tallies are computed from. Order never matters:
// Analyse sorts studies and configurations first.
type Input struct {
	Codebook       *Codebook
	Rounds         []string
	Studies        []Study
	Configurations []Configuration
	// RoundOf gives each configuration's round index (same order as Configurations).
	RoundOf []int
	// IncludedByRound is the number of included studies up to each round,
	// the denominator of share_of_included; nil: count Studies.
	IncludedByRound []int
	Decisions       []CandidateDecision
	Params          Params
	ConfigHash      string
}

// Output holds every synthesis table.
type Output struct {
	ThemeTally  []tables.ThemeTally
	Chains      []tables.CMOChain
	Candidates  []tables.DemiRegularityCandidate
	Contradicts []tables.Contradiction
	Matrix      []tables.StudyTheme
	Agreement   []tables.CodingAgreement
	Scale       []tables.ScaleSummary
	Saturation  []tables.Saturation
	Warnings    []string
}

// coding is one configuration placed: its study index and round index.
type coding struct {
	cfg   *Configuration
	study int
	round int
}

// firstRounds remembers, for each (unit, code) pair, the earliest round it
// was seen; counting its entries per round gives cumulative distinct counts.
// It is a dense units × codes grid (round+1; 0 = never seen): codebooks are
// small, and a grid is many times faster than a map at 100k configurations.
type firstRounds struct {
	codes int
	cells []int16
}

func newFirstRounds(codes int) *firstRounds { return &firstRounds{codes: codes} }

func (m *firstRounds) note(unit, code, round int) {
	i := unit*m.codes + code
	if i >= len(m.cells) {
		m.cells = append(m.cells, make([]int16, (unit+1)*m.codes-len(m.cells))...)
	}
	if v := m.cells[i]; v == 0 || int(v) > round+1 {
		m.cells[i] = int16(round + 1)
	}
}

// cumulative returns counts[code][round]: distinct units first seen at or before round.
func (m *firstRounds) cumulative(rounds int) [][]int64 {
	out := make([][]int64, m.codes)
	flat := make([]int64, m.codes*rounds)
	for i := range out {
		out[i] = flat[i*rounds : (i+1)*rounds]
	}
	for i, v := range m.cells {
		if v > 0 {
			out[i%m.codes][v-1]++
		}
	}
	for _, row := range out {
		for r := 1; r < rounds; r++ {
			row[r] += row[r-1]
		}
	}
	return out
}

type unitRound struct{ unit, round int }

// byCode lists, per code, the units (in unit order) and the round each was first seen.
func (m *firstRounds) byCode() [][]unitRound {
	out := make([][]unitRound, m.codes)
	for i, v := range m.cells {
		if v > 0 {
			out[i%m.codes] = append(out[i%m.codes], unitRound{i / m.codes, int(v) - 1})
		}
	}
	return out
}

// Analyse computes every synthesis table from in.
func Analyse(in Input) (*Output, error) {
	cb := in.Codebook
	p := in.Params
	if len(in.Rounds) == 0 {
		return nil, fmt.Errorf("internal error: no rounds")
	}
	if len(in.RoundOf) != len(in.Configurations) {
		return nil, fmt.Errorf("internal error: %d rounds for %d configurations", len(in.RoundOf), len(in.Configurations))
	}
	out := &Output{}
	studies := slices.Clone(in.Studies)
	slices.SortFunc(studies, func(a, b Study) int { return strings.Compare(a.Label, b.Label) })
	studyIdx := make(map[string]int, len(studies))
	for i, s := range studies {
		if _, dup := studyIdx[s.Label]; dup {
			return nil, fmt.Errorf("internal error: study %s listed twice", s.Label)
		}
		studyIdx[s.Label] = i
	}
	clusterIdx := map[string]int{}
	clusterOf := make([]int, len(studies))
	for i, s := range studies {
		name := s.Cluster
		if name == "" {
			name = "\x00" + s.Label // a study without a cluster is its own
		}
		c, ok := clusterIdx[name]
		if !ok {
			c = len(clusterIdx)
			clusterIdx[name] = c
		}
		clusterOf[i] = c
	}
	codings := make([]coding, len(in.Configurations))
	for i := range in.Configurations {
		c := &in.Configurations[i]
		s, ok := studyIdx[c.Study]
		if !ok {
			return nil, fmt.Errorf("%s:%d: internal error: study %s unknown", c.File, c.Line, c.Study)
		}
		codings[i] = coding{cfg: c, study: s, round: in.RoundOf[i]}
	}
	slices.SortFunc(codings, func(a, b coding) int {
		return cmp.Or(cmp.Compare(a.study, b.study), strings.Compare(a.cfg.Reviewer, b.cfg.Reviewer), strings.Compare(a.cfg.CMOCID, b.cfg.CMOCID))
	})
	hasConsensus := make([]bool, len(studies))
	for _, c := range codings {
		if isConsensus(c.cfg.Reviewer, p.ConsensusReviewer) {
			hasConsensus[c.study] = true
		}
	}
	var consensus, provisional, reviewerRows []coding
	for _, c := range codings {
		st := studies[c.study]
		switch {
		case !st.Included:
		case isConsensus(c.cfg.Reviewer, p.ConsensusReviewer):
			consensus = append(consensus, c)
		default:
			reviewerRows = append(reviewerRows, c)
			if !hasConsensus[c.study] {
				provisional = append(provisional, c)
			}
		}
	}

	// The tables are independent once the codings are placed (the chain
	// tables share the read-only chain set), so they are built concurrently.
	var wg sync.WaitGroup
	var agreeErr error
	wg.Go(func() { out.ThemeTally = themeTally(in, studies, clusterOf, consensus, provisional) })
	wg.Go(func() { out.Matrix = studyMatrix(cb, studies, codings, hasConsensus, p.ConsensusReviewer, in.Rounds) })
	wg.Go(func() { out.Contradicts = contradictions(cb, p, studies, consensus) })
	wg.Go(func() { out.Agreement, agreeErr = codingAgreement(cb, studies, reviewerRows) })
	wg.Go(func() { out.Scale = scaleSummary(cb, studies, consensus) })
	chains := buildChains(cb, p, studies, consensus)
	wg.Go(func() { out.Chains = chains.table(cb, p, studies, clusterOf, consensus) })
	wg.Go(func() {
		out.Candidates, out.Warnings = candidates(cb, p, studies, clusterOf, chains, in.Decisions, in.ConfigHash)
	})
	wg.Go(func() { out.Saturation = saturation(cb, in.Rounds, studies, consensus, chains.ofCoding) })
	wg.Wait()
	if agreeErr != nil {
		return nil, agreeErr
	}
	return out, nil
}

// isConsensus says whether a row is adjudicated; spreadsheets capitalise
// freely, so "Consensus" counts too.
func isConsensus(reviewer, consensusName string) bool {
	return strings.EqualFold(reviewer, consensusName)
}

// codesWithAncestors returns every code a configuration counts for — the
// coded codes and their ancestors — once each, so two child codes count the
// configuration once at their parent.
func codesWithAncestors(cb *Codebook, c *Configuration, buf []int) []int {
	buf = buf[:0]
	for _, slot := range c.Codes {
		for _, k := range slot {
			buf = append(buf, cb.Ancestors(k)...)
		}
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}

func directCodes(c *Configuration, buf []int) []int {
	buf = buf[:0]
	for _, slot := range c.Codes {
		buf = append(buf, slot...)
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}

func themeTally(in Input, studies []Study, clusterOf []int, consensus, provisional []coding) []tables.ThemeTally {
	cb := in.Codebook
	K, R := len(cb.Codes), len(in.Rounds)
	studyCode, direct, clusterCode := newFirstRounds(K), newFirstRounds(K), newFirstRounds(K)
	reportCode, excerptCode, provCode := newFirstRounds(K), newFirstRounds(K), newFirstRounds(K)
	polCode := newFirstRounds(K * 4) // code*4 + polarity
	reportIdx, excerptIdx := map[string]int{}, map[string]int{}
	intern := func(m map[string]int, s string) int {
		i, ok := m[s]
		if !ok {
			i = len(m)
			m[s] = i
		}
		return i
	}
	nConfigsAt := make([][]int64, K)
	for k := range nConfigsAt {
		nConfigsAt[k] = make([]int64, R)
	}
	var buf, dbuf []int
	for _, c := range consensus {
		buf = codesWithAncestors(cb, c.cfg, buf)
		report, excerpt := -1, -1
		reportID := cmp.Or(c.cfg.ReportKey, c.cfg.ReportID)
		if reportID != "" {
			report = intern(reportIdx, reportID)
		}
		if c.cfg.Quote != "" {
			excerpt = intern(excerptIdx, strings.Join([]string{studies[c.study].Label, reportID, c.cfg.Page, c.cfg.Quote}, "\x00"))
		}
		for _, k := range buf {
			studyCode.note(c.study, k, c.round)
			clusterCode.note(clusterOf[c.study], k, c.round)
			nConfigsAt[k][c.round]++ // codesWithAncestors lists each code once per configuration
			polCode.note(c.study, k*4+c.cfg.Polarity, c.round)
			if report >= 0 {
				reportCode.note(report, k, c.round)
			}
			if excerpt >= 0 {
				excerptCode.note(excerpt, k, c.round)
			}
		}
		dbuf = directCodes(c.cfg, dbuf)
		for _, k := range dbuf {
			direct.note(c.study, k, c.round)
		}
	}
	for _, c := range provisional {
		buf = codesWithAncestors(cb, c.cfg, buf)
		for _, k := range buf {
			provCode.note(c.study, k, c.round)
		}
	}
	nStudies, nDirect, nClusters := studyCode.cumulative(R), direct.cumulative(R), clusterCode.cumulative(R)
	nReports, nExcerpts := reportCode.cumulative(R), excerptCode.cumulative(R)
	nConfigs := nConfigsAt
	for _, row := range nConfigs {
		for r := 1; r < R; r++ {
			row[r] += row[r-1]
		}
	}
	nPol := polCode.cumulative(R)
	nProv := provCode.cumulative(R)
	studiesOf := studyCode.byCode()
	provOf := provCode.byCode()

	included := in.IncludedByRound
	if included == nil {
		included = make([]int, R)
		for _, s := range studies {
			if s.Included {
				r := max(s.Round, 0)
				for j := r; j < R; j++ {
					included[j]++
				}
			}
		}
	}
	var rows []tables.ThemeTally
	for k, code := range cb.Codes {
		if code.Status == "merged" {
			continue
		}
		firstRound := ""
		for r := range R {
			row := tables.ThemeTally{
				CodeID: code.ID, Label: code.Label, ParentID: code.ParentID, Depth: int64(cb.depth[k]), Roles: code.Roles,
				Status: code.Status, Round: in.Rounds[r],
				Studies: nStudies[k][r], DirectStudies: nDirect[k][r], Clusters: nClusters[k][r], Reports: nReports[k][r],
				Configurations: nConfigs[k][r], Excerpts: nExcerpts[k][r],
				PositiveStudies: nPol[k*4+polPositive][r], NegativeStudies: nPol[k*4+polNegative][r],
				MixedStudies: nPol[k*4+polMixed][r], UnclearStudies: nPol[k*4+polUnclear][r],
				IncludedStudies:    int64(included[r]),
				StudyIDs:           labelsUpTo(studies, studiesOf[k], r),
				ProvisionalStudies: nProv[k][r], ProvisionalStudyIDs: labelsUpTo(studies, provOf[k], r),
			}
			if included[r] > 0 {
				share := float64(row.Studies) / float64(included[r])
				row.ShareOfIncluded = &share
			}
			if firstRound == "" && row.Studies > 0 {
				firstRound = in.Rounds[r]
			}
			row.FirstRound = firstRound
			row.NewStudies = row.Studies
			if r > 0 {
				row.NewStudies -= nStudies[k][r-1]
			}
			rows = append(rows, row)
		}
	}
	return rows
}

func labelsUpTo(studies []Study, units []unitRound, round int) []string {
	labels := []string{}
	for _, u := range units {
		if u.round <= round {
			labels = append(labels, studies[u.unit].Label)
		}
	}
	return labels
}

func polarityNames(set uint8) []string {
	names := []string{}
	for p, name := range polarities {
		if set&(1<<p) != 0 {
			names = append(names, name)
		}
	}
	return names
}

func studyMatrix(cb *Codebook, studies []Study, codings []coding, hasConsensus []bool, consensusName string, rounds []string) []tables.StudyTheme {
	type acc struct {
		pols    uint8
		configs int64
		round   int
	}
	// One study at a time (codings are sorted by study), in a dense
	// code × slot grid; code indices follow code ids, so the grid's order is
	// the output order.
	grid := make([]acc, len(cb.Codes)*numSlots)
	var touched []int
	rows := []tables.StudyTheme{}
	flush := func(study int) {
		slices.Sort(touched)
		st := studies[study]
		status := "included"
		switch {
		case !st.Included:
			status = "not_included"
		case !hasConsensus[study]:
			status = "provisional"
		}
		cluster := st.Cluster
		if cluster == "" {
			cluster = st.Label
		}
		for _, i := range touched {
			a := grid[i]
			code, slot := i/numSlots, i%numSlots
			rows = append(rows, tables.StudyTheme{
				StudyID: st.Label, ClusterID: cluster, WorkIDs: nonNil(st.WorkIDs), CodeID: cb.Codes[code].ID, Label: cb.Codes[code].Label,
				Role: slots[slot].role, Polarities: polarityNames(a.pols), Configurations: a.configs,
				Status: status, FirstRound: rounds[a.round],
			})
			grid[i] = acc{}
		}
		touched = touched[:0]
	}
	for n, c := range codings {
		if n > 0 && codings[n-1].study != c.study && len(touched) > 0 {
			flush(codings[n-1].study)
		}
		// A study with consensus rows is shown as adjudicated; reviewer rows
		// stand in only while there is no consensus.
		if hasConsensus[c.study] != isConsensus(c.cfg.Reviewer, consensusName) {
			continue
		}
		for s, slot := range c.cfg.Codes {
			for _, k := range slot {
				i := k*numSlots + s
				a := &grid[i]
				if a.configs == 0 {
					touched = append(touched, i)
					a.round = c.round
				}
				a.pols |= 1 << c.cfg.Polarity
				a.configs++ // codes are listed once per slot, so once per configuration
				a.round = min(a.round, c.round)
			}
		}
	}
	if len(touched) > 0 {
		flush(codings[len(codings)-1].study)
	}
	return rows
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
