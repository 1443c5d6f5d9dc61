# The two commands of the README, and a few more for developers.
#   make run   install what is missing, build, run the daemon on examples/quickstart.yml
#   make test  install what is missing, build, run every test (ctest's summary last)
#   make fuzz  build the libFuzzer targets (clang) and run each for FUZZ_SECONDS
#   make tidy  clang-tidy over our own sources with the checks of .clang-tidy
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CONFIG ?= examples/quickstart.yml

FUZZ_SECONDS ?= 60
FUZZ_BUILD_DIR ?= build-fuzz

.PHONY: all deps build daemon run test test-asan test-tsan fuzz fuzz-build bench format tidy clean

all: build

deps:
	bash deploy/install-deps.sh

# Unity builds: CMake compiles UNITY_BATCH sources of a target as one file, so
# the headers they share are parsed once per batch. The sanitizer trees, which
# CI builds from scratch, use them; SANITIZE_UNITY=OFF for a sanitizer tree
# that rebuilds one file at a time after an edit. UNITY=ON does the same for
# $(BUILD_DIR) when it is first configured. Files that cannot share a batch
# are listed in CMakeLists.txt (SKIP_UNITY_BUILD_INCLUSION).
UNITY ?= OFF
SANITIZE_UNITY ?= ON
UNITY_BATCH ?= 8
SANITIZE_ARGS = -DCMAKE_UNITY_BUILD=$(SANITIZE_UNITY) -DCMAKE_UNITY_BUILD_BATCH_SIZE=$(UNITY_BATCH)

# DEBUG_INFO: the debug information of a RelWithDebInfo $(BUILD_DIR) when it is
# first configured. -g (everything gdb shows) by default; -g1 keeps function
# names and line tables (backtraces, perf and callgrind by file:line, not
# local variables), and g++ 12 at -O2 compiles the tests about a quarter
# faster with it (.ci/README.md): CI's tree uses it.
DEBUG_INFO ?= -g

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 $(DEBUG_INFO) -DNDEBUG" \
	  -DCMAKE_UNITY_BUILD=$(UNITY) -DCMAKE_UNITY_BUILD_BATCH_SIZE=$(UNITY_BATCH)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

# Only the daemon: a first `make run` should not wait for the tests to compile.
daemon: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS) --target metrics-collector

run: daemon
	$(BUILD_DIR)/metrics-collector --config.file=$(CONFIG)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) --timeout 600

# Every test under AddressSanitizer+UBSan, or under ThreadSanitizer, each in a
# build directory of its own, unity builds (SANITIZE_UNITY above; the fuzz
# tree below too).
test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMC_BUILD_BENCHMARKS=OFF -DMC_SANITIZE=address,undefined \
	  -DMC_UNIT_TESTS_BY_FILE=ON $(SANITIZE_ARGS)
	cmake --build build-asan -j$(JOBS)
	cd build-asan && ctest --output-on-failure -j$(JOBS) --timeout 600

# TSAN_TESTS (a ctest -R regex) narrows test-tsan to the tests with threads
# when the whole suite under TSan no longer fits CI's time; empty runs all.
# TSAN_TARGETS narrows what is built to the executables those tests need;
# TSAN_EXCLUDE (a ctest -E regex) drops tests that are slow under TSan. The
# unit tests are one ctest test per file, as under ASan ("unit: file <name>";
# the TSan unit_tests binary takes 0.3 s to start, 876 per-case starts were
# about a third of the step's test time, .ci/README.md).
TSAN_TESTS ?=
TSAN_TARGETS ?=
TSAN_EXCLUDE ?=
test-tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DMC_BUILD_BENCHMARKS=OFF -DMC_SANITIZE=thread \
	  -DMC_UNIT_TESTS_BY_FILE=ON $(SANITIZE_ARGS)
	cmake --build build-tsan -j$(JOBS) $(if $(TSAN_TARGETS),--target $(TSAN_TARGETS))
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -j$(JOBS) --timeout 600 \
	  $(if $(TSAN_TESTS),-R '$(TSAN_TESTS)') $(if $(TSAN_EXCLUDE),-E '$(TSAN_EXCLUDE)')

# The fuzz targets of tests/fuzz, built with clang, libFuzzer, ASan and UBSan in
# a build directory of their own; each runs FUZZ_SECONDS, then a table of
# executions and coverage per target. A crash fails the run and leaves its
# input in $(FUZZ_BUILD_DIR)/fuzz-crashes/ (copy it to tests/fuzz/regressions/).
# `make test` replays tests/fuzz/corpus and regressions (ctest "fuzz_regression").
fuzz-build: deps
	cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	  -DMC_BUILD_TESTS=OFF -DMC_BUILD_BENCHMARKS=OFF -DMC_BUILD_FUZZERS=ON $(SANITIZE_ARGS)
	cmake --build $(FUZZ_BUILD_DIR) -j$(JOBS) --target fuzzers

fuzz: fuzz-build
	bash tests/fuzz/run_fuzzers.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

bench: build
	bash bench/run.sh $(BUILD_DIR)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

# clang-tidy (Debian 12's, 14) with the check set of .clang-tidy, which says why
# each check is on or off, over every .cpp of common/, collector/, exporter/ and
# daemon/ and the headers they include (not tests/ nor bench/). Needs only a
# configured build directory for compile_commands.json; nothing is compiled.
# Any finding fails the target. About 9 to 10 minutes with JOBS=1 on two cores.
TIDY_BUILD_DIR ?= build-tidy
tidy: deps
	cmake -S . -B $(TIDY_BUILD_DIR) -DCMAKE_BUILD_TYPE=Debug -DMC_BUILD_BENCHMARKS=OFF \
	  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON > /dev/null
	run-clang-tidy -p $(TIDY_BUILD_DIR) -j$(JOBS) -quiet \
	  '^$(CURDIR)/(common|collector|exporter|daemon)/.*\.cpp$$'

clean:
	rm -rf $(BUILD_DIR)
