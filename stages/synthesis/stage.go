// Package synthesis turns the team's context–mechanism–outcome (CMO) coding
// of included studies into the tables a realist synthesis is written from:
// theme tallies, CMO chains, demi-regularity candidates, contradictions,
// coding agreement, scale summaries and saturation.
package synthesis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline"
)

// Params configure the synthesis stage.
type Params struct {
	Codebook       string `mapstructure:"codebook" doc:"codebook file, YAML (.yaml/.yml) or CSV (.csv)"`
	Configurations string `mapstructure:"configurations" doc:"CMO configurations CSV, one row per configuration per reviewer"`
	Studies        string `mapstructure:"studies" doc:"optional studies CSV: study_id → work_id/doi, cluster_id, design, setting, appraisal"`
	Decisions      string `mapstructure:"candidate_decisions" doc:"optional CSV of the team's decisions on candidates (candidate_id, decision, wording, rationale)"`
	// ConsensusReviewer is the reviewer name of adjudicated rows.
	ConsensusReviewer string `mapstructure:"consensus_reviewer" doc:"reviewer value marking adjudicated (consensus) rows"`
	Unit              string `mapstructure:"unit" doc:"what candidate support and consistency count: study or cluster"`
	MinStudies        int    `mapstructure:"min_studies" doc:"a candidate needs at least this many supporting studies"`
	MinClusters       int    `mapstructure:"min_clusters" doc:"a candidate needs at least this many supporting clusters (0: no threshold)"`
	// MinConsistency is support / (support + contradicting).
	MinConsistency      float64  `mapstructure:"min_consistency" doc:"a candidate needs support / (support + contradicting) at least this"`
	ChainDepth          int      `mapstructure:"chain_depth" doc:"roll chain codes up to this codebook depth (1 = top level; 0 = as coded)"`
	ChainByIntervention bool     `mapstructure:"chain_by_intervention" doc:"split chains by intervention code"`
	MaxQuotes           int      `mapstructure:"max_quotes" doc:"example quotes kept per chain"`
	LowRigour           []string `mapstructure:"low_rigour" doc:"studies CSV rigour values that count as low rigour"`
}

func defaultParams() any {
	return &Params{
		ConsensusReviewer: "consensus",
		Unit:              "study",
		MinStudies:        2,
		MinConsistency:    0.5,
		MaxQuotes:         3,
		LowRigour:         []string{"low"},
	}
}

// Stage is the synthesis stage's entry point.
var Stage = pipeline.Stage{
	Name:   "synthesis",
	Doc:    "tally CMO coding of included studies into themes, chains, demi-regularity candidates and contradictions",
	Params: defaultParams,
	Run:    run,
	Check:  check,
}

// configured is false when neither the codebook nor the coding is named: a
// review still screening has nothing to synthesise, and the stage does nothing.
func configured(p *Params) bool { return p.Codebook != "" || p.Configurations != "" }

func validateParams(p *Params) error {
	switch {
	case p.Codebook == "":
		return fmt.Errorf("synthesis: codebook is required")
	case p.Configurations == "":
		return fmt.Errorf("synthesis: configurations is required")
	case p.Unit != "study" && p.Unit != "cluster":
		return fmt.Errorf("synthesis: unit %q, want study or cluster", p.Unit)
	case p.MinStudies < 1:
		return fmt.Errorf("synthesis: min_studies %d, want at least 1", p.MinStudies)
	case p.MinClusters < 0:
		return fmt.Errorf("synthesis: min_clusters %d, want 0 or more", p.MinClusters)
	case p.MinConsistency < 0 || p.MinConsistency > 1:
		return fmt.Errorf("synthesis: min_consistency %v, want 0 to 1", p.MinConsistency)
	case p.ChainDepth < 0:
		return fmt.Errorf("synthesis: chain_depth %d, want 0 or more", p.ChainDepth)
	case p.MaxQuotes < 0:
		return fmt.Errorf("synthesis: max_quotes %d, want 0 or more", p.MaxQuotes)
	case p.ConsensusReviewer == "":
		return fmt.Errorf("synthesis: consensus_reviewer is empty")
	}
	return nil
}

// inputs are the stage's files, read and validated.
type inputs struct {
	codebook  *Codebook
	configs   []Configuration
	studies   []StudyRow
	decisions []CandidateDecision
}

