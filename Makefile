# realsynth — `make run` runs the demo review, `make test` runs every test.
GO       ?= go
BIN      := bin/realsynth
FUZZTIME ?= 5s
SHARED   ?= ../shared

.PHONY: build run test test-go test-duckdb test-browser test-polars fuzz fuzz-short bench bench-profile eval-dedup clean

build:
	$(GO) build -o $(BIN) ./cmd/realsynth

## run: the pipeline on the demo review in testdata/, then a one-screen summary
run: build
	./$(BIN) run --config configs/demo.yaml

## test: vet, unit and golden tests, the DuckDB and polars checks, report.html in headless Chromium, a short fuzz run
test: test-go test-duckdb test-browser test-polars fuzz-short

# go test -json through scripts/testsummary: the same output as go test, then
# every skipped test with its reason, so a clone without ../shared (the team's
# reference data) says which checks did not run instead of passing in silence.
test-go: bin/testsummary
	$(GO) vet ./...
	$(GO) test -json ./... | ./bin/testsummary

test-duckdb: bin/testsummary
	cd interop/duckdb && $(GO) test -json ./... | ../../bin/testsummary

bin/testsummary: scripts/testsummary/main.go
	$(GO) build -o $@ ./scripts/testsummary

## test-browser: the demo's report.html in headless Chromium; screenshots in interop/browser/screenshots/
## (-mod=mod: a dependency added to the main module does not break this nested module's build)
test-browser:
	cd interop/browser && $(GO) test -mod=mod -count=1 -v ./...

## test-polars: every demo table read with polars (nodejs-polars), column types checked against docs/tables.md
test-polars: build
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
		echo "*** SKIPPED: node or npm not found: the polars check did NOT run ***"; exit 0; fi; \
	tmp=$$(mktemp -d); status=0; \
	./$(BIN) run -q --config configs/demo.yaml --out $$tmp/demo >/dev/null \
	&& (cd interop/polars && npm ci --no-audit --no-fund --loglevel=error && node check.mjs $$tmp/demo) || status=$$?; \
	rm -rf $$tmp; exit $$status

# A count and an empty corpus cache per target: re-running the inputs cached
# by earlier runs took whole budgets of 3s, and a slow target then ran none.
fuzz-short:
	FUZZTIME=1000x FUZZFRESH=1 ./scripts/fuzz.sh

## fuzz: every fuzz target for FUZZTIME each (make fuzz FUZZTIME=1m)
fuzz:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

## bench: the micro-benchmarks (readers, dedupe, agreement, synthesis); then whole runs (config, every stage, every
## table written, the CLI's memory settings) on the old and the hard synthetic corpora at 10k, 100k and 1M records, one
## process per size, with a table of medians (scripts/bench.sh; BENCHCOUNT=3 for medians of 3, BENCH_SIZES="10k 100k"
## to leave out 1M, BENCH_PROFILES=hard); then the byte-identity check: 5 CLI runs of a 1M-record review and one each
## with GOMAXPROCS=1, 2, 8
BENCHCOUNT ?= 1
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./...
	BENCHCOUNT=$(BENCHCOUNT) ./scripts/bench.sh
	$(GO) run ./scripts/reproducible -bin $(BIN) -records 1000000 -runs 5 -procs 1,2,8

## bench-profile: a CPU profile of one whole run and its top entries (PROFILE=hard SIZE=100k)
PROFILE ?= hard
SIZE    ?= 100k
bench-profile:
	mkdir -p bin
	$(GO) test -run '^$$' -bench 'FullRun/^$(PROFILE)-$(SIZE)$$' -benchtime 1x -timeout 3h \
		-cpuprofile bin/cpu-$(PROFILE)-$(SIZE).pprof -o bin/stages.test ./stages
	$(GO) tool pprof -top -nodecount 40 bin/stages.test bin/cpu-$(PROFILE)-$(SIZE).pprof

## eval-dedup: precision, recall, F1 and false merges on the labelled sets in ../shared
eval-dedup: build
	@if [ ! -d "$(SHARED)/data/dedup-dev" ]; then \
		echo "make eval-dedup: no labelled sets at $(SHARED)/data/dedup-dev: they are in the team's shared reference data," >&2; \
		echo "  a folder 'shared' beside this checkout; run make eval-dedup SHARED=/path/to/shared if it is elsewhere" >&2; exit 2; fi
	./$(BIN) eval-dedup --studies --misses $(SHARED)/data/dedup-dev/*/

clean:
	rm -rf bin out
