#include "common/store/block/block_index.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "common/store/block/compression.hpp"
#include "common/util/byte_buffer.hpp"
#include "common/util/crc32c.hpp"

namespace mc::block {

namespace {

std::string_view section_name(SectionId id) {
  switch (id) {
    case SectionId::symbols:
      return "symbols";
    case SectionId::metadata:
      return "metadata";
    case SectionId::series:
      return "series";
    case SectionId::label_index:
      return "label index";
    case SectionId::postings:
      return "postings";
    case SectionId::groups:
      return "groups";
  }
  return "unknown";
}

struct SectionBytes {
  uint64_t offset = 0;
  std::vector<uint8_t> raw;
};

}  // namespace

Result<BlockIndex> BlockIndex::parse(std::span<const uint8_t> file, const std::string& path) {
  auto fail = [&](uint64_t offset, std::string_view what) {
    return Status::error(fmt::format("{}: at offset {}: {}", path, offset, what));
  };
  if (file.size() < kFileHeaderBytes + kIndexTrailerBytes) {
    return fail(0, fmt::format("truncated: {} bytes", file.size()));
  }
  ByteReader header(file.first(kFileHeaderBytes));
  if (header.u32() != kIndexMagic) return fail(0, "not a block index (bad magic)");
  if (const uint8_t version = header.u8(); version != kIndexVersion) {
    return fail(4, fmt::format("unsupported index version {}", version));
  }
  if (header.u8() != 0 || header.u8() != 0 || header.u8() != 0) {
    return fail(5, "reserved header bytes not zero");
  }
  const size_t trailer_offset = file.size() - kIndexTrailerBytes;
  ByteReader trailer(file.subspan(trailer_offset));
  const uint64_t toc_offset = trailer.u64();
  const uint32_t toc_crc = trailer.u32();
  if (trailer.u32() != kIndexMagic) return fail(trailer_offset, "bad trailer magic (truncated?)");
  if (toc_offset < kFileHeaderBytes || toc_offset > trailer_offset) {
    return fail(trailer_offset, "table of contents offset out of range");
  }
  const auto toc_bytes = file.subspan(toc_offset, trailer_offset - toc_offset);
  if (crc32c(toc_bytes) != toc_crc) return fail(toc_offset, "table of contents: CRC mismatch");

  std::array<SectionBytes, kSectionCount + 1> sections;
  std::array<bool, kSectionCount + 1> present{};
  ByteReader toc(toc_bytes);
  const uint64_t count = toc.uvarint();
  for (uint64_t i = 0; i < count && toc.ok(); ++i) {
    const uint8_t id = toc.u8();
    const auto compression = static_cast<Compression>(toc.u8());
    const uint64_t offset = toc.uvarint();
    const uint64_t stored_bytes = toc.uvarint();
    const uint64_t raw_bytes = toc.uvarint();
    const uint32_t crc = toc.u32();
    if (!toc.ok()) break;
    if (id == 0 || id > kSectionCount) continue;  // a later version's section: skip
    const std::string_view name = section_name(static_cast<SectionId>(id));
    if (present[id]) return fail(toc_offset, fmt::format("{} section listed twice", name));
    if (offset < kFileHeaderBytes || offset > toc_offset || stored_bytes > toc_offset - offset) {
      return fail(offset, fmt::format("{} section out of bounds", name));
    }
    const auto stored = file.subspan(offset, stored_bytes);
    if (crc32c(stored) != crc) {
      return fail(offset, fmt::format("{} section: CRC mismatch", name));
    }
    if (Status status = decompress(compression, stored, raw_bytes, sections[id].raw); !status) {
      return fail(offset, fmt::format("{} section: {}", name, status.message()));
    }
    sections[id].offset = offset;
    present[id] = true;
  }
  if (!toc.ok()) return fail(toc_offset, "malformed table of contents");
  for (uint8_t id = 1; id <= kSectionCount; ++id) {
    if (!present[id]) {
      return fail(toc_offset,
                  fmt::format("{} section missing", section_name(static_cast<SectionId>(id))));
    }
  }
  auto section_error = [&](SectionId id, std::string_view what) {
    return fail(sections[static_cast<size_t>(id)].offset,
                fmt::format("{} section: {}", section_name(id), what));
  };
  auto section = [&](SectionId id) { return ByteReader(sections[static_cast<size_t>(id)].raw); };

  BlockIndex index;
  index.path_ = path;
  {
    ByteReader in = section(SectionId::symbols);
    const uint64_t n = in.uvarint();
    if (n > in.remaining()) return section_error(SectionId::symbols, "count larger than section");
    index.symbols_.reserve(n);
    std::string_view previous;
    for (uint64_t i = 0; i < n && in.ok(); ++i) {
      const uint64_t shared = in.uvarint();
      const std::string_view suffix = in.string();
      if (shared > previous.size()) return section_error(SectionId::symbols, "bad prefix length");
      std::string symbol(previous.substr(0, shared));
      symbol += suffix;
      if (i > 0 && symbol <= previous) return section_error(SectionId::symbols, "not sorted");
      index.symbols_.push_back(std::move(symbol));
      previous = index.symbols_.back();
    }
    if (!in.ok() || !in.at_end()) return section_error(SectionId::symbols, "malformed");
  }
  auto symbol = [&](uint64_t ref, bool& ok) -> std::string_view {
    if (ref >= index.symbols_.size()) {
      ok = false;
      return {};
    }
    return index.symbols_[ref];
  };
  {
    ByteReader in = section(SectionId::metadata);
    const uint64_t n = in.uvarint();
    if (n > in.remaining()) return section_error(SectionId::metadata, "count larger than section");
    for (uint64_t i = 0; i < n && in.ok(); ++i) {
      MetricMetadata metadata;
      metadata.family = in.string();
      const uint8_t type = in.u8();
      if (type > static_cast<uint8_t>(MetricType::stateset)) {
        return section_error(SectionId::metadata, "unknown metric type");
      }
      metadata.type = static_cast<MetricType>(type);
      metadata.help = in.string();
      metadata.unit = in.string();
      index.metadata_.push_back(std::move(metadata));
    }
    if (!in.ok() || !in.at_end()) return section_error(SectionId::metadata, "malformed");
  }
  {
    ByteReader in = section(SectionId::series);
    const int64_t base_time = in.varint();
    const uint64_t n = in.uvarint();
    if (n > in.remaining()) return section_error(SectionId::series, "count larger than section");
    index.labels_.reserve(n);
    index.metadata_refs_.reserve(n);
    index.first_chunk_.reserve(n + 1);
    int64_t previous_timestamp_column = 0;
    bool ok = true;
    for (uint64_t s = 0; s < n && in.ok() && ok; ++s) {
      const uint64_t label_count = in.uvarint();
      if (label_count > in.remaining()) break;
      std::vector<Label> labels;
      labels.reserve(label_count);
      for (uint64_t l = 0; l < label_count && in.ok(); ++l) {
        const std::string_view name = symbol(in.uvarint(), ok);
        const std::string_view value = symbol(in.uvarint(), ok);
        if (!labels.empty() && name <= labels.back().name) ok = false;
        labels.push_back({std::string(name), std::string(value)});
      }
      Labels built(std::move(labels));
      if (!index.labels_.empty() && !(index.labels_.back() < built)) {
        return section_error(SectionId::series, fmt::format("series {} out of order", s));
      }
      index.labels_.push_back(std::move(built));
      const uint64_t metadata_ref = in.uvarint();
      if (metadata_ref > index.metadata_.size()) ok = false;
      index.metadata_refs_.push_back(static_cast<uint32_t>(metadata_ref));
      index.first_chunk_.push_back(static_cast<uint32_t>(index.chunks_.size()));
      const uint64_t chunk_count = in.uvarint();
      if (chunk_count > in.remaining()) break;
      int64_t previous_time = base_time;
      for (uint64_t c = 0; c < chunk_count && in.ok(); ++c) {
        ChunkEntry chunk;
        chunk.min_time = previous_time + in.varint();
        chunk.max_time = chunk.min_time + static_cast<int64_t>(in.uvarint());
        const uint64_t samples = in.uvarint();
        const int64_t timestamp_column = previous_timestamp_column + in.varint();
        if (samples == 0 || samples > UINT32_MAX || timestamp_column < 0 ||
            timestamp_column > INT32_MAX || chunk.max_time < chunk.min_time) {
          ok = false;
        }
        chunk.samples = static_cast<uint32_t>(samples);
        chunk.timestamp_column = static_cast<uint32_t>(timestamp_column);
        previous_timestamp_column = timestamp_column;
        previous_time = chunk.max_time;
        index.chunks_.push_back(chunk);
      }
    }
    index.first_chunk_.push_back(static_cast<uint32_t>(index.chunks_.size()));
    if (!ok || !in.ok() || !in.at_end() || index.labels_.size() != n) {
      return section_error(SectionId::series, "malformed");
    }
  }
  {
    ByteReader names = section(SectionId::label_index);
    const auto& postings_raw = sections[static_cast<size_t>(SectionId::postings)].raw;
    ByteReader postings(postings_raw);
    const uint64_t n = names.uvarint();
    if (n > names.remaining()) return section_error(SectionId::label_index, "malformed");
    bool ok = true;
    for (uint64_t i = 0; i < n && names.ok() && ok; ++i) {
      LabelName label;
      label.name = symbol(names.uvarint(), ok);
      if (!index.label_names_.empty() && label.name <= index.label_names_.back().name) ok = false;
      const uint64_t value_count = names.uvarint();
      if (value_count > names.remaining()) break;
      uint64_t value_symbol = 0;
      for (uint64_t v = 0; v < value_count && names.ok() && ok; ++v) {
        const uint64_t delta = names.uvarint();
        if (v > 0 && delta == 0) ok = false;
        value_symbol += delta;
        label.values.push_back(symbol(value_symbol, ok));
        label.postings_offsets.push_back(static_cast<uint32_t>(postings.position()));
        // Walk the list to find the next one's offset, checking it on the way.
        const uint64_t count = postings.uvarint();
        if (count == 0 || count > postings.remaining()) ok = false;
        uint64_t series = 0;
        for (uint64_t p = 0; p < count && postings.ok() && ok; ++p) {
          const uint64_t delta_series = postings.uvarint();
          if (p > 0 && delta_series == 0) ok = false;
          series += delta_series;
          if (series >= index.labels_.size()) ok = false;
        }
      }
      index.label_names_.push_back(std::move(label));
    }
    if (!ok || !names.ok() || !names.at_end() || index.label_names_.size() != n) {
      return section_error(SectionId::label_index, "malformed");
    }
    if (!postings.ok() || !postings.at_end()) {
      return section_error(SectionId::postings, "malformed");
    }
    index.postings_ = postings_raw;
  }
  {
    ByteReader in = section(SectionId::groups);
    const uint64_t n = in.uvarint();
    if (n > in.remaining()) return section_error(SectionId::groups, "count larger than section");
    uint64_t offset = kFileHeaderBytes;
    for (uint64_t g = 0; g < n && in.ok(); ++g) {
      GroupEntry group;
      const uint8_t kind = in.u8();
      if (kind > static_cast<uint8_t>(GroupKind::values)) {
        return section_error(SectionId::groups, "unknown group kind");
      }
      group.kind = static_cast<GroupKind>(kind);
      group.offset = offset;
      group.record_bytes = in.uvarint();
      const uint64_t columns = in.uvarint();
      if (columns > in.remaining()) break;
      group.column_bytes.reserve(columns);
      for (uint64_t c = 0; c < columns && in.ok(); ++c) {
        group.column_bytes.push_back(static_cast<uint32_t>(in.uvarint()));
      }
      offset += group.record_bytes;
      index.groups_.push_back(std::move(group));
    }
    if (!in.ok() || !in.at_end() || index.groups_.size() != n) {
      return section_error(SectionId::groups, "malformed");
    }
  }
  return index;
}

std::vector<std::string> BlockIndex::label_names() const {
  std::vector<std::string> names;
  names.reserve(label_names_.size());
  for (const LabelName& label : label_names_) names.emplace_back(label.name);
  return names;
}

std::vector<std::string> BlockIndex::label_values(std::string_view name) const {
  const LabelName* label = find_name(name);
  if (label == nullptr) return {};
  return {label->values.begin(), label->values.end()};
}

Result<std::vector<uint32_t>> BlockIndex::postings(std::string_view name,
                                                   std::string_view value) const {
  std::vector<uint32_t> out;
  const LabelName* label = find_name(name);
  if (label == nullptr) return out;
  const auto it = std::lower_bound(label->values.begin(), label->values.end(), value);
  if (it == label->values.end() || *it != value) return out;
  const auto i = static_cast<size_t>(it - label->values.begin());
  if (Status status = decode_postings(label->postings_offsets[i], out); !status) return status;
  return out;
}

const BlockIndex::LabelName* BlockIndex::find_name(std::string_view name) const {
  const auto it =
      std::lower_bound(label_names_.begin(), label_names_.end(), name,
                       [](const LabelName& label, std::string_view n) { return label.name < n; });
  return it != label_names_.end() && it->name == name ? &*it : nullptr;
}

Status BlockIndex::decode_postings(uint32_t offset, std::vector<uint32_t>& out) const {
  ByteReader in{std::span<const uint8_t>(postings_).subspan(offset)};
  const uint64_t count = in.uvarint();
  uint64_t series = 0;
  for (uint64_t i = 0; i < count && in.ok(); ++i) {
    series += in.uvarint();
    out.push_back(static_cast<uint32_t>(series));
  }
  if (!in.ok()) return Status::error(path_ + ": postings section: malformed list");
  return Status::ok();
}

void BlockIndex::merge_into(std::vector<uint32_t>& accumulated, std::vector<uint32_t>& scratch,
                            const std::vector<uint32_t>& next) {
  if (accumulated.empty()) {
    accumulated = next;
    return;
  }
  scratch.clear();
  std::set_union(accumulated.begin(), accumulated.end(), next.begin(), next.end(),
                 std::back_inserter(scratch));
  accumulated.swap(scratch);
}

}  // namespace mc::block
