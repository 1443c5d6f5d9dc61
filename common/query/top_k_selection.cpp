#include "common/query/top_k_selection.hpp"

#include <cmath>
#include <utility>

#include "common/query/go_sort.hpp"

namespace mc::query {

TopKSelection::TopKSelection(int64_t k, bool bottom, const VectorSample& first)
    : k_(k), bottom_(bottom), heap_{first} {}

bool TopKSelection::leaves_before(size_t i, size_t j) const {
  if (std::isnan(heap_[i].v)) return true;
  return bottom_ ? heap_[i].v > heap_[j].v : heap_[i].v < heap_[j].v;
}

void TopKSelection::sift_up(size_t at) {
  while (at > 0) {
    const size_t parent = (at - 1) / 2;
    if (!leaves_before(at, parent)) break;
    std::swap(heap_[parent], heap_[at]);
    at = parent;
  }
}

void TopKSelection::sift_down(size_t at, size_t size) {
  for (;;) {
    const size_t left = 2 * at + 1;
    if (left >= size) break;
    size_t child = left;
    if (left + 1 < size && leaves_before(left + 1, left)) child = left + 1;
    if (!leaves_before(child, at)) break;
    std::swap(heap_[at], heap_[child]);
    at = child;
  }
}

void TopKSelection::pop_root() {
  const size_t last = heap_.size() - 1;
  std::swap(heap_[0], heap_[last]);
  sift_down(0, last);
  heap_.pop_back();
}

void TopKSelection::push(const VectorSample& sample) {
  heap_.push_back(sample);
  sift_up(heap_.size() - 1);
}

void TopKSelection::offer(const VectorSample& sample) {
  const double root = heap_[0].v;
  const bool beats_root = bottom_ ? root > sample.v : root < sample.v;
  const auto size = static_cast<int64_t>(heap_.size());
  if (size >= k_ && !beats_root && !std::isnan(root)) return;
  if (size == k_) {
    if (k_ == 1) {
      heap_[0] = sample;
      return;
    }
    pop_root();
  }
  push(sample);
}

Vector TopKSelection::sorted() && {
  // sort.Sort(sort.Reverse(heap)): what would leave last comes first.
  class LastToLeaveFirst : public GoSortData {
   public:
    explicit LastToLeaveFirst(TopKSelection& selection) : selection_(selection) {}
    bool less(std::ptrdiff_t i, std::ptrdiff_t j) const override {
      return selection_.leaves_before(static_cast<size_t>(j), static_cast<size_t>(i));
    }
    void swap(std::ptrdiff_t i, std::ptrdiff_t j) override {
      std::swap(selection_.heap_[static_cast<size_t>(i)], selection_.heap_[static_cast<size_t>(j)]);
    }

   private:
    TopKSelection& selection_;
  };
  LastToLeaveFirst order(*this);
  go_sort(order, static_cast<std::ptrdiff_t>(heap_.size()));
  return std::move(heap_);
}

}  // namespace mc::query
