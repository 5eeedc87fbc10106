# realsynth — `make run` runs the demo review, `make test` runs every test.
GO       ?= go
BIN      := bin/realsynth
FUZZTIME ?= 5s
SHARED   ?= ../shared

.PHONY: build run test test-go test-duckdb test-browser fuzz fuzz-short bench eval-dedup clean

build:
	$(GO) build -o $(BIN) ./cmd/realsynth

## run: the pipeline on the demo review in testdata/, then a one-screen summary
run: build
	./$(BIN) run --config configs/demo.yaml

## test: vet, unit and golden tests, the DuckDB interop check, report.html in headless Chromium, a short fuzz run
test: test-go test-duckdb test-browser fuzz-short

test-go:
	$(GO) vet ./...
	$(GO) test ./...

test-duckdb:
	cd interop/duckdb && $(GO) test ./...

## test-browser: the demo's report.html in headless Chromium; screenshots in interop/browser/screenshots/
test-browser:
	cd interop/browser && $(GO) test -count=1 -v ./...

fuzz-short:
	FUZZTIME=3s ./scripts/fuzz.sh

## fuzz: every fuzz target for FUZZTIME each (make fuzz FUZZTIME=1m)
fuzz:
	FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

## bench: the benchmarks (readers, the real ingest + dedupe stages at 10k/100k, agreement, synthesis), then 1M records
## (the 1M run uses the CLI's memory settings, GOMEMLIMIT=3500MiB GOGC=400; BENCHCOUNT=3 for medians),
## then the byte-identity check: 5 CLI runs of a 1M-record review and one each with GOMAXPROCS=1, 2, 8
BENCHCOUNT ?= 1
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./...
	GOMEMLIMIT=3500MiB GOGC=400 $(GO) test -run '^$$' -bench 'RunIngestDedupe1M' -benchtime 1x -count $(BENCHCOUNT) -timeout 30m ./stages
	$(GO) run ./scripts/reproducible -bin $(BIN) -records 1000000 -runs 5 -procs 1,2,8

## eval-dedup: precision, recall, F1 and false merges on the labelled sets in ../shared
eval-dedup: build
	./$(BIN) eval-dedup --studies --misses $(SHARED)/data/dedup-dev/*/

clean:
	rm -rf bin out
