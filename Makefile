# The two commands of the README, and a few more for developers.
#   make run   install what is missing, build, run the daemon on examples/quickstart.yml
#   make test  install what is missing, build, run every test (ctest's summary last)
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CONFIG ?= examples/quickstart.yml

.PHONY: all deps build daemon run test test-asan test-tsan bench format clean

all: build

deps:
	bash deploy/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

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
# build directory of its own (about 7 minutes to build on 2 cores).
test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMC_BUILD_BENCHMARKS=OFF -DMC_SANITIZE=address,undefined
	cmake --build build-asan -j$(JOBS)
	cd build-asan && ctest --output-on-failure -j$(JOBS) --timeout 600

test-tsan: deps
	cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DMC_BUILD_BENCHMARKS=OFF -DMC_SANITIZE=thread
	cmake --build build-tsan -j$(JOBS)
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -j$(JOBS) --timeout 600

bench: build
	bash bench/run.sh $(BUILD_DIR)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
