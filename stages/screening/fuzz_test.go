package screening

import (
	"bytes"
	"testing"
)

// FuzzVoteReaders: no input makes a vote reader panic; every vote it
// returns is either readable (stage, reviewer, decision set) or carries an error.
func FuzzVoteReaders(f *testing.F) {
	f.Add([]byte("record,reviewer,stage,decision,reason,timestamp\n1001,Ana,TA,include,,2024-01-01\n"))
	f.Add([]byte("key,title,notes\nrayyan-1,T,\"RAYYAN-INCLUSION: {\"\"A.-B\"\"=>\"\"Excluded\"\"} | RAYYAN-EXCLUSION-REASONS: x,y\"\n"))
	f.Add([]byte("article_id,user_id,key,value,created_at\n1,2,included,1,2024\n1,2,\"\"\"__EXR__x\"\"\",1,2025\n"))
	f.Add([]byte("Title,DOI,Covidence #,Notes\nT,10.1/x,#1,Exclusion reason: y\n"))
	f.Add([]byte("record_id,title,asreview_label\n0,T,1\n1,U,0\n"))
	f.Add([]byte("TY  - JOUR\nAN  - rayyan-1\nN1  - RAYYAN-INCLUSION: {\"A\"=>\"Maybe\"}\nER  - \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for name, read := range voteReaders {
			src := VoteSource{Path: "review_excluded.csv", Format: name, Stage: "full_text"}
			votes, err := read(dir("."), src, src.Path, bytes.NewReader(data))
			if err != nil {
				continue
			}
			checkVotes(votes)
			for _, v := range votes {
				if v.Err == "" && (v.Stage == "" || v.Reviewer == "" || v.Decision == "") {
					t.Fatalf("%s: vote without error lacks stage, reviewer or decision: %+v", name, v)
				}
			}
		}
		_ = parseRayyanNotes(string(data))
		_ = refFromText(string(data))
		_ = normaliseTitle(string(data))
	})
}
