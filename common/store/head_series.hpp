// HeadSeries: one series of the in-memory head: its interned labels and
// metadata, one open chunk, the newest committed sample, and where its sealed
// chunks are.
//
// Sealed chunks live in the head's HeadChunkFile, chained newest to oldest
// (each record names its predecessor), so the series holds the same few bytes
// whether it spans minutes or hours: the newest sealed chunk's location, the
// oldest kept sample time and counts. A chunk the file cannot take (a write
// error) stays on the heap in a list that is empty otherwise, so nothing is
// lost. Private to the head (HeadStorage, HeadAppender, HeadQuerier).
//
// Thread-safety: none of its own. Every access holds the mutex of the
// HeadStorage stripe that owns the series. Sealed chunks are immutable and
// handed to queriers with what keeps them alive (the segment mapping or the
// heap chunk), so a query keeps reading them after the lock is released even
// if truncate() drops them meanwhile.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/model/sample_value.hpp"
#include "common/model/shared_labels.hpp"
#include "common/store/appender.hpp"
#include "common/store/chunkenc/chunk.hpp"
#include "common/store/chunkenc/open_xor_chunk.hpp"
#include "common/store/head_chunk_file.hpp"
#include "common/util/status.hpp"

namespace mc {

// A sealed chunk's bytes and the time range of its samples, both bounds
// inclusive; `owner` (a segment mapping or a heap chunk) keeps `bytes` valid.
struct HeadChunkRef {
  std::shared_ptr<const void> owner;
  std::span<const uint8_t> bytes;
  int64_t min_t = 0;
  int64_t max_t = 0;
};

// What the head reports in its stats, kept per lock stripe as series change so
// that stats() costs a few loads, not a walk of every series. A series counts
// once it has a committed sample.
struct HeadCounts {
  int64_t series = 0;
  int64_t chunks = 0;
  int64_t chunk_bytes = 0;
  int64_t samples = 0;
};

struct HeadChunkLimits {
  int max_samples = 120;
  int64_t max_duration_ms = int64_t{2} * 60 * 60 * 1000;
  // Each series also seals at a phase of its own (HeadSeries::append).
  bool staggered = true;
  // Derived from max_samples (use make()): ceil(2^64 / max_samples), so that
  // a 32-bit n is a multiple of max_samples when n * this <= this - 1 (mod
  // 2^64), a multiply instead of a division on every append (Lemire, Kaser
  // and Kurz, "Faster remainder by direct computation", 2019).
  uint64_t max_samples_divisor = divisor_for(120);

  // REQUIRES: 1 <= max_samples <= chunkenc::Chunk::kMaxSamples.
  static HeadChunkLimits make(int max_samples, int64_t max_duration_ms, bool staggered) {
    HeadChunkLimits limits;
    limits.max_samples = max_samples;
    limits.max_duration_ms = max_duration_ms;
    // With one sample a chunk there is no phase to keep.
    limits.staggered = staggered && max_samples >= 2;
    limits.max_samples_divisor = divisor_for(max_samples);
    return limits;
  }
  static constexpr uint64_t divisor_for(int max_samples) {
    return max_samples > 1 ? UINT64_MAX / static_cast<uint64_t>(max_samples) + 1 : 0;
  }
};

// How a sample relates to the newest one before it.
enum class SampleOrder {
  newer,         // append it
  same_sample,   // same timestamp, same value bits: accepted, stored once
  out_of_order,  // older timestamp
  duplicate,     // same timestamp, other value bits
};

inline SampleOrder order_after(int64_t last_t, double last_v, int64_t t, double v) {
  if (t > last_t) return SampleOrder::newer;
  if (t < last_t) return SampleOrder::out_of_order;
  return same_bits(last_v, v) ? SampleOrder::same_sample : SampleOrder::duplicate;
}

class HeadSeries {
 public:
  HeadSeries(SeriesRef ref, SharedLabels labels) : ref_(ref), labels_(std::move(labels)) {}
  ~HeadSeries();
  // Its heap chunks (rare, see heap_sealed()) are found by its address.
  HeadSeries(const HeadSeries&) = delete;
  HeadSeries& operator=(const HeadSeries&) = delete;

  SeriesRef ref() const { return ref_; }
  const Labels& labels() const { return *labels_; }
  const SharedLabels& shared_labels() const { return labels_; }

  const MetricMetadata* metadata() const { return metadata_; }
  void set_metadata(const MetricMetadata* metadata) { metadata_ = metadata; }

  // Committed samples held; a series without any is invisible to queries.
  uint64_t num_samples() const { return samples_; }
  bool has_samples() const { return samples_ > 0; }
  // REQUIRES: has_samples()
  int64_t min_time() const { return sealed_chunks_ == 0 ? open_.first_t() : sealed_min_t_; }
  // The open chunk's last sample: a series with samples always has an open
  // chunk holding at least one (a chunk is sealed only by the next append).
  Sample newest() const { return Sample{open_.last_t(), open_.last_v()}; }

