// A SampleIterator over points already in memory (a subquery's result), so
// that a function's windows slide over them as over stored samples.
#pragma once

#include <cstddef>
#include <span>

#include "common/store/querier.hpp"

namespace mc::query {

class PointsIterator final : public SampleIterator {
 public:
  // `points` in time order; must outlive the iterator.
  explicit PointsIterator(std::span<const Sample> points) : points_(points) {}

  bool next() override {
    if (started_ && next_ < points_.size()) ++next_;
    started_ = true;
    return next_ < points_.size();
  }
  bool seek(int64_t t_ms) override {
    started_ = true;
    while (next_ < points_.size() && points_[next_].t_ms < t_ms) ++next_;
    return next_ < points_.size();
  }
  Sample at() const override { return points_[next_]; }
  Status status() const override { return {}; }

 private:
  std::span<const Sample> points_;
  size_t next_ = 0;
  bool started_ = false;
};

}  // namespace mc::query
