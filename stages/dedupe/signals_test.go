package dedupe

import (
	"testing"

	"github.com/realsynth/realsynth/internal/tables"
)

func TestSupplementAndGarbledVolume(t *testing.T) {
	cases := []struct {
		volume, issue string
		garbled       bool
	}{
		{"1)", "5 SUPPL. 1", true},     // "138 (5 SUPPL. 1)" split after the supplement number
		{"1", "5 SUPPL. 1", true},      // the supplement number put in the volume
		{"138", "5 SUPPL. 1", false},   // as printed
		{"2", "5 SUPPL. 1", false},     // another number: a real conflict
		{"1", "5", false},              // no supplement named
		{"1", "Supplement 1", true},    // spelled out
		{"45 (Suppl 2", "", true},      // an unbalanced parenthesis
		{"12", "Suppl", false},         // a supplement without a number
		{"145", "Suppl. 1", false},     // as printed
		{"3", "3 Supplement 2", false}, // the issue number, not the supplement's
	}
	for _, c := range cases {
		if got := volumeGarbled(c.volume, c.issue); got != c.garbled {
			t.Errorf("volumeGarbled(%q, %q) = %v, want %v", c.volume, c.issue, got, c.garbled)
		}
	}
}

func TestPageCountIsNoPage(t *testing.T) {
	for _, pages := range []string{"215 p", "215 pp.", "xii, 215 p", "94 pages"} {
		r := tables.Record{Title: "An intelligent rehabilitation system", Pages: pages}
		if p := prepare(&r, false); p.page != "" {
			t.Errorf("pages %q read as first page %q, want none (a page count)", pages, p.page)
		}
	}
	for pages, want := range map[string]string{"215": "215", "p215": "p215", "S52": "s52", "OP-18": "op18", "PO-12": "po12", "t-20": "", "Suppl-29": "", "e8-e9": "e8"} {
		r := tables.Record{Title: "An intelligent rehabilitation system", Pages: pages}
		if p := prepare(&r, false); p.page != want {
			t.Errorf("pages %q read as first page %q, want %q", pages, p.page, want)
		}
	}
}

// TestSessionNumbers: ingest splits "OP-18" into a page start "OP" and an
// end "18"; a meeting's oral and poster numbers are one page key.
func TestSessionNumbers(t *testing.T) {
	r := tables.Record{Title: "Young referral and mobile inequalities", Pages: "OP-18", PageStart: "OP", PageEnd: "18"}
	if p := prepare(&r, false); p.page != "op18" || p.pageEnd != "" {
		t.Errorf("OP-18 read as pages %q-%q, want op18", p.page, p.pageEnd)
	}
}

func TestTitleCleaningOfCutNotes(t *testing.T) {
	want := "antifactorhautoantibodiesinafifthrenaltransplantrecipient"
	for _, title := range []string{
		"Anti-Factor H autoantibodies in a fifth renal transplant recipient",
		// A whole erratum note, then a second one cut off by the length limit.
		"Anti-Factor H autoantibodies in a fifth renal transplant recipient.[Erratum appears in Am J Transplant. 2009 Sep;9(9):2205 Note: Niauif, P [added]].[Erratum",
		// Embase's citation of the corrected article, cut off, after an erratum's lead.
		"Erratum: Anti-Factor H autoantibodies in a fifth renal transplant recipient (American Journal of Transplantation (Septem",
	} {
		r := tables.Record{Title: title}
		if p := prepare(&r, false); p.title != want {
			t.Errorf("title %q compared as %q, want %q", title, p.title, want)
		}
	}
	// An open parenthesis in an article's own title is left alone: only a
	// notice's trailing citation is cut.
	r := tables.Record{Title: "Anti-Factor H autoantibodies in a fifth renal transplant recipient (a case"}
	if p := prepare(&r, false); p.title == want {
		t.Errorf("an article's cut-off parenthesis was removed")
	}
}

func TestParticleNames(t *testing.T) {
	same := [][2]string{
		{"Brown, Jessica", "Brown, J. A."},
		{"Che, L", "Chen, L"},
		{"Le, Quintrec M.", "Le Quintrec, M."},
		{"Goicoechea de, Jorge E.", "de Jorge, E. G."},
		{"van Hamont, D.", "van, Hamont D"},
	}
	for _, c := range same {
		ap, bp := new([]uint32), new([]uint32)
		a, _ := parseAuthor(c[0], ap)
		b, _ := parseAuthor(c[1], bp)
		if !sameAuthor(a, *ap, b, *bp) {
			t.Errorf("%q and %q not the same author", c[0], c[1])
		}
	}
	different := [][2]string{
		{"Brown, Jessica", "Brown, I."},
		{"Le, Roux M.", "Le Quintrec, M."},
		{"de Jorge, E.", "de Cordoba, S."},
	}
	for _, c := range different {
		ap, bp := new([]uint32), new([]uint32)
		a, _ := parseAuthor(c[0], ap)
		b, _ := parseAuthor(c[1], bp)
		if sameAuthor(a, *ap, b, *bp) {
			t.Errorf("%q and %q taken for one author", c[0], c[1])
		}
	}
}

