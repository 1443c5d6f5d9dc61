// ScrapeBodyBuffer: the bytes of one scrape's body, grown at the end without
// being zeroed first, so the plain HTTP client can recv() a page straight into
// it (std::string would zero what it grows, or take a copy from a receive
// buffer: 6% of the daemon's CPU at 50 targets of 1,000 series, all memmove).
//
// Thread-safety: none; its HttpScraper hands it from the scheduler thread to
// a worker and back.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>

namespace mc {

class ScrapeBodyBuffer {
 public:
  std::string_view view() const { return {data_.get(), size_}; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

  void clear() { size_ = 0; }
  // Frees the memory.
  void release() {
    data_.reset();
    size_ = capacity_ = 0;
  }
  void reserve(size_t bytes) {
    if (bytes <= capacity_) return;
    auto grown = std::make_unique_for_overwrite<char[]>(bytes);
    if (size_ > 0) std::memcpy(grown.get(), data_.get(), size_);
    data_ = std::move(grown);
    capacity_ = bytes;
  }
  void append(std::string_view bytes) {
    if (bytes.empty()) return;
    std::memcpy(extend(bytes.size()).data(), bytes.data(), bytes.size());
  }
  // Grows by `bytes` left as they were (doubling the capacity when it must
  // grow) and returns them, to be written or taken back with truncate().
  std::span<char> extend(size_t bytes) {
    if (size_ + bytes > capacity_) reserve(std::max(size_ + bytes, capacity_ * 2));
    const size_t start = size_;
    size_ += bytes;
    return {data_.get() + start, bytes};
  }
  // Keeps the first `size` bytes. REQUIRES: size <= size().
  void truncate(size_t size) { size_ = size; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace mc
