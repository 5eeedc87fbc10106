package screening

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestTemplateLayout checks prisma.csv against the PRISMA2020 package's own
// template: the same header, and the same rows with the same texts; only n differs.
func TestTemplateLayout(t *testing.T) {
	shared := os.Getenv("REALSYNTH_SHARED")
	if shared == "" {
		shared = filepath.Join("..", "..", "..", "shared")
	}
	path := filepath.Join(shared, "data", "prisma", "PRISMA.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("PRISMA2020 template not found at %s (set REALSYNTH_SHARED to the shared folder): %v", path, err)
	}
	defer f.Close()
	want, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fl := &flow{Scope: "round", Round: "r1", DatabaseResults: 5, Databases: []named{{"MEDLINE", 3}, {"Embase", 2}},
		Duplicates: 1, Screened: 4, Excluded: 2, Sought: 2, NotRetrieved: 1, Assessed: 1,
		NewStudies: 1, NewReports: 1, TotalStudies: 1, TotalReports: 1}
	got, err := csv.NewReader(bytes.NewReader(fl.templateCSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, template has %d", len(got), len(want))
	}
	for i := range want {
		last := len(want[i]) - 1
		if !reflect.DeepEqual(got[i][:last], want[i][:last]) {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, got[i][:last], want[i][:last])
		}
	}
	n := map[string]string{}
	for _, r := range got[1:] {
		n[r[0]] = r[len(r)-1]
	}
	for k, v := range map[string]string{"database_results": "5", "database_specific_results": "MEDLINE, 3; Embase, 2",
		"records_screened": "4", "dbr_notretrieved_reports": "1", "dbr_excluded": "", "new_studies": "1"} {
		if n[k] != v {
			t.Errorf("n[%s] = %q, want %q", k, n[k], v)
		}
	}
}

// TestSVGWellFormed parses the diagram as XML and looks for its counts.
func TestSVGWellFormed(t *testing.T) {
	out, _ := runSmall(t, smallParams(), nil)
	for _, name := range []string{"prisma.svg", "prisma-cumulative.svg"} {
		svg := out.files[name]
		dec := xml.NewDecoder(bytes.NewReader(svg))
		var texts []string
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", name, err)
			}
			if cd, ok := tok.(xml.CharData); ok {
				texts = append(texts, string(cd))
			}
		}
		all := strings.Join(strings.Fields(strings.Join(texts, " ")), " ") // lines wrap: compare words
		wantText := map[string][]string{
			// round r2's own flow, as an update of round r1
			"prisma.svg": {"Records identified from databases (n = 4)", "Records screened (n = 3)",
				"Studies included in previous version of review (n = 2)", "Wrong intervention (n = 1)",
				"Awaiting a decision or with an unresolved conflict: 1"},
			"prisma-cumulative.svg": {"Records identified from databases (n = 12)", "Records screened (n = 9)",
				"Reports not retrieved (n = 1)", "Studies included in review (n = 2)"},
		}[name]
		for _, w := range wantText {
			if !strings.Contains(all, w) {
				t.Errorf("%s lacks %q; texts: %s", name, w, all)
			}
		}
	}
}
