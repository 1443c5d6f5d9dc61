// ScrapeBodyBuffer: the bytes of one scrape's body, grown at the end without
// being zeroed first, so the plain HTTP client can recv() a page straight into
// it (std::string would zero what it grows, or take a copy from a receive
// buffer: 6% of the daemon's CPU at 50 targets of 1,000 series, all memmove).
// A whole response may be received into it, its head then dropped from the
// front.
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
  std::string_view view() const { return {data_.get() + front_, size_ - front_}; }
  size_t size() const { return size_ - front_; }
  size_t capacity() const { return capacity_ - front_; }

  void clear() { size_ = front_ = 0; }
  // Frees the memory.
  void release() {
    data_.reset();
    size_ = front_ = capacity_ = 0;
  }
  void reserve(size_t bytes) {
    if (bytes <= capacity()) return;
    auto grown = std::make_unique_for_overwrite<char[]>(bytes);
    if (size() > 0) std::memcpy(grown.get(), data_.get() + front_, size());
    data_ = std::move(grown);
    size_ -= front_;
    front_ = 0;
    capacity_ = bytes;
  }
  void append(std::string_view bytes) {
    if (bytes.empty()) return;
    std::memcpy(extend(bytes.size()).data(), bytes.data(), bytes.size());
  }
  // Grows by `bytes` left as they were (doubling the capacity when it must
  // grow) and returns them, to be written or taken back with truncate().
  std::span<char> extend(size_t bytes) {
    if (size() + bytes > capacity()) reserve(std::max(size() + bytes, capacity() * 2));
    const size_t start = size_;
    size_ += bytes;
    return {data_.get() + start, bytes};
  }
  // Keeps the first `size` bytes. REQUIRES: size <= size().
  void truncate(size_t size) { size_ = front_ + size; }
  // Forgets the first `bytes` (a response's head received in front of its
  // body) without moving the rest. REQUIRES: bytes <= size().
  void drop_front(size_t bytes) { front_ += bytes; }

 private:
  std::unique_ptr<char[]> data_;
  size_t front_ = 0;  // where the body begins in data_
  size_t size_ = 0;   // where it ends
  size_t capacity_ = 0;
};

}  // namespace mc