func load(run *pipeline.Run, p *Params, warn func(string, ...any)) (*inputs, error) {
	if err := validateParams(p); err != nil {
		return nil, err
	}
	in := &inputs{}
	var err error
	if in.codebook, err = LoadCodebook(run.Path(p.Codebook), p.Codebook); err != nil {
		return nil, err
	}
	if in.configs, err = ReadConfigurations(run.Path(p.Configurations), p.Configurations, in.codebook, warn); err != nil {
		return nil, err
	}
	if p.Studies != "" {
		if in.studies, err = ReadStudies(run.Path(p.Studies), p.Studies, warn); err != nil {
			return nil, err
		}
	}
	if p.Decisions != "" {
		if in.decisions, err = ReadDecisions(run.Path(p.Decisions), p.Decisions, in.codebook, warn); err != nil {
			return nil, err
		}
	}
	return in, nil
}

func check(run *pipeline.Run, params any) error {
	p, err := pipeline.ParamsAs[Params](params)
	if err != nil {
		return err
	}
	if !configured(p) {
		return nil
	}
	// Check runs before every run on the same Run, so its warnings would
	// reach the manifest twice; Run raises them.
	_, err = load(run, p, func(string, ...any) {})
	return err
}

func run(ctx context.Context, run *pipeline.Run, params any) error {
	p, err := pipeline.ParamsAs[Params](params)
	if err != nil {
		return err
	}
	if !configured(p) {
		run.Log.Info("synthesis: no codebook or configurations configured; nothing to synthesise")
		return nil
	}
	in, err := load(run, p, run.Warn)
	if err != nil {
		return err
	}
	works, haveWorks, err := pipeline.Get[tables.Work](run, "works", "work_id", "study_id", "doi")
	if err != nil {
		return err
	}
	decisions, haveDecisions, err := pipeline.Get[tables.Decision](run, "decisions")
	if err != nil {
		return err
	}
	rounds := roundIDs(run.Config, in.configs)
	res := newResolver(rounds, works, haveWorks, decisions, haveDecisions, in.studies, run.Warn)
	if haveWorks {
		// Only the columns a report reference can name are read.
		sc := pipeline.Scan[tables.Record](run, "records", "work_id", "pmid", "doi", "dois", "source_key", "database")
		res.indexRecords(func(yield func(*tables.Record) bool) {
			for _, rows := range sc.Chunks() {
				for i := range rows {
					if !yield(&rows[i]) {
						return
					}
				}
			}
		}, in.configs)
		if err := sc.Err(); err != nil {
			return err
		}
	}
	input, err := res.resolve(in.configs)
	if err != nil {
		return err
	}
	input.Codebook, input.Params, input.Decisions = in.codebook, *p, in.decisions
	input.ConfigHash = configHash(p, in.codebook)
	if err := ctx.Err(); err != nil {
		return err
	}
	progress := run.Progress("synthesis: tallying configurations", int64(len(in.configs)))
	out, err := Analyse(*input)
	progress.Add(int64(len(in.configs)))
	progress.Done()
	if err != nil {
		return err
	}
	for _, w := range out.Warnings {
		run.Warn("%s", w)
	}
	return putAll(run, out)
}

func putAll(run *pipeline.Run, out *Output) error {
	for _, err := range []error{
		pipeline.Put(run, "theme_tally", out.ThemeTally),
		pipeline.Put(run, "cmo_chains", out.Chains),
		pipeline.Put(run, "demi_regularity_candidates", out.Candidates),
		pipeline.Put(run, "contradictions", out.Contradicts),
		pipeline.Put(run, "study_theme_matrix", out.Matrix),
		pipeline.Put(run, "coding_agreement", out.Agreement),
		pipeline.Put(run, "scale_summary", out.Scale),
		pipeline.Put(run, "saturation", out.Saturation),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// roundIDs are the configured rounds; a config without rounds (coding
// reviewed on its own) uses the round values of the CMO file, sorted, or a
// single round "all".
func roundIDs(cfg *pipeline.Config, configs []Configuration) []string {
	var ids []string
	if cfg != nil {
		for _, r := range cfg.Rounds {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) > 0 {
		return ids
	}
	for _, c := range configs {
		if c.Round != "" {
			ids = append(ids, c.Round)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		ids = []string{"all"}
	}
	return ids
}

// configHash identifies the thresholds and codebook behind a set of flags,
// so a decision can be traced to the settings it was made under.
func configHash(p *Params, cb *Codebook) string {
	h := sha256.New()
	params, _ := json.Marshal(struct {
		Unit                string
		MinStudies          int
		MinClusters         int
		MinConsistency      float64
		ChainDepth          int
		ChainByIntervention bool
		LowRigour           []string
		ConsensusReviewer   string
	}{p.Unit, p.MinStudies, p.MinClusters, p.MinConsistency, p.ChainDepth, p.ChainByIntervention, p.LowRigour, p.ConsensusReviewer})
	h.Write(params)
	h.Write([]byte{0})
	h.Write(cb.Bytes)
	return hex.EncodeToString(h.Sum(nil))[:16]
}
