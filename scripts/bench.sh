#!/usr/bin/env bash
# bench.sh — whole runs (config, every stage, every table written, as
# `realsynth run` does) on the old and the hard synthetic corpora.
#
# For each profile and size it generates the corpus once (gencorpus, outside
# the measured process), then runs BenchmarkFullRun for that size alone, in
# a fresh process, BENCHCOUNT times: peak RSS is that run's, not the largest
# of the session. It ends with a table of medians.
#
#   BENCH_PROFILES="old hard" BENCH_SIZES="10k 100k 1M" BENCHCOUNT=3 scripts/bench.sh
#
# Corpora stay in $REALSYNTH_CORPORA (default $TMPDIR/realsynth-corpora) for
# the next session: the hard 1M corpus is about 2.3 GB.
set -euo pipefail
cd "$(dirname "$0")/.."
profiles=${BENCH_PROFILES:-"old hard"}
sizes=${BENCH_SIZES:-"10k 100k 1M"}
count=${BENCHCOUNT:-1}
seed=20261122 # the seed BenchmarkFullRun's corpora use
export REALSYNTH_CORPORA=${REALSYNTH_CORPORA:-${TMPDIR:-/tmp}/realsynth-corpora}

mkdir -p bin
go build -o bin/gencorpus ./internal/synthgen/cmd/gencorpus
go test -c -o bin/stages.test ./stages
log=$(mktemp)
trap 'rm -f "$log"' EXIT

records() {
  case $1 in
    *k) echo $(( ${1%k} * 1000 )) ;;
    *M) echo $(( ${1%M} * 1000000 )) ;;
    *) echo "$1" ;;
  esac
}

for p in $profiles; do
  for s in $sizes; do
    bin/gencorpus -reuse -profile "$p" -records "$(records "$s")" -seed "$seed" -out "$REALSYNTH_CORPORA/$p-$s-$seed" >&2
    for _ in $(seq "$count"); do
      bin/stages.test -test.run '^$' -test.bench "FullRun/^$p-$s\$" -test.benchtime 1x -test.timeout 3h | tee -a "$log"
    done
  done
done

# Medians over the runs of each case, one row per case; one column per
# stage (units ending in "-%"), in run order (go test sorts them by name).
awk -v count="$count" '
  /^BenchmarkFullRun\// {
    name = $1; sub(/^BenchmarkFullRun\//, "", name); sub(/-[0-9]+$/, "", name)
    if (!(name in seen)) { seen[name] = 1; order[++cases] = name }
    for (i = 3; i < NF; i += 2) {
      unit = $(i+1); k = name SUBSEP unit; v[k, ++n[k]] = $i
      if (unit ~ /-%$/) isStage[unit] = 1
    }
  }
  function median(name, unit,   k, m, i, j, t, a) {
    k = name SUBSEP unit; m = n[k]
    if (m == 0) return 0
    for (i = 1; i <= m; i++) a[i] = v[k, i]
    for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return a[int((m + 1) / 2)]
  }
  END {
    m = split("ingest-% dedupe-% screening-% synthesis-% export-% report-% write-%", known, " ")
    for (i = 1; i <= m; i++) if (known[i] in isStage) { stage[++stages] = known[i]; delete isStage[known[i]] }
    for (u in isStage) stage[++stages] = u
    printf "\nWhole runs, median of %d: wall and CPU seconds, peak RSS, pairs compared per record, the score against\n", count
    printf "the truth (pairwise precision and recall of reports, false-merge pairs, study recall), %% of wall time per stage:\n"
    printf "%-10s %7s %7s %8s %9s %9s %7s %8s %8s", "case", "wall-s", "cpu-s", "RSS-MiB", "pairs/rec", "precision", "recall", "f-merges", "st-rec"
    for (s = 1; s <= stages; s++) { h = stage[s]; sub(/-%$/, "%", h); printf " %9s", h }
    printf "\n"
    for (c = 1; c <= cases; c++) {
      x = order[c]
      printf "%-10s %7.2f %7.2f %8.0f %9.2f %9.4f %7.4f %8d %8.4f", x,
        median(x, "wall-s"), median(x, "cpu-s"), median(x, "peak-RSS-MiB"), median(x, "pairs/record"),
        median(x, "precision"), median(x, "recall"), median(x, "false-merges"), median(x, "study-recall")
      for (s = 1; s <= stages; s++) printf " %9.1f", median(x, stage[s])
      printf "\n"
    }
  }' "$log"
