# Custos — the two commands that matter are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X custos/internal/app.Version=$(VERSION)
WEBUI_DIST := backend/internal/webui/dist
# The Go release with the security fixes Custos needs (the go command downloads it once).
export GOTOOLCHAIN ?= go1.26.10

.PHONY: help run build agent-windows web web-deps test test-under-load test-go fuzz test-cluster test-faults test-web e2e gen gen-check vulncheck bench bench-quick bench-load lint clean deps

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: build ## build everything and start Custos on 127.0.0.1:8080 with SQLite in ./data (DEMO_AGENT=1: and custos-agent on a SoftHSM2 demo token)
	@if [ "$${DEMO_AGENT:-0}" = 1 ]; then bash scripts/demo-agent.sh & agent=$$!; trap 'kill $$agent 2>/dev/null' EXIT; fi; \
	CUSTOS_LOG_FORMAT=$${CUSTOS_LOG_FORMAT:-text} ./bin/custos serve

build: web ## build the SPA and the binary (bin/custos) with the SPA embedded, and the device agent (bin/custos-agent, cgo)
	cd backend && CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o ../bin/custos ./cmd/custos
	cd backend/agent && CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o ../../bin/custos-agent ./cmd/custos-agent

agent-windows: ## cross-build the device agent for Windows workstations (bin/custos-agent.exe; needs apt's gcc-mingw-w64-x86-64)
	@command -v x86_64-w64-mingw32-gcc >/dev/null || { echo "x86_64-w64-mingw32-gcc is missing: apt-get install gcc-mingw-w64-x86-64"; exit 1; }
	cd backend/agent && CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o ../../bin/custos-agent.exe ./cmd/custos-agent

web-deps:
	@cd frontend && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }

web: web-deps ## build the SPA into the binary's embed directory
	cd frontend && npm run build
	find $(WEBUI_DIST) -mindepth 1 ! -name .gitkeep -delete
	cp -r frontend/dist/. $(WEBUI_DIST)/

deps: ## install what a fresh machine lacks (apt: chromium, postgresql, slapd, softhsm2, opensc; npm ci)
	bash scripts/install-deps.sh

test: ## every test: Go on SQLite and PostgreSQL, the cluster behind haproxy, SPA unit tests, Playwright e2e; prints each part's time
	@bash scripts/test.sh

test-under-load: ## make test three times in a row with both cores kept busy by a CPU hog (RUNS=n)
	@bash scripts/test-under-load.sh

test-go: ## Go unit, store and API tests on SQLite and PostgreSQL; the device agent's on SoftHSM2
	@bash scripts/install-deps.sh --system
	@url=$$(bash scripts/test-postgres.sh) && echo "PostgreSQL for tests: $${url%%\?*}" && \
	  cd backend && TEST_DATABASE_URL="$$url" CUSTOS_REQUIRE_POSTGRES=1 CUSTOS_REQUIRE_LDAP=1 CUSTOS_REQUIRE_SMTP=1 CUSTOS_REQUIRE_SOFTHSM=1 go test -count=1 -parallel 4 ./...
	cd backend/agent && CGO_ENABLED=1 CUSTOS_REQUIRE_SOFTHSM=1 go test -count=1 ./...

# The cluster runs its once-per-cluster jobs every second and flushes often, so the test
# sees many periods in a few seconds.
CLUSTER_JOB_PERIODS := ca crl refresh=1s,certificate expiry warnings=1s,request statistics prune=1s,session sweep=1s,mfa challenge sweep=1s,request statistics flush=300ms,token last-use flush=300ms,webhook delivery=500ms
test-cluster: ## three replicas on PostgreSQL behind haproxy (scripts/cluster.sh): sessions, changes within 1 s, stats, webhooks, jobs
	@bash scripts/install-deps.sh --system
	cd backend && CGO_ENABLED=0 go build -o ../bin/custos-cluster ./cmd/custos && go test -c -o ../bin/clustertest.test ./internal/clustertest
	CUSTOS_BIN=$(CURDIR)/bin/custos-cluster CLUSTER_JOB_PERIODS="$(CLUSTER_JOB_PERIODS)" bash scripts/cluster.sh -n 3 -- \
	  env CUSTOS_CLUSTER=1 bin/clustertest.test -test.count=1 -test.v

test-faults: ## faults under load on the real binary: PostgreSQL failover and restart, kill -9 and SIGTERM of Custos; prints the figures
	@bash scripts/install-deps.sh --system
	@set -o pipefail; cd backend && CUSTOS_REQUIRE_FAULTS=1 go test -count=1 -v -timeout 5m ./internal/faulttest/ 2>&1 | \
	  grep -vE '^=== (RUN|PAUSE|CONT)'

fuzz: ## every Go fuzz target for FUZZTIME each (default 8s; part of make test)
	bash scripts/fuzz.sh

test-web: web-deps ## SPA unit tests (Vitest), type check and the login page's JavaScript budget (npm run size)
	cd frontend && npm run typecheck && npm test && npx vite build --logLevel warn && npm run size

e2e: build ## Playwright end-to-end suite against the real binary in Debian's Chromium
	bash scripts/e2e.sh

gen: ## regenerate api/ (OpenAPI), the embedded doc and the SPA's TypeScript types
	bash scripts/gen.sh

gen-check: web-deps ## fail when generated files differ from their sources
	bash scripts/gen.sh
	@if [ -n "$$(git status --porcelain -- api backend/internal/apidoc frontend/src/api/schema.d.ts)" ]; then \
	  git status --porcelain -- api backend/internal/apidoc frontend/src/api/schema.d.ts; git --no-pager diff --stat; \
	  echo "generated files are out of date: run 'make gen' and commit"; exit 1; fi
	@echo "generated files are up to date"

vulncheck: ## govulncheck on the offline database: fails on a reachable vulnerability not in backend/govulncheck.allow
	bash scripts/vulncheck.sh

bench: ## seed 100k users (SQLite) and 1M (PostgreSQL) and print latency figures
	@url=$$(bash scripts/test-postgres.sh) && cd backend && go build -o ../bin/custos ./cmd/custos && \
	  BENCH_DATABASE_URL="$$url" go run ./cmd/custos-bench -binary ../bin/custos

bench-quick: ## the same at small sizes, for a smoke run
	@url=$$(bash scripts/test-postgres.sh) && cd backend && go build -o ../bin/custos ./cmd/custos && \
	  BENCH_DATABASE_URL="$$url" go run ./cmd/custos-bench -binary ../bin/custos -quick

bench-load: ## mixed workload (80% read, 15% token read, 5% write) 60 s against one replica, then two behind haproxy, on PostgreSQL (DURATION=, CLIENTS=)
	@bash scripts/install-deps.sh --system
	cd backend && CGO_ENABLED=0 go build -o ../bin/custos-cluster ./cmd/custos && go build -o ../bin/custos-load ./cmd/custos-load
	CUSTOS_BIN=$(CURDIR)/bin/custos-cluster bash scripts/cluster.sh -n 2 -- \
	  bin/custos-load -duration $${DURATION:-60s} -clients $${CLIENTS:-8}

lint: ## go vet + gofmt + tsc
	cd backend && go vet ./... && test -z "$$(gofmt -l cmd internal)"
	cd backend/agent && CGO_ENABLED=1 go vet ./... && test -z "$$(gofmt -l .)"
	cd frontend && npm run typecheck

clean: ## remove build output
	rm -rf bin frontend/dist e2e/test-results e2e/playwright-report
	find $(WEBUI_DIST) -mindepth 1 ! -name .gitkeep -delete
