# nezame — the README's commands. `make run` serves the app in demo mode (no credentials, no
# servers); `make test` passes every test on a fresh Debian/Ubuntu machine, installing what it needs.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/nezame
# Build tags of every build and test, here, in the Dockerfile and in cloudbuild.yaml (go test
# ./deploy/ keeps them equal). nomsgpack leaves gin's MessagePack binding out: nezame binds no
# MessagePack, and the codec costs about 6 MB of binary.
GOTAGS := nomsgpack
FUZZTIME ?= 60s

.PHONY: run build web wasm deps-web deps-system test test-go test-wasm fuzz test-web test-e2e e2e-archive-large bench bench-go bench-hotpath accuracy lint loadtest clean

run: web
	$(GO) run -tags $(GOTAGS) ./api

build: web
	CGO_ENABLED=0 $(GO) build -tags $(GOTAGS) -trimpath -ldflags "-s -w" -o $(BIN) ./api

# npm run build compiles the analyzer to WebAssembly first (web/scripts/build-wasm.mjs).
web: deps-web
	cd web && npm run build

# The analyzer for the browser alone: web/src/features/archive/wasm/analyzer.wasm.
wasm: deps-web
	cd web && npm run build:wasm

deps-web:
	scripts/ensure-web-deps.sh

deps-system:
	scripts/ensure-system-deps.sh redis-server chromium fonts-ipafont-gothic

test: deps-system build test-go test-wasm test-web test-e2e
	@echo "make test: all suites passed"

test-go:
	$(GO) vet -tags $(GOTAGS) ./...
	$(GO) test -race -count=1 -tags $(GOTAGS) ./...

# The analyzer as the browser runs it: its own tests and the WebAssembly bridge's, compiled with
# GOOS=js GOARCH=wasm and run under Node (the Go toolchain's go_js_wasm_exec).
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm
test-wasm:
	GOOS=js GOARCH=wasm $(GO) vet ./analyzer/wasm/
	PATH="$(WASM_EXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test -count=1 ./analyzer/ ./analyzer/wasm/...

# Exploration, for contributors (never part of `make test`, which must be deterministic). Plain
# `go test` already replays each target's seed corpus and every crasher committed under
# testdata/fuzz; commit what this finds there. `go test -fuzz` takes one target at a time.
FUZZ_TARGETS := ./analyzer/:FuzzAnalyze ./api/internal/emulator/oauthsig/:FuzzParseAuthorization \
	./api/internal/emulator/:FuzzAuthenticate ./api/internal/posttimes/:FuzzDecode \
	./api/internal/share/:FuzzDecodeSummary
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t##*:} in $${t%%:*} for $(FUZZTIME)"; \
		$(GO) test -tags $(GOTAGS) -run '^$$' -fuzz "^$${t##*:}\$$" -fuzztime $(FUZZTIME) "$${t%%:*}"; \
	done

test-web: deps-web
	cd web && npm run lint && npm test

test-e2e: build
	cd web && NEZAME_BIN=../$(BIN) npm run e2e

# The archive import at a million posts (a 1.35 GB tweets.js), kept out of `make test` for its
# length: the fixture is written once to web/e2e/output/fixtures/ and reused.
e2e-archive-large: build
	cd web && NEZAME_BIN=../$(BIN) NEZAME_E2E_LARGE=1 npm run e2e -- archive

# Go benchmarks, then the hot path end to end: cached GET /api/periods against /healthz in the same
# run (wrk, bin/nezame, redis-server on loopback), reported as a ratio (deploy/hotpath).
bench: bench-go bench-hotpath

bench-go:
	$(GO) test -tags $(GOTAGS) -run '^$$' -bench . -benchmem -count 5 ./analyzer/ ./api/...

bench-hotpath:
	scripts/ensure-system-deps.sh redis-server wrk
	CGO_ENABLED=0 $(GO) build -tags $(GOTAGS) -trimpath -ldflags "-s -w" -o $(BIN) ./api
	$(GO) run ./deploy/hotpath -bin $(BIN)

# The sleep-inference benchmark: simulated people with known sleep, the 2020 gap rule against the
# model, three parameter sets (tuned, held-out, dense). Deterministic; writes docs/accuracy.{md,json} and
# the tables in docs/METHOD.md.
accuracy:
	$(GO) run ./analyzer/cmd/accuracy -md docs/accuracy.md -json docs/accuracy.json -method docs/METHOD.md

lint:
	$(GO) vet -tags $(GOTAGS) ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	cd web && npm run lint

# The 60-second trend-day spike: 3 instances, one redis-server, the emulator as its own process.
loadtest:
	$(GO) run -tags $(GOTAGS) ./api loadtest -duration 60s -out deploy/loadtest/results/latest.json

clean:
	rm -rf bin web/e2e/output web/src/features/archive/wasm/analyzer.wasm web/src/features/archive/wasm/wasm_exec.js
