# Préau — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

WASM_TARGET   := wasm32-unknown-unknown
SITE_PKG      := target/site/pkg
WASM_OUT      := target/$(WASM_TARGET)/wasm-release/preau_app.wasm
# wasm-bindgen-cli must match the wasm-bindgen crate that Cargo.lock pins, exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
APT_TEST_PACKAGES  := chromium python3-aiosmtpd python3-pip
# The independent CAS client of tests/tests/cas.rs, for Debian's python3 (not packaged by Debian).
PIP_TEST_PACKAGES  := python-cas==1.7.2
APT_BENCH_PACKAGES := wrk nginx-light
LISTEN ?= 127.0.0.1:3000

.PHONY: run build wasm test lint fmt unit e2e browser bench deps test-deps bench-deps fuzz soak heap profile clean \
	package package-test image image-test

## make run: build the release binary and start the demo collège on http://$(LISTEN)
run: build
	./target/release/preau serve --demo --data ./data --listen $(LISTEN)

## make build: the release binary, with the WASM bundle and assets embedded
build: wasm
	cargo build --locked --release -p preau-server

## make test: lint, then every test (unit, HTTP end-to-end, browser)
test: lint unit e2e browser

deps:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked \
	    || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

wasm: deps
	cargo build --locked -p preau-app --lib --target $(WASM_TARGET) --features hydrate --profile wasm-release
	wasm-bindgen --target web --no-typescript --remove-name-section \
	  --out-dir $(SITE_PKG) --out-name preau $(WASM_OUT)

lint: wasm
	cargo fmt --all -- --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	cargo clippy --locked -p preau-app --lib --target $(WASM_TARGET) --features hydrate -- -D warnings

fmt:
	cargo fmt --all

## unit tests of every crate (the tests crate's own helpers included)
unit: wasm
	cargo test --locked --workspace --lib --bins

## HTTP end-to-end tests against the real binary (built once, shared by all tests)
e2e: wasm test-deps
	cargo build --locked -p preau-server
	PREAU_BIN=$(CURDIR)/target/debug/preau cargo test --locked -p preau-tests --tests

test-deps:
	@command -v chromium >/dev/null && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null \
	  || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(APT_TEST_PACKAGES); }
	@/usr/bin/python3 -m pip --version >/dev/null 2>&1 \
	  || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pip; }
	@/usr/bin/python3 -c 'import cas' 2>/dev/null \
	  || /usr/bin/python3 -m pip install --break-system-packages --no-warn-script-location $(PIP_TEST_PACKAGES)
	cd tests/browser && npm ci --no-audit --no-fund

## browser tests in headless Chromium (Debian's), driven by playwright-core
browser: wasm test-deps
	cargo build --locked -p preau-server
	cd tests/browser && PREAU_BIN=$(CURDIR)/target/debug/preau node --test --test-concurrency=1

bench-deps:
	@command -v wrk >/dev/null && command -v nginx >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(APT_BENCH_PACKAGES); }

## make bench: load runs on loopback (parent.demo's home page, eleve.demo's week of the
## timetable; each against nginx serving the same bytes), the
## directory import of a generated 2,500-account export, resource search through HTTP
## over 50,000 generated resources, the messagerie (inbox page; a send to every parent), CAS
## ticket validation (serviceValidate at 64 connections), and
## a backup and restore of the demo collège (time and size)
bench: build bench-deps
	bench/load.sh
	LOGIN=eleve.demo PAGE=/emploi-du-temps bench/load.sh
	LOGIN=eleve.demo PAGE=/cahier-de-textes/a-faire bench/load.sh
	LOGIN=eleve.demo PAGE=/agenda bench/load.sh
	LOGIN=eleve.demo PAGE=/actualites bench/load.sh
	LOGIN=parent.demo PAGE=/messagerie bench/load.sh
	bench/cas.sh
	cargo bench --locked -p preau-server --bench messages
	cargo build --locked --release -p preau-tests --bin aaf_import_bench
	bench/import.sh
	cargo bench --locked -p preau-server --bench search
	cargo build --locked --release -p preau-server --example seed_resources
	bench/search_http.sh
	cargo bench --locked -p preau-server --bench notifications
	bench/sse.sh
	bench/backup.sh
	bench/appliance.sh

## make profile: instructions per authenticated page (LOGIN, PAGE; default parent.demo's home), and where they go (callgrind)
profile: build
	@command -v valgrind >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y valgrind; }
	bench/profile_home.sh

## make heap: a heap profile (dhat) of a 64-connection search load over 50,000 resources
heap: bench-deps
	cargo build --locked --release -p preau-server --example seed_resources
	bench/heap.sh

## make soak: 10 minutes of mixed traffic at 256 connections against the release binary with the
## demo plus 50,000 resources, while a client keeps sending hostile requests (bench/soak.sh)
soak: build bench-deps
	cargo build --locked --release -p preau-server --example seed_resources
	bench/soak.sh

## make fuzz: each fuzz target of fuzz/ for FUZZ_SECONDS, from its seeds (not part of make test).
## libFuzzer needs a nightly compiler: the machine's if it has one, else RUSTC_BOOTSTRAP=1 on stable.
## One libFuzzer process, one thread (its default; -jobs=1 would fork a child logging to ./fuzz-0.log).
FUZZ_SECONDS ?= 600
# target:max_len (csrf_scan goes past the 64 KiB head its scan keeps)
FUZZ_TARGETS ?= aaf_feed:32768 package_zip:16384 lom_manifest:16384 import_csv:16384 csrf_scan:70000
FUZZ_TOOLCHAIN := $(shell rustup toolchain list 2>/dev/null | grep -q '^nightly' && echo +nightly)
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked || cargo install cargo-fuzz
	@failed=; for spec in $(FUZZ_TARGETS); do \
	  target=$${spec%%:*}; max_len=$${spec##*:}; \
	  mkdir -p fuzz/corpus/$$target; \
	  echo "== fuzzing $$target for $(FUZZ_SECONDS) s"; \
	  RUSTC_BOOTSTRAP=1 nice -n 19 cargo $(FUZZ_TOOLCHAIN) fuzz run --fuzz-dir fuzz $$target \
	    fuzz/corpus/$$target fuzz/seeds/$$target -- \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	    -max_len=$$max_len -timeout=30 -print_final_stats=1 || failed="$$failed $$target"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes in$$failed (inputs in fuzz/artifacts/)"; exit 1; fi

## make package: the .deb of the appliance (binary, preau user, /etc/preau/preau.toml,
## /var/lib/preau, hardened systemd unit) into target/debian/, from the release build
package: build
	@command -v cargo-deb >/dev/null || cargo install cargo-deb --locked
	cargo deb --no-build -p preau-server

## make package-test: the .deb installed into a fresh Debian bookworm (mmdebstrap, cached in
## target/appliance/), booted with systemd-nspawn: files, user, unit, service, /healthz (not in make test)
package-test: package
	appliance/tests/package-test.sh

## make image: a bootable qcow2 appliance disk (Debian bookworm, extlinux, the .deb installed and
## enabled) at target/appliance/preau.qcow2
image: package
	appliance/image/build-image.sh

## make image-test: boots that disk in qemu (TCG; ACCEL=kvm:tcg where KVM works) and
## waits for /healthz through a forwarded port, then powers it down (not in make test)
image-test:
	@test -f target/appliance/preau.qcow2 || $(MAKE) image
	appliance/tests/image-test.sh

clean:
	cargo clean
