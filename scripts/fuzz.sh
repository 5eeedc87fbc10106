#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME each (default 5s; a
# count such as 500x runs that many new inputs after the cached corpus).
# go test -fuzz takes one target of one package at a time, so find them all.
#
# Minimising: go test spends up to -fuzzminimizetime (60s by default) on
# each new interesting input, and that time counts against -fuzztime, so a
# slow target (FuzzCoding) used to spend its whole budget minimising: 7 runs
# in 60s. FUZZMINIMIZETIME (default 100x: a hundred runs) bounds it, so each
# target really fuzzes; the line after each target says how many inputs it ran.
#
# Cached corpus: go test first re-runs every input it found interesting in
# earlier runs (kept in $GOCACHE/fuzz), and that counts against -fuzztime
# too; on a machine that has fuzzed a while, a short budget is spent before
# fuzzing starts. FUZZFRESH=1 gives each target an empty cache of this run
# (the seeds and testdata/fuzz still run), so a short run always fuzzes;
# `make test` uses it. Long runs (`make fuzz`) keep building on the cache.
# The line after each target says how many new inputs it ran.
#
# Logs: each target's output goes to its own file in a folder made for this
# run (FUZZLOGS, default a new temp folder), kept when something fails and
# removed when all pass, so two runs never write over each other's logs.
#
# Go 1.26's fuzz coordinator can fail a target with a bare "context deadline
# exceeded" when -fuzztime runs out while a worker is mid-input
# (go.dev/issue/75804, fixed in Go 1.27). That is not a finding: a real one
# writes a failing input under testdata/fuzz and prints it. Such a run is
# retried once and, if it hits the race again, reported and let pass;
# go test ./... still replays every saved input deterministically.
set -euo pipefail
fuzztime="${FUZZTIME:-5s}"
minimizetime="${FUZZMINIMIZETIME:-100x}"
logs="${FUZZLOGS:-$(mktemp -d "${TMPDIR:-/tmp}/realsynth-fuzz.XXXXXX")}"
mkdir -p "$logs"

deadline_race_only() {
  grep -q 'context deadline exceeded' "$1" &&
    ! grep -qiE 'failing input|panic:|_test\.go:[0-9]+' "$1"
}

# fresh prints the number of new inputs a run went through: the execs of
# its last progress line ("fuzz: elapsed: 3s, execs: 18999 (…") less the
# cached and seed inputs it re-ran first ("baseline coverage: 5/5").
fresh() {
  local execs base
  execs=$(grep -o 'execs: [0-9]*' "$1" | tail -1 | grep -o '[0-9]*' || true)
  base=$(grep -o 'baseline coverage: [0-9]*/[0-9]*' "$1" | tail -1 | sed 's|.*/||' || true)
  echo $(( ${execs:-0} > ${base:-0} ? ${execs:-0} - ${base:-0} : 0 ))
}

failed=0
targets=$(grep -rl --include='*_test.go' '^func Fuzz' . | grep -v '^./interop/' | sort | while read -r file; do
  pkg="./$(dirname "${file#./}")"
  # FUZZPKG=./internal/formats/ris fuzzes one package's targets only.
  if [ -n "${FUZZPKG:-}" ] && [ "$pkg" != "$FUZZPKG" ]; then continue; fi
  grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //' | sed "s|^|$pkg |"
done)
while read -r pkg target; do
  log="$logs/$(echo "${pkg#./}" | tr / _)-$target.log"
  echo "fuzz $pkg $target ($fuzztime, minimising at most $minimizetime per input)"
  cache=()
  if [ -n "${FUZZFRESH:-}" ]; then
    cache=(-test.fuzzcachedir="$logs/cache/$(basename "$log" .log)")
  fi
  for attempt in 1 2; do
    if go test "$pkg" -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" -fuzzminimizetime="$minimizetime" "${cache[@]}" >"$log" 2>&1; then
      n=$(fresh "$log")
      echo "  $n new inputs"
      if [ "$n" = 0 ]; then
        echo "  warning: $target ran no new input: all of $fuzztime went to re-running its cached corpus; give it more (FUZZTIME=1m) or an empty cache (FUZZFRESH=1)" >&2
      fi
      break
    fi
    if ! deadline_race_only "$log"; then
      cat "$log"
      echo "fuzz: $target failed; its log is $log" >&2
      failed=1
      break
    fi
    if [ "$attempt" = 2 ]; then
      echo "  $target stopped twice on Go's fuzztime deadline race (go.dev/issue/75804), no failing input; not a finding"
    else
      echo "  $target stopped on Go's fuzztime deadline race (go.dev/issue/75804); retrying once"
    fi
  done
  [ "$failed" = 0 ] || break
done <<<"$targets"

if [ "$failed" != 0 ]; then
  echo "fuzz: logs kept in $logs" >&2
  exit 1
fi
[ -n "${FUZZLOGS:-}" ] || rm -rf "$logs"
