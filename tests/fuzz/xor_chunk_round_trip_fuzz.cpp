// Fuzz target: XOR chunk encode -> decode must give back every sample, the
// value bit for bit. The samples are appended in runs, each through a fresh
// appender, since the head resumes appending to a chunk after a restart.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "common/store/chunkenc/chunk.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "tests/fuzz/sample_generator.hpp"

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof(a)) == 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mc::fuzz::FuzzInput input(data, size);
  // The first byte: how many samples each appender writes before the next resumes.
  const size_t run = 1 + input.byte();
  const auto series = mc::fuzz::generate_series(input, mc::chunkenc::Chunk::kMaxSamples);

  auto chunk = mc::chunkenc::new_chunk(mc::chunkenc::ChunkEncoding::xor_gorilla);
  for (size_t start = 0; start < series.timestamps.size(); start += run) {
    auto appender = chunk->appender();
    if (!appender) std::abort();  // our own chunk must always decode
    for (size_t i = start; i < start + run && i < series.timestamps.size(); ++i) {
      (*appender)->append(series.timestamps[i], series.values[i]);
    }
  }
  if (chunk->num_samples() != static_cast<int>(series.timestamps.size())) std::abort();

  auto iterator = mc::chunkenc::new_chunk_iterator(chunk->bytes());
  size_t i = 0;
  while (iterator->next()) {
    if (i >= series.timestamps.size()) std::abort();
    const auto sample = iterator->at();
    if (sample.t_ms != series.timestamps[i] || !same_bits(sample.v, series.values[i])) std::abort();
    ++i;
  }
  if (!iterator->status().is_ok() || i != series.timestamps.size()) std::abort();
  return 0;
}