  // How (t, v) relates to the newest committed sample.
  SampleOrder order_of(int64_t t, double v) const {
    return has_samples() ? order_after(open_.last_t(), open_.last_v(), t, v) : SampleOrder::newer;
  }

  // Appends a committed sample, sealing the open chunk first when it holds
  // limits.max_samples samples (staggered: reaches the series' own phase, see
  // open_chunk_full) or `t` crosses its time boundary (boundaries are
  // multiples of limits.max_duration_ms, so no chunk spans more and chunks line
  // up with the 2h blocks a disk store cuts). A sealed chunk goes to `file`
  // (null: stays on the heap). `counts` (optional) follows the change in
  // has_samples(), num_chunks(), chunk_bytes() and num_samples().
  // REQUIRES: order_of(t, v) == newer.
  void append(int64_t t, double v, const HeadChunkLimits& limits, HeadChunkFile* file = nullptr,
              HeadCounts* counts = nullptr);

  // Hints to the CPU for a batch of appends to many series (HeadAppender's
  // commit), which otherwise waits on a cache miss per object per series.
  // The addresses of the open chunk and its appender are read under the
  // stripe lock by a caller that prefetches them later without it (a stale
  // address only wastes the hint: prefetching never faults); then, under the
  // lock, prefetch_open_chunk_bytes() asks for the header and the tail that
  // append() writes. The encoder's state is inside the series.
  const void* open_chunk_address() const { return open_.tail(); }
  void prefetch_open_chunk_bytes() const {
    if (open_.empty()) return;
    const auto bytes = open_.bytes();
    __builtin_prefetch(bytes.data(), 1);
    __builtin_prefetch(bytes.data() + bytes.size() - 1, 1);
  }

  // Drops sealed chunks whose samples are all older than `min_time` (reading
  // the kept ones' records in `file` to count what stays); returns how many
  // samples went with them. `counts` as in append(). After this the series
  // never reads a dropped chunk, so `file` may delete their segments.
  uint64_t drop_chunks_before(int64_t min_time, const HeadChunkFile* file,
                              HeadCounts* counts = nullptr);

  // Where a reader starts walking the series' sealed chunks in the file:
  // copied under the stripe lock, so that the walk (page faults on a cold
  // mapping, a CRC a chunk) runs after the lock is released.
  struct FileChain {
    SeriesRef series = 0;
    HeadChunkLocation newest = 0;  // 0: nothing to read
    int64_t min_t = 0;             // the truncation floor (sealed_min_t_)
    uint32_t chunks = 0;           // bounds the walk should a damaged chain loop
  };

  // Copies, under the stripe lock, what a query of [mint, maxt] needs beside
  // the file's records: the heap chunks overlapping it (into `sealed`), a copy
  // of the open chunk's bytes when it overlaps, and where the file chain
  // starts (newest 0 when no file chunk can overlap).
  FileChain snapshot(int64_t mint, int64_t maxt, std::vector<HeadChunkRef>* sealed,
                     std::vector<uint8_t>* open_bytes, int64_t* open_max_t) const;

  // Without any lock: adds the chain's chunks overlapping [mint, maxt] to
  // `sealed` and leaves it oldest first. `pin` was taken under the same hold
  // of the stripe lock as the snapshot. Fails when a record is damaged.
  static Status read_file_chunks(const FileChain& chain, int64_t mint, int64_t maxt,
                                 const HeadChunkFile& file, const HeadChunkFile::Pin& pin,
                                 std::vector<HeadChunkRef>* sealed);

  // What this series adds to the head's stats: has_samples() as the series
  // count, num_chunks(), chunk_bytes(), num_samples().
  HeadCounts counts() const;

  // Appenders with uncommitted samples or metadata for this series; truncate()
  // keeps a series while any, so their pointers stay valid.
  void pin() { pins_ += kOnePin; }
  void unpin() { pins_ -= kOnePin; }
  bool pinned() const { return pins_ >= kOnePin; }

  // Whether the head's commit log already holds this series' labels (see
  // CommitLog); a series is logged once, before the first samples that refer to it.
  bool logged() const { return (pins_ & kLoggedBit) != 0; }
  void set_logged(bool logged) { pins_ = logged ? (pins_ | kLoggedBit) : (pins_ & ~kLoggedBit); }

  size_t num_chunks() const { return sealed_chunks_ + (open_.empty() ? 0 : 1); }
  size_t chunk_bytes() const { return sealed_bytes_ + open_.bytes().size(); }
  // Estimate of everything this series holds (labels, chunks, bookkeeping).
  size_t memory_bytes() const;

