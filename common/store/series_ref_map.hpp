// SeriesRefMap: SeriesRef -> HeadSeries*, for one HeadStorage stripe.
//
// The head numbers a stripe's series consecutively and never reuses a
// number, so the map is an array indexed by that number, cut into pages of
// kPageSlots pointers: a ref's page holds the series created just before and
// after it. Pages are found through a small open-addressing table keyed by
// page number (linear probing, backward-shift deletion), and a page is freed
// when its last series goes. Against the hash table of {ref, pointer} pairs
// this replaced (16 bytes a slot at most 3/4 full: 42 bytes a series at
// 100,000 series, bench/memory), a series costs 8 bytes in a full page, and
// a lookup is a probe of a table of a few hundred pages plus one load; a
// target's series, created together and appended to in that order, share
// cache lines.
//
// The price is churn that leaves one live series in an otherwise empty page:
// the page (about 0.5 KiB) stays while that series lives. Series created
// together mostly go together (a target's), so pages empty in step.
//
// Thread-safety: none; the owning HeadStorage stripe's mutex guards it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/store/appender.hpp"

namespace mc {

class HeadSeries;

class SeriesRefMap {
 public:
  // `stripe_bits`: low bits that are equal in every ref this map holds; the
  // rest of a ref is the series' number in its stripe.
  explicit SeriesRefMap(int stripe_bits = 0) : stripe_bits_(stripe_bits) {}
  SeriesRefMap(SeriesRefMap&& other) noexcept { *this = std::move(other); }
  SeriesRefMap& operator=(SeriesRefMap&& other) noexcept;
  SeriesRefMap(const SeriesRefMap&) = delete;
  SeriesRefMap& operator=(const SeriesRefMap&) = delete;
  ~SeriesRefMap() { free_pages(); }

  // Null when absent. REQUIRES: ref != 0.
  HeadSeries* find(SeriesRef ref) const {
    const uint64_t number = ref >> stripe_bits_;
    const Page* page = find_page(number / kPageSlots);  // NOLINT(misc-const-correctness)
    return page == nullptr ? nullptr : page->slots[number % kPageSlots];
  }
  // REQUIRES: ref != 0 and not present.
  void insert(SeriesRef ref, HeadSeries* series);
  // Returns whether it was present.
  bool erase(SeriesRef ref);

  size_t size() const { return size_; }
  size_t memory_bytes() const;

  // Slot-wise reading, for a reader that releases the lock between steps (see
  // HeadStorage::visit_series): slot i holds a series or null. Entries move
  // between slots only when layout_version() changes (the page table grew, or
  // an emptied page left it); an insert fills an empty slot and moves nothing.
  size_t slot_count() const { return table_.size() * kPageSlots; }
  HeadSeries* at_slot(size_t i) const {
    const Page* page = table_[i / kPageSlots].page;
    return page == nullptr ? nullptr : page->slots[i % kPageSlots];
  }
  uint64_t layout_version() const { return layout_version_; }

  // Calls f(HeadSeries*) for every entry, in no particular order. f must not
  // change the map.
  template <typename F>
  void for_each(F&& f) const {
    for (const PageSlot& slot : table_) {
      if (slot.page == nullptr) continue;
      for (HeadSeries* series : slot.page->slots) {
        if (series != nullptr) f(series);
      }
    }
  }

 private:
  static constexpr size_t kPageSlots = 64;

  struct Page {
    std::array<HeadSeries*, kPageSlots> slots{};
    uint32_t used = 0;
  };
  struct PageSlot {
    uint64_t number = 0;
    Page* page = nullptr;  // null: empty
  };

  size_t home(uint64_t page_number) const {
    return static_cast<size_t>((page_number * 0x9e3779b97f4a7c15ULL) >> 32) & mask_;
  }
  // The pages are the map's own heap objects, handed out mutable to insert().
  Page* find_page(uint64_t page_number) const {
    if (table_.empty()) return nullptr;
    for (size_t i = home(page_number);; i = (i + 1) & mask_) {
      const PageSlot& slot = table_[i];
      if (slot.page == nullptr) return nullptr;
      if (slot.number == page_number) return slot.page;
    }
  }
  void place(uint64_t page_number, Page* page);
  void free_pages();
  void remove_page_at(size_t table_index);
  void grow_table();

  std::vector<PageSlot> table_;  // a power of two, at most half full
  size_t mask_ = 0;
  size_t pages_ = 0;
  size_t size_ = 0;
  uint64_t layout_version_ = 0;
  int stripe_bits_ = 0;
};

}  // namespace mc
