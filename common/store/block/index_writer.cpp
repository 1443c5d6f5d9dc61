#include "common/store/block/index_writer.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "common/util/byte_buffer.hpp"
#include "common/util/crc32c.hpp"

namespace mc::block {

namespace {

// Strings sorted and numbered; a label refers to its name and value by number.
class SymbolTable {
 public:
  explicit SymbolTable(std::vector<std::string_view> strings) : sorted_(std::move(strings)) {
    std::sort(sorted_.begin(), sorted_.end());
    sorted_.erase(std::unique(sorted_.begin(), sorted_.end()), sorted_.end());
    numbers_.reserve(sorted_.size());
    for (uint32_t i = 0; i < sorted_.size(); ++i) numbers_.emplace(sorted_[i], i);
  }

  uint32_t number(std::string_view s) const { return numbers_.at(s); }

  // uvarint count, then each string front coded against the one before it:
  // uvarint shared prefix length, uvarint suffix length, suffix bytes.
  void write(ByteWriter& out) const {
    out.uvarint(sorted_.size());
    std::string_view previous;
    for (const std::string_view s : sorted_) {
      size_t shared = 0;
      while (shared < s.size() && shared < previous.size() && s[shared] == previous[shared]) {
        ++shared;
      }
      out.uvarint(shared);
      out.string(s.substr(shared));
      previous = s;
    }
  }

 private:
  std::vector<std::string_view> sorted_;
  std::unordered_map<std::string_view, uint32_t> numbers_;
};

struct Section {
  SectionId id;
  std::vector<uint8_t> raw;
};

}  // namespace

uint32_t IndexWriter::string_number(std::string_view s) {
  auto found = string_numbers_.find(s);
  if (found != string_numbers_.end()) return found->second;
  const auto number = static_cast<uint32_t>(series_.strings.size());
  auto [it, inserted] = string_numbers_.emplace(std::string(s), number);
  series_.strings.push_back(it->first);
  return number;
}

void IndexWriter::add_series(const Labels& labels, const MetricMetadata* metadata,
                             std::vector<ChunkEntry> chunks) {
  uint32_t metadata_ref = 0;
  if (metadata != nullptr) {
    auto [it, inserted] =
        metadata_numbers_.emplace(*metadata, static_cast<uint32_t>(metadata_in_order_.size()));
    if (inserted) metadata_in_order_.push_back(&it->first);
    metadata_ref = it->second + 1;
  }
  for (const LabelView label : labels) {
    series_.label_strings.push_back(string_number(label.name));
    series_.label_strings.push_back(string_number(label.value));
  }
  series_.label_ends.push_back(static_cast<uint32_t>(series_.label_strings.size() / 2));
  series_.metadata.push_back(metadata_ref);
  series_.chunks.insert(series_.chunks.end(), chunks.begin(), chunks.end());
  series_.chunk_ends.push_back(static_cast<uint32_t>(series_.chunks.size()));
}

void IndexWriter::add_group(GroupEntry group) { groups_.push_back(std::move(group)); }

// The sections build() writes, each from what it needs; docs/storage-format.md
// has their layout.
namespace {

using Postings = std::map<std::string_view, std::map<std::string_view, std::vector<uint32_t>>>;

Section metadata_section(const std::vector<const MetricMetadata*>& metadata_in_order) {
  Section section{SectionId::metadata, {}};
  ByteWriter out(section.raw);
  out.uvarint(metadata_in_order.size());
  for (const MetricMetadata* metadata : metadata_in_order) {
    out.string(metadata->family);
    out.u8(static_cast<uint8_t>(metadata->type));
    out.string(metadata->help);
    out.string(metadata->unit);
  }
  return section;
}

Section series_section(const IndexWriter::SeriesTable& table, const SymbolTable& symbols,
                       int64_t base_time) {
  // Symbol numbers by string number, looked up once per string.
  std::vector<uint32_t> symbol_of(table.strings.size());
  for (size_t i = 0; i < table.strings.size(); ++i) symbol_of[i] = symbols.number(table.strings[i]);
  Section section{SectionId::series, {}};
  ByteWriter out(section.raw);
  out.varint(base_time);
  const size_t series_count = table.label_ends.size();
  out.uvarint(series_count);
  int64_t previous_timestamp_column = 0;
  for (size_t s = 0; s < series_count; ++s) {
    const uint32_t labels_begin = s == 0 ? 0 : table.label_ends[s - 1];
    out.uvarint(table.label_ends[s] - labels_begin);
    for (uint32_t l = labels_begin; l < table.label_ends[s]; ++l) {
      out.uvarint(symbol_of[table.label_strings[2 * l]]);
      out.uvarint(symbol_of[table.label_strings[2 * l + 1]]);
    }
    out.uvarint(table.metadata[s]);
    const uint32_t chunks_begin = s == 0 ? 0 : table.chunk_ends[s - 1];
    out.uvarint(table.chunk_ends[s] - chunks_begin);
    int64_t previous_time = base_time;
    for (uint32_t c = chunks_begin; c < table.chunk_ends[s]; ++c) {
      const ChunkEntry& chunk = table.chunks[c];
      out.varint(chunk.min_time - previous_time);
      out.uvarint(static_cast<uint64_t>(chunk.max_time - chunk.min_time));
      out.uvarint(chunk.samples);
      // Series of one target share their timestamps column: the delta is 0.
      out.varint(static_cast<int64_t>(chunk.timestamp_column) - previous_timestamp_column);
      previous_timestamp_column = chunk.timestamp_column;
      previous_time = chunk.max_time;
    }
  }
  return section;
}

// The label index (names, their values as symbol deltas) and the postings
// lists it points into, written side by side.
std::pair<Section, Section> label_index_sections(const Postings& postings,
                                                 const SymbolTable& symbols) {
  Section label_index{SectionId::label_index, {}};
  Section postings_section{SectionId::postings, {}};
  ByteWriter names_out(label_index.raw);
  ByteWriter postings_out(postings_section.raw);
  names_out.uvarint(postings.size());
  for (const auto& [name, values] : postings) {
    names_out.uvarint(symbols.number(name));
    names_out.uvarint(values.size());
    uint32_t previous_symbol = 0;
    for (const auto& [value, series] : values) {
      const uint32_t symbol = symbols.number(value);
      names_out.uvarint(symbol - previous_symbol);  // values sorted: symbols increase
      previous_symbol = symbol;
      postings_out.uvarint(series.size());
      uint32_t previous_series = 0;
      for (const uint32_t s : series) {
        postings_out.uvarint(s - previous_series);
        previous_series = s;
      }
    }
  }
  return {std::move(label_index), std::move(postings_section)};
}

Section groups_section(const std::vector<GroupEntry>& groups) {
  Section section{SectionId::groups, {}};
  ByteWriter out(section.raw);
  out.uvarint(groups.size());
  for (const GroupEntry& group : groups) {
    out.u8(static_cast<uint8_t>(group.kind));
    out.uvarint(group.record_bytes);
    out.uvarint(group.column_bytes.size());
    for (const uint32_t bytes : group.column_bytes) out.uvarint(bytes);
  }
  return section;
}

// Header, the sections (each compressed when that pays, CRC-checked), the
// table of contents and the trailer that points at it; each section goes to
// the sink as it is added, so only the table of contents is kept.
class IndexFileWriter {
 public:
  IndexFileWriter(Compressor& compressor, const IndexWriter::Sink& sink)
      : compressor_(compressor), sink_(sink) {}