 private:
  // Seals the open chunk (when it has samples) before `append` starts the
  // next; `keep_buffer`: the next grows in the sealed one's buffer.
  void cut_chunk(HeadChunkFile* file, bool keep_buffer);
  // Whether the open chunk is sealed before the next sample: at
  // limits.max_samples, or staggered at this series' own phase (see
  // at_seal_phase). Inline: every append asks.
  bool open_chunk_full(const HeadChunkLimits& limits) const {
    const int held = open_.num_samples();
    if (!limits.staggered) return held >= limits.max_samples;
    return held >= limits.max_samples || at_seal_phase(limits);
  }
  bool at_seal_phase(const HeadChunkLimits& limits) const;
  // Moves the open chunk to `file`, or to the heap list when that fails.
  void seal_open_chunk(HeadChunkFile* file, bool keep_buffer);
  // Calls visit(const HeadChunkRecord&) for the sealed chunks in `file`,
  // newest first, going on to the previous one while it returns true; stops
  // at the truncation floor.
  template <typename Visit>
  Status walk_file_chunks(const HeadChunkFile& file, Visit&& visit) const;
  // The same walk from a copied chain; read(location, series) reads a record.
  template <typename Read, typename Visit>
  static Status walk_chain(const FileChain& chain, Read&& read, Visit&& visit);

  // The low bit of pins_ is logged(), the next one whether the series has
  // heap chunks; the pins count above them.
  static constexpr uint32_t kLoggedBit = 1;
  static constexpr uint32_t kHeapChunksBit = 2;
  static constexpr uint32_t kOnePin = 4;

  // Chunks the chunk file could not take (a write failed), oldest first; null
  // while there are none, which is all but always. They live in a table of
  // the process keyed by the series' address, not in the series: 8 bytes in
  // every series for a pointer that is null unless a disk failed
  // (bench/memory/README.md). Same locking as the rest of the series.
  std::vector<HeadChunkRef>* heap_sealed() const;
  std::vector<HeadChunkRef>& heap_sealed_for_append();
  void drop_heap_sealed();

  // What every append reads or writes comes first, so that it shares as few
  // cache lines as the allocation's alignment allows. Fields are as narrow
  // as their range: a series is kept per 100,000s, and each 8 bytes is ~1%.
  SeriesRef ref_;
  // The newest sample, the sample count and the first timestamp of the open
  // chunk are the encoder's (open_.last_t(), num_samples(), first_t()); its
  // time window is the newest sample's.
  chunkenc::OpenXorChunk open_;
  // Committed samples held: 2^32 is 136 years of one a second, and the head
  // drops what blocks hold long before.
  uint32_t samples_ = 0;
  uint32_t pins_ = 0;

  SharedLabels labels_;
  const MetricMetadata* metadata_ = nullptr;  // interned by HeadStorage
  // The newest sealed chunk in the file (0: none). Chunks there ending before
  // sealed_min_t_ have been dropped: a walk stops at a record whose stored
  // prev_max_t says so, without reading a segment that may be gone.
  HeadChunkLocation newest_sealed_ = 0;
  int64_t newest_sealed_max_t_ = 0;  // stored in the next record as its prev_max_t
  int64_t sealed_min_t_ = 0;         // the oldest kept sealed chunk's first sample
  uint32_t sealed_chunks_ = 0;
  uint32_t sealed_bytes_ = 0;
};

// Allocates HeadSeries in creation order from large slabs, so that series
// created together (a target's first scrape) sit side by side in memory and
// every later scrape, which appends to them in the same order, reads them
// front to back instead of missing cache on each. Freed blocks are reused;
// slabs go back to the system only when the pool is destroyed, which must be
// after every series it handed out.
//
// Thread-safety: create() and the deleter may be called from any thread.
class HeadSeriesPool {
 public:
  struct Deleter {
    HeadSeriesPool* pool;
    void operator()(HeadSeries* series) const;
  };
  using Ptr = std::unique_ptr<HeadSeries, Deleter>;

  HeadSeriesPool() = default;
  ~HeadSeriesPool();
  HeadSeriesPool(const HeadSeriesPool&) = delete;
  HeadSeriesPool& operator=(const HeadSeriesPool&) = delete;

  Ptr create(SeriesRef ref, SharedLabels labels);

 private:
  static constexpr size_t kBlockBytes =
      (sizeof(HeadSeries) + alignof(HeadSeries) - 1) / alignof(HeadSeries) * alignof(HeadSeries);
  static constexpr size_t kBlocksPerSlab = 512;

  void* allocate();
  void release(void* block);

  mutable std::mutex mutex_;
  std::vector<std::byte*> slabs_;
  std::byte* next_ = nullptr;  // the unused rest of the newest slab
  std::byte* end_ = nullptr;
  std::vector<void*> free_;  // released blocks, reused last-freed first
};

}  // namespace mc
