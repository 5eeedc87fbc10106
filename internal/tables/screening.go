package tables

// Tables of the screening stage: votes, decisions, agreement, PRISMA.
// Declare each row type in this file and list it here, in the order the stage writes them.
var screeningTables = []Spec{
	{"decisions", "One row per work and screening stage: the resolved decision, how it was reached, reasons, conflict flag.", Decision{}},
}

// Decision is the outcome of screening one work at one stage.
type Decision struct {
	WorkID string `table:"work_id"`
	// Stage is title_abstract or full_text.
	Stage string `table:"stage"`
	// Round is the round in which the work was screened at this stage.
	Round string `table:"round"`
	// Decision is include, exclude or conflict.
	Decision string `table:"decision"`
	// ResolvedBy says how: unanimous, tiebreaker, consensus, earlier_round, single.
	ResolvedBy string `table:"resolved_by"`
	// Reasons are the full-text exclusion reasons, sorted.
	Reasons  []string `table:"reasons"`
	Conflict bool     `table:"conflict"`
}
