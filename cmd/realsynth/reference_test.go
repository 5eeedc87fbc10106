package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages"
)

var update = flag.Bool("update", false, "rewrite configs/reference.yaml from the stage registry")

const referenceConfig = "../../configs/reference.yaml"

// TestReferenceConfigIsCurrent keeps configs/reference.yaml generated from
// the registry: every key, its type, default and doc. The generated file is
// also decoded strictly, so every documented key is one the loader accepts.
func TestReferenceConfigIsCurrent(t *testing.T) {
	got := renderReferenceConfig(t)
	if *update {
		if err := os.WriteFile(referenceConfig, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(referenceConfig)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/realsynth -run Reference -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("configs/reference.yaml is out of date: run go test ./cmd/realsynth -run Reference -update")
	}
	var doc struct {
		Stages map[string]map[string]any `yaml:"stages"`
	}
	if err := yaml.Unmarshal(want, &doc); err != nil {
		t.Fatal(err)
	}
	for _, st := range stages.Pipeline {
		block := doc.Stages[st.Name]
		delete(block, "enabled")
		if err := pipeline.DecodeParams(block, st.Params()); err != nil {
			t.Errorf("stages.%s as documented does not decode: %v", st.Name, err)
		}
	}
}

func renderReferenceConfig(t *testing.T) []byte {
	var b bytes.Buffer
	b.WriteString(`# realsynth config reference — every key, with its default.
# Generated from the stage registry by
#   go test ./cmd/realsynth -run Reference -update
# Paths are relative to this file; path: may be a glob. Unknown keys are errors.
# Any scalar can be overridden with --set key.path=value or REALSYNTH_KEY_PATH.

# The review's title, written into the manifest.
review: "My realist review"
# The folder the tables are committed to; realsynth owns and replaces it.
output: out
# How the Parquet tables are written: compression snappy (the default, as
# pyarrow and DuckDB write) or zstd (smaller files, slower to write).
parquet:
  compression: snappy

# Search rounds, oldest first. A round's id is used in every table.
rounds:
  - id: r1                 # required, unique
    date: 2026-03-02       # YYYY-MM-DD
    searches:
      - database: MEDLINE  # required: the name used in tables and PRISMA counts
        path: exports/r1/medline.nbib   # required: a file or a glob
        format: medline    # optional: ris, medline, bibtex, endnote, wos, csv; else from the extension
        encoding: ""       # optional: utf-8, utf-16le, utf-16be, latin1, windows-1252; else detected
        columns: {}        # generic CSV only: realsynth field → CSV header, e.g. {title: Article Title}

# One block per stage, in run order. A stage runs unless enabled: false.
stages:
`)
	for _, st := range stages.Pipeline {
		fmt.Fprintf(&b, "  # %s\n  %s:\n    enabled: true\n", st.Doc, st.Name)
		for _, p := range pipeline.DescribeParams(st.Params()) {
			fmt.Fprintf(&b, "    # %s (%s)\n", p.Doc, p.Type)
			fmt.Fprintf(&b, "    %s: %s\n", p.Key, yamlValue(t, st.Params(), p.Key))
		}
	}
	return b.Bytes()
}

// yamlValue renders a parameter's default as inline YAML.
func yamlValue(t *testing.T, params any, key string) string {
	v := reflect.ValueOf(params).Elem()
	for i := 0; i < v.NumField(); i++ {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("mapstructure"), ",")
		if name != key {
			continue
		}
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		val := v.Field(i).Interface()
		node := &yaml.Node{}
		if err := node.Encode(val); err != nil {
			t.Fatal(err)
		}
		setFlow(node)
		if err := enc.Encode(node); err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(buf.String())
	}
	t.Fatalf("no parameter %s", key)
	return ""
}

func setFlow(n *yaml.Node) {
	n.Style |= yaml.FlowStyle
	for _, c := range n.Content {
		setFlow(c)
	}
}
