package dedupe

import (
	"os"
	"strings"
	"testing"
)

func TestDebugPair(t *testing.T) {
	ids := os.Getenv("DEDUPE_PAIR")
	if ids == "" {
		t.Skip()
	}
	s := loadSet(t, os.Getenv("DEDUPE_SET"))
	want := strings.Split(ids, ",")
	var ps []prepared
	for _, id := range want {
		for i := range s.Records {
			if s.Records[i].RecordID == id {
				ps = append(ps, prepare(&s.Records[i], false))
				t.Logf("%+v", ps[len(ps)-1])
			}
		}
	}
	ev := compareFields(&ps[0], &ps[1])
	t.Logf("%s prefix=%v", ev.String(), ev.titleContained)
	t.Logf("%+v", decide(&ps[0], &ps[1], &ev, false))
}

func TestDebugRun(t *testing.T) {
	ids := os.Getenv("DEDUPE_PAIR")
	if ids == "" {
		t.Skip()
	}
	s := loadSet(t, os.Getenv("DEDUPE_SET"))
	want := strings.Split(ids, ",")
	res := deduplicate(s.Records, options{})
	for _, p := range res.pairs {
		if (p.RecordA == want[0] || p.RecordB == want[0]) || (p.RecordA == want[1] || p.RecordB == want[1]) {
			t.Logf("%+v", p)
		}
	}
	for _, r := range res.records {
		for _, w := range want {
			if r.RecordID == w {
				t.Logf("%s → %s", w, r.WorkID)
			}
		}
	}
}
