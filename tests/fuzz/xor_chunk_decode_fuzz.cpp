// Fuzz target: the XOR (Gorilla) chunk decoder on any bytes, as a chunk read
// from a damaged file would be: iterate to the end or the first error, reuse
// the iterator on the same bytes, and resume appending after the decoded
// samples when the chunk decodes cleanly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <span>
#include <vector>

#include "common/store/chunkenc/chunk.hpp"

using mc::chunkenc::Chunk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  auto iterator = mc::chunkenc::new_chunk_iterator(bytes);
  size_t first_pass = 0;
  int64_t last_t = std::numeric_limits<int64_t>::min();
  while (iterator->next()) {
    last_t = iterator->at().t_ms;
    ++first_pass;
  }
  const bool clean = iterator->status().is_ok();

  // The reused iterator must see exactly what a fresh one saw.
  iterator = mc::chunkenc::new_chunk_iterator(bytes, std::move(iterator));
  size_t second_pass = 0;
  while (iterator->next()) ++second_pass;
  if (second_pass != first_pass || iterator->status().is_ok() != clean) std::abort();

  auto chunk = mc::chunkenc::chunk_from_bytes(std::vector<uint8_t>(bytes.begin(), bytes.end()));
  if (!chunk) return 0;
  auto appender = (*chunk)->appender();
  if (!appender || (*chunk)->full()) return 0;
  (*appender)->append(last_t, 1.0);
  return 0;
}
