package endnote

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"testing/quick"
)

// TestConservation: good records, records with an undefined entity,
// records nested too deep: records + quarantined = records seen.
func TestConservation(t *testing.T) {
	property := func(seed int64) bool {
		rng := rand.New(rand.NewSource(seed))
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><xml><records>` + "\n")
		wantGood, wantBad := 0, 0
		for i := 0; i < 1+rng.Intn(30); i++ {
			switch rng.Intn(3) {
			case 0:
				fmt.Fprintf(&b, "<record><rec-number>%d</rec-number><titles><title><style face=\"normal\">T &amp; %d</style></title></titles></record>\n", i, i)
				wantGood++
			case 1:
				fmt.Fprintf(&b, "<record><rec-number>%d</rec-number><titles><title>&bomb;</title></titles></record>\n", i)
				wantBad++
			case 2:
				fmt.Fprintf(&b, "<record>%s%s</record>\n", strings.Repeat("<a>", 70), strings.Repeat("</a>", 70))
				wantBad++
			}
		}
		b.WriteString("</records></xml>\n")
		res := read(t, strings.NewReader(b.String()))
		if len(res.Recs) != wantGood || len(res.Bad) != wantBad {
			t.Logf("seed %d: %d records, %d bad; want %d, %d", seed, len(res.Recs), len(res.Bad), wantGood, wantBad)
			return false
		}
		return true
	}
	if err := quick.Check(property, &quick.Config{MaxCount: 100}); err != nil {
		t.Error(err)
	}
}
