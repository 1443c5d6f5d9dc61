// stack_guard: lets deep recursion notice that its thread's stack is about to
// run out, so that the caller can run the work again on a thread with a
// bigger stack instead of crashing.
//
// The PromQL parser and evaluator recurse once per level of an expression
// (up to 1,000). Every query used to run on a 64 MiB-stack thread of its own
// (exporter/api/deep_stack), which cost a small query two thread hand-offs,
// ~10% of its CPU; now it runs on the HTTP worker (a 100 KiB stack), and the
// rare expression that nests deeper than fits moves to the deep stack.
//
// Thread-safety: per thread (the stack's bounds are cached thread_local).
#pragma once

#include <cstddef>

namespace mc {

// Thrown by require_stack. Deliberately not a std::exception: code between
// the recursion and the caller that can move the work elsewhere catches
// std::exception to report failures, and must not turn this into one.
struct StackExhausted {};

// The bytes of the calling thread's stack below the caller's frame; a very
// large number when the thread's bounds cannot be read.
size_t remaining_stack();

// Throws StackExhausted when fewer than `reserve` bytes remain.
inline void require_stack(size_t reserve) {
  if (remaining_stack() < reserve) throw StackExhausted{};
}

}  // namespace mc
