# nezame — the README's commands. `make run` serves the app in demo mode (no credentials, no
# servers); `make test` passes every test on a fresh Debian/Ubuntu machine, installing what it needs.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/nezame
FUZZTIME ?= 10s

.PHONY: run build web deps-web deps-system test test-go test-fuzz test-web test-e2e bench lint loadtest clean

run: web
	$(GO) run ./api

build: web
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w" -o $(BIN) ./api

web: deps-web
	cd web && npm run build

deps-web:
	scripts/ensure-web-deps.sh

deps-system:
	scripts/ensure-system-deps.sh redis-server chromium fonts-ipafont-gothic

test: deps-system build test-go test-fuzz test-web test-e2e
	@echo "make test: all suites passed"

test-go:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

# Each fuzz target runs briefly; `go test -fuzz` takes one target at a time.
test-fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzAnalyze$$' -fuzztime $(FUZZTIME) ./analyzer/
	$(GO) test -run '^$$' -fuzz '^FuzzParseAuthorization$$' -fuzztime $(FUZZTIME) ./api/internal/emulator/oauthsig/

test-web: deps-web
	cd web && npm run lint && npm test

test-e2e: build
	cd web && NEZAME_BIN=../$(BIN) npm run e2e

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./analyzer/ ./api/...

lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	cd web && npm run lint

# The 60-second trend-day spike: 3 instances, one redis-server, the emulator as its own process.
loadtest:
	$(GO) run ./api loadtest -duration 60s -out deploy/loadtest/results/latest.json

clean:
	rm -rf bin web/e2e/output
