// SeriesRefMap: SeriesRef -> HeadSeries*, an open-addressing hash table with
// linear probing and backward-shift deletion (no tombstones).
//
// It replaces std::unordered_map on the head's hottest path (every append
// resolves a ref): one multiply for the hash, one probe, no node allocation
// per series and no division by a prime bucket count.
//
// Refs that differ only in their low kRunBits bits (above the `stripe_bits`
// every ref of a stripe shares) land side by side: the head numbers a stripe's
// series consecutively, a target's series are created together and appended
// to in that order each scrape, so eight lookups share two cache lines instead
// of missing on each. The runs themselves are scattered by the hash.
//
// Thread-safety: none; the owning HeadStorage stripe's mutex guards it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/store/appender.hpp"

namespace mc {

class HeadSeries;

class SeriesRefMap {
 public:
  // `stripe_bits`: low bits that are equal in every ref this map holds.
  explicit SeriesRefMap(int stripe_bits = 0) : stripe_bits_(stripe_bits) {}

  // Null when absent. REQUIRES: ref != 0.
  HeadSeries* find(SeriesRef ref) const {
    if (entries_.empty()) return nullptr;
    for (size_t i = home(ref);; i = (i + 1) & mask_) {
      const Entry& entry = entries_[i];
      if (entry.ref == ref) return entry.series;
      if (entry.ref == 0) return nullptr;
    }
  }
  // REQUIRES: ref != 0 and not present.
  void insert(SeriesRef ref, HeadSeries* series);
  // Returns whether it was present.
  bool erase(SeriesRef ref);

  size_t size() const { return size_; }
  size_t memory_bytes() const { return entries_.capacity() * sizeof(Entry); }

  // Slot-wise reading, for a reader that releases the lock between steps (see
  // HeadStorage::visit_series): slot i holds a series or null. Entries move
  // between slots only when layout_version() changes (grow, erase); an
  // insert fills an empty slot and moves nothing.
  size_t slot_count() const { return entries_.size(); }
  HeadSeries* at_slot(size_t i) const { return entries_[i].series; }
  uint64_t layout_version() const { return layout_version_; }

  // Calls f(HeadSeries*) for every entry, in no particular order. f must not
  // change the map.
  template <typename F>
  void for_each(F&& f) const {
    for (const Entry& entry : entries_) {
      if (entry.ref != 0) f(entry.series);
    }
  }

 private:
  struct Entry {
    SeriesRef ref = 0;  // 0: empty
    HeadSeries* series = nullptr;
  };

  static constexpr int kRunBits = 3;

  size_t home(SeriesRef ref) const {
    const uint64_t id = ref >> stripe_bits_;
    const uint64_t run = ((id >> kRunBits) * 0x9e3779b97f4a7c15ULL) >> 32;
    return static_cast<size_t>((run << kRunBits) | (id & ((1u << kRunBits) - 1))) & mask_;
  }
  void grow();

  std::vector<Entry> entries_;
  size_t mask_ = 0;
  size_t size_ = 0;
  uint64_t layout_version_ = 0;
  int stripe_bits_;
};

}  // namespace mc
