package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/viper"

	"github.com/realsynth/realsynth/pipeline/table"
)

// EnvPrefix is the prefix of environment variables that override settings:
// REALSYNTH_OUTPUT, REALSYNTH_STAGES_DEDUPE_MIN_SCORE, …
const EnvPrefix = "REALSYNTH"

// ConfigError is a problem with the config or the inputs it names; the CLI
// exits 2 for it (usage), 1 for a run that failed.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

func configErrorf(format string, args ...any) error {
	return &ConfigError{fmt.Errorf(format, args...)}
}

// Step is one stage of a planned run with its decoded parameters.
type Step struct {
	Stage   Stage
	Params  any
	Enabled bool
}

// Plan is a loaded, checked config and the steps it asks for.
type Plan struct {
	Config *Config
	Steps  []Step
	// Overrides are the settings changed by flags or REALSYNTH_* variables,
	// as "key=value", sorted; they are part of the config hash.
	Overrides []string
}

// Load reads a config file strictly: an unknown key, a wrong type or a
// missing input is an error naming the key path or file. overrides are
// "key.path=value" settings from the command line; REALSYNTH_* environment
// variables override scalar settings too.
func Load(path string, registry []Stage, overrides []string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, configErrorf("config: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, configErrorf("config %s: %w", path, err)
	}
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
		return nil, configErrorf("config %s: not valid YAML: %w", path, err)
	}

	// Environment overrides: every scalar key the file or a stage declares
	// can be set as REALSYNTH_<KEY_PATH>.
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	envKeys := []string{"review", "output", "parquet.compression"}
	for _, st := range registry {
		envKeys = append(envKeys, "stages."+st.Name+".enabled")
		for _, k := range paramKeys(st.Params()) {
			envKeys = append(envKeys, "stages."+st.Name+"."+k)
		}
	}
	if err := checkEnv(envKeys); err != nil {
		return nil, &ConfigError{err}
	}
	var applied []string
	for _, k := range envKeys {
		if val, ok := os.LookupEnv(envName(k)); ok {
			v.Set(k, val)
			applied = append(applied, k+"="+val)
		}
	}
	for _, o := range overrides {
		k, val, ok := strings.Cut(o, "=")
		if !ok || k == "" {
			return nil, configErrorf("--set %q: want key.path=value", o)
		}
		if !isKnownOverride(k, envKeys) {
			return nil, configErrorf("--set %s: unknown setting; settable keys are review, output, parquet.compression and stages.<stage>.<param> (see `realsynth stages`)%s",
				k, didYouMean(strings.ToLower(k), envKeys))
		}
		v.Set(k, val)
		applied = append(applied, k+"="+val)
	}
	sort.Strings(applied)

	cfg := &Config{}
	if err := v.UnmarshalExact(cfg, viper.DecodeHook(mapstructure.ComposeDecodeHookFunc(
		dateToString, mapstructure.StringToSliceHookFunc(","),
	))); err != nil {
		return nil, configErrorf("config %s: %s", path, decodeMessage(err, "", cfg))
	}
	cfg.Path = abs
	cfg.Dir = filepath.Dir(abs)
	h := sha256.New()
	h.Write(data)
	for _, a := range applied {
		// Where the output goes does not change what is in it: leave it out
		// of the hash, so a run with --out gives the same bytes.
		if !strings.HasPrefix(strings.ToLower(a), "output=") {
			h.Write([]byte("\n" + a))
		}
	}
	cfg.SHA256 = hex.EncodeToString(h.Sum(nil))
	if err := cfg.check(); err != nil {
		return nil, &ConfigError{fmt.Errorf("config %s: %w", path, err)}
	}
	cfg.Output = cfg.Resolve(cfg.Output)

	// viper drops empty blocks (`dedupee: {}`) from the decoded settings, so
	// stage names are checked against the raw map as well.
	var stageKeys []string
	if raw, ok := v.Get("stages").(map[string]any); ok {
		for name := range raw {
			stageKeys = append(stageKeys, name)
		}
	}
	for name := range cfg.Stages {
		stageKeys = append(stageKeys, name)
	}
	steps, err := planSteps(cfg, registry, stageKeys)
	if err != nil {
		return nil, &ConfigError{fmt.Errorf("config %s: %w", path, err)}
	}
	return &Plan{Config: cfg, Steps: steps, Overrides: applied}, nil
}

