package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// KeyError is a problem with one config key, named by its path from the
// top of the config (rounds[0].searches[1].encoding). A stage's Check
// returns it for keys outside its own block, so that Check reports it under
// that path and not under stages.<stage>.
type KeyError struct {
	Path string
	Err  error
}

func (e *KeyError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *KeyError) Unwrap() error { return e.Err }

// underStage files a stage's check errors under stages.<name>, except those
// that name their own key path.
func underStage(name string, err error) []error {
	list := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		list = append([]error(nil), joined.Unwrap()...)
	}
	for i, e := range list {
		var ke *KeyError
		if !errors.As(e, &ke) {
			list[i] = fmt.Errorf("stages.%s: %w", name, e)
		}
	}
	return list
}

// pathToken is a stretch of a message that may be a path: no spaces,
// quotes or brackets.
var pathToken = regexp.MustCompile(`[^\s"'(),;<>]+`)

// ShowPaths rewrites the paths in a message for the person reading it.
// Stages name files as the config does, relative to the config file, which
// is right for tables and the manifest (they do not depend on where a run
// was started) but wrong on a terminal: from the review's root,
// "../testdata/x.ris" named by configs/demo.yaml is testdata/x.ris. A word
// of msg that names an existing file or folder relative to the config's
// folder (with an optional ":line" after it) is shown as DisplayPath shows
// it; everything else is left alone.
func (c *Config) ShowPaths(msg string) string {
	if c == nil || c.Dir == "" {
		return msg
	}
	return pathToken.ReplaceAllStringFunc(msg, func(tok string) string {
		p, suffix := tok, ""
		if i := strings.IndexByte(p, ':'); i >= 0 {
			p, suffix = p[:i], p[i:]
		}
		if trimmed := strings.TrimRight(p, "."); trimmed != p {
			p, suffix = trimmed, p[len(trimmed):]+suffix
		}
		if p == "" || filepath.IsAbs(p) || (!strings.ContainsRune(p, '/') && filepath.Ext(p) == "") {
			return tok
		}
		abs := filepath.Join(c.Dir, p)
		if _, err := os.Stat(abs); err != nil {
			return tok
		}
		return DisplayPath(abs) + suffix
	})
}

// DisplayPath shows a file's path as the user can open it from where they
// stand: relative to the working directory when the file lies below it,
// else absolute. Tables and the manifest keep paths relative to the config
// file instead, so that they do not depend on where a run was started.
func DisplayPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return rel
		}
	}
	return abs
}
