#include "common/util/stack_guard.hpp"

#include <pthread.h>

#include <cstdint>
#include <limits>

namespace mc {

namespace {

// The lowest address of this thread's stack (it grows down), 0 when unknown.
uintptr_t stack_low_end() {
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0) return 0;
  void* low = nullptr;
  size_t size = 0;
  const int failed = pthread_attr_getstack(&attributes, &low, &size);
  pthread_attr_destroy(&attributes);
  return failed != 0 ? 0 : reinterpret_cast<uintptr_t>(low);
}

}  // namespace

size_t remaining_stack() {
  thread_local const uintptr_t low = stack_low_end();
  const auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (low == 0) return std::numeric_limits<size_t>::max();
  return here > low ? here - low : 0;
}

}  // namespace mc
