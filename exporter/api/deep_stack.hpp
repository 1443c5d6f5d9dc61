// deep_stack: runs an API handler on a kept thread with a large stack.
//
// The PromQL parser and evaluator recurse once per level of the expression
// (up to query::kMaxExprHeight = 1000 levels, which Prometheus accepts), and
// a civetweb worker's stack (100 KiB) overflowed at about 50 nested
// parentheses, killing the daemon. Every API handler that parses PromQL
// (queries and match[] selectors) runs on the worker first; the parser and
// the evaluator check the stack left before each level (require_stack,
// common/util/stack_guard.hpp), and an expression that nests deeper than
// fits starts over here while the worker waits. Running every query here
// cost a small one two thread hand-offs, ~10% of its CPU.
//
// The threads are kept between requests (idle ones end after 5 minutes), so
// their malloc arenas stay warm: a thread per request made every query grow a
// fresh arena, ~40% of a 7-day query's CPU.
//
// Thread-safety: call from any thread; `handler` runs on a deep-stack thread.
#pragma once

#include <cstddef>
#include <functional>

#include "exporter/http_response.hpp"

namespace mc::api {

// The deepest expressions the parser accepts (998 nested parentheses, unary
// minuses, binary operators, function calls, aggregations, subqueries) run
// in it (tests/integration/query_api_test.cpp); the least that would do was
// not measured. Only touched pages take memory.
inline constexpr size_t kDeepStackBytes = size_t{64} << 20;

// The handler's answer; a 500 when no thread can be started, and an
// exception the handler throws comes back to the caller.
HttpResponse run_on_deep_stack(const std::function<HttpResponse()>& handler);

// `handler` on the calling thread; when it throws StackExhausted, again on a
// deep-stack thread (REQUIRES: it has no effect that a second run repeats).
HttpResponse run_here_or_on_deep_stack(const std::function<HttpResponse()>& handler);

}  // namespace mc::api
