// ScrapeCache: a map from byte strings (a series' `name{labels}` exactly as the
// body spells it, a family name) to values, built for lookups that come in the
// same order every scrape.
//
// `Keys` stores the key bytes (scrape_cache_keys.hpp): WholeKeys as they came,
// or PrefixCodedKeys, each as what it shares with the key inserted before it
// and the rest, at a fraction of the bytes for a page's series.
//
// A target exposes its families and series in the same order each time, so the
// cache remembers the order of the previous round's lookups (each entry names
// the entry looked up after it) and checks the expected next entry first: a
// sequential read of the entry and of its key,
// whose bytes sit in one buffer in insertion order (the order of the page).
// Only when that guess fails does it hash the key and probe an open-addressing
// index (linear probing, backward-shift deletion, a 32-bit fingerprint beside
// each index so a probe touches entries only on a likely match). The guess only
// decides speed: a key is never reported found unless its bytes are equal.
//
// Indices are stable until the entry is erased (erased indices are reused);
// values move when the cache grows, so keep indices, not pointers, across
// insertions.
//
// Memory: a target's cache holds every series it exposes, so its arrays grow
// by an eighth at a time (not doubled, which left up to half of each unused:
// about 90 bytes a series at 10,000 series a target, bench/memory), the order
// is a link in each entry (4 bytes; two arrays of the rounds' orders and each
// entry's place in them took 12), and the index may be three quarters full
// (the sequential guess answers most lookups; the index serves new series and
// reordered ones).
//
// Thread-safety: none; one scrape loop owns it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "collector/scrape/scrape_cache_keys.hpp"

namespace mc {

template <typename Value, typename Keys = WholeKeys>
class ScrapeCache {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  // Starts a round (a scrape): the previous round's lookups become the order
  // the cache expects now.
  void begin_round() {
    // A round without lookups (a failed scrape) leaves the order as it was.
    if (last_ != kNotFound) {
      entries_[last_].next = kNotFound;  // the round ended there
      round_first_ = current_first_;
    }
    expected_ = round_first_;
    current_first_ = kNotFound;
    last_ = kNotFound;
    lookups_ = 0;
  }

  // The index of `key`, or kNotFound. A found key joins this round's order.
  uint32_t find(std::string_view key) {
    if (expected_ != kNotFound && key_equals(expected_, key)) return accept_expected();
    const uint32_t index = find_by_hash(key, fingerprint_of(key));
    // Where the order changed (a series came or went): expect what followed
    // this key when it was last looked up.
    if (index != kNotFound) record(index);
    return index;
  }

  // The entry the cache expects to be looked up next (what followed the
  // previous lookup last round), or kNotFound. Lets a caller compare the key
  // where it is cheapest (the parser, before it reads the labels).
  uint32_t expected() const {
    return expected_ != kNotFound && entries_[expected_].live() ? expected_ : kNotFound;
  }

  // Records a lookup of expected() whose key the caller has found equal, as
  // find() would. REQUIRES: expected() != kNotFound.
  uint32_t accept_expected() {
    const uint32_t index = expected_;
    record(index);
    return index;
  }

  // Adds `key`, which must be absent, and returns its index; it joins this
  // round's order.
  uint32_t insert(std::string_view key, Value value) {
    if ((live_ + 1) * 4 > table_.size() * 3) grow_table();
    uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      index = static_cast<uint32_t>(entries_.size());
      reserve_for(entries_, entries_.size() + 1);
      entries_.emplace_back();
    }
    Entry& entry = entries_[index];
    entry.key_offset = keys_.append(key);
    entry.value = std::move(value);
    entry.next = kNotFound;
    place(index, fingerprint_of(key));
    ++live_;
    // A new key in the middle of the order: the one expected before it still
    // is.
    const uint32_t expected = expected_;
    record(index);
    expected_ = expected;
    return index;
  }

  // Removes the entry; its index may be handed out again by insert().
  void erase(uint32_t index) {
    Entry& entry = entries_[index];
    const size_t mask = table_.size() - 1;
    // The fingerprint is the table's only: erasing (a series gone for good)
    // is rare enough to hash the key again.
    size_t slot = fingerprint_of(keys_.get(entry.key_offset)) & mask;
    while (table_[slot].index != index + 1) slot = (slot + 1) & mask;
    // Backward-shift deletion: pull later entries of the run into the hole
    // when the hole lies between their home and their slot.
    size_t hole = slot;
    for (size_t next = (hole + 1) & mask; table_[next].index != 0; next = (next + 1) & mask) {
      const size_t want = table_[next].fingerprint & mask;
      const bool movable =
          hole <= next ? (want <= hole || want > next) : (want <= hole && want > next);
      if (movable) {
        table_[hole] = table_[next];
        hole = next;
      }
    }
    table_[hole] = TableSlot{};
    keys_.drop(entry.key_offset);
    entry.key_offset = kErased;
    entry.value = Value{};
    free_.push_back(index);
    --live_;
    if (keys_.garbage() > kMinGarbageToCompact && keys_.garbage() * 2 > keys_.bytes()) {
      compact_keys();
    }
  }

