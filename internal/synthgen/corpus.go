package synthgen

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Corpus profiles.
const (
	// ProfileOld is the first benchmark corpus (Generate), kept byte for byte.
	ProfileOld = "old"
	// ProfileHard is a corpus as hard as real exports (hard.go).
	ProfileHard = "hard"
)

// CorpusConfig chooses a corpus. The same config gives the same bytes.
type CorpusConfig struct {
	Profile string `json:"profile"`
	// Records is the number of records to write (a batch may go a few over).
	Records int    `json:"records"`
	Seed    uint64 `json:"seed"`
	// FileRecords caps the records of one export file (hard profile), so a
	// database's search comes in several files; 0 means Records/20, at
	// least 500.
	FileRecords int `json:"file_records"`
}

func (c *CorpusConfig) defaults() error {
	if c.Profile == "" {
		c.Profile = ProfileHard
	}
	if c.Profile != ProfileOld && c.Profile != ProfileHard {
		return fmt.Errorf("synthgen: profile %q is unknown: use %s or %s", c.Profile, ProfileOld, ProfileHard)
	}
	if c.Records < 1 {
		return fmt.Errorf("synthgen: records is %d, want at least 1", c.Records)
	}
	if c.FileRecords <= 0 {
		c.FileRecords = max(500, c.Records/20)
	}
	return nil
}

// ExportFile is one export file of a corpus.
type ExportFile struct {
	Name     string `json:"name"`
	Database string `json:"database"`
	Format   string `json:"format"`
	Records  int    `json:"records"`
}

// Version names the generator's output: it changes whenever a profile's
// bytes do (TestOldCorpusBytesUnchanged and TestHardCorpusPinned say when),
// so that a corpus folder from an older generator is written again.
const Version = 2

// Corpus describes a generated corpus (corpus.json beside its files).
type Corpus struct {
	Version int          `json:"generator_version"`
	Config  CorpusConfig `json:"config"`
	Records int          `json:"records"`
	Files   []ExportFile `json:"files"`
}

// FileOpener opens an export file by name (relative to the corpus folder).
// A writer that is an io.Closer is closed when its file is complete.
type FileOpener func(name string) (io.Writer, error)

// GenerateCorpus writes a corpus: its export files through open and one
// truth row per record to truth (truth.tsv's format, see TruthWriter). It
// streams: memory does not grow with the corpus.
func GenerateCorpus(cfg CorpusConfig, open FileOpener, truth io.Writer) (*Corpus, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	tw := NewTruthWriter(truth)
	var c *Corpus
	var err error
	if cfg.Profile == ProfileOld {
		c, err = generateOldCorpus(cfg, open, tw)
	} else {
		c, err = generateHardCorpus(cfg, open, tw)
	}
	if err != nil {
		return nil, err
	}
	if err := tw.Flush(); err != nil {
		return nil, fmt.Errorf("synthgen: truth: %w", err)
	}
	c.Version = Version
	return c, nil
}

