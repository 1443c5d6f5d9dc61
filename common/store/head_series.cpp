#include "common/store/head_series.hpp"

#include <algorithm>
#include <limits>
#include <mutex>
#include <new>
#include <unordered_map>

#include "common/util/logger.hpp"

namespace mc {

namespace {

// HeadSeries' heap chunks, by series address (see HeadSeries::heap_sealed).
// The map's lock guards the map; each vector is its series', used under that
// series' stripe lock like the rest of it (a node's value does not move when
// the map rehashes). Never destroyed: series may outlive static destruction.
struct HeapSealedChunks {
  std::mutex mutex;
  std::unordered_map<const HeadSeries*, std::vector<HeadChunkRef>> by_series;
};

HeapSealedChunks& heap_sealed_chunks() {
  static auto* table = new HeapSealedChunks();
  return *table;
}

}  // namespace

HeadSeries::~HeadSeries() { drop_heap_sealed(); }

std::vector<HeadChunkRef>* HeadSeries::heap_sealed() const {
  if ((pins_ & kHeapChunksBit) == 0) return nullptr;
  HeapSealedChunks& table = heap_sealed_chunks();
  std::lock_guard lock(table.mutex);
  return &table.by_series.at(this);
}

std::vector<HeadChunkRef>& HeadSeries::heap_sealed_for_append() {
  if (auto* chunks = heap_sealed()) return *chunks;
  HeapSealedChunks& table = heap_sealed_chunks();
  std::lock_guard lock(table.mutex);
  pins_ |= kHeapChunksBit;
  return table.by_series[this];
}

void HeadSeries::drop_heap_sealed() {
  if ((pins_ & kHeapChunksBit) == 0) return;
  HeapSealedChunks& table = heap_sealed_chunks();
  std::lock_guard lock(table.mutex);
  table.by_series.erase(this);
  pins_ &= ~kHeapChunksBit;
}

namespace {

// The first millisecond of the aligned window of `duration` that holds `t`.
// 128-bit arithmetic, unlike aligned_window_start (util/aligned_window.hpp):
// the first window starts below int64 min, where every timestamp is after
// its start.
int64_t head_window_start_exact(int64_t t, int64_t duration) {
  __int128 start = (static_cast<__int128>(t) / duration) * duration;
  if (start > t) start -= duration;  // floor for negative t
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  return start < kMin ? kMin : static_cast<int64_t>(start);
}

// head_window_start_exact with the last answer of this thread kept: a commit
// appends one timestamp (the scrape's) to every series of its batch, so the
// division runs once a batch, not once a sample.
int64_t head_window_start(int64_t t, int64_t duration) {
  thread_local int64_t cached_t = 0;
  thread_local int64_t cached_duration = 0;
  thread_local int64_t cached_start = 0;
  if (t != cached_t || duration != cached_duration) {
    cached_start = head_window_start_exact(t, duration);
    cached_t = t;
    cached_duration = duration;
  }
  return cached_start;
}

}  // namespace

void HeadSeries::seal_open_chunk(HeadChunkFile* file, bool keep_buffer) {
  const std::span<const uint8_t> bytes = open_.bytes();
  const auto size = static_cast<uint32_t>(bytes.size());
  const int64_t min_t = open_.first_t();
  const int64_t max_t = open_.last_t();
  if (sealed_chunks_ == 0) sealed_min_t_ = min_t;
  ++sealed_chunks_;
  sealed_bytes_ += size;
  if (file != nullptr) {
    auto location = file->write(ref_, newest_sealed_, newest_sealed_max_t_, min_t, max_t, bytes);
    if (location) {
      newest_sealed_ = *location;
      newest_sealed_max_t_ = max_t;
      keep_buffer ? open_.restart() : open_.clear();
      return;
    }
    // The file logged and counted the error; the chunk stays on the heap.
  }
  // The open chunk's bytes are its own encoding's header and samples.
  std::shared_ptr<const chunkenc::Chunk> chunk(
      std::move(chunkenc::chunk_from_bytes({bytes.begin(), bytes.end()})).value());
  keep_buffer ? open_.restart() : open_.clear();
  const std::span<const uint8_t> kept = chunk->bytes();
  heap_sealed_for_append().push_back(HeadChunkRef{std::move(chunk), kept, min_t, max_t});
}

void HeadSeries::cut_chunk(HeadChunkFile* file, bool keep_buffer) {
  // The new chunk's bytes grow from its first append (see OpenXorChunk):
  // reserving the last chunk's size up front would hold, averaged over a
  // chunk's life, about twice what its samples take. Except at a window's
  // end, where every series cuts its chunk in the same second: freeing
  // 200,000 buffers at once and growing as many new ones from nothing, in
  // the scrape threads' arenas, raised the soak's RssAnon by ~15 MiB after
  // each window start (bench/soak/README.md); there the next chunk grows in
  // the buffer it already has.
  if (!open_.empty()) seal_open_chunk(file, keep_buffer);
}

// Were every series' chunk cut at max_samples, the series a daemon started
// in the same second (every target's, at start-up and after each window
// boundary) would seal their chunks in the same second every max_samples
// scrapes, and the open chunks' memory would rise and fall together: a
// 2-minute saw of ~38 MiB RssAnon at 200,000 series scraped every second
// (bench/soak/README.md). Staggered, a series seals where its sample count
// plus a phase of its own (from its ref, over the whole cycle) reaches a
// multiple of max_samples, each series out of step with the others: every
// chunk holds max_samples but a window's first, which holds what is left to
// the series' next phase point, 1 to max_samples. It held from half to one
// and a half times max_samples before (no chunk under half): every series
// starts its window's first chunk in the same second, and with some of them
// growing to one and a half the open chunks held about a quarter more than
// between windows for the first two minutes of each window, RssAnon +28 MiB
// at 200,000 series in the soak.
bool HeadSeries::at_seal_phase(const HeadChunkLimits& limits) const {
  const auto length = static_cast<uint32_t>(limits.max_samples);
  // The phase in [0, max_samples) by multiply and shift, and no division.
  const auto hash =
      static_cast<uint32_t>((static_cast<uint64_t>(ref_) * 0x9E3779B97F4A7C15ull) >> 32);
  const auto phase = static_cast<uint32_t>((uint64_t{hash} * length) >> 32);
  const uint64_t divisor = limits.max_samples_divisor;
  return uint64_t{samples_ + phase} * divisor <= divisor - 1;
}

void HeadSeries::append(int64_t t, double v, const HeadChunkLimits& limits, HeadChunkFile* file,
                        HeadCounts* counts) {
  const size_t chunks_before = num_chunks();
  const size_t bytes_before = counts != nullptr ? chunk_bytes() : 0;
  // The open chunk's samples share one window (a sample past it cuts the
  // chunk), so `t` is past it when its own window starts after the newest
  // sample: the window's end is not kept in the series (8 bytes a series).
  if (open_.empty()) {
    // Nothing to seal.
  } else if (open_.last_t() < head_window_start(t, limits.max_duration_ms)) {
    cut_chunk(file, /*keep_buffer=*/true);
  } else if (open_chunk_full(limits)) {
    cut_chunk(file, /*keep_buffer=*/false);
  }
  open_.append(t, v);
  ++samples_;
  if (counts != nullptr) {
    if (samples_ == 1) ++counts->series;
    counts->chunks += static_cast<int64_t>(num_chunks() - chunks_before);
    counts->chunk_bytes += static_cast<int64_t>(chunk_bytes()) - static_cast<int64_t>(bytes_before);
    ++counts->samples;
  }
}

template <typename Read, typename Visit>
Status HeadSeries::walk_chain(const FileChain& chain, Read&& read, Visit&& visit) {
  HeadChunkLocation at = chain.newest;
  // Bounded by the chunks the series holds, should a damaged chain loop.
  for (uint32_t step = 0; at != 0 && step < chain.chunks; ++step) {
    auto record = read(at, chain.series);
    if (!record) return record.status();
    if (!visit(*record)) break;
    if (record->prev_max_t < chain.min_t) break;  // dropped: its segment may be gone
    at = record->prev;
  }
  return Status::ok();
}

template <typename Visit>
Status HeadSeries::walk_file_chunks(const HeadChunkFile& file, Visit&& visit) const {
  const FileChain chain{ref_, newest_sealed_, sealed_min_t_, sealed_chunks_};
  return walk_chain(
      chain, [&](HeadChunkLocation at, SeriesRef series) { return file.read(at, series); },
      std::forward<Visit>(visit));
}

namespace {

int chunk_sample_count(std::span<const uint8_t> bytes) {
  return bytes.size() < chunkenc::kChunkHeaderBytes ? 0 : (bytes[1] << 8) | bytes[2];
}

}  // namespace

uint64_t HeadSeries::drop_chunks_before(int64_t min_time, const HeadChunkFile* file,
                                        HeadCounts* counts) {
  // Every sealed chunk ends at or after its first sample, and the oldest kept
  // one starts at sealed_min_t_.
  if (sealed_chunks_ == 0 || min_time <= sealed_min_t_) return 0;
  const HeadCounts before = this->counts();
  uint32_t kept_chunks = 0;
  uint64_t kept_bytes = 0;
  uint64_t kept_samples = 0;
  int64_t kept_min_t = std::numeric_limits<int64_t>::max();
  // Only kept records are read: each says whether the one before it is kept.
  if (file != nullptr && newest_sealed_ != 0 && newest_sealed_max_t_ >= min_time) {
    Status walked = walk_file_chunks(*file, [&](const HeadChunkRecord& record) {
      ++kept_chunks;
      kept_bytes += record.bytes.size();
      kept_samples += static_cast<uint64_t>(chunk_sample_count(record.bytes));
      kept_min_t = std::min(kept_min_t, record.min_t);
      return record.prev_max_t >= min_time;
    });
    // A damaged record ends the chain: the chunks past it cannot be read.
    if (!walked) log::error("head chunk chain cut short", {{"err", walked.message()}});
  }
  if (kept_chunks == 0) newest_sealed_ = 0;  // none of the file's chunks is kept
  if (auto* heap_chunks = heap_sealed()) {
    auto& heap = *heap_chunks;
    heap.erase(std::remove_if(heap.begin(), heap.end(),
                              [&](const HeadChunkRef& c) { return c.max_t < min_time; }),
               heap.end());
    for (const auto& chunk : heap) {
      ++kept_chunks;
      kept_bytes += chunk.bytes.size();
      kept_samples += static_cast<uint64_t>(chunk_sample_count(chunk.bytes));
      kept_min_t = std::min(kept_min_t, chunk.min_t);
    }
    if (heap.empty()) drop_heap_sealed();
  }
  sealed_chunks_ = kept_chunks;
  sealed_bytes_ = static_cast<uint32_t>(kept_bytes);
  sealed_min_t_ = kept_chunks > 0 ? kept_min_t : 0;
  const uint64_t held = kept_samples + static_cast<uint64_t>(open_.num_samples());
  const uint64_t dropped = samples_ - held;
  samples_ = static_cast<uint32_t>(held);
  if (counts != nullptr) {
    const HeadCounts after = this->counts();
    counts->series += after.series - before.series;
    counts->chunks += after.chunks - before.chunks;
    counts->chunk_bytes += after.chunk_bytes - before.chunk_bytes;
    counts->samples += after.samples - before.samples;
  }
  return dropped;
}

HeadSeries::FileChain HeadSeries::snapshot(int64_t mint, int64_t maxt,
                                           std::vector<HeadChunkRef>* sealed,
                                           std::vector<uint8_t>* open_bytes,
                                           int64_t* open_max_t) const {
  FileChain chain;
  if (newest_sealed_ != 0 && newest_sealed_max_t_ >= mint) {
    chain = FileChain{ref_, newest_sealed_, sealed_min_t_, sealed_chunks_};
  }
  if (const auto* heap_chunks = heap_sealed()) {
    for (const auto& chunk : *heap_chunks) {
      if (chunk.max_t >= mint && chunk.min_t <= maxt) sealed->push_back(chunk);
    }
  }
  if (!open_.empty() && open_.last_t() >= mint && open_.first_t() <= maxt) {
    // The open chunk keeps growing under appends: copy its bytes (and with
    // them the sample count in its header) while the stripe lock is held.
    const auto bytes = open_.bytes();
    open_bytes->assign(bytes.begin(), bytes.end());
    *open_max_t = open_.last_t();
  }
  return chain;
}

Status HeadSeries::read_file_chunks(const FileChain& chain, int64_t mint, int64_t maxt,
                                    const HeadChunkFile& file, const HeadChunkFile::Pin& pin,
                                    std::vector<HeadChunkRef>* sealed) {
  if (chain.newest == 0) return Status::ok();
  // Heap chunks (rare: the file could not cut a segment or hold the chunk)
  // came first; they are merged by time below.
  const size_t heap_chunks = sealed->size();
  const Status status = walk_chain(
      chain, [&](HeadChunkLocation at, SeriesRef series) { return file.read(at, series, pin); },
      [&](const HeadChunkRecord& record) {
        if (record.min_t <= maxt) {
          sealed->push_back(HeadChunkRef{record.segment, record.bytes, record.min_t, record.max_t});
        }
        return record.prev_max_t >= mint;  // no older record is read than needed
      });
  std::reverse(sealed->begin() + static_cast<std::ptrdiff_t>(heap_chunks), sealed->end());
  if (heap_chunks > 0) {
    std::sort(sealed->begin(), sealed->end(),
              [](const HeadChunkRef& a, const HeadChunkRef& b) { return a.min_t < b.min_t; });
  }
  return status;
}

HeadCounts HeadSeries::counts() const {
  return HeadCounts{has_samples() ? 1 : 0, static_cast<int64_t>(num_chunks()),
                    static_cast<int64_t>(chunk_bytes()), static_cast<int64_t>(samples_)};
}

size_t HeadSeries::memory_bytes() const {
  // shared_ptr control blocks are about 16 bytes. Sealed chunks in the chunk
  // file are not the heap's; the open chunk's state is inside the series.
  constexpr size_t kControlBlock = 16;
  size_t bytes = sizeof(*this) + labels_->heap_bytes();
  if (const auto* heap_chunks = heap_sealed()) {
    bytes += sizeof(*heap_chunks) + heap_chunks->capacity() * sizeof(HeadChunkRef);
    for (const auto& chunk : *heap_chunks) {
      bytes +=
          static_cast<const chunkenc::Chunk*>(chunk.owner.get())->memory_bytes() + kControlBlock;
    }
  }
  bytes += open_.heap_bytes();
  return bytes;
}

HeadSeriesPool::~HeadSeriesPool() {
  for (std::byte* slab : slabs_) ::operator delete (slab, std::align_val_t{alignof(HeadSeries)});
}

HeadSeriesPool::Ptr HeadSeriesPool::create(SeriesRef ref, SharedLabels labels) {
  void* block = allocate();
  return Ptr(new (block) HeadSeries(ref, std::move(labels)), Deleter{this});
}

void HeadSeriesPool::Deleter::operator()(HeadSeries* series) const {
  series->~HeadSeries();
  pool->release(series);
}

void* HeadSeriesPool::allocate() {
  std::lock_guard lock(mutex_);
  if (!free_.empty()) {
    void* block = free_.back();
    free_.pop_back();
    return block;
  }
  if (next_ == end_) {
    constexpr size_t kSlabBytes = kBlockBytes * kBlocksPerSlab;
    next_ =
        static_cast<std::byte*>(::operator new (kSlabBytes, std::align_val_t{alignof(HeadSeries)}));
    end_ = next_ + kSlabBytes;
    slabs_.push_back(next_);
  }
  void* block = next_;
  next_ += kBlockBytes;
  return block;
}

void HeadSeriesPool::release(void* block) {
  std::lock_guard lock(mutex_);
  free_.push_back(block);
}

}  // namespace mc
