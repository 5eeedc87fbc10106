package tables

// Tables of the report stage: what changed since the previous committed output.
var reportTables = []Spec{
	{"changes", "What changed since the previous committed output: new records and works per database, works already screened, newly included studies, changed decisions, candidates whose support changed. One row says whether there was a previous output.", Change{}},
}

// Change is one thing that differs from the previous committed output (the
// output folder as it was before this run). report.html's "What changed"
// section is drawn from these rows, so it can be redrawn from a committed output.
type Change struct {
	// Kind is previous_output (one row: Subject "none" on a first run, else
	// "found"), new_records, new_works, already_screened (works the previous
	// output had that this run's new records joined: not screened again),
	// newly_included (a study included at full text now and not before),
	// decision_changed (a work's decision at a stage) or support_changed (a
	// demi-regularity candidate's support, new or gone candidates included).
	Kind string `table:"kind"`
	// Database is the database for the per-database kinds (new_records,
	// new_works, already_screened); a work found by several databases counts
	// under each. Null for the row over all databases (each work once) and
	// for the other kinds.
	Database string `table:"database,optional"`
	// Subject is the study (newly_included), work (decision_changed) or
	// candidate id (support_changed); "none" or "found" for previous_output.
	Subject string `table:"subject,optional"`
	// Stage is title_abstract or full_text for decision_changed; null otherwise.
	Stage string `table:"stage,optional"`
	// Before is the decision, or the support, in the previous output; null when it had none.
	Before string `table:"before,optional"`
	// After is the decision, or the support, now; null when it has gone.
	After string `table:"after,optional"`
	// Count is the number of records or works for the per-database kinds,
	// the previous output's works for previous_output, and 1 for an item row.
	Count int64 `table:"count"`
}
