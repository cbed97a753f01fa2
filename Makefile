# Device staking: build, test, demo. Every target installs what it needs (see README).
SHELL := /bin/bash
CARGO ?= cargo
SO := target/deploy/device_staking.so target/deploy/device_staking_v0.so
PROGRAM_SOURCES := $(shell find programs -name "*.rs" -o -name Cargo.toml) Cargo.toml Cargo.lock $(filter-out tools/sbf/verify.sh,$(wildcard tools/sbf/*))

.PHONY: build cli-deps test unit-test svm-test demo demo-check toolchain clean-sbf help localnet localnet-stop localnet-test validator fuzz app app-test verify

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

toolchain: ## install the registry-only SBF toolchain (idempotent, cached under ~/.cache)
	@tools/sbf/install.sh

build: $(SO) cli-deps ## build the program for SBPF v3 and v0 (installs the toolchain if missing)

cli-deps: ## install what the CLI's build links besides crates: Debian's libudev-dev, for hardware wallets (apt; idempotent)
	@tools/usb/install.sh >/dev/null

$(SO) &: $(PROGRAM_SOURCES)
	@tools/sbf/build.sh

unit-test: cli-deps ## formatting and lint checks, the binaries' hashes (docs/verify.md), host unit tests of the rules, the client, the kit and the CLI; the rule coverage table
	@tools/phase.sh "formatting (cargo fmt --check, rustfmt.toml)" $(CARGO) fmt --all --check
	@tools/phase.sh "lints (cargo clippy --all-targets -D warnings)" $(CARGO) clippy --locked --workspace --all-targets -- -D warnings
	@tools/phase.sh "the built binaries are those of docs/verify.md (tools/sbf/verify.sh --built)" tools/sbf/verify.sh --built
	@tools/phase.sh "unit tests" $(CARGO) test --locked -p device-staking -p device-staking-client -p device-staking-kit -p device-staking-cli --lib --bins
	@tools/phase.sh "rule coverage (docs/rule-coverage.md)" python3 tools/rule_coverage.py

svm-test: build ## LiteSVM tests on the built v3 and v0 binaries
	@tools/phase.sh "LiteSVM tests" $(CARGO) test --locked -p device-staking-tests -- --nocapture --test-threads=2
	@tools/phase.sh "CLI commands on LiteSVM" $(CARGO) test --locked -p device-staking-cli --tests

demo-check: build ## the demo story must run to the end with balances that add up
	@tools/phase.sh "demo (debug build)" bash -c '$(CARGO) run --locked -q -p device-staking-cli -- demo > target/demo.txt && tail -n 1 target/demo.txt'

validator: ## install solana-test-validator once (about 35 min on 2 cores; cached under ~/.cache)
	@tools/localnet/install.sh >/dev/null

localnet: build validator ## run solana-test-validator on 127.0.0.1 with the program loaded (Ctrl-C stops it)
	@tools/localnet/start.sh

localnet-stop: ## stop the validator of make localnet (by its PID)
	@tools/localnet/stop.sh

localnet-test: build ## the lifecycle through the CLI on solana-test-validator (installs it if missing)
	@tools/phase.sh "solana-test-validator (install if missing)" tools/localnet/install.sh
	@tools/phase.sh "validator tests" bash -c 'trap tools/localnet/stop.sh EXIT; DEVICE_STAKING_CLI="$$(tools/cli.sh)" $(CARGO) test --locked -p device-staking-localnet -- --nocapture --test-threads=1'

# make load LOAD_DEVICES=400 LOAD_THREADS=16 for more; beside another validator, pass other ports:
# make load LOCALNET_RPC_PORT=18899 LOCALNET_FAUCET_PORT=19900 LOCALNET_GOSSIP_PORT=18001
.PHONY: load
load: build ## load run on solana-test-validator (about 1 min once built): 240 devices, ~2,900 transactions from 8 threads, R52 after every phase
	@tools/phase.sh "solana-test-validator (install if missing)" tools/localnet/install.sh
	@tools/phase.sh "load run" bash -c 'trap tools/localnet/stop.sh EXIT; DEVICE_STAKING_CLI="$$(tools/cli.sh)" $(CARGO) run --locked -q -p device-staking-localnet --bin load'

.PHONY: indexer-test
indexer-test: build ## the indexer (SQLite, then PostgreSQL on a throwaway cluster) on its own validator, its API, the CLI's history and export
	@tools/phase.sh "solana-test-validator (install if missing)" tools/localnet/install.sh
	@tools/phase.sh "PostgreSQL (install if missing)" tools/postgres/install.sh
	@tools/phase.sh "indexer: unit and API tests (1,000 events)" $(CARGO) test --locked -p device-staking-indexer --lib --test api -- --nocapture
	@tools/phase.sh "indexer on the validator (SQLite and PostgreSQL)" bash -c 'export LOCALNET_DIR="$$PWD/target/localnet-indexer"; trap tools/localnet/stop.sh EXIT; DEVICE_STAKING_CLI="$$(tools/cli.sh)" $(CARGO) test --locked -p device-staking-indexer --test validator -- --nocapture'

app: build validator ## serve the web app against localnet on 127.0.0.1:5173 (starts and seeds a validator if needed; installs Chromium and npm packages)
	@tools/app/install.sh
	@tools/app/serve.sh

app-test: build ## browser end-to-end tests of the web app on their own validator (RPC 18899), with the IDL, client, type and unit checks
	@tools/phase.sh "solana-test-validator (install if missing)" tools/localnet/install.sh
	@tools/phase.sh "Chromium and the app's packages (install if missing)" tools/app/install.sh
	@tools/phase.sh "browser tests" tools/app/e2e.sh

test: build unit-test svm-test demo-check localnet-test indexer-test app-test ## build, then run every test

demo: build ## the main job: a full lifecycle on an embedded SVM
	@$(CARGO) run --locked --release -q -p device-staking-cli -- demo

verify: ## rebuild both binaries from the committed tree in a temporary clone and compare their sha256 with docs/verify.md (about 10 min)
	@tools/phase.sh "verifiable build (tools/sbf/verify.sh)" tools/sbf/verify.sh

clean-sbf: ## remove the SBF build outputs (not the toolchain)
	rm -rf target/sbf-v3 target/sbf-v0 target/deploy

fuzz: build ## the random-operation test against the model, 1,000,000 operations per binary (release; progress on stderr)
	@PROPERTY_OPS=1000000 PROPERTY_PROGRESS=10 $(CARGO) test --locked --release -p device-staking-tests --test property -- --nocapture
	@GUARANTEE_OPS=200000 GUARANTEE_PROGRESS=30 $(CARGO) test --locked --release -p device-staking-tests --test guarantees -- --nocapture --test-threads=2

.PHONY: bench
bench: build ## compute units (20 runs of every instruction), sizes, rent, largest reward batch; into docs/benchmarks.md
	@tools/phase.sh "benchmarks (docs/benchmarks.md)" $(CARGO) run --locked -q -p device-staking-bench --bin device-staking-bench
