package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"sort"
)

// Version is the tool version written into every table's metadata. It is a
// constant, not a build stamp, so that rebuilding does not change output bytes.
const Version = "0.1.0"

// Manifest describes one run: what went in, what came out, how long it
// took. It is the only output that holds times and host details.
type Manifest struct {
	Tool       string          `json:"tool"`
	Version    string          `json:"version"`
	Review     string          `json:"review"`
	Config     ManifestConfig  `json:"config"`
	StartedAt  string          `json:"started_at"`
	FinishedAt string          `json:"finished_at"`
	Seconds    float64         `json:"seconds"`
	Host       ManifestHost    `json:"host"`
	Inputs     []InputFile     `json:"inputs"`
	Stages     []ManifestStage `json:"stages"`
	Tables     []ManifestTable `json:"tables"`
	Files      []ManifestFile  `json:"files"`
	Warnings   []string        `json:"warnings"`
	// WarningKinds groups Warnings by kind, for the summary and report.html.
	WarningKinds []WarningKind `json:"warnings_by_kind"`
	// Rounds are the config's search rounds, so report.html can be rewritten
	// from a committed output without its config.
	Rounds []ManifestRound `json:"rounds"`
}

// ManifestRound is one search round of the config.
type ManifestRound struct {
	ID   string `json:"id"`
	Date string `json:"date"`
}

// WarningKind is every warning of one kind.
type WarningKind struct {
	Kind string `json:"kind"`
	// Count is the number of items the warnings are about (a warning of
	// 3 quarantined records counts 3).
	Count int `json:"count"`
	// Messages are the kind's warnings, in the order they were raised.
	Messages []string `json:"messages"`
}

// GroupWarnings groups warnings by kind, kinds in the order they first appeared.
func GroupWarnings(ws []Warning) []WarningKind {
	var out []WarningKind
	at := map[string]int{} // kind → index in out; kinds are code constants and stage names
	for _, w := range ws {
		i, ok := at[w.Kind]
		if !ok {
			i = len(out)
			at[w.Kind] = i
			out = append(out, WarningKind{Kind: w.Kind})
		}
		out[i].Count += w.Count
		out[i].Messages = append(out[i].Messages, w.Message)
	}
	return out
}

type ManifestConfig struct {
	Path      string   `json:"path"`
	SHA256    string   `json:"sha256"`
	Overrides []string `json:"overrides"`
}

type ManifestHost struct {
	Hostname  string `json:"hostname"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	CPUs      int    `json:"cpus"`
}

type ManifestStage struct {
	Name    string  `json:"name"`
	Enabled bool    `json:"enabled"`
	Seconds float64 `json:"seconds"`
}

type ManifestTable struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Rows   int    `json:"rows"`
	SHA256 string `json:"sha256"`
}

type ManifestFile struct {
	File   string `json:"file"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// InputFile is one input a stage read, so a past run can be checked against
// the files it was given.
type InputFile struct {
	Path        string `json:"path"`
	Bytes       int64  `json:"bytes"`
	SHA256      string `json:"sha256"`
	Kind        string `json:"kind"` // search export, votes, codebook…
	Round       string `json:"round,omitempty"`
	Database    string `json:"database,omitempty"`
	Format      string `json:"format,omitempty"`
	Encoding    string `json:"encoding,omitempty"`
	Records     int    `json:"records"`
	Quarantined int    `json:"quarantined"`
}

// AddInput records an input file in the manifest. Hash it while reading
// (HashingReader) to avoid reading a large export twice.
func (run *Run) AddInput(in InputFile) {
	run.mu.Lock()
	defer run.mu.Unlock()
	key := in.Kind + "\x00" + in.Round + "\x00" + in.Path
	run.inputs[key] = &in
}

// AddInputFile hashes a small input (a votes CSV, a codebook) and records it.
func (run *Run) AddInputFile(path, kind string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	run.AddInput(InputFile{Path: run.RelPath(path), Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil)), Kind: kind})
	return nil
}

func (run *Run) inputList() []InputFile {
	run.mu.Lock()
	defer run.mu.Unlock()
	out := make([]InputFile, 0, len(run.inputs))
	for _, in := range run.inputs {
		out = append(out, *in)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Round != b.Round {
			return run.Config.RoundIndex(a.Round) < run.Config.RoundIndex(b.Round)
		}
		return a.Path < b.Path
	})
	return out
}

// HashingReader counts and hashes the bytes read through it.
type HashingReader struct {
	r io.Reader
	h hashState
	N int64
}

type hashState interface {
	io.Writer
	Sum([]byte) []byte
}

// NewHashingReader wraps r.
func NewHashingReader(r io.Reader) *HashingReader { return &HashingReader{r: r, h: sha256.New()} }

func (hr *HashingReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	hr.N += int64(n)
	return n, err
}

// SHA256 is the hex digest of everything read so far.
func (hr *HashingReader) SHA256() string { return hex.EncodeToString(hr.h.Sum(nil)) }

// Inputs lists the inputs recorded so far, as the manifest will list them.
func (run *Run) Inputs() []InputFile { return run.inputList() }
