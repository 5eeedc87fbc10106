package csv

import (
	"regexp"
	"testing"
)

// gluedRISTag is the regexp findGluedTags replaces, kept as its reference.
var gluedRISTag = regexp.MustCompile(`\s{2,}([A-Z][A-Z0-9])  - `)

// FuzzGluedTags: findGluedTags finds what the regexp finds.
func FuzzGluedTags(f *testing.F) {
	for _, s := range []string{
		"https://x.org/?a=1&from=export     U2  - L2029880245",
		"a  U2  -   AB  - b", "\t\tN1  - x\r\n UR  - y", "x  ab  - y", "  A1  - ", "    TI  -  TI  - ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := gluedRISTag.FindAllStringSubmatchIndex(s, -1)
		got := findGluedTags(s)
		if len(got) != len(want) {
			t.Fatalf("%q: %d glued tags, the regexp finds %d: %v", s, len(got), len(want), want)
		}
		for i, m := range want {
			if got[i] != (gluedTag{at: m[0], tag: m[2], end: m[1]}) {
				t.Fatalf("%q: glued tag %d at %+v, the regexp at %v", s, i, got[i], m)
			}
		}
	})
}
