// Package stages is the registry of pipeline stages, in the order a run
// executes them. Reading this list, then each stage's package, tells the
// story of a run: search exports are read, de-duplicated into works,
// screened, and the included studies' CMO coding is synthesised.
package stages

import (
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages/ingest"
)

// Pipeline lists every stage in run order. A stage's config block is
// `stages.<Name>`; a stage can be turned off with `enabled: false`.
var Pipeline = []pipeline.Stage{
	ingest.Stage,
}
