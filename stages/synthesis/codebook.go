package synthesis

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/adrg/strutil"
	"github.com/adrg/strutil/metrics"
	"go.yaml.in/yaml/v3"
)

// Roles a code may play, one per CMO slot.
const (
	RoleContext      = "C"
	RoleResource     = "MR"
	RoleResponse     = "MX"
	RoleOutcome      = "O"
	RoleIntervention = "I"
	RoleActor        = "A"
)

// slots are the CMO columns in file order, with the role each requires.
var slots = [...]struct{ column, role string }{
	{"context", RoleContext},
	{"mechanism_resource", RoleResource},
	{"mechanism_response", RoleResponse},
	{"outcome", RoleOutcome},
	{"intervention", RoleIntervention},
	{"actor", RoleActor},
}

const (
	slotContext = iota
	slotResource
	slotResponse
	slotOutcome
	slotIntervention
	slotActor
	numSlots
)

var validRoles = []string{RoleContext, RoleResource, RoleResponse, RoleOutcome, RoleIntervention, RoleActor}

// Code is one entry of the codebook.
type Code struct {
	ID         string
	ParentID   string
	Label      string
	Roles      []string
	Definition string
	Synonyms   []string
	// Status is active, deprecated or merged.
	Status     string
	MergedInto string
	// Scale names an ordinal scale (e.g. IAP2) the code is a level of; Rank
	// is its position, nil for the scale's "unclear" level.
	Scale string
	Rank  *int
	Line  int
}

// Codebook is a validated codebook with its hierarchy and lookups resolved.
type Codebook struct {
	File string
	// Metadata documents the codebook (YAML only; empty for a CSV codebook).
	Metadata CodebookMetadata
	Codes    []*Code // sorted by ID
	// Bytes is the file as read, hashed into the candidates' config hash.
	Bytes []byte

	byKey    map[string]int // normalised id, label or synonym → code index
	keyText  []suggestion   // every lookup key, for suggestions
	target   []int          // code index after following merged_into
	parent   []int          // parent index, -1 at the top
	depth    []int          // 1 at the top
	ancest   [][]int        // the code and its ancestors, self first
	children [][]int
}

type suggestion struct {
	text string
	code int
}

// CodebookMetadata is what a team's codebook file says about itself. The
// version goes into every demi_regularity_candidates row (codebook_version),
// so a team decision can be traced to the codebook it was made under; title
// and description are kept for people reading the file and the code.
type CodebookMetadata struct {
	Title       string
	Description string
	Version     string
}

// yamlCodebook is the YAML layout: documented metadata and a list of codes.
// `version` and `codebook_version` are two spellings of one key.
type yamlCodebook struct {
	Title           string     `yaml:"title"`
	Description     string     `yaml:"description"`
	Version         string     `yaml:"version"`
	CodebookVersion string     `yaml:"codebook_version"`
	Codes           []yamlCode `yaml:"codes"`
}

var (
	codebookTopKeys  = yamlKeys(yamlCodebook{})
	codebookCodeKeys = yamlKeys(yamlCode{})
)

// yamlKeys lists the yaml tag names of a struct's fields, in field order.
func yamlKeys(v any) []string {
	t := reflect.TypeOf(v)
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i] = strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
	}
	return keys
}

// checkCodebookKeys reports every key the codebook layout does not have,
// with its line and key path (`codes[3].parent`), so a misspelt field is
// never silently dropped: the strict decode that follows names only the
// first unknown field and not where it sits.
func checkCodebookKeys(name string, root *yaml.Node) error {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil // not a mapping: the decode says what is wrong
	}
	var errs problems
	unknown := func(k *yaml.Node, path string, known []string) {
		errs.add(fmt.Errorf("codebook %s:%d: %s: unknown key (known: %s)", name, k.Line, path, strings.Join(known, ", ")))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !slices.Contains(codebookTopKeys, k.Value) {
			unknown(k, k.Value, codebookTopKeys)
			continue
		}
		if k.Value != "codes" || v.Kind != yaml.SequenceNode {
			continue
		}
		for j, item := range v.Content {
			if item.Kind != yaml.MappingNode {
				continue
			}
			for m := 0; m+1 < len(item.Content); m += 2 {
				if ck := item.Content[m]; !slices.Contains(codebookCodeKeys, ck.Value) {
					unknown(ck, fmt.Sprintf("codes[%d].%s", j, ck.Value), codebookCodeKeys)
				}
			}
		}
	}
	return errs.err()
}

