package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// CreateFile starts a non-table output file written as it is produced
// (an export of a million works is more than a gigabyte): straight into
// the run's temporary output folder, committed with the tables. Close
// finishes it. A run without an output folder keeps the file in memory
// (PutFile), and `realsynth validate` discards it.
func (run *Run) CreateFile(name string) (io.WriteCloser, error) {
	run.mu.Lock()
	defer run.mu.Unlock()
	if _, taken := run.streamed[name]; taken {
		return nil, fmt.Errorf("internal error: output file %s is written twice", name)
	}
	if _, taken := run.files[name]; taken {
		return nil, fmt.Errorf("internal error: output file %s is written twice", name)
	}
	switch {
	case run.outTmp != "":
		f, err := os.Create(filepath.Join(run.outTmp, name))
		if err != nil {
			return nil, fmt.Errorf("output: %w", err)
		}
		sf := &streamedFile{run: run, name: name, f: f, h: sha256.New()}
		run.streamed[name] = nil // taken; the entry is filled on Close
		return sf, nil
	case run.DryRun:
		return nopCloser{io.Discard}, nil
	}
	return &memoryFile{run: run, name: name}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// streamedFile is a file in the temporary output folder, hashed as it is
// written for the manifest.
type streamedFile struct {
	run  *Run
	name string
	f    *os.File
	h    hash.Hash
	n    int64
}

func (s *streamedFile) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	s.h.Write(p[:n])
	s.n += int64(n)
	return n, err
}

func (s *streamedFile) Close() error {
	err := s.f.Sync()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", s.name, err)
	}
	s.run.mu.Lock()
	s.run.streamed[s.name] = &ManifestFile{File: s.name, Bytes: s.n, SHA256: hex.EncodeToString(s.h.Sum(nil))}
	s.run.mu.Unlock()
	return nil
}

// memoryFile is a file of a run without an output folder: PutFile on Close.
type memoryFile struct {
	run  *Run
	name string
	buf  bytes.Buffer
}

func (m *memoryFile) Write(p []byte) (int, error) { return m.buf.Write(p) }

func (m *memoryFile) Close() error {
	m.run.PutFile(m.name, m.buf.Bytes())
	return nil
}
