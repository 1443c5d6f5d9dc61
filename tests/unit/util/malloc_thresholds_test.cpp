// fix_malloc_thresholds: a large buffer still comes from mmap (and so goes
// back to the kernel when freed) after a larger one was freed, which glibc's
// dynamic thresholds would have raised past it.
#include "common/util/malloc_thresholds.hpp"

#include <catch2/catch.hpp>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cstdlib>
#include <cstring>

namespace malloc_thresholds_test {

// Keeps the compiler from pairing a malloc with its free and removing both.
void* kept(void* pointer) {
  asm volatile("" : : "g"(pointer) : "memory");
  return pointer;
}

}  // namespace malloc_thresholds_test

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MC_SANITIZER_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MC_SANITIZER_ALLOCATOR 1
#endif
#endif

TEST_CASE("fixed malloc thresholds keep large buffers on mmap", "[util]") {
  using malloc_thresholds_test::kept;
#if defined(MC_SANITIZER_ALLOCATOR)
  SUCCEED("a sanitizer's allocator replaces glibc's malloc: nothing to observe");
#elif defined(__GLIBC__)
  mc::fix_malloc_thresholds();
  // A 24 MiB buffer freed: with dynamic thresholds glibc would raise its mmap
  // threshold to 24 MiB and serve the 4 MiB below from an arena.
  void* large = kept(std::malloc(24 << 20));
  REQUIRE(large != nullptr);
  std::memset(large, 1, 4096);
  std::free(large);
  const size_t mapped_before = ::mallinfo2().hblkhd;
  void* buffer = kept(std::malloc(4 << 20));
  REQUIRE(buffer != nullptr);
  const size_t mapped_with = ::mallinfo2().hblkhd;
  std::free(buffer);
  CHECK(mapped_with >= mapped_before + (size_t{4} << 20));
  CHECK(::mallinfo2().hblkhd == mapped_before);
#else
  SUCCEED("not glibc: nothing to fix");
#endif
}
