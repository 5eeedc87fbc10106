#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME each (default 5s).
# go test -fuzz takes one target of one package at a time, so find them all.
set -euo pipefail
fuzztime="${FUZZTIME:-5s}"
grep -rl --include='*_test.go' '^func Fuzz' . | grep -v '^./interop/' | sort | while read -r file; do
  pkg="./$(dirname "${file#./}")"
  grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //' | while read -r target; do
    echo "fuzz $pkg $target ($fuzztime)"
    go test "$pkg" -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" >/tmp/realsynth-fuzz.log 2>&1 || {
      cat /tmp/realsynth-fuzz.log; exit 1; }
  done
done
