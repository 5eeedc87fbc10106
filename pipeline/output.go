package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
)

// ResolveOutput is the real folder behind an output path. A run locks,
// writes beside and commits the real folder, so that a symbolic link to it
// is one output with one lock, and the link stays a link.
func ResolveOutput(output string) (string, error) {
	fi, err := os.Lstat(output)
	switch {
	case err == nil && fi.Mode()&os.ModeSymlink != 0:
		real, err := filepath.EvalSymlinks(output)
		if err != nil {
			target, _ := os.Readlink(output)
			return "", fmt.Errorf("output %s is a symbolic link to %s, which does not exist: create that folder or name another output", output, target)
		}
		return real, nil
	case err == nil:
		// The folder itself is no link, but one of its parents may be.
		if real, err := filepath.EvalSymlinks(output); err == nil {
			return real, nil
		}
		return output, nil
	}
	// No output yet: resolve the part of the path that exists.
	dir, rest := filepath.Dir(output), []string{filepath.Base(output)}
	for {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return output, nil
		}
		rest = append([]string{filepath.Base(dir)}, rest...)
		dir = parent
	}
}

// checkInputsOutsideOutput refuses a config that reads a file from inside
// the output folder: the commit replaces that folder whole, so the file
// would be deleted (a decisions CSV filled in where dedupe_review.csv was
// written, an export saved into the output). It looks at the config file,
// every search's files, and every string in the enabled stages' parameters
// that names an existing file, so a stage need not declare its inputs.
func checkInputsOutsideOutput(plan *Plan, output string) error {
	inside := func(p string) bool {
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			return false
		}
		rel, err := filepath.Rel(output, real)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	cfg := plan.Config
	var errs []error
	refuse := func(key, p string) {
		errs = append(errs, &KeyError{Path: key, Err: fmt.Errorf(
			"%s lies inside the output folder %s, which every run replaces whole: move it out (next to the config, say) and point the config there",
			cfg.Resolve(p), cfg.Output)})
	}
	if inside(cfg.Path) {
		refuse("output", cfg.Path)
	}
	for i, r := range cfg.Rounds {
		for j, s := range r.Searches {
			files, _ := cfg.SearchFiles(s)
			for _, f := range files {
				if inside(f) {
					refuse(fmt.Sprintf("rounds[%d].searches[%d].path", i, j), f)
				}
			}
		}
	}
	for _, st := range plan.Steps {
		if !st.Enabled {
			continue
		}
		walkStrings(reflect.ValueOf(st.Params), "stages."+st.Stage.Name, func(key, s string) {
			if s == "" {
				return
			}
			p := cfg.Resolve(s)
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && inside(p) {
				refuse(key, s)
			}
		})
	}
	return errors.Join(errs...)
}

// walkStrings calls visit with every string in v (structs, pointers,
// slices, maps) and its key path, named by mapstructure tags.
func walkStrings(v reflect.Value, key string, visit func(key, s string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), key, visit)
		}
	case reflect.String:
		visit(key, v.String())
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("mapstructure"), ",")
			if name == "-" || !t.Field(i).IsExported() {
				continue
			}
			if name == "" {
				name = strings.ToLower(t.Field(i).Name)
			}
			walkStrings(v.Field(i), key+"."+name, visit)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), fmt.Sprintf("%s[%d]", key, i), visit)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			walkStrings(iter.Value(), fmt.Sprintf("%s.%v", key, iter.Key()), visit)
		}
	}
}
