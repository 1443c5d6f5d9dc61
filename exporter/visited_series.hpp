// VisitedSeries: which series a /metrics render has already added, by the
// address of their labels, for the series the cache could not take.
//
// The store may hand a series out twice in one pass (a stripe read again when
// its map moved meanwhile, see for_each_latest_in_place), so the renderer
// remembers the series it added outside the prefix cache. Past the cache's
// bound that is every series: an unordered_set node per series (an allocation
// and a free each, a fifth of the uncached render) became one slot in an
// open-addressed table of pointers.
//
// Thread-safety: none; one per render.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mc {

class VisitedSeries {
 public:
  // True when `series` was not in the set (and is now).
  bool insert(const void* series) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    for (size_t i = slot_of(series);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == series) return false;
      if (slots_[i] == nullptr) {
        slots_[i] = series;
        ++size_;
        return true;
      }
    }
  }
  size_t size() const { return size_; }

 private:
  size_t slot_of(const void* series) const {
    // Fibonacci hashing: the high bits of the product spread aligned addresses.
    const uint64_t mixed = reinterpret_cast<uintptr_t>(series) * 0x9e3779b97f4a7c15ULL;
    return static_cast<size_t>(mixed >> shift_);
  }
  void grow() {
    std::vector<const void*> old(slots_.empty() ? 1024 : 2 * slots_.size(), nullptr);
    old.swap(slots_);
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(slots_.size()));
    size_ = 0;
    for (const void* series : old) {
      if (series != nullptr) insert(series);
    }
  }

  std::vector<const void*> slots_;  // a power of two, at most half full; null is empty
  unsigned shift_ = 64;
  size_t size_ = 0;
};

}  // namespace mc
