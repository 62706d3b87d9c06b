# Buurtkracht. `make run` starts the platform with demo data; `make test` runs every test.
SHELL := /bin/bash
GO ?= go
BIN := bin/buurtkracht

.PHONY: run test build generate check-generated vendor node_modules lint bench clean backup restore

## run: start the platform with demo data on http://localhost:8080
run:
	$(GO) run ./cmd/buurtkracht dev

## build: compile the binary into bin/
build:
	$(GO) build -trimpath -o $(BIN) ./cmd/buurtkracht

## generate: regenerate templ code (commit the result)
generate:
	$(GO) tool templ generate

## check-generated: fail when committed *_templ.go files differ from their sources
check-generated:
	@$(GO) tool templ generate >/dev/null
	@if [ -n "$$(git status --porcelain -- '*_templ.go')" ]; then \
		echo "templ generate changed files; run 'make generate' and commit:"; git status --porcelain -- '*_templ.go'; exit 1; fi

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch node_modules

## vendor: copy front-end files from npm into web/static/vendor
vendor: node_modules
	cp node_modules/@utrecht/component-library-css/dist/index.css web/static/vendor/utrecht/component-library.css
	cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css web/static/vendor/voorbeeld/theme.css

## test: run every test against a real PostgreSQL (and headless Chromium)
test: node_modules check-generated
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

## lint: vet and check for known vulnerabilities
lint:
	$(GO) vet ./...
	$(GO) run golang.org/x/vuln/cmd/govulncheck@latest ./...

## backup: dump the database (DATABASE_URL or the local default) to backups/
backup:
	$(GO) run ./cmd/buurtkracht backup

## restore: load a dump back, e.g. make restore FILE=backups/buurtkracht-20261123-101500.dump
restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<file>.dump"; exit 2; }
	$(GO) run ./cmd/buurtkracht restore "$(FILE)"

clean:
	rm -rf bin
