package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// LockOutput takes an exclusive lock beside the output folder so that two
// scheduled runs cannot write the same output at once. The lock is an
// flock(2) on <output>.lock: the kernel drops it if the process dies, so a
// killed run never leaves a stale lock behind.
func LockOutput(output string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(output), 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	path := output + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("another realsynth run is writing %s (lock %s held by %s); wait for it to finish",
				output, path, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "pid %d\n", os.Getpid())
	return func() {
		_ = unix.Flock(int(f.Fd()), unix.LOCK_UN)
		f.Close()
	}, nil
}

// checkOutputIsOurs refuses to replace a folder realsynth did not write: the
// commit swaps the whole folder, and a mistyped output path must not wipe a
// user's files.
func checkOutputIsOurs(output string) error {
	entries, err := os.ReadDir(output)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output %s: %w", output, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(output, "manifest.json")); err != nil {
		return fmt.Errorf("output %s exists and holds files realsynth did not write (no manifest.json): choose an empty or new folder", output)
	}
	return nil
}

// commitOutput puts the finished tmp folder in place of output in one
// atomic step (renameat2 RENAME_EXCHANGE), so readers see either the old
// output or the new one, never a mixture; then it removes the old one.
func commitOutput(tmp, output string) error {
	if _, err := os.Stat(output); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, output)
	}
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, output, unix.RENAME_EXCHANGE)
	if err != nil {
		// Filesystems without RENAME_EXCHANGE: two renames, with a brief
		// moment where output is absent but never half-written.
		old := tmp + ".old"
		if err := os.Rename(output, old); err != nil {
			return err
		}
		if err := os.Rename(tmp, output); err != nil {
			_ = os.Rename(old, output)
			return err
		}
		return os.RemoveAll(old)
	}
	return os.RemoveAll(tmp) // tmp now holds the previous output
}

// removeStaleTemps deletes temporary folders left by runs that were killed
// before they committed. It runs under the output lock, so no live run owns them.
func removeStaleTemps(output string, run *Run) {
	stale, _ := filepath.Glob(filepath.Join(filepath.Dir(output), "."+filepath.Base(output)+".tmp-*"))
	for _, dir := range stale {
		if err := os.RemoveAll(dir); err == nil {
			run.Log.Info("removed the unfinished output of an interrupted run", "folder", dir)
		}
	}
}
