// How an evaluation stops early: a QueryError thrown inside the evaluator and
// caught where the engine starts it (engine.cpp), never beyond. The limits are
// checked deep in loops over series and steps, and a failed function or
// operator ends the whole query, as Prometheus's evaluator panics and
// recovers; unwinding keeps every level free of error plumbing, as the
// parser's ParseFailure does.
#pragma once

#include <string>
#include <utility>

#include "common/query/engine.hpp"

namespace mc::query {

struct EvalFailure {
  QueryError error;
};

[[noreturn]] inline void fail_evaluation(QueryErrorKind kind, std::string message) {
  throw EvalFailure{QueryError{kind, std::move(message)}};
}

}  // namespace mc::query
