#include "common/store/head_series.hpp"

#include <algorithm>
#include <limits>
#include <new>

namespace mc {

namespace {

// The last millisecond of the aligned window of `duration` that holds `t`.
// 128-bit arithmetic: windows near the int64 limits overflow 64 bits; the last
// window ends at int64 max.
int64_t window_last(int64_t t, int64_t duration) {
  __int128 start = (static_cast<__int128>(t) / duration) * duration;
  if (start > t) start -= duration;  // floor for negative t
  const __int128 last = start + duration - 1;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  return last > kMax ? kMax : static_cast<int64_t>(last);
}

}  // namespace

void HeadSeries::cut_chunk(int64_t t, const HeadChunkLimits& limits) {
  size_t last_chunk_bytes = 0;
  if (open_) {
    last_chunk_bytes = open_->bytes().size();
    open_appender_.reset();
    open_->compact();
    sealed_bytes_ += open_->bytes().size();
    sealed_.push_back(HeadChunkRef{std::shared_ptr<const chunkenc::Chunk>(std::move(open_)),
                                   open_min_t_, newest_t_});
  }
  open_ = chunkenc::new_chunk(chunkenc::ChunkEncoding::xor_gorilla);
  // A series' chunks come out about the same size (values that change in
  // many bits take ~8 bytes a sample, far past the chunk's first guess): make
  // room for the last one's size and a little more, instead of doubling up to
  // it, and then past it, in every chunk.
  if (last_chunk_bytes > 0) open_->reserve(last_chunk_bytes + last_chunk_bytes / 8);
  // A new, empty chunk has no samples to decode, so this cannot fail.
  open_appender_ = std::move(open_->appender()).value();
  open_samples_ = 0;
  open_min_t_ = t;
  open_last_t_ = window_last(t, limits.max_duration_ms);
}

void HeadSeries::append(int64_t t, double v, const HeadChunkLimits& limits) {
  if (!open_ || open_samples_ >= limits.max_samples || t > open_last_t_) {
    cut_chunk(t, limits);
  }
  open_appender_->append(t, v);
  ++open_samples_;
  newest_t_ = t;
  newest_v_ = v;
  ++samples_;
}

uint64_t HeadSeries::drop_chunks_before(int64_t min_time) {
  auto keep = std::find_if(sealed_.begin(), sealed_.end(),
                           [&](const HeadChunkRef& c) { return c.max_t >= min_time; });
  uint64_t dropped = 0;
  for (auto it = sealed_.begin(); it != keep; ++it) {
    dropped += static_cast<uint64_t>(it->chunk->num_samples());
    sealed_bytes_ -= it->chunk->bytes().size();
  }
  sealed_.erase(sealed_.begin(), keep);
  samples_ -= dropped;
  return dropped;
}

void HeadSeries::snapshot(int64_t mint, int64_t maxt, std::vector<HeadChunkRef>* sealed,
                          std::vector<uint8_t>* open_bytes, int64_t* open_max_t) const {
  for (const auto& chunk : sealed_) {
    if (chunk.max_t >= mint && chunk.min_t <= maxt) sealed->push_back(chunk);
  }
  if (open_ && newest_t_ >= mint && open_min_t_ <= maxt) {
    // The open chunk keeps growing under appends: copy its bytes (and with
    // them the sample count in its header) while the stripe lock is held.
    const auto bytes = open_->bytes();
    open_bytes->assign(bytes.begin(), bytes.end());
    *open_max_t = newest_t_;
  }
}

size_t HeadSeries::memory_bytes() const {
  // shared_ptr control blocks are about 16 bytes; the open appender's state
  // about 48.
  constexpr size_t kControlBlock = 16;
  constexpr size_t kAppenderState = 48;
  size_t bytes = sizeof(*this) + sizeof(Labels) + kControlBlock + labels_->heap_bytes();
  bytes += sealed_.capacity() * sizeof(HeadChunkRef);
  for (const auto& chunk : sealed_) bytes += chunk.chunk->memory_bytes() + kControlBlock;
  if (open_) bytes += open_->memory_bytes() + kAppenderState;
  return bytes;
}

HeadSeriesPool::~HeadSeriesPool() {
  for (std::byte* slab : slabs_) ::operator delete (slab, std::align_val_t{alignof(HeadSeries)});
}

HeadSeriesPool::Ptr HeadSeriesPool::create(SeriesRef ref, std::shared_ptr<const Labels> labels) {
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
