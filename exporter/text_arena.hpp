// TextArena: texts stored back to back in a few large chunks, in the order
// they were stored, for as long as the arena lives.
//
// The /metrics prefix cache keeps one `name{labels}` text per series and
// writes them all on every request. One heap string each scattered them over
// the heap (the rendering buffer grows, shrink_to_fit moves it into whatever
// hole fits), so every copy waited on memory. Stored here in the order the
// store hands series out, a request reads them front to back, and each text
// costs its bytes only (no allocator header, no 32-byte string object).
//
// Texts cannot be freed one by one: the owner counts what it no longer uses
// and rebuilds the arena when that grows (SeriesPrefixCache::sweep).
//
// Thread-safety: none.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace mc {

class TextArena {
 public:
  // A copy of `text` that stays valid, unmoved, until clear() or destruction.
  std::string_view store(std::string_view text);
  // Bytes of the texts stored (not of the chunks' unused ends).
  size_t bytes() const { return bytes_; }
  void clear();

 private:
  // Chunks grow from small (a page of a few series stays small) to 1 MiB.
  static constexpr size_t kFirstChunkBytes = size_t{4} << 10;
  static constexpr size_t kMaxChunkBytes = size_t{1} << 20;

  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_bytes_ = 0;  // size of the last chunk
  size_t chunk_used_ = 0;   // bytes used in the last chunk
  size_t bytes_ = 0;
};

}  // namespace mc
