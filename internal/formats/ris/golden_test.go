package ris

import (
	"path/filepath"
	"testing"

	"github.com/realsynth/realsynth/internal/formats/formatutil/goldentest"
)

// TestGolden pins the normalised fields of one record per RIS dialect
// (Embase/Ovid, EBSCO, Scopus, WoS, Rayyan, EPPI-Reviewer, Covidence) in
// testdata/dialects.golden.json. The Ovid header before the first record
// is skipped (with a warning).
func TestGolden(t *testing.T) {
	recs, bad := readAll(t, filepath.Join("testdata", "dialects.ris"))
	if len(recs) != 7 || len(bad) != 0 {
		t.Fatalf("%d records, %d bad: %v", len(recs), len(bad), bad)
	}
	goldentest.Check(t, filepath.Join("testdata", "dialects.golden.json"), recs)
}
