#include "exporter/text_arena.hpp"

#include <algorithm>
#include <cstring>

namespace mc {

std::string_view TextArena::store(std::string_view text) {
  if (chunks_.empty() || chunk_bytes_ - chunk_used_ < text.size()) {
    const size_t next =
        chunks_.empty() ? kFirstChunkBytes : std::min(2 * chunk_bytes_, kMaxChunkBytes);
    chunk_bytes_ = std::max(next, text.size());
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(chunk_bytes_));
    chunk_used_ = 0;
  }
  char* at = chunks_.back().get() + chunk_used_;
  if (!text.empty()) std::memcpy(at, text.data(), text.size());
  chunk_used_ += text.size();
  bytes_ += text.size();
  return {at, text.size()};
}

void TextArena::clear() {
  chunks_.clear();
  chunk_bytes_ = 0;
  chunk_used_ = 0;
  bytes_ = 0;
}

}  // namespace mc
