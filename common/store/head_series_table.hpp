// HeadSeriesTable: one HeadStorage stripe's series by labels hash, owning them.
//
// Open addressing with linear probing over one array of 8-byte slots: a
// series pointer in the low 48 bits (user-space addresses on x86-64 and
// arm64 fit) and 16 more bits of the labels hash in the high ones, so a probe
// compares labels only when those bits agree. It replaced a
// std::unordered_multimap (a 48-byte node and an 8-byte bucket a series, 61 B
// at 100,000 series, bench/memory): at most 7/8 full, a series costs 9 to 18
// bytes. Removal shifts the following entries back (no tombstones), so the
// table never needs rebuilding after churn.
//
// The head finds a series by labels only for a new series or a stale ref
// (every later append goes by ref through SeriesRefMap), so the longer
// probes of a fuller table cost on series creation only.
//
// Thread-safety: none; the owning HeadStorage stripe's mutex guards it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "common/model/labels.hpp"
#include "common/store/head_series.hpp"

namespace mc {

class HeadSeriesTable {
 public:
  HeadSeriesTable() = default;
  ~HeadSeriesTable();
  HeadSeriesTable(const HeadSeriesTable&) = delete;
  HeadSeriesTable& operator=(const HeadSeriesTable&) = delete;

  // The series whose labels equal `labels`, or null.
  HeadSeries* find(const Labels& labels) const;
  // Takes ownership. REQUIRES: no series with equal labels held; every series
  // from the same pool.
  void insert(HeadSeriesPool::Ptr series);
  // Removes and destroys `series`. REQUIRES: held.
  void erase(HeadSeries* series);

  size_t size() const { return size_; }
  size_t memory_bytes() const { return capacity() * sizeof(uint64_t); }

  // Calls f(HeadSeries&) for every series, in no particular order. f must not
  // change the table.
  template <typename F>
  void for_each(F&& f) const {
    for (size_t i = 0; i < capacity(); ++i) {
      if (slots_[i] != 0) f(*series_of(slots_[i]));
    }
  }

 private:
  static constexpr int kPointerBits = 48;
  static constexpr uint64_t kPointerMask = (uint64_t{1} << kPointerBits) - 1;

  static HeadSeries* series_of(uint64_t slot) {
    return reinterpret_cast<HeadSeries*>(slot & kPointerMask);  // NOLINT(performance-no-int-to-ptr)
  }
  // The stripe is chosen by the hash's low bits: the slot by the bits above
  // them, the tag by the top 16.
  static uint64_t tag_of(uint64_t hash) { return hash & ~kPointerMask; }
  size_t home_of(uint64_t hash) const { return static_cast<size_t>(hash >> 8) & mask_; }
  size_t capacity() const { return slots_ ? mask_ + 1 : 0; }

  void grow();
  void place(uint64_t slot_value, uint64_t hash);

  std::unique_ptr<uint64_t[]> slots_;  // 0: empty
  size_t mask_ = 0;
  size_t size_ = 0;
  HeadSeriesPool* pool_ = nullptr;  // the series' pool, from the first insert
};

}  // namespace mc
