#include "common/query/go_sort.hpp"

#include <bit>
#include <cstdint>
#include <tuple>
#include <utility>

namespace mc::query {
namespace {

using Index = std::ptrdiff_t;

enum class SortedHint { Unknown, Increasing, Decreasing };

int bit_length(Index value) {
  return static_cast<int>(std::bit_width(static_cast<uint64_t>(value)));
}

void insertion_sort(GoSortData& data, Index a, Index b) {
  for (Index i = a + 1; i < b; ++i) {
    for (Index j = i; j > a && data.less(j, j - 1); --j) data.swap(j, j - 1);
  }
}

// The heap property on [lo, hi) of the elements from first on.
void sift_down(GoSortData& data, Index lo, Index hi, Index first) {
  Index root = lo;
  for (;;) {
    Index child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && data.less(first + child, first + child + 1)) ++child;
    if (!data.less(first + root, first + child)) return;
    data.swap(first + root, first + child);
    root = child;
  }
}

void heap_sort(GoSortData& data, Index a, Index b) {
  const Index first = a;
  const Index hi = b - a;
  for (Index i = (hi - 1) / 2; i >= 0; --i) sift_down(data, i, hi, first);
  for (Index i = hi - 1; i >= 0; --i) {
    data.swap(first, first + i);
    sift_down(data, 0, i, first);
  }
}

// Go 1.19's generator, seeded with the length: deterministic, so the sort is.
struct XorShift {
  uint64_t state;
  uint64_t next() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  }
};

// Swaps three elements about the middle with pseudo-random others, against
// inputs that keep choosing bad pivots.
void break_patterns(GoSortData& data, Index a, Index b) {
  const Index length = b - a;
  if (length < 8) return;
  XorShift random{static_cast<uint64_t>(length)};
  const uint64_t modulus = uint64_t{1} << bit_length(length);
  for (Index at = a + (length / 4) * 2 - 1; at <= a + (length / 4) * 2 + 1; ++at) {
    auto other = static_cast<Index>(random.next() & (modulus - 1));
    if (other >= length) other -= length;
    data.swap(at, a + other);
  }
}

std::pair<Index, Index> order2(const GoSortData& data, Index a, Index b, int& swaps) {
  if (data.less(b, a)) {
    ++swaps;
    return {b, a};
  }
  return {a, b};
}

Index median(const GoSortData& data, Index a, Index b, Index c, int& swaps) {
  std::tie(a, b) = order2(data, a, b, swaps);
  std::tie(b, c) = order2(data, b, c, swaps);
  std::tie(a, b) = order2(data, a, b, swaps);
  return b;
}

Index median_adjacent(const GoSortData& data, Index at, int& swaps) {
  return median(data, at - 1, at, at + 1, swaps);
}

// A static pivot below 8 elements, the median of three below 50, Tukey's
// ninther from there; no swap while choosing hints at sorted input, all
// twelve at reversed input.
std::pair<Index, SortedHint> choose_pivot(const GoSortData& data, Index a, Index b) {
  constexpr Index kShortestNinther = 50;
  constexpr int kMaxSwaps = 4 * 3;
  const Index length = b - a;
  int swaps = 0;
  Index i = a + length / 4 * 1;
  Index j = a + length / 4 * 2;
  Index k = a + length / 4 * 3;
  if (length >= 8) {
    if (length >= kShortestNinther) {
      i = median_adjacent(data, i, swaps);
      j = median_adjacent(data, j, swaps);
      k = median_adjacent(data, k, swaps);
    }
    j = median(data, i, j, k, swaps);
  }
  if (swaps == 0) return {j, SortedHint::Increasing};
  if (swaps == kMaxSwaps) return {j, SortedHint::Decreasing};
  return {j, SortedHint::Unknown};
}

void reverse_range(GoSortData& data, Index a, Index b) {
  for (Index i = a, j = b - 1; i < j; ++i, --j) data.swap(i, j);
}

