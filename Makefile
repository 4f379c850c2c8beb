# Tern: the Makefile only wraps Meson (DESIGN.md). `make demo` and `make check` are all a
# newcomer needs on a fresh Debian 12 machine: each first installs missing Debian packages.

BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# make fuzz SECONDS=N: how long each fuzz target runs
SECONDS ?= 60

# Everything Tern builds with, tests against, and runs beside.
DEBIAN_PACKAGES = meson ninja-build pkg-config gcc clang libclang-rt-14-dev \
	libuv1-dev libmnl-dev libedit-dev libyaml-dev libcmocka-dev \
	python3 python3-pytest python3-scapy iproute2 iputils-ping tshark \
	bird2 frr exabgp gobgpd openbgpd chromium

.PHONY: all deps build asan fuzz check unit net demo bench diffcheck clean

all: build

deps:
	@scripts/install-deps.sh $(DEBIAN_PACKAGES)

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	@meson setup --reconfigure $(BUILD) >/dev/null
	ninja -C $(BUILD)

$(ASAN_BUILD)/build.ninja:
	CC=clang meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false \
		-Db_lto=false -Dc_args=-fno-sanitize-recover=all

asan: deps $(ASAN_BUILD)/build.ninja
	@meson setup --reconfigure $(ASAN_BUILD) >/dev/null
	ninja -C $(ASAN_BUILD)

$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) -Dfuzzing=true -Db_lto=false

# Every libFuzzer target of tests/fuzz for SECONDS each, from its seed corpus; new inputs go to
# $(FUZZ_BUILD)/corpus-new/NAME, crashes to $(FUZZ_BUILD)/findings/NAME (fails if any).
fuzz: deps $(FUZZ_BUILD)/build.ninja
	@meson setup --reconfigure $(FUZZ_BUILD) >/dev/null
	ninja -C $(FUZZ_BUILD)
	@scripts/fuzz.sh $(FUZZ_BUILD) $(SECONDS)

# Unit tests plain and under ASan+UBSan, every fuzz corpus replayed, the namespace tests;
# ends with one line "N passed, N failed, N skipped", and fails on any failure, error, XPASS or leak.
check: build asan
	@scripts/check.sh $(BUILD) $(ASAN_BUILD)

unit: build
	meson test -C $(BUILD) --print-errorlogs

net: build
	TERN_BUILD=$(CURDIR)/$(BUILD) /usr/bin/python3 -m pytest -q tests/net

# Only what the lab runs is built (the daemon, its shell, tern-lab): the tests are not needed
# to watch the seed lab, and with link-time optimisation they are most of a build's time.
demo: deps $(BUILD)/build.ninja
	@meson setup --reconfigure $(BUILD) >/dev/null
	ninja -C $(BUILD) ternd ternc tern-lab
	@scripts/demo.sh $(BUILD)

# Issue 8: a full table through Tern, BIRD, FRR, OpenBGPD and GoBGP side by side (needs root).
# QUICK=1: 10,000 prefixes, one run, under a minute. Builds in its own directory.
bench: deps
	QUICK=$(QUICK) /usr/bin/python3 bench/run.py --build build-bench

# Issue 12: the differential check against the pre-refactor build (tests/diff/README.md), full
# form: PREFIXES (one feeder's table), TEN_PREFIXES (each of ten feeders'), SEEDS (session
# simulation). The reference is built into build-ref/. Needs root. `make check` runs it small.
PREFIXES ?= 100000
TEN_PREFIXES ?= 20000
SEEDS ?= 4000
diffcheck: build
	/usr/bin/python3 tests/diff/diffcheck.py --head-build $(BUILD) --prefixes $(PREFIXES) \
		--ten-prefixes $(TEN_PREFIXES) --seeds $(SEEDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-ref
