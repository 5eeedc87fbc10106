// Package testutil holds what the readers' tests share: the path of the
// team's reference data and the reader benchmark. Only tests import it, so
// package testing stays out of the binary.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// SharedData returns the path of a file or folder under the team's shared
// reference data (`$REALSYNTH_SHARED/data/...`, else `../shared/data/...`
// beside the repository root), or skips the test when it is absent: a fresh
// clone without the shared folder must still pass its tests.
func SharedData(tb testing.TB, parts ...string) string {
	tb.Helper()
	base := os.Getenv("REALSYNTH_SHARED")
	if base == "" {
		root, err := repoRoot()
		if err != nil {
			tb.Skipf("shared reference data not found (%v); set REALSYNTH_SHARED", err)
		}
		base = filepath.Join(root, "..", "shared")
	}
	p := filepath.Join(append([]string{base, "data"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared reference data absent (%v); set REALSYNTH_SHARED to the shared folder to run this test", err)
	}
	return p
}

// repoRoot walks up from the working directory to the folder with go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
