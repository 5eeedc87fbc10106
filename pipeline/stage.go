package pipeline

import (
	"context"
	"fmt"
)

// Stage is one step of a run. Stages are listed, in pipeline order, in the
// registry table of package stages; the runner calls them one after another.
type Stage struct {
	// Name is the stage's key under `stages:` in the config.
	Name string
	// Doc is one line for `realsynth stages`.
	Doc string
	// Params returns a pointer to the stage's parameters filled with their
	// defaults. Fields carry `mapstructure:"key"` names and `doc:"..."` tags;
	// the config block is decoded into it strictly (an unknown key is an error).
	Params func() any
	// Run does the stage's work. It reads the tables earlier stages put into
	// run and puts its own; params is the value Params returned, decoded.
	Run func(ctx context.Context, run *Run, params any) error
	// Check optionally validates decoded params and the inputs they name,
	// without running (used by `realsynth validate` and before every run).
	Check func(run *Run, params any) error
}

// ParamsAs is the type assertion every Stage.Run starts with; it fails loudly
// instead of panicking when a stage is wired to the wrong parameter type.
func ParamsAs[P any](params any) (*P, error) {
	p, ok := params.(*P)
	if !ok {
		return nil, fmt.Errorf("internal error: parameters are %T, want *%T", params, *new(P))
	}
	return p, nil
}
