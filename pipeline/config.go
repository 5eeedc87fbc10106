package pipeline

import (
	"path/filepath"
)

// Config is a review's config file, decoded strictly. Paths in it are
// relative to the config file's folder; Resolve turns them into real paths.
type Config struct {
	// Review is the review's title, written into the manifest.
	Review string `mapstructure:"review"`
	// Output is the folder the run's tables are committed to.
	Output string `mapstructure:"output"`
	// Rounds are the search rounds, oldest first.
	Rounds []Round `mapstructure:"rounds"`
	// Parquet holds how the tables are written.
	Parquet Parquet `mapstructure:"parquet"`
	// Stages holds each stage's raw parameter block, keyed by stage name
	// (a name from the stage registry, never user data).
	Stages map[string]map[string]any `mapstructure:"stages"`

	// Path is the config file; Dir its folder; SHA256 the hash of its bytes.
	Path   string `mapstructure:"-"`
	Dir    string `mapstructure:"-"`
	SHA256 string `mapstructure:"-"`
}

// Parquet holds how the tables are written.
type Parquet struct {
	// Compression is the codec of every table's pages: snappy (the
	// default, as pyarrow and DuckDB write) or zstd (files a fifth to a
	// half smaller; writing a hard million-record run took 4.8 s longer).
	Compression string `mapstructure:"compression"`
}

// Round is one run of the search strategy across the databases.
type Round struct {
	ID       string   `mapstructure:"id"`
	Date     string   `mapstructure:"date"`
	Searches []Search `mapstructure:"searches"`
}

// Search is one database's export in one round.
type Search struct {
	Database string `mapstructure:"database"`
	// Path is a file or a glob, relative to the config file.
	Path string `mapstructure:"path"`
	// Format is a reader name; empty means infer it from the extension.
	Format string `mapstructure:"format"`
	// Encoding is declared when the file is not UTF-8 or UTF-16 with a BOM.
	Encoding string `mapstructure:"encoding"`
	// Columns maps realsynth fields to CSV header names (generic CSV only).
	Columns map[string]string `mapstructure:"columns"`
}

// Resolve makes a config path absolute, relative to the config file.
func (c *Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// RoundIndex returns the position of a round id in Rounds (-1 if absent);
// rounds compare by this order, not by their ids' spelling.
func (c *Config) RoundIndex(id string) int {
	for i, r := range c.Rounds {
		if r.ID == id {
			return i
		}
	}
	return -1
}
