package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
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

// TypeName names a parameter's type for people, not Go: "text", "integer",
// "list of text", "list of {path, format, …}".
func TypeName(t reflect.Type) string {
	if t == reflect.TypeFor[time.Duration]() {
		return "duration"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return TypeName(t.Elem())
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true/false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "list of " + TypeName(t.Elem())
	case reflect.Map:
		return "map of " + TypeName(t.Key()) + " to " + TypeName(t.Elem())
	case reflect.Struct:
		var keys []string
		for i := range t.NumField() {
			if k, _, _ := strings.Cut(t.Field(i).Tag.Get("mapstructure"), ","); k != "" && k != "-" {
				keys = append(keys, k)
			}
		}
		if len(keys) > 3 {
			keys = append(keys[:2], "…")
		}
		return "{" + strings.Join(keys, ", ") + "}"
	}
	return t.Kind().String()
}

// valueName says what kind of value a config holds where another was
// expected: "a list", "a block of keys", "true/false".
func valueName(v any) string {
	switch reflect.ValueOf(v).Kind() {
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a block of keys"
	case reflect.Invalid:
		return "nothing"
	}
	return fmt.Sprintf("%q", fmt.Sprint(v))
}

// decodeMessage turns mapstructure's errors ("'pipeline.Config' has invalid
// keys: x", "'min_studies' cannot parse value as 'int': strconv.ParseInt:
// invalid syntax") into key paths and what was expected, one problem per
// line part. prefix is the key path of the decoded block ("" for the
// config itself); root is the decoded value, whose Go type mapstructure
// names the block by ('pipeline.Config', 'dedupe.Params').
func decodeMessage(err error, prefix string, root any) string {
	rootName := reflect.TypeOf(root).String()
	if t := reflect.TypeOf(root); t.Kind() == reflect.Pointer {
		rootName = t.Elem().String()
	}
	var parts []string
	var walk func(error)
	walk = func(err error) {
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range joined.Unwrap() {
				walk(e)
			}
			return
		}
		var de *mapstructure.DecodeError
		if !errors.As(err, &de) {
			parts = append(parts, strings.TrimPrefix(err.Error(), "decoding failed due to the following error(s):\n\n"))
			return
		}
		key := de.Name()
		if key == rootName || key == "" {
			key = prefix
		} else if prefix != "" {
			key = prefix + "." + key
		}
		at := key
		if at != "" {
			at += ": "
		}
		var pe *mapstructure.ParseError
		var ue *mapstructure.UnconvertibleTypeError
		inner := de.Unwrap()
		switch {
		case errors.As(inner, &pe):
			parts = append(parts, fmt.Sprintf("%swant %s, got %s", at, TypeName(pe.Expected.Type()), valueName(pe.Value)))
		case errors.As(inner, &ue):
			parts = append(parts, fmt.Sprintf("%swant %s, got %s", at, TypeName(ue.Expected.Type()), valueName(ue.Value)))
		default:
			msg := inner.Error()
			if k, ok := strings.CutPrefix(msg, "has invalid keys: "); ok {
				msg = "has unknown key(s): " + k
				if key == "" {
					msg = "unknown top-level key(s): " + k
				}
			}
			parts = append(parts, at+msg)
		}
	}
	walk(err)
	return strings.Join(parts, "; ")
}
