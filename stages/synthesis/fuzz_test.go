package synthesis

import (
	"os"
	"testing"
)

// FuzzCoding feeds arbitrary codebook and CMO texts through the readers and
// the analysis: any input ends in an error or in tables, never a panic.
func FuzzCoding(f *testing.F) {
	cb, err := os.ReadFile(basicCodebook)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(cb), contradictionCMO)
	f.Add(string(cb), candidateCMO)
	f.Add("codes:\n  - {code_id: A, parent_id: B, label: A, roles: [C]}\n  - {code_id: B, label: B, roles: [C, O, MX]}\n",
		"cmoc_id,study_id,reviewer,context,mechanism_response,outcome,polarity,upstream_cmoc_id\n1,S,consensus,A,B,B,negative,\n2,S,consensus,B,B,B,positive,1\n")
	f.Fuzz(func(t *testing.T, codebook, cmo string) {
		cbPath := writeTemp(t, "cb.yaml", codebook)
		r := fixture{codebook: cbPath, cmo: cmo}.analyse(t)
		if r.err == nil && r.out == nil {
			t.Fatal("no error and no output")
		}
	})
}
