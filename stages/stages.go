// Package stages is the registry of pipeline stages, in the order a run
// executes them. Reading this list, then each stage's package, tells the
// story of a run: search exports are read, de-duplicated into works,
// screened, the included studies' CMO coding is synthesised, the works
// are written back out for screening tools, and one page, report.html,
// shows the team the whole round.
package stages

import (
	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages/dedupe"
	"github.com/realsynth/realsynth/stages/export"
	"github.com/realsynth/realsynth/stages/ingest"
	"github.com/realsynth/realsynth/stages/report"
	"github.com/realsynth/realsynth/stages/screening"
	"github.com/realsynth/realsynth/stages/synthesis"
)

// Pipeline lists every stage in run order. A stage's config block is
// `stages.<Name>`; a stage can be turned off with `enabled: false`.
var Pipeline = []pipeline.Stage{
	ingest.Stage,    // search exports → records, quarantine
	dedupe.Stage,    // records → works, duplicate pairs, source overlap
	screening.Stage, // votes → decisions, agreement, PRISMA 2020 flow
	synthesis.Stage, // CMO coding → tallies, chains, demi-regularity candidates
	export.Stage,    // works → RIS/CSV for screening tools and reference managers
	report.Stage,    // every table → changes since the previous output, report.html
}