type yamlCode struct {
	CodeID     string   `yaml:"code_id"`
	ParentID   string   `yaml:"parent_id"`
	Label      string   `yaml:"label"`
	Roles      []string `yaml:"roles"`
	Definition string   `yaml:"definition"`
	Synonyms   []string `yaml:"synonyms"`
	Status     string   `yaml:"status"`
	MergedInto string   `yaml:"merged_into"`
	Scale      string   `yaml:"scale"`
	Rank       *int     `yaml:"rank"`
}

// LoadCodebook reads a codebook from YAML (.yaml/.yml) or CSV (.csv) and
// validates it (name is how errors call the file): duplicate ids, unknown parents or merge targets, cycles,
// roles, statuses, ambiguous synonyms.
func LoadCodebook(path, name string) (*Codebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("codebook: %w", err)
	}
	var codes []*Code
	var meta CodebookMetadata
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		codes, meta, err = parseYAMLCodebook(name, data)
	case ".csv":
		codes, err = parseCSVCodebook(path, name)
	default:
		return nil, fmt.Errorf("codebook %s: unknown extension, want .yaml, .yml or .csv", name)
	}
	if err != nil {
		return nil, err
	}
	cb, err := buildCodebook(name, codes)
	if err != nil {
		return nil, err
	}
	cb.Bytes, cb.Metadata = data, meta
	return cb, nil
}

func parseYAMLCodebook(name string, data []byte) ([]*Code, CodebookMetadata, error) {
	var meta CodebookMetadata
	// The node tree first: it names every unknown key with its path, and
	// recovers each entry's line, which the struct decode does not keep.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, meta, fmt.Errorf("codebook %s: %w", name, err)
	}
	if err := checkCodebookKeys(name, &root); err != nil {
		return nil, meta, err
	}
	var doc yamlCodebook
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, meta, fmt.Errorf("codebook %s: the file is empty, want a codes: list", name)
		}
		return nil, meta, fmt.Errorf("codebook %s: %w", name, err)
	}
	meta = CodebookMetadata{Title: strings.TrimSpace(doc.Title), Description: strings.TrimSpace(doc.Description),
		Version: strings.TrimSpace(doc.Version)}
	if v := strings.TrimSpace(doc.CodebookVersion); v != "" {
		if meta.Version != "" && meta.Version != v {
			return nil, meta, fmt.Errorf("codebook %s: version %q and codebook_version %q disagree (they are one key: give one)", name, meta.Version, v)
		}
		meta.Version = v
	}
	lines := codeLines(&root)
	codes := make([]*Code, len(doc.Codes))
	for i, c := range doc.Codes {
		line := 0
		if i < len(lines) {
			line = lines[i]
		}
		codes[i] = &Code{ID: strings.TrimSpace(c.CodeID), ParentID: strings.TrimSpace(c.ParentID), Label: strings.TrimSpace(c.Label),
			Roles: c.Roles, Definition: strings.TrimSpace(c.Definition), Synonyms: c.Synonyms, Status: strings.TrimSpace(c.Status),
			MergedInto: strings.TrimSpace(c.MergedInto), Scale: strings.TrimSpace(c.Scale), Rank: c.Rank, Line: line}
	}
	return codes, meta, nil
}

// codeLines returns the line of each item of the top-level `codes` list.
func codeLines(root *yaml.Node) []int {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "codes" {
			var lines []int
			for _, item := range root.Content[i+1].Content {
				lines = append(lines, item.Line)
			}
			return lines
		}
	}
	return nil
}

var codebookColumns = []string{"code_id", "parent_id", "label", "roles", "definition", "synonyms", "status", "merged_into", "scale", "rank"}

