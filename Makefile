# Buurtkracht. `make run` starts the platform with demo data; `make test` runs every test.
SHELL := /bin/bash
GO ?= go
BIN := bin/buurtkracht
# Tests mostly wait on PostgreSQL and Chromium, so run more of them at once
# than there are cores; -p 2 builds and runs two packages at a time.
TEST_FLAGS ?= -count=1 -p 2 -parallel 8 -timeout 20m

.PHONY: help run test test-e2e bench build docker generate check-generated check-format vendor lint vulncheck clean backup restore loadtest fuzz

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

## run: start the platform with demo data on http://localhost:8080 (no configuration needed)
run:
	$(GO) run ./cmd/buurtkracht dev

## test: every test: lint and govulncheck, then every package with the race detector (real PostgreSQL,
##       one database per test), the browser tests (headless Chromium, without -race) and a brief fuzz pass
# The browser tests run without the race detector: they spend their time in
# Chromium, and the server code they drive is raced by the handler tests.
E2E_PKG := ./internal/e2e/
test: node_modules check-generated check-format lint
	$(GO) test $(TEST_FLAGS) -race $$($(GO) list ./... | grep -v '/internal/e2e$$')
	$(GO) test $(TEST_FLAGS) $(E2E_PKG)
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZ_BRIEF)