func TestContrastingQualifiers(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"trial of eculizumab in adult patients with plasma therapy sensitive ahus", "trial of eculizumab in adolescent patients with plasma therapy sensitive ahus", true},
		{"trial in adult patients with plasma therapy sensitive ahus", "trial in adult patients with plasma therapy resistant ahus", true},
		{"peer support for children with diabetes", "peer support for paediatric patients with diabetes", false}, // synonyms
		{"high dose versus low dose aspirin", "high dose versus low dose aspirin in stroke", false},              // both words in both
		{"peer support in adults", "peer support in older adults", false},                                        // a word added, none replaced
		{"acute stroke rehabilitation", "chronic stroke rehabilitation", true},
		{"first line treatment of myeloma", "second line treatment of myeloma", true},
	}
	for _, c := range cases {
		_, ma := foldedSignals(c.a)
		_, mb := foldedSignals(c.b)
		if got := contrasting(ma, mb); got != c.want {
			t.Errorf("contrasting(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestVenueAcronyms(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"AMCIS 2017 Proceedings", "Americas Conference on Information Systems", true},
		{"HICSS", "Proceedings of the 52nd Hawaii International Conference on System Sciences", true},
		{"JAMA", "Journal of the American Medical Association", true},
		{"AMIA 2024 Proceedings", "AMIA Annual Symposium", false}, // a shared acronym: compareFields, not acronymOf
		{"ICIS 2017 Proceedings", "Americas Conference on Information Systems", false},
		{"EC-TEL 2021 Proceedings", "European Conference on Technology Enhanced Learning", true},
		{"EC-TEL 2021 Proceedings", "European Conference on Information Systems", false},
		{"Int J Health-Care Qual", "International Journal for Quality in Health Care", false}, // a hyphen between lower-case words
		{"ECIS 2017", "Americas Conference on Information Systems", false},
		{"Ann Neurol", "Archives of Neurology and Neurosurgery", false},         // no capitals: an abbreviation, not an acronym
		{"JOURNAL OF CLINICAL VIROLOGY", "Journal of Clinical Virology", false}, // all capitals: no acronym to read
	}
	for _, c := range cases {
		got := acronymOf(venueAcronymOf(c.a), journalTokens(c.b))
		if got != c.want {
			t.Errorf("%q acronym of %q = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestTitleLanguage(t *testing.T) {
	cases := map[string]byte{
		"wirksamkeit von peer support in der gemeindepsychiatrischen versorgung": langOther,
		"effectiveness of peer support in community mental health care":          langEnglish,
		"efficacite du soutien par les pairs dans les soins":                     langOther,
		"peer support": langUnknown,
	}
	for title, want := range cases {
		if got, _ := foldedSignals(title); got != want {
			t.Errorf("language of %q = %d, want %d", title, got, want)
		}
	}
}

func TestKeyTwin(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"smith2019peer", "smith2019peera", true},
		{"smith2019peerb", "smith2019peer", true},
		{"smith2019peer", "smith2019peer", false},
		{"smith2019peer", "smith2019peer2", false},
		{"smith2019peera", "smith2019peerb", false}, // two suffixed twins: neither is the other's base
	}
	for _, c := range cases {
		if got := keyTwin(c.a, c.b); got != c.want {
			t.Errorf("keyTwin(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestComparePagesPrefixes(t *testing.T) {
	cases := []struct {
		a, b string
		want state
	}{
		{"S12", "12", agree},       // one database drops the supplement's letter
		{"e24083", "24083", agree}, // or the article number's
		{"P65", "S65", conflict},   // a poster number and a supplement page
		{"OP18", "P18", conflict},  // an oral and a poster presentation
		{"221", "221", agree},
		{"e12724", "221", missing}, // an article number against printed pages
	}
	for _, c := range cases {
		pa, pb := pageKey(c.a), pageKey(c.b)
		if got := comparePages(pa, "", pb, ""); got != c.want {
			t.Errorf("comparePages(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// sharesDOI answers exactly as comparing the strings does: the key bits
// only skip pairs that cannot share a key.
func TestSharesDOIMatchesStringIntersection(t *testing.T) {
	lists := [][]string{
		nil,
		{"10.1016/j.jad.2019.01.001"},
		{"10.1016/j.jad.2019.01.002"},
		{"10.1016/j.jad.2019.01.002", "10.1002/14651858.cd006828.pub3"},
		{"10.1002/14651858.cd006828.pub3"},
		{"10.1002/14651858.cd006828.pub2", "10.1016/j.jad.2019.01.001"},
	}
	for _, a := range lists {
		for _, b := range lists {
			pa := &prepared{dois: a, doiBits: keyBits(a), issn: a, issnBits: keyBits(a)}
			pb := &prepared{dois: b, doiBits: keyBits(b), issn: b, issnBits: keyBits(b)}
			want := intersects(a, b)
			if got := sharesDOI(pa, pb); got != want {
				t.Errorf("sharesDOI(%q, %q) = %v, want %v", a, b, got, want)
			}
			if got := sharesISSN(pa, pb); got != want {
				t.Errorf("sharesISSN(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
	if keyBits(nil) != 0 || keyBits([]string{"x"}) == 0 {
		t.Error("keyBits: no key must set no bit, a key one")
	}
}