func parseCSVCodebook(path, name string) ([]*Code, error) {
	var codes []*Code
	var unknownCols []string
	err := readCSV(path, name, []string{"code_id", "label", "roles"}, codebookColumns, func(c string) { unknownCols = append(unknownCols, c) }, func(r csvRow) error {
		c := &Code{ID: r.get("code_id"), ParentID: r.get("parent_id"), Label: r.get("label"), Roles: r.list("roles"),
			Definition: r.get("definition"), Synonyms: r.list("synonyms"), Status: r.get("status"),
			MergedInto: r.get("merged_into"), Scale: r.get("scale"), Line: r.line}
		if s := r.get("rank"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return r.errorf("rank: %q is not a whole number", s)
			}
			c.Rank = &n
		}
		codes = append(codes, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("codebook: %w", err)
	}
	if len(unknownCols) > 0 {
		// A codebook column we do not know is most likely a misspelt one
		// (`parent` for `parent_id`), which would silently flatten the tree.
		return nil, fmt.Errorf("codebook %s:1: unknown columns %s (known: %s)", name, strings.Join(unknownCols, ", "), strings.Join(codebookColumns, ", "))
	}
	return codes, nil
}

// buildCodebook validates codes and resolves hierarchy, merges and lookups.
func buildCodebook(file string, codes []*Code) (*Codebook, error) {
	var errs problems
	at := func(c *Code) string { return fmt.Sprintf("%s:%d", file, c.Line) }
	for _, c := range codes {
		if c.Status == "" {
			c.Status = "active"
		}
		for i, r := range c.Roles {
			c.Roles[i] = strings.ToUpper(strings.TrimSpace(r))
		}
		slices.Sort(c.Roles)
		c.Roles = slices.Compact(c.Roles)
	}
	slices.SortStableFunc(codes, func(a, b *Code) int { return strings.Compare(a.ID, b.ID) })
	cb := &Codebook{File: file, Codes: codes, byKey: map[string]int{}}
	byID := map[string]int{}
	for i, c := range codes {
		if c.ID == "" {
			errs.add(fmt.Errorf("%s: code_id is empty", at(c)))
			continue
		}
		if j, dup := byID[c.ID]; dup {
			errs.add(fmt.Errorf("%s: code %s is defined twice (also line %d); an id is never reused", at(c), c.ID, codes[j].Line))
			continue
		}
		byID[c.ID] = i
	}
	for _, c := range codes {
		if c.Label == "" {
			errs.add(fmt.Errorf("%s: code %s: label is empty", at(c), c.ID))
		}
		if len(c.Roles) == 0 {
			errs.add(fmt.Errorf("%s: code %s: roles is empty, want some of %s", at(c), c.ID, strings.Join(validRoles, ", ")))
		}
		for _, r := range c.Roles {
			if !slices.Contains(validRoles, r) {
				errs.add(fmt.Errorf("%s: code %s: unknown role %q, want one of %s", at(c), c.ID, r, strings.Join(validRoles, ", ")))
			}
		}
		switch c.Status {
		case "active", "deprecated":
			if c.MergedInto != "" {
				errs.add(fmt.Errorf("%s: code %s: merged_into is set but status is %q, want merged", at(c), c.ID, c.Status))
			}
		case "merged":
			if c.MergedInto == "" {
				errs.add(fmt.Errorf("%s: code %s: status merged needs merged_into", at(c), c.ID))
			} else if _, ok := byID[c.MergedInto]; !ok {
				errs.add(fmt.Errorf("%s: code %s: merged_into %s is not a code", at(c), c.ID, c.MergedInto))
			}
		default:
			errs.add(fmt.Errorf("%s: code %s: unknown status %q, want active, deprecated or merged", at(c), c.ID, c.Status))
		}
		if c.ParentID != "" {
			if _, ok := byID[c.ParentID]; !ok {
				errs.add(fmt.Errorf("%s: code %s: parent_id %s is not a code", at(c), c.ID, c.ParentID))
			}
		}
		if c.Rank != nil && c.Scale == "" {
			errs.add(fmt.Errorf("%s: code %s: rank without scale", at(c), c.ID))
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	n := len(codes)
	cb.parent = make([]int, n)
	mergedInto := make([]int, n)
	for i, c := range codes {
		cb.parent[i], mergedInto[i] = -1, -1
		if c.ParentID != "" {
			cb.parent[i] = byID[c.ParentID]
		}
		if c.Status == "merged" {
			mergedInto[i] = byID[c.MergedInto]
		}
	}
	for _, link := range []struct {
		field string
		next  []int
	}{{"parent_id", cb.parent}, {"merged_into", mergedInto}} {
		if cyc := findCycle(link.next); cyc != nil {
			names := make([]string, len(cyc))
			for i, k := range cyc {
				names[i] = codes[k].ID
			}
			errs.add(fmt.Errorf("%s:%d: cycle in %s: %s", file, codes[cyc[0]].Line, link.field, strings.Join(append(names, names[0]), " → ")))
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	// Follow merge chains to their end (A merged into B merged into C → C).
	cb.target = make([]int, n)
	for i := range cb.target {
		t := i
		for mergedInto[t] >= 0 {
			t = mergedInto[t]
		}
		cb.target[i] = t
	}
	cb.depth = make([]int, n)
	cb.ancest = make([][]int, n)
	cb.children = make([][]int, n)
	for i := range codes {
		for k := i; k >= 0; k = cb.parent[k] {
			cb.ancest[i] = append(cb.ancest[i], k)
		}
		cb.depth[i] = len(cb.ancest[i])
		if p := cb.parent[i]; p >= 0 {
			cb.children[p] = append(cb.children[p], i)
		}
	}
	// Lookup keys: ids first (they win), then labels, then synonyms. A
	// synonym that collides with another code's key is an error; a label
	// shared by two codes is simply not a key (use the id).
	owner := map[string]int{}
	kind := map[string]string{}
	for i, c := range codes {
		k := normKey(c.ID)
		owner[k], kind[k] = i, "id"
		cb.keyText = append(cb.keyText, suggestion{c.ID, i})
	}
	ambiguousLabel := map[string]bool{}
	for i, c := range codes {
		k := normKey(c.Label)
		if j, ok := owner[k]; ok && j != i {
			if kind[k] == "label" {
				ambiguousLabel[k] = true
			}
			continue
		}
		if _, ok := owner[k]; !ok {
			owner[k], kind[k] = i, "label"
			cb.keyText = append(cb.keyText, suggestion{c.Label, i})
		}
	}
	for k := range ambiguousLabel {
		delete(owner, k)
	}
	for i, c := range codes {
		for _, s := range c.Synonyms {
			k := normKey(s)
			if k == "" {
				continue
			}
			if j, ok := owner[k]; ok && j != i && cb.target[j] != cb.target[i] {
				errs.add(fmt.Errorf("%s: code %s: synonym %q is already the %s of %s", at(c), c.ID, s, kind[k], codes[j].ID))
				continue
			}
			if _, ok := owner[k]; !ok {
				owner[k], kind[k] = i, "synonym"
				cb.keyText = append(cb.keyText, suggestion{s, i})
			}
		}
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	cb.byKey = owner
	return cb, nil
}

// findCycle returns the codes on one cycle of the next-pointer graph (-1
// ends a path; next[i] == i is a cycle of one), rotated to start at its
// smallest index, or nil.
func findCycle(next []int) []int {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]int, len(next))
	for start := range next {
		var path []int
		k := start
		for k >= 0 && state[k] == unseen {
			state[k] = onPath
			path = append(path, k)
			k = next[k]
		}
		if k >= 0 && state[k] == onPath {
			i := slices.Index(path, k)
			cyc := path[i:]
			m := slices.Index(cyc, slices.Min(cyc))
			return append(append([]int(nil), cyc[m:]...), cyc[:m]...)
		}
		for _, p := range path {
			state[p] = done
		}
	}
	return nil
}

func normKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Resolve maps a code id, label or synonym to a code index, following
// merged_into. direct is the index before merges (for deprecation warnings).
func (cb *Codebook) Resolve(s string) (target, direct int, ok bool) {
	i, ok := cb.byKey[normKey(s)]
	if !ok {
		return -1, -1, false
	}
	return cb.target[i], i, true
}

// Suggest returns the code id whose id, label or synonym is closest to s
// ("none" for an empty codebook).
func (cb *Codebook) Suggest(s string) string {
	metric := metrics.NewJaroWinkler()
	metric.CaseSensitive = false
	best, bestScore := "none", -1.0
	for _, k := range cb.keyText {
		score := strutil.Similarity(s, k.text, metric)
		id := cb.Codes[cb.target[k.code]].ID
		if score > bestScore || (score == bestScore && id < best) {
			best, bestScore = id, score
		}
	}
	return best
}

// HasRole reports whether code i may be used in a slot needing role.
func (cb *Codebook) HasRole(i int, role string) bool { return slices.Contains(cb.Codes[i].Roles, role) }

// Ancestors returns the code and all its ancestors, self first.
func (cb *Codebook) Ancestors(i int) []int { return cb.ancest[i] }

// RollUp returns the ancestor of code i at the given depth (1 = top level);
// depth 0, or a code no deeper than depth, returns i itself.
func (cb *Codebook) RollUp(i, depth int) int {
	if depth <= 0 || cb.depth[i] <= depth {
		return i
	}
	a := cb.ancest[i]
	return a[len(a)-depth]
}

// problems collects validation errors, keeping the first maxProblems so a
// badly broken file gives a readable error.
type problems struct {
	list    []error
	dropped int
}

const maxProblems = 50

func (p *problems) add(err error) {
	if err == nil {
		return
	}
	if len(p.list) < maxProblems {
		p.list = append(p.list, err)
		return
	}
	p.dropped++
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	errs := p.list
	if p.dropped > 0 {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("… and %d more problems", p.dropped))
	}
	return errors.Join(errs...)
}
