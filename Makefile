# Thin wrapper over CMake and ctest. `make run` and `make test` are all a new machine needs.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
SHARED     ?= ../shared
FUZZ_SECONDS ?= 60

.PHONY: all deps oracles build run test asan fuzz bench clean

all: build

deps:
	@bash scripts/install-deps.sh

# The reference implementations in ../shared/oracles for the differential tests (apt + npm).
oracles: deps
	@bash scripts/install-oracles.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Build, create ./cratrace.db, load the demo fleet (plus the real OSV advisories from
# ../shared when present) and answer: what is affected by known vulnerabilities, and why?
run: build
	@rm -f cratrace.db cratrace.db-wal cratrace.db-shm
	@if [ -d $(SHARED)/conformance/advisories/osv ]; then \
	  ./$(BUILD)/cratrace --db cratrace.db demo --real $(SHARED)/conformance/advisories/osv; \
	else \
	  echo "(no $(SHARED)/conformance/advisories/osv: demo advisories only)"; \
	  ./$(BUILD)/cratrace --db cratrace.db demo; \
	fi
	@echo
	@./$(BUILD)/cratrace --db cratrace.db overview --top 4
	@echo "Try: ./$(BUILD)/cratrace affected GHSA-wf5p-g6vw-rhxx   (add --json for scripts)"

test: deps oracles
	@bash scripts/test.sh $(BUILD)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: deps oracles
	@CT_BUILD_TYPE=Debug CT_CMAKE_ARGS="-DCT_SANITIZE=ON" bash scripts/test.sh $(ASAN_BUILD)

# libFuzzer (clang) on every fuzz target for FUZZ_SECONDS each.
fuzz: deps
	@bash scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: build
	@bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
