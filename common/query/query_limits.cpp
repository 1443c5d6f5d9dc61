#include "common/query/query_limits.hpp"

#include "common/query/eval_failure.hpp"

namespace mc::query {

void QueryLimits::check_deadline() const {
  if (std::chrono::steady_clock::now() >= deadline_) {
    fail_evaluation(QueryErrorKind::Timeout, kEvaluationTimeoutMessage);
  }
}

void QueryLimits::take_samples(uint64_t n) {
  if (n > max_samples_ - samples_held_) {
    fail_evaluation(QueryErrorKind::Execution, kTooManySamplesMessage);
  }
  samples_held_ += n;
}

void QueryLimits::release_samples(uint64_t n) {
  samples_held_ -= n < samples_held_ ? n : samples_held_;
}

}  // namespace mc::query
