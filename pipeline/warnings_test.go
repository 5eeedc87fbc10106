package pipeline

import (
	"io"
	"log/slog"
	"reflect"
	"testing"
)

func TestWarningsGroupByKind(t *testing.T) {
	run := NewRun(&Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	run.Warn("before any stage")
	run.SetStage("ingest")
	run.WarnN("quarantined_records", 3, "%d input record(s) quarantined", 3)
	run.Warn("a.ris: not valid UTF-8")
	run.SetStage("dedupe")
	run.WarnN("work_bridges", 1, "record %s bridges", "R1")
	run.WarnN("work_bridges", 1, "record %s bridges", "R2")
	run.SetStage("ingest")
	run.WarnN("quarantined_records", 2, "2 more")
	got := GroupWarnings(run.WarningList())
	want := []WarningKind{
		{Kind: "run", Count: 1, Messages: []string{"before any stage"}},
		{Kind: "quarantined_records", Count: 5, Messages: []string{"3 input record(s) quarantined", "2 more"}},
		{Kind: "ingest", Count: 1, Messages: []string{"a.ris: not valid UTF-8"}},
		{Kind: "work_bridges", Count: 2, Messages: []string{"record R1 bridges", "record R2 bridges"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("grouped\n%+v\nwant\n%+v", got, want)
	}
	if msgs := run.Warnings(); len(msgs) != 6 || msgs[1] != "3 input record(s) quarantined" {
		t.Errorf("messages %q", msgs)
	}
}
