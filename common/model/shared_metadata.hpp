// SharedMetadata: one copy of each distinct family metadata (TYPE, HELP, UNIT)
// for every scrape loop in the process, held by a counted handle.
//
// Each target used to keep its own MetricMetadata per family (three strings,
// ~220 heap bytes with the HELP text), and a second copy of every HELP text
// for comparing it: at node_exporter's ~300 families a target, about 95 bytes
// per scraped series at 1,000 series a target (bench/memory/README.md). The
// targets of one exporter declare the same families, so one copy serves them
// all. Unlike the head's MetadataInterner, entries are counted and freed when
// the last handle goes: a target whose HELP text changes every scrape leaves
// nothing behind.
//
// Thread-safety: handles may be made, copied and dropped on any threads.
// Interning and the last release take the pool's lock; copies count
// atomically, without it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "common/model/metric_metadata.hpp"

namespace mc {

class SharedMetadata {
 public:
  // Null: no metadata (not to be dereferenced).
  SharedMetadata() = default;
  // The pool's shared copy equal to `metadata`, one more reference.
  static SharedMetadata intern(const MetricMetadata& metadata);

  SharedMetadata(const SharedMetadata& other) noexcept : entry_(other.entry_) {
    if (entry_ != nullptr) entry_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  SharedMetadata& operator=(const SharedMetadata& other) noexcept {
    SharedMetadata copy(other);
    std::swap(entry_, copy.entry_);
    return *this;
  }
  SharedMetadata(SharedMetadata&& other) noexcept : entry_(std::exchange(other.entry_, nullptr)) {}
  SharedMetadata& operator=(SharedMetadata&& other) noexcept {
    std::swap(entry_, other.entry_);
    return *this;
  }
  ~SharedMetadata() { release(); }

  explicit operator bool() const { return entry_ != nullptr; }
  // REQUIRES: non-null. Valid while this handle holds it.
  const MetricMetadata& operator*() const { return entry_->metadata; }
  const MetricMetadata* operator->() const { return &entry_->metadata; }

  // Distinct metadata held in the pool now, for tests and accounting.
  static size_t pool_size();

  // One pooled copy; public only so the pool (shared_metadata.cpp) can key it.
  struct Entry {
    explicit Entry(const MetricMetadata& from) : metadata(from) {}
    MetricMetadata metadata;
    std::atomic<uint32_t> refs{0};
  };

 private:
  explicit SharedMetadata(Entry* entry) : entry_(entry) {}
  void release();

  Entry* entry_ = nullptr;
};

}  // namespace mc
