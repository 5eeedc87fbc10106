package wos

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/formatutil/testutil"

	"github.com/realsynth/realsynth/internal/biblio"
	"github.com/realsynth/realsynth/internal/formats"
)

type result = testutil.Result

func read(t testing.TB, r io.Reader) result {
	t.Helper()
	return testutil.MustReadAll(t, NewReader(r))
}

func TestSavedRecs(t *testing.T) {
	f, err := os.Open("testdata/savedrecs.ciw")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res := read(t, f)
	if len(res.Recs) != 2 || len(res.Bad) != 1 {
		t.Fatalf("%d records, %d bad", len(res.Recs), len(res.Bad))
	}
	r := res.Recs[0]
	checks := []struct{ name, got, want string }{
		{"SourceKey", r.SourceKey, "WOS:000440314900007"},
		{"Type", r.Type, "J"},
		{"Title", r.Title, "Marital Status and Problem Gambling among Older Adults: An Examination of Social Context and Social Motivations"},
		{"Authors", strings.Join(r.Authors, "|"), "Elton-Marshall, Tara|van der Maas, Mark"},
		{"AuthorsNormalised", strings.Join(r.AuthorsNormalised, "|"), "Elton-Marshall, T.|van der Maas, M."},
		{"Journal", r.Journal, "CANADIAN JOURNAL ON AGING-REVUE CANADIENNE DU VIEILLISSEMENT"},
		{"JournalAbbrev", r.JournalAbbrev, "Can. J. Aging-Rev. Can. Vieil."},
		{"Date", r.Date, "SEP 2018"},
		{"Pages", r.PageStart + "-" + r.PageEnd, "318-332"},
		{"DOI", r.DOI, "10.1017/s071498081800017x"},
		{"PMID", r.PMID, "29900000"},
		{"ISSN", strings.Join(r.ISSN, "|"), "0714-9808|1710-1107"},
		{"Keywords", strings.Join(r.Keywords, "|"), "aging|older adults|problem gambling|LATER LIFE|HEALTH BEHAVIOR"},
		{"PublicationType", strings.Join(r.PublicationType, "|"), "Article"},
		{"Extra", testutil.FieldsString(r.Extra), "C1=[Elton-Marshall, Tara] Ctr Addict & Mental Hlth, London, ON, Canada.|C1=[van der Maas, Mark] Univ Toronto, Toronto, ON, Canada.|CR=Dykstra PA, 2004, J MARRIAGE FAM, V66, P1|CR=Turner NE, 2018, J GAMBL STUD, V34, P1|NR=63|TC=12|J9=CAN J AGING"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if r.SourceLine != 3 || r.Year == nil || *r.Year != 2018 {
		t.Errorf("SourceLine %d Year %v", r.SourceLine, r.Year)
	}
	if b := res.Bad[0]; b.Line != 37 || !strings.Contains(b.Msg, "before line 42") {
		t.Errorf("bad record at %d: %s", b.Line, b.Msg)
	}
	r = res.Recs[1]
	if r.SourceLine != 42 || r.ArticleNumber != "105" || strings.Join(r.PublicationType, "|") != "Article|Early Access" {
		t.Errorf("second record: %+v", r)
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		records int
		bad     []int64
	}{
		{"binary", "\x00\x01\xff garbage", 0, []int64{1}},
		{"truncated", "FN x\nVR 1.0\nPT J\nTI cut off", 0, []int64{3}},
		{"junk between records", "PT J\nTI a\nER\nstray text\nPT J\nTI b\nER\nEF\n", 2, []int64{4}},
		{"over-long line", "PT J\nAB " + strings.Repeat("x", formats.MaxLineBytes+1) + "\nER\nPT J\nTI ok\nER\n", 1, []int64{1}},
		{"header only", "FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n", 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := read(t, strings.NewReader(c.in))
			if len(res.Recs) != c.records || len(res.Bad) != len(c.bad) {
				t.Fatalf("%d records %d bad, want %d %d", len(res.Recs), len(res.Bad), c.records, len(c.bad))
			}
			for i, b := range res.Bad {
				if b.Line != c.bad[i] || len(b.Raw) > formats.MaxRawBytes {
					t.Errorf("bad at %d, want %d", b.Line, c.bad[i])
				}
			}
		})
	}
}

// FuzzReader: no panic; conservation: every PT line opens exactly one
// record or bad record.
func FuzzReader(f *testing.F) {
	seed, _ := os.ReadFile("testdata/savedrecs.ciw")
	f.Add(seed)
	f.Add([]byte("PT J\r\nAU A\r\n   B\r\nER\r\nPT B\r\nEF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pts := map[int64]bool{}
		lr := formats.NewLineReader(bytes.NewReader(data))
		for first := true; ; first = false {
			l, err := lr.Next()
			if err != nil {
				break
			}
			if first {
				l.Text = strings.TrimPrefix(l.Text, "\ufeff")
			}
			if tag, _, ok := SplitTag(l.Text); ok && tag == "PT" {
				pts[l.No] = true
			}
		}
		rd := NewReader(bytes.NewReader(data))
		var recs, badAtPT int
		for {
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if b, ok := formats.AsBadRecord(err); ok {
				if pts[b.Line] {
					badAtPT++
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if !pts[rec.SourceLine] {
				t.Fatalf("record at line %d, not a PT line", rec.SourceLine)
			}
			recs++
			biblio.Complete(rec)
		}
		if recs+badAtPT != len(pts) {
			t.Fatalf("%d PT lines, %d records, %d bad at PT lines", len(pts), recs, badAtPT)
		}
	})
}
