// stack_guard: the stack left is measured on the calling thread, and deep
// recursion stops with StackExhausted before a small stack overflows.
#include "common/util/stack_guard.hpp"

#include <pthread.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <limits>

namespace mc {
namespace {

// Recurses until require_stack throws (or, were it broken, until a bound far
// past any 256 KiB stack). The buffer keeps each level's frame about a
// kibibyte.
[[gnu::noinline]] size_t recurse_until_exhausted(size_t reserve, size_t depth = 0) {
  volatile char frame[1024];
  frame[0] = static_cast<char>(depth & 1);
  require_stack(reserve);
  if (depth > 100'000) return depth;
  const size_t deeper = recurse_until_exhausted(reserve, depth + 1);
  return deeper + static_cast<size_t>(frame[0]);  // the frame lives across the call
}

struct SmallStackRun {
  size_t remaining_at_start = 0;
  bool exhausted = false;
};

void* run_on_small_stack(void* argument) {
  auto* run = static_cast<SmallStackRun*>(argument);
  run->remaining_at_start = remaining_stack();
  try {
    recurse_until_exhausted(size_t{32} << 10);
  } catch (const StackExhausted&) {
    run->exhausted = true;
  }
  return nullptr;
}

TEST_CASE("require_stack stops recursion on a 256 KiB stack before it overflows",
          "[util][stack_guard]") {
  pthread_attr_t attributes;
  REQUIRE(pthread_attr_init(&attributes) == 0);
  REQUIRE(pthread_attr_setstacksize(&attributes, size_t{256} << 10) == 0);
  SmallStackRun run;
  pthread_t thread;
  REQUIRE(pthread_create(&thread, &attributes, &run_on_small_stack, &run) == 0);
  pthread_attr_destroy(&attributes);
  REQUIRE(pthread_join(thread, nullptr) == 0);
  CHECK(run.exhausted);  // and the process is still here
  // The thread's TLS (and a sanitizer's own state) sit at the top of its stack.
  CHECK(run.remaining_at_start > (size_t{64} << 10));
  CHECK(run.remaining_at_start <= (size_t{256} << 10));
}

TEST_CASE("the stack left shrinks as calls go deeper", "[util][stack_guard]") {
  const size_t here = remaining_stack();
  REQUIRE(here != std::numeric_limits<size_t>::max());  // the main thread's bounds are known
  CHECK_NOTHROW(require_stack(1024));
  CHECK_THROWS_AS(require_stack(here + (size_t{1} << 20)), StackExhausted);
}

}  // namespace
}  // namespace mc