  // One past the highest index; indices below it are live or free.
  uint32_t index_end() const { return static_cast<uint32_t>(entries_.size()); }
  bool live(uint32_t index) const { return entries_[index].live(); }
  size_t size() const { return live_; }

  Value& value(uint32_t index) { return entries_[index].value; }
  const Value& value(uint32_t index) const { return entries_[index].value; }
  // Heap bytes the cache holds (its arrays' capacities), for memory accounting.
  size_t memory_bytes() const {
    return entries_.capacity() * sizeof(Entry) + free_.capacity() * sizeof(uint32_t) +
           table_.capacity() * sizeof(TableSlot) + keys_.memory_bytes();
  }

  // With WholeKeys valid until the next insert(); with PrefixCodedKeys until
  // the next key(), find() or insert().
  std::string_view key(uint32_t index) const { return keys_.get(entries_[index].key_offset); }

 private:
  // Freed key bytes are reclaimed once they are this many and half the buffer.
  static constexpr size_t kMinGarbageToCompact = 4096;
  // key_offset of an erased entry (a key never starts there: offsets are
  // 32-bit).
  static constexpr uint32_t kErased = UINT32_MAX;

  // The key's size is the key store's (in front of its bytes) and the
  // fingerprint the index's: 8 bytes an entry, one in each cached series.
  struct Entry {
    uint32_t key_offset = kErased;
    // The entry looked up after this one in the round this one was last
    // looked up in (kNotFound: none, or the round's last).
    uint32_t next = kNotFound;
    Value value{};

    bool live() const { return key_offset != kErased; }
  };
  struct TableSlot {
    uint32_t index = 0;  // entry index + 1; 0: empty
    uint32_t fingerprint = 0;
  };

  static uint32_t fingerprint_of(std::string_view key) {
    const uint64_t hash = std::hash<std::string_view>{}(key);
    return static_cast<uint32_t>(hash ^ (hash >> 32));
  }

  template <typename Vector>
  static void reserve_for(Vector& vector, size_t size) {
    scrape_cache_reserve(vector, size);
  }

  bool key_equals(uint32_t index, std::string_view key) const {
    const Entry& entry = entries_[index];
    return entry.live() && keys_.equals(entry.key_offset, key);
  }

  uint32_t find_by_hash(std::string_view key, uint32_t fingerprint) const {
    if (table_.empty()) return kNotFound;
    const size_t mask = table_.size() - 1;
    for (size_t slot = fingerprint & mask;; slot = (slot + 1) & mask) {
      const TableSlot& candidate = table_[slot];
      if (candidate.index == 0) return kNotFound;
      if (candidate.fingerprint == fingerprint && key_equals(candidate.index - 1, key)) {
        return candidate.index - 1;
      }
    }
  }

  // Notes a lookup of `index` in this round's order and expects next what
  // followed it when it was last looked up (read before a later lookup in
  // this round overwrites it).
  void record(uint32_t index) {
    expected_ = entries_[index].next;
    if (last_ == kNotFound) {
      current_first_ = index;
    } else {
      entries_[last_].next = index;
    }
    last_ = index;
    ++lookups_;
  }

  void place(uint32_t index, uint32_t fingerprint) {
    const size_t mask = table_.size() - 1;
    size_t slot = fingerprint & mask;
    while (table_[slot].index != 0) slot = (slot + 1) & mask;
    table_[slot] = TableSlot{index + 1, fingerprint};
  }

  void grow_table() {
    std::vector<TableSlot> old = std::move(table_);
    table_.assign(old.empty() ? 64 : old.size() * 2, TableSlot{});
    for (const TableSlot& slot : old) {
      if (slot.index != 0) place(slot.index - 1, slot.fingerprint);
    }
  }

  // Rewrites the key buffer without the erased keys, in the order of the last
  // round (then the rest), so the next round reads it front to back.
  void compact_keys() {
    Keys compacted;
    compacted.reserve(keys_.bytes() - keys_.garbage());
    std::vector<bool> moved(entries_.size(), false);
    auto move_key = [&](uint32_t index) {
      Entry& entry = entries_[index];
      if (!entry.live() || moved[index]) return;
      moved[index] = true;
      entry.key_offset = compacted.append(keys_.get(entry.key_offset));
    };
    // This round's lookups from its first, along the links written so far (a
    // key looked up twice may loop them: a visited entry ends the walk).
    uint32_t index = current_first_;
    for (size_t step = 0; index != kNotFound && step < lookups_ && !moved[index]; ++step) {
      move_key(index);
      if (index == last_) break;  // its link is still last round's
      index = entries_[index].next;
    }
    for (uint32_t other = 0; other < entries_.size(); ++other) move_key(other);
    keys_ = std::move(compacted);
  }

  std::vector<Entry> entries_;
  std::vector<uint32_t> free_;
  std::vector<TableSlot> table_;  // a power of two, at most three quarters full
  Keys keys_;                     // every entry's key, in insertion order
  size_t live_ = 0;
  // The order: the first lookup of the last complete round and of this one,
  // this round's latest lookup and the entry expected next.
  uint32_t round_first_ = kNotFound;
  uint32_t current_first_ = kNotFound;
  uint32_t last_ = kNotFound;
  uint32_t expected_ = kNotFound;
  size_t lookups_ = 0;  // in this round
};

}  // namespace mc
