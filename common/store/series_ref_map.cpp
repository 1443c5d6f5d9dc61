#include "common/store/series_ref_map.hpp"

namespace mc {

SeriesRefMap& SeriesRefMap::operator=(SeriesRefMap&& other) noexcept {
  if (this == &other) return *this;
  free_pages();
  table_ = std::exchange(other.table_, {});
  mask_ = std::exchange(other.mask_, 0);
  pages_ = std::exchange(other.pages_, 0);
  size_ = std::exchange(other.size_, 0);
  layout_version_ = other.layout_version_ + 1;
  ++other.layout_version_;
  stripe_bits_ = other.stripe_bits_;
  return *this;
}

void SeriesRefMap::free_pages() {
  for (PageSlot& slot : table_) delete slot.page;
  table_.clear();
  mask_ = 0;
  pages_ = 0;
  size_ = 0;
}

size_t SeriesRefMap::memory_bytes() const {
  return table_.capacity() * sizeof(PageSlot) + pages_ * sizeof(Page);
}

void SeriesRefMap::insert(SeriesRef ref, HeadSeries* series) {
  const uint64_t number = ref >> stripe_bits_;
  const uint64_t page_number = number / kPageSlots;
  Page* page = find_page(page_number);
  if (page == nullptr) {
    // At most half full: probe runs stay short, and the table is small (one
    // slot per kPageSlots series).
    if ((pages_ + 1) * 2 > table_.size()) grow_table();
    page = new Page;
    place(page_number, page);
    ++pages_;
  }
  page->slots[number % kPageSlots] = series;
  ++page->used;
  ++size_;
}

bool SeriesRefMap::erase(SeriesRef ref) {
  if (table_.empty()) return false;
  const uint64_t number = ref >> stripe_bits_;
  const uint64_t page_number = number / kPageSlots;
  size_t i = home(page_number);
  while (table_[i].page != nullptr && table_[i].number != page_number) i = (i + 1) & mask_;
  Page* page = table_[i].page;
  if (page == nullptr) return false;
  HeadSeries*& slot = page->slots[number % kPageSlots];
  if (slot == nullptr) return false;
  slot = nullptr;
  --size_;
  if (--page->used == 0) remove_page_at(i);
  return true;
}

void SeriesRefMap::remove_page_at(size_t table_index) {
  delete table_[table_index].page;
  --pages_;
  // Backward-shift deletion: pull later pages of the run into the hole when
  // the hole lies between their home and their slot, so lookups never need
  // tombstones. Pages (and with them their series' slots) may move.
  ++layout_version_;
  size_t hole = table_index;
  for (size_t j = (hole + 1) & mask_; table_[j].page != nullptr; j = (j + 1) & mask_) {
    const size_t want = home(table_[j].number);
    const bool movable = hole <= j ? (want <= hole || want > j) : (want <= hole && want > j);
    if (movable) {
      table_[hole] = table_[j];
      hole = j;
    }
  }
  table_[hole] = PageSlot{};
}

void SeriesRefMap::place(uint64_t page_number, Page* page) {
  size_t i = home(page_number);
  while (table_[i].page != nullptr) i = (i + 1) & mask_;
  table_[i] = PageSlot{page_number, page};
}

void SeriesRefMap::grow_table() {
  ++layout_version_;
  std::vector<PageSlot> old = std::move(table_);
  table_.assign(old.empty() ? 4 : old.size() * 2, PageSlot{});
  mask_ = table_.size() - 1;
  for (const PageSlot& slot : old) {
    if (slot.page != nullptr) place(slot.number, slot.page);
  }
}

}  // namespace mc
