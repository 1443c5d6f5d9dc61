// topk and bottomk's choice within one group, kept as Prometheus 2.42 keeps
// it, so that ties and NaN come out the same: a binary heap with Go's
// container/heap steps whose root is the first sample to leave (a NaN root
// leaves first), then a reverse sort of the heap with Go's sort.Sort
// (go_sort.hpp).
//
// Not thread-safe; one per group while aggregating.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/query/value.hpp"

namespace mc::query {

class TopKSelection {
 public:
  // bottom: bottomk. REQUIRES: k >= 1.
  TopKSelection(int64_t k, bool bottom, const VectorSample& first);

  void offer(const VectorSample& sample);
  // The kept samples, the largest (topk) or the smallest (bottomk) first.
  Vector sorted() &&;

 private:
  // Heap order: whether heap_[i] leaves before heap_[j].
  bool leaves_before(size_t i, size_t j) const;
  void sift_up(size_t at);
  void sift_down(size_t at, size_t size);
  void pop_root();
  void push(const VectorSample& sample);

  int64_t k_;
  bool bottom_;
  Vector heap_;
};

}  // namespace mc::query