func generateOldCorpus(cfg CorpusConfig, open FileOpener, tw *TruthWriter) (*Corpus, error) {
	c := &Corpus{Config: cfg}
	var closers []io.Closer
	dbs := DefaultDatabases
	for _, db := range dbs {
		c.Files = append(c.Files, ExportFile{Name: db + ".ris", Database: db, Format: "ris"})
	}
	kinds := map[string]string{"article": "article", "erratum": "erratum", "abstract": "conference-abstract"}
	err := generateOld(Config{Records: cfg.Records, Databases: dbs, Seed: cfg.Seed}, func(db string) (io.Writer, error) {
		w, err := open(db + ".ris")
		if cl, ok := w.(io.Closer); ok {
			closers = append(closers, cl)
		}
		return w, err
	}, func(d int, key string, line int64, w *work) {
		row := TruthRow{File: dbs[d] + ".ris", Line: line, Database: dbs[d], Key: key,
			Report: reportID(w.id), Study: studyID(w.study), Kind: kinds[w.kind]}
		if w.relation == "erratum" || w.relation == "abstract" {
			row.Relation, row.RelatedTo = w.relation, reportID(w.relatedTo)
		}
		tw.Write(&row)
		c.Files[d].Records++
		c.Records++
	})
	for _, cl := range closers {
		if cerr := cl.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

func generateHardCorpus(cfg CorpusConfig, open FileOpener, tw *TruthWriter) (*Corpus, error) {
	out := newHardOutput(open, tw, cfg.FileRecords)
	g := newHardGen(cfg, out)
	out.g = g
	for out.records < cfg.Records {
		if err := g.batch(); err != nil {
			out.close()
			return nil, err
		}
	}
	if err := out.close(); err != nil {
		return nil, err
	}
	return &Corpus{Config: cfg, Records: out.records, Files: out.files}, nil
}

// Files the corpus folder holds beside the exports.
const (
	TruthFile  = "truth.tsv"
	ReviewFile = "review.yaml"
	CorpusFile = "corpus.json" // written last: a folder without it is incomplete
)

// WriteCorpusDir writes a corpus into dir: the export files, truth.tsv,
// review.yaml (a config that runs realsynth on it) and corpus.json.
func WriteCorpusDir(dir string, cfg CorpusConfig) (*Corpus, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	os.Remove(filepath.Join(dir, CorpusFile))
	truth, err := os.Create(filepath.Join(dir, TruthFile))
	if err != nil {
		return nil, err
	}
	c, err := GenerateCorpus(cfg, func(name string) (io.Writer, error) {
		return os.Create(filepath.Join(dir, name))
	}, truth)
	if cerr := truth.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, ReviewFile), ReviewConfig(c), 0o644); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, CorpusFile), append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	return c, nil
}

// EnsureCorpusDir returns the corpus in dir if it is complete and was made
// with cfg, and writes it otherwise: benchmarks generate each corpus once.
func EnsureCorpusDir(dir string, cfg CorpusConfig) (*Corpus, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if c, err := ReadCorpusDir(dir); err == nil && c.Config == cfg && c.Version == Version {
		return c, nil
	}
	return WriteCorpusDir(dir, cfg)
}

// ReadCorpusDir reads the corpus.json of a complete corpus folder.
func ReadCorpusDir(dir string) (*Corpus, error) {
	b, err := os.ReadFile(filepath.Join(dir, CorpusFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: not a complete corpus (no %s): generate it with gencorpus", dir, CorpusFile)
		}
		return nil, err
	}
	var c Corpus
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, CorpusFile), err)
	}
	return &c, nil
}

// ReviewConfig is a realsynth config for the corpus: one round, one search
// per database (a glob over its files), every stage at its defaults.
func ReviewConfig(c *Corpus) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# A synthetic review written by internal/synthgen: profile %s, %d records, seed %d.\n",
		c.Config.Profile, c.Records, c.Config.Seed)
	fmt.Fprintf(&b, "# Run it with: realsynth run --config %s --out DIR; score it with: gencorpus score -corpus . -run DIR\n", ReviewFile)
	fmt.Fprintf(&b, "review: \"synthgen %s corpus, %d records, seed %d\"\n", c.Config.Profile, c.Records, c.Config.Seed)
	b.WriteString("output: out\nrounds:\n  - id: r1\n    date: 2026-01-15\n    searches:\n")
	if c.Config.Profile == ProfileOld {
		for _, f := range c.Files {
			fmt.Fprintf(&b, "      - {database: %s, path: %q}\n", f.Database, f.Name)
		}
		return []byte(b.String())
	}
	for _, db := range hardDatabases {
		for _, f := range c.Files {
			if f.Database == db.name {
				fmt.Fprintf(&b, "      - {database: %s, path: %q}\n", db.name, db.stem+"-*"+db.ext)
				break
			}
		}
	}
	return []byte(b.String())
}