// Fixes up to five out-of-order neighbours; true when [a, b) ends sorted.
bool partial_insertion_sort(GoSortData& data, Index a, Index b) {
  constexpr int kMaxSteps = 5;
  constexpr Index kShortestShifting = 50;
  Index i = a + 1;
  for (int step = 0; step < kMaxSteps; ++step) {
    while (i < b && !data.less(i, i - 1)) ++i;
    if (i == b) return true;
    if (b - a < kShortestShifting) return false;
    data.swap(i, i - 1);
    // The smaller one to the left (down to index 1, not a: Go's bound).
    if (i - a >= 2) {
      for (Index j = i - 1; j >= 1 && data.less(j, j - 1); --j) data.swap(j, j - 1);
    }
    // The greater one to the right.
    if (b - i >= 2) {
      for (Index j = i + 1; j < b && data.less(j, j - 1); ++j) data.swap(j, j - 1);
    }
  }
  return false;
}

// One quicksort partition about the pivot: smaller elements before the
// returned index, the others after; also whether nothing had to move.
std::pair<Index, bool> partition(GoSortData& data, Index a, Index b, Index pivot) {
  data.swap(a, pivot);
  Index i = a + 1;
  Index j = b - 1;
  while (i <= j && data.less(i, a)) ++i;
  while (i <= j && !data.less(j, a)) --j;
  if (i > j) {
    data.swap(j, a);
    return {j, true};
  }
  data.swap(i, j);
  ++i;
  --j;
  for (;;) {
    while (i <= j && data.less(i, a)) ++i;
    while (i <= j && !data.less(j, a)) --j;
    if (i > j) break;
    data.swap(i, j);
    ++i;
    --j;
  }
  data.swap(j, a);
  return {j, false};
}

// Elements equal to the pivot first, then the greater ones (none is smaller).
Index partition_equal(GoSortData& data, Index a, Index b, Index pivot) {
  data.swap(a, pivot);
  Index i = a + 1;
  Index j = b - 1;
  for (;;) {
    while (i <= j && !data.less(a, i)) ++i;
    while (i <= j && data.less(a, j)) --j;
    if (i > j) break;
    data.swap(i, j);
    ++i;
    --j;
  }
  return i;
}

// Recursion only into the shorter side, so the depth stays logarithmic.
void pdqsort(GoSortData& data, Index a, Index b, int limit) {
  constexpr Index kMaxInsertion = 12;
  bool was_balanced = true;
  bool was_partitioned = true;
  for (;;) {
    const Index length = b - a;
    if (length <= kMaxInsertion) {
      insertion_sort(data, a, b);
      return;
    }
    if (limit == 0) {
      heap_sort(data, a, b);
      return;
    }
    if (!was_balanced) {
      break_patterns(data, a, b);
      --limit;
    }
    auto [pivot, hint] = choose_pivot(data, a, b);
    if (hint == SortedHint::Decreasing) {
      reverse_range(data, a, b);
      pivot = (b - 1) - (pivot - a);
      hint = SortedHint::Increasing;
    }
    if (was_balanced && was_partitioned && hint == SortedHint::Increasing &&
        partial_insertion_sort(data, a, b)) {
      return;
    }
    if (a > 0 && !data.less(a - 1, pivot)) {
      a = partition_equal(data, a, b, pivot);
      continue;
    }
    const auto [mid, already_partitioned] = partition(data, a, b, pivot);
    was_partitioned = already_partitioned;
    const Index left_length = mid - a;
    const Index right_length = b - mid;
    const Index balance_threshold = length / 8;
    if (left_length < right_length) {
      was_balanced = left_length >= balance_threshold;
      pdqsort(data, a, mid, limit);
      a = mid + 1;
    } else {
      was_balanced = right_length >= balance_threshold;
      pdqsort(data, mid + 1, b, limit);
      b = mid;
    }
  }
}

}  // namespace

void go_sort(GoSortData& data, std::ptrdiff_t size) {
  if (size <= 1) return;
  pdqsort(data, 0, size, bit_length(size));
}

}  // namespace mc::query