// dateToString keeps YAML dates (2026-03-02, which YAML reads as a time) as
// the YYYY-MM-DD strings the config declares.
func dateToString(from, to reflect.Type, data any) (any, error) {
	if t, ok := data.(time.Time); ok && to.Kind() == reflect.String {
		return t.Format("2006-01-02"), nil
	}
	return data, nil
}

// OtherEnv are the REALSYNTH_* variables that are not settings: the shared
// reference data, benchmark corpora and browser for tests, and a test hook.
var OtherEnv = []string{"REALSYNTH_SHARED", "REALSYNTH_CORPORA", "REALSYNTH_CHROMIUM", "REALSYNTH_DEBUG_PAUSE_BEFORE_COMMIT"}

// checkEnv refuses a REALSYNTH_* variable that sets nothing: a typo in a
// cron job's environment must not be ignored while the same typo with
// --set is an error.
func checkEnv(keys []string) error {
	names := map[string]bool{}
	var known []string
	for _, k := range keys {
		n := envName(k)
		names[n] = true
		known = append(known, n)
	}
	for _, n := range OtherEnv {
		names[n] = true
	}
	var errs []error
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, EnvPrefix+"_") && !names[name] {
			errs = append(errs, fmt.Errorf("environment variable %s: unknown setting; settable are %s_REVIEW, %s_OUTPUT, %s_PARQUET_COMPRESSION and %s_STAGES_<STAGE>_<PARAM> (see `realsynth stages`)%s",
				name, EnvPrefix, EnvPrefix, EnvPrefix, EnvPrefix, didYouMean(name, known)))
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

func envName(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// didYouMean suggests the known name closest to a mistyped one, if it is
// within two edits.
func didYouMean(name string, known []string) string {
	best, bestD := "", 3 // two edits at most
	for _, k := range known {
		if d := editDistance(name, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + best + "?"
}

// editDistance is the Levenshtein distance of two short ASCII names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func isKnownOverride(k string, known []string) bool {
	for _, kk := range known {
		if strings.EqualFold(k, kk) {
			return true
		}
	}
	return false
}

func (c *Config) check() error {
	var errs []error
	if strings.TrimSpace(c.Output) == "" {
		errs = append(errs, errors.New("output: required (the folder the tables are written to)"))
	}
	if len(c.Rounds) == 0 {
		errs = append(errs, errors.New("rounds: at least one search round is required"))
	}
	if !table.KnownCompression(c.Parquet.Compression) {
		errs = append(errs, fmt.Errorf("parquet.compression: %q is not snappy or zstd", c.Parquet.Compression))
	}
	seen := map[string]bool{}
	for i, r := range c.Rounds {
		at := fmt.Sprintf("rounds[%d]", i)
		if r.ID == "" {
			errs = append(errs, fmt.Errorf("%s.id: required", at))
		} else if seen[r.ID] {
			errs = append(errs, fmt.Errorf("%s.id: %q is used by an earlier round", at, r.ID))
		}
		seen[r.ID] = true
		if r.Date != "" {
			if _, err := time.Parse("2006-01-02", r.Date); err != nil {
				errs = append(errs, fmt.Errorf("%s.date: %q is not a YYYY-MM-DD date", at, r.Date))
			}
		}
		if len(r.Searches) == 0 {
			errs = append(errs, fmt.Errorf("%s.searches: at least one search is required", at))
		}
		for j, s := range r.Searches {
			sat := fmt.Sprintf("%s.searches[%d]", at, j)
			if s.Database == "" {
				errs = append(errs, fmt.Errorf("%s.database: required (MEDLINE, Embase, …)", sat))
			}
			if s.Path == "" {
				errs = append(errs, fmt.Errorf("%s.path: required", sat))
				continue
			}
			files, err := c.SearchFiles(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s.path: %w", sat, err))
			} else if len(files) == 0 {
				errs = append(errs, fmt.Errorf("%s.path: %s matches no file", sat, c.Resolve(s.Path)))
			}
		}
	}
	return errors.Join(errs...)
}

// SearchFiles expands a search's path (a file or a glob) into files, sorted
// so that runs do not depend on directory order.
func (c *Config) SearchFiles(s Search) ([]string, error) {
	p := c.Resolve(s.Path)
	if !strings.ContainsAny(s.Path, "*?[") {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: no such file", p)
		}
		if fi.IsDir() {
			return nil, fmt.Errorf("%s is a folder: name a file or a glob such as %s/*.ris", p, s.Path)
		}
		return []string{p}, nil
	}
	files, err := filepath.Glob(p)
	if err != nil {
		return nil, fmt.Errorf("bad glob %q: %w", s.Path, err)
	}
	sort.Strings(files)
	return files, nil
}

// planSteps decodes each stage's block strictly into its parameter struct.
func planSteps(cfg *Config, registry []Stage, stageKeys []string) ([]Step, error) {
	known := map[string]bool{}
	for _, st := range registry {
		known[st.Name] = true
	}
	var errs []error
	sort.Strings(stageKeys)
	stageKeys = slices.Compact(stageKeys)
	for _, name := range stageKeys {
		if !known[name] {
			errs = append(errs, fmt.Errorf("stages.%s: unknown stage (stages are: %s)", name, stageNames(registry)))
		}
	}
	var steps []Step
	for _, st := range registry {
		block := cfg.Stages[st.Name]
		enabled := true
		params := st.Params()
		raw := map[string]any{}
		for k, v := range block {
			raw[k] = v
		}
		if e, ok := raw["enabled"]; ok {
			delete(raw, "enabled")
			b, err := asBool(e)
			if err != nil {
				errs = append(errs, fmt.Errorf("stages.%s.enabled: %w", st.Name, err))
			}
			enabled = b
		}
		if err := decodeParams(raw, params, "stages."+st.Name); err != nil {
			errs = append(errs, err)
		}
		steps = append(steps, Step{Stage: st, Params: params, Enabled: enabled})
	}
	return steps, errors.Join(errs...)
}

// DecodeParams decodes a stage's config block into its parameter struct;
// a key the struct does not declare is an error.
func DecodeParams(raw map[string]any, params any) error { return decodeParams(raw, params, "") }

// decodeParams is DecodeParams for the block at key path prefix, which
// its errors name.
func decodeParams(raw map[string]any, params any, prefix string) error {
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:           params,
		ErrorUnused:      true,
		WeaklyTypedInput: true, // environment and --set values arrive as strings
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
		),
	})
	if err != nil {
		return err
	}
	if err := dec.Decode(raw); err != nil {
		return errors.New(decodeMessage(err, prefix, params))
	}
	return nil
}