## fuzz: run every fuzz target (func Fuzz* in *_fuzz_test.go) for FUZZTIME each, e.g. make fuzz FUZZTIME=60s
# go test -fuzz takes one target of one package per run; building each
# package's instrumented test binary once (go test -c -fuzz) and running the
# targets from it, FUZZ_JOBS at a time, saves the go command's start-up per
# target. New inputs that widen coverage go to Go's fuzz cache (shared with
# go test -fuzz); a failing input is written to the package's
# testdata/fuzz/<Target>/ (commit it with the fix). make test runs a brief pass
# (FUZZ_BRIEF per target) after plain go test, which replays the committed
# seed corpora. -fuzzminimizetime keeps minimising a new input from eating the
# budget of the HTTP targets. The brief pass counts executions (200x) rather
# than seconds: a time budget can run out while Go is still replaying the
# growing fuzz cache, and the fuzz engine then fails with "context deadline
# exceeded" although no input failed.
FUZZTIME ?= 10s
FUZZ_BRIEF ?= 200x
FUZZ_JOBS ?= 2
FUZZ_BIN := $(CURDIR)/bin/fuzz
fuzz:
	@start=$$SECONDS; mkdir -p $(FUZZ_BIN); cache=$$($(GO) env GOCACHE)/fuzz/$$($(GO) list -m); \
	dirs=$$(find internal -name '*_fuzz_test.go' -exec dirname {} \; | sort -u); \
	echo "$$dirs" | xargs -P $(FUZZ_JOBS) -I{} sh -c '$(GO) test -c -fuzz=. -o $(FUZZ_BIN)/$$(echo {} | tr / _).test ./{} || exit 255' || exit 1; \
	echo "fuzz: test binaries built in $$((SECONDS-start))s"; \
	for d in $$dirs; do sed -n "s|^func \(Fuzz[A-Za-z0-9_]*\)(f \*testing\.F).*|$$d \1|p" $$d/*_fuzz_test.go; done | \
	FUZZ_CACHE=$$cache xargs -P $(FUZZ_JOBS) -L 1 bash -c 'cd "$$0" && t0=$$SECONDS && \
		out=$$($(FUZZ_BIN)/$$(echo $$0 | tr / _).test -test.run="^$$" -test.fuzz="^$$1\$$" -test.fuzztime=$(FUZZTIME) \
			-test.fuzzminimizetime=200x -test.parallel=1 -test.fuzzcachedir="$$FUZZ_CACHE/$$0" 2>&1) && \
		echo "ok   fuzz $$1 ($$0, $$((SECONDS-t0))s)" || { echo "$$out"; echo "FAIL fuzz $$1 in ./$$0"; exit 255; }' || exit 1; \
	echo "fuzz: $(FUZZTIME) per target, $(FUZZ_JOBS) at a time, $$((SECONDS-start))s in total"

## test-e2e: only the browser tests
test-e2e: node_modules
	$(GO) test $(TEST_FLAGS) ./internal/e2e/

## bench: the public and logged-in pages on 1,000,000 synthetic contacts, each next to a bare baseline page:
##        in-process (server time) and the real binary over TCP (cmd/bench, about 3 minutes; database
##        BENCH_DATABASE_URL, default buurtkracht_bench, seeded once), then the Go benchmarks, e.g. make bench BENCH=Search;
##        one mode: make bench BENCH_FLAGS="-mode external -duration 10s"
BENCH ?= .
bench:
	$(GO) run ./cmd/bench $(BENCH_FLAGS)
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count=1 ./...

## loadtest: 200 simulated users for 60 s, a database outage, a restart and two instances under load (127.0.0.1 only; about 3 minutes)
# Flags: make loadtest LOADTEST_FLAGS="-scenario outage -users 50"; see go run ./cmd/loadtest -h.
loadtest:
	$(GO) run ./cmd/loadtest $(LOADTEST_FLAGS)

## build: compile the binary into bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/buurtkracht

## docker: build the container image (needs a Docker engine)
docker:
	docker build -t buurtkracht .

## generate: regenerate templ code (commit the result)
generate:
	$(GO) tool templ generate

## check-generated: fail when committed *_templ.go files differ from their sources
# Differences only in the FileName of templ's error positions (which depend on
# the directory templ ran from) do not count; any other difference does.
check-generated:
	@$(GO) tool templ generate >/dev/null 2>&1 || { $(GO) tool templ generate; exit 1; }
	@stale=$$(git diff -U0 -- '*_templ.go' | grep -E '^[-+]' | grep -vE '^(\+\+\+|---) ' | grep -v 'FileName: `'); \
	new=$$(git ls-files --others --exclude-standard -- '*_templ.go'); \
	if [ -n "$$stale$$new" ]; then \
		echo "templ generate changed files; run 'make generate' and commit:"; \
		git diff --stat -- '*_templ.go'; echo "$$new"; exit 1; fi

## check-format: fail when a Go file is not gofmt-formatted
check-format:
	@unformatted=$$("$$($(GO) env GOROOT)/bin/gofmt" -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "not gofmt-formatted (run gofmt -w):"; echo "$$unformatted"; exit 1; fi

# Front-end packages and test tools (axe-core, vnu-jar), installed when missing
# or when package.json / package-lock.json change.
node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch node_modules

## vendor: write the NL Design System CSS from npm into web/static/vendor, pruned to what
##   the templates use (run it after using a new Utrecht class; a test checks it)
vendor: node_modules
	$(GO) run ./cmd/cssprune

## lint: golangci-lint (config in .golangci.yml) and govulncheck; both pinned in tools/go.mod, so
##   they work offline once the module cache has them
TOOL := $(GO) tool -modfile=$(CURDIR)/tools/go.mod
lint:
	$(GO) vet ./...
	$(TOOL) golangci-lint run ./...
	@$(MAKE) --no-print-directory vulncheck

## vulncheck: govulncheck over the code paths we call, against the offline copy of the Go
##   vulnerability database in ../shared/vulndb (override with VULNDB=file:///abs/path or an URL)
VULNDB ?= $(firstword $(foreach d,$(abspath $(CURDIR)/../shared/vulndb) /work/shared/vulndb,$(if $(wildcard $(d)/index/db.json),file://$(d))))
vulncheck:
	@test -n "$(VULNDB)" || { echo "vulncheck: no vulnerability database; set VULNDB=file:///path/to/vulndb"; exit 1; }
	$(TOOL) govulncheck -db $(VULNDB) ./...

## backup: dump the database (DATABASE_URL or the local default) to backups/
backup:
	$(GO) run ./cmd/buurtkracht backup

## restore: load a dump back, e.g. make restore FILE=backups/buurtkracht-20261123-101500.dump
restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<file>.dump"; exit 2; }
	$(GO) run ./cmd/buurtkracht restore "$(FILE)"

## clean: remove build output (not the private database in .data/)
clean:
	rm -rf bin
