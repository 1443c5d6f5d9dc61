// Go's sort.Sort as of Go 1.19, which built Prometheus 2.42: pattern-defeating
// quicksort (insertion sort up to 12 elements, heapsort after too many bad
// pivots) over an index-based less and swap. It is not stable, and the order
// it leaves equal elements in reaches users: topk and bottomk sort their
// kept samples with it, so ties come out in this order.
//
// Not thread-safe per data; go_sort itself holds no state.
#pragma once

#include <cstddef>

namespace mc::query {

// Go's sort.Interface without Len.
class GoSortData {
 public:
  virtual ~GoSortData() = default;
  virtual bool less(std::ptrdiff_t i, std::ptrdiff_t j) const = 0;
  virtual void swap(std::ptrdiff_t i, std::ptrdiff_t j) = 0;
};

// Sorts elements [0, size) of data as sort.Sort does, step for step.
void go_sort(GoSortData& data, std::ptrdiff_t size);

}  // namespace mc::query
