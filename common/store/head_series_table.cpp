#include "common/store/head_series_table.hpp"

#include <stdexcept>
#include <utility>

namespace mc {

namespace {

constexpr size_t kFirstCapacity = 64;

}  // namespace

HeadSeriesTable::~HeadSeriesTable() {
  for (size_t i = 0; i < capacity(); ++i) {
    if (slots_[i] != 0) HeadSeriesPool::Deleter{pool_}(series_of(slots_[i]));
  }
}

HeadSeries* HeadSeriesTable::find(const Labels& labels) const {
  if (size_ == 0) return nullptr;
  const uint64_t hash = labels.hash();
  const uint64_t tag = tag_of(hash);
  for (size_t i = home_of(hash);; i = (i + 1) & mask_) {
    const uint64_t slot = slots_[i];
    if (slot == 0) return nullptr;
    if ((slot & ~kPointerMask) == tag && series_of(slot)->labels() == labels) {
      return series_of(slot);
    }
  }
}

void HeadSeriesTable::insert(HeadSeriesPool::Ptr series) {
  const auto address = reinterpret_cast<uintptr_t>(series.get());
  if ((address & ~kPointerMask) != 0) {
    throw std::logic_error("HeadSeriesTable: a series address above 2^48");
  }
  if (pool_ == nullptr) pool_ = series.get_deleter().pool;
  // At most 7/8 full after this insert.
  if ((size_ + 1) * 8 > capacity() * 7) grow();
  const uint64_t hash = series->labels().hash();
  place(tag_of(hash) | static_cast<uint64_t>(address), hash);
  (void)series.release();
  ++size_;
}

void HeadSeriesTable::place(uint64_t slot_value, uint64_t hash) {
  size_t i = home_of(hash);
  while (slots_[i] != 0) i = (i + 1) & mask_;
  slots_[i] = slot_value;
}

void HeadSeriesTable::grow() {
  const size_t old_capacity = capacity();
  std::unique_ptr<uint64_t[]> old = std::move(slots_);
  const size_t new_capacity = old_capacity == 0 ? kFirstCapacity : old_capacity * 2;
  slots_ = std::make_unique<uint64_t[]>(new_capacity);  // zeroed: all empty
  mask_ = new_capacity - 1;
  for (size_t i = 0; i < old_capacity; ++i) {
    if (old[i] != 0) place(old[i], series_of(old[i])->labels().hash());
  }
}

void HeadSeriesTable::erase(HeadSeries* series) {
  const uint64_t hash = series->labels().hash();
  size_t i = home_of(hash);
  while (series_of(slots_[i]) != series) {
    if (slots_[i] == 0) throw std::logic_error("HeadSeriesTable: erase of a series not held");
    i = (i + 1) & mask_;
  }
  // Backward shift: move each following entry of the run into the hole when
  // its home is not between the hole and where it sits (cyclically).
  for (size_t hole = i, j = (i + 1) & mask_;; j = (j + 1) & mask_) {
    if (slots_[j] == 0) {
      slots_[hole] = 0;
      break;
    }
    const size_t home = home_of(series_of(slots_[j])->labels().hash());
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    slots_[hole] = slots_[j];
    hole = j;
  }
  --size_;
  HeadSeriesPool::Deleter{pool_}(series);
}

}  // namespace mc