func asBool(v any) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		switch strings.ToLower(b) {
		case "true", "yes", "1":
			return true, nil
		case "false", "no", "0":
			return false, nil
		}
	}
	return true, fmt.Errorf("want true or false, got %v", v)
}

func stageNames(registry []Stage) string {
	var n []string
	for _, s := range registry {
		n = append(n, s.Name)
	}
	return strings.Join(n, ", ")
}

// ParamDoc describes one stage parameter for `realsynth stages`.
type ParamDoc struct {
	Key     string
	Type    string
	Default string
	Doc     string
}

// DescribeParams lists a parameter struct's keys, types, defaults and docs.
func DescribeParams(params any) []ParamDoc {
	v := reflect.ValueOf(params)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	var out []ParamDoc
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		if key == "" || key == "-" {
			continue
		}
		fv := v.Field(i)
		def := defaultText(fv)
		out = append(out, ParamDoc{Key: key, Type: TypeName(f.Type), Default: def, Doc: f.Tag.Get("doc")})
	}
	return out
}

// defaultText shows a parameter's default as a config would write it:
// lists as "a, b", maps as "k: v, …" by key; empty ones as "".
func defaultText(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = defaultText(v.Index(i))
		}
		return strings.Join(parts, ", ")
	case reflect.Map:
		parts := make([]string, 0, v.Len())
		for iter := v.MapRange(); iter.Next(); {
			parts = append(parts, fmt.Sprintf("%v: %s", iter.Key(), defaultText(iter.Value())))
		}
		sort.Strings(parts)
		return strings.Join(parts, ", ")
	case reflect.Pointer:
		if v.IsNil() {
			return ""
		}
		return defaultText(v.Elem())
	}
	return fmt.Sprintf("%v", v.Interface())
}

func paramKeys(params any) []string {
	var keys []string
	for _, d := range DescribeParams(params) {
		keys = append(keys, d.Key)
	}
	return keys
}
