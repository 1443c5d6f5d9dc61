// The limits one query runs under: its deadline (--query.timeout, counted from
// when the query arrived, so waiting for a slot counts) and the samples it may
// hold in memory at once (--query.max-samples). Both fail the evaluation with
// Prometheus's words.
//
// One per query; used by the one thread that evaluates it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace mc::query {

inline constexpr const char* kTooManySamplesMessage =
    "query processing would load too many samples into memory in query execution";
inline constexpr const char* kEvaluationTimeoutMessage = "query timed out in expression evaluation";

// Loops over many cheap steps look at the clock only this often.
inline constexpr size_t kStepsBetweenDeadlineChecks = 1024;

class QueryLimits {
 public:
  QueryLimits(std::chrono::steady_clock::time_point deadline, uint64_t max_samples)
      : deadline_(deadline), max_samples_(max_samples) {}

  std::chrono::steady_clock::time_point deadline() const { return deadline_; }

  // Fails the evaluation (Timeout) once the deadline has passed.
  void check_deadline() const;
  // Counts `n` more samples held; fails the evaluation (Execution) when that
  // would exceed the maximum, taking none.
  void take_samples(uint64_t n);
  void release_samples(uint64_t n);
  uint64_t samples_held() const { return samples_held_; }

 private:
  std::chrono::steady_clock::time_point deadline_;
  uint64_t max_samples_;
  uint64_t samples_held_ = 0;
};

}  // namespace mc::query
