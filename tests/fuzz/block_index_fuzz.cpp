// Fuzz target: BlockIndex::parse on an index file, then every lookup a reader
// makes (label names and values, postings, chunks, metadata).
//
// The input is an index file whose CRCs the target recomputes before parsing
// (where the trailer and the table of contents can be found), as the usual
// answer to checksummed formats: mutations of a real index then reach the
// section decoders instead of stopping at a CRC mismatch. Inputs where even
// that fails still test the framing checks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "common/store/block/block_format.hpp"
#include "common/store/block/block_index.hpp"
#include "common/util/byte_buffer.hpp"
#include "common/util/crc32c.hpp"

namespace {

using namespace mc::block;

void store_u32(std::vector<uint8_t>& file, size_t offset, uint32_t value) {
  std::memcpy(file.data() + offset, &value, sizeof(value));  // little-endian, as the format
}

// Rewrites the CRC of every section the table of contents lists, then that of
// the table itself. Leaves the file alone where offsets do not make sense.
void repair_checksums(std::vector<uint8_t>& file) {
  if (file.size() < kFileHeaderBytes + kIndexTrailerBytes) return;
  const size_t trailer_offset = file.size() - kIndexTrailerBytes;
  uint64_t toc_offset;
  std::memcpy(&toc_offset, file.data() + trailer_offset, sizeof(toc_offset));
  if (toc_offset < kFileHeaderBytes || toc_offset > trailer_offset) return;
  const std::span<const uint8_t> toc_bytes(file.data() + toc_offset, trailer_offset - toc_offset);
  mc::ByteReader toc(toc_bytes);
  const uint64_t count = toc.uvarint();
  for (uint64_t i = 0; i < count && toc.ok(); ++i) {
    (void)toc.u8();  // id
    (void)toc.u8();  // compression
    const uint64_t offset = toc.uvarint();
    const uint64_t stored_bytes = toc.uvarint();
    (void)toc.uvarint();  // raw bytes
    const size_t crc_position = toc_offset + toc.position();
    (void)toc.u32();
    if (!toc.ok()) break;
    if (offset <= toc_offset && stored_bytes <= toc_offset - offset) {
      store_u32(file, crc_position,
                mc::crc32c(std::span<const uint8_t>(file.data() + offset, stored_bytes)));
    }
  }
  store_u32(file, trailer_offset + 8, mc::crc32c(toc_bytes));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> file(data, data + size);
  repair_checksums(file);
  auto index = BlockIndex::parse(file, "fuzz/index");
  if (!index) return 0;

  size_t seen = 0;
  for (const std::string& name : index->label_names()) {
    for (const std::string& value : index->label_values(name)) {
      if (auto postings = index->postings(name, value)) {
        for (const uint32_t series : *postings) {
          if (series >= index->num_series()) std::abort();  // a posting names a series
        }
      }
    }
    if (auto all = index->postings_where(name, [](std::string_view) { return true; })) {
      seen += all->size();
    }
  }
  for (uint32_t series = 0; series < index->num_series(); ++series) {
    seen += index->labels(series).size();
    if (const auto* metadata = index->metadata(series)) seen += metadata->help.size();
    for (const auto& chunk : index->chunks(series)) seen += chunk.samples;
  }
  seen += index->groups().size();
  (void)seen;
  return 0;
}