  Status header() {
    std::vector<uint8_t> header;
    ByteWriter out(header);
    out.u32(kIndexMagic);
    out.u8(kIndexVersion);
    out.u8(0);
    out.u8(0);
    out.u8(0);
    return put(header);
  }

  // Takes the section's bytes and frees them once they are stored.
  Status add(Section section) {
    const Compression compression = compressor_.compress(section.raw, stored_);
    toc_out_.u8(static_cast<uint8_t>(section.id));
    toc_out_.u8(static_cast<uint8_t>(compression));
    toc_out_.uvarint(offset_);
    toc_out_.uvarint(stored_.size());
    toc_out_.uvarint(section.raw.size());
    toc_out_.u32(crc32c(stored_));
    ++sections_;
    section.raw = {};
    Status status = put(stored_);
    stored_ = {};
    return status;
  }

  // The table of contents (the count of sections, then their entries) and
  // the trailer; the file's size.
  Result<uint64_t> finish() {
    const uint64_t toc_offset = offset_;
    std::vector<uint8_t> toc;
    ByteWriter toc_out(toc);
    toc_out.uvarint(sections_);
    toc_out.bytes(entries_);
    std::vector<uint8_t> trailer;
    ByteWriter out(trailer);
    out.u64(toc_offset);
    out.u32(crc32c(toc));
    out.u32(kIndexMagic);
    if (Status status = put(toc); !status) return status;
    if (Status status = put(trailer); !status) return status;
    return offset_;
  }

 private:
  Status put(std::span<const uint8_t> bytes) {
    offset_ += bytes.size();
    return sink_(bytes);
  }

  Compressor& compressor_;
  const IndexWriter::Sink& sink_;
  std::vector<uint8_t> entries_;  // of the table of contents
  ByteWriter toc_out_{entries_};
  size_t sections_ = 0;
  std::vector<uint8_t> stored_;
  uint64_t offset_ = 0;
};

}  // namespace

Result<uint64_t> IndexWriter::write(int64_t base_time, Compressor& compressor, const Sink& sink) {
  // name -> value -> series numbers, all sorted (std::map, series in order).
  Postings postings;
  for (uint32_t s = 0; s < series_.label_ends.size(); ++s) {
    for (uint32_t l = s == 0 ? 0 : series_.label_ends[s - 1]; l < series_.label_ends[s]; ++l) {
      postings[series_.strings[series_.label_strings[2 * l]]]
              [series_.strings[series_.label_strings[2 * l + 1]]]
                  .push_back(s);
    }
  }
  // Every string is a key of the postings, once per name: a few thousand,
  // where one per label of every series was millions at 200,000 series.
  std::vector<std::string_view> strings;
  for (const auto& [name, values] : postings) {
    strings.push_back(name);
    for (const auto& value : values) strings.push_back(value.first);
  }
  const SymbolTable symbols(std::move(strings));

  IndexFileWriter file(compressor, sink);
  if (Status status = file.header(); !status) return status;
  {
    Section section{SectionId::symbols, {}};
    ByteWriter out(section.raw);
    symbols.write(out);
    if (Status status = file.add(std::move(section)); !status) return status;
  }
  if (Status status = file.add(metadata_section(metadata_in_order_)); !status) return status;
  Section series = series_section(series_, symbols, base_time);
  // The strings stay: the postings' keys and the symbols view them.
  series_.label_strings = {};
  series_.label_ends = {};
  series_.metadata = {};
  series_.chunks = {};
  series_.chunk_ends = {};
  if (Status status = file.add(std::move(series)); !status) return status;
  auto [label_index, postings_section] = label_index_sections(postings, symbols);
  postings = {};
  if (Status status = file.add(std::move(label_index)); !status) return status;
  if (Status status = file.add(std::move(postings_section)); !status) return status;
  if (Status status = file.add(groups_section(groups_)); !status) return status;
  groups_ = {};
  return file.finish();
}

}  // namespace mc::block
