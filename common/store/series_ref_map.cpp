#include "common/store/series_ref_map.hpp"

namespace mc {

void SeriesRefMap::insert(SeriesRef ref, HeadSeries* series) {
  // At most 3/4 full so probe runs stay short.
  if ((size_ + 1) * 4 > entries_.size() * 3) grow();
  size_t i = home(ref);
  while (entries_[i].ref != 0) i = (i + 1) & mask_;
  entries_[i] = Entry{ref, series};
  ++size_;
}

bool SeriesRefMap::erase(SeriesRef ref) {
  if (entries_.empty()) return false;
  size_t i = home(ref);
  while (entries_[i].ref != ref) {
    if (entries_[i].ref == 0) return false;
    i = (i + 1) & mask_;
  }
  // Backward-shift deletion: pull later entries of the run into the hole when
  // the hole lies between their home and their slot, so lookups never need
  // tombstones.
  ++layout_version_;
  size_t hole = i;
  for (size_t j = (hole + 1) & mask_; entries_[j].ref != 0; j = (j + 1) & mask_) {
    const size_t want = home(entries_[j].ref);
    const bool movable = hole <= j ? (want <= hole || want > j) : (want <= hole && want > j);
    if (movable) {
      entries_[hole] = entries_[j];
      hole = j;
    }
  }
  entries_[hole] = Entry{};
  --size_;
  return true;
}

void SeriesRefMap::grow() {
  ++layout_version_;
  std::vector<Entry> old = std::move(entries_);
  entries_.assign(old.empty() ? 16 : old.size() * 2, Entry{});
  mask_ = entries_.size() - 1;
  size_ = 0;
  for (const Entry& entry : old) {
    if (entry.ref != 0) insert(entry.ref, entry.series);
  }
}

}  // namespace mc
