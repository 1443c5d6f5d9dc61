// Silences the logger for a fuzz target whose code logs on every bad input
// (WAL damage, HTTP errors): millions of lines would only slow the fuzzer and
// bury its own report.
//
// Header-only, used by the targets in tests/fuzz.
#pragma once

#include <ostream>

#include "common/util/logger.hpp"

namespace mc::fuzz {

inline void quiet_logs() {
  static bool done = false;
  if (done) return;
  done = true;
  // A stream without a buffer drops what is written to it.
  static std::ostream discard(nullptr);
  log::configure(log::Level::error, log::Format::logfmt, &discard);
}

}  // namespace mc::fuzz
