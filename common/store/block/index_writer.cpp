#include "common/store/block/index_writer.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "common/util/byte_buffer.hpp"
#include "common/util/crc32c.hpp"

namespace mc::block {

namespace {

// Strings sorted and numbered; a label refers to its name and value by number.
// Built from the writer's strings (each once, in order of first use), so a
// string's symbol is looked up by its number, not hashed again.
class SymbolTable {
 public:
  explicit SymbolTable(const std::vector<std::string_view>& strings) : symbol_of_(strings.size()) {
    std::vector<uint32_t> order(strings.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return strings[a] < strings[b]; });
    sorted_.reserve(order.size());
    for (uint32_t symbol = 0; symbol < order.size(); ++symbol) {
      symbol_of_[order[symbol]] = symbol;
      sorted_.push_back(strings[order[symbol]]);
    }
  }

  // The symbol of the writer's string number `string`.
  uint32_t of(uint32_t string) const { return symbol_of_[string]; }

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
  std::vector<uint32_t> symbol_of_;
};

struct Section {
  SectionId id;
  std::vector<uint8_t> raw;
};

}  // namespace

uint32_t IndexWriter::string_number(std::string_view s) {
  auto found = string_numbers_.find(s);
  if (found != string_numbers_.end()) return found->second;
  const auto number = static_cast<uint32_t>(strings_.size());
  auto [it, inserted] = string_numbers_.emplace(std::string(s), number);
  strings_.push_back(it->first);
  return number;
}

namespace {

// Records go into pages of this capacity (a bigger record gets a page of its
// own size), so that no buffer ever doubles.
constexpr size_t kRecordPageBytes = 256 << 10;

}  // namespace

// A series' record: uvarint label count, per label uvarint name and value
// string numbers; uvarint metadata ref (0: none, else number + 1); uvarint
// chunk count, per chunk varint min_time minus the time before it (the
// previous series' first min_time for the first chunk, else the chunk
// before's max_time), uvarint max_time - min_time, uvarint samples, varint
// timestamp column minus the one of the chunk before (across series, as the
// series section has it).
void IndexWriter::add_series(const Labels& labels, const MetricMetadata* metadata,
                             std::vector<ChunkEntry> chunks) {
  uint32_t metadata_ref = 0;
  if (metadata != nullptr) {
    auto [it, inserted] =
        metadata_numbers_.emplace(*metadata, static_cast<uint32_t>(metadata_in_order_.size()));
    if (inserted) metadata_in_order_.push_back(&it->first);
    metadata_ref = it->second + 1;
  }
  record_.clear();
  ByteWriter out(record_);
  out.uvarint(labels.size());
  for (const LabelView label : labels) {
    out.uvarint(string_number(label.name));
    out.uvarint(string_number(label.value));
  }
  out.uvarint(metadata_ref);
  out.uvarint(chunks.size());
  int64_t previous_time = previous_first_min_time_;
  if (!chunks.empty()) previous_first_min_time_ = chunks.front().min_time;
  for (const ChunkEntry& chunk : chunks) {
    out.varint(chunk.min_time - previous_time);
    out.uvarint(static_cast<uint64_t>(chunk.max_time - chunk.min_time));
    out.uvarint(chunk.samples);
    out.varint(static_cast<int64_t>(chunk.timestamp_column) -
               static_cast<int64_t>(previous_timestamp_column_));
    previous_timestamp_column_ = chunk.timestamp_column;
    previous_time = chunk.max_time;
  }
  if (pages_.empty() || pages_.back().capacity() - pages_.back().size() < record_.size()) {
    pages_.emplace_back().reserve(std::max(kRecordPageBytes, record_.size()));
  }
  pages_.back().insert(pages_.back().end(), record_.begin(), record_.end());
  ++series_count_;
}

template <typename Visit>
void IndexWriter::for_each_record(Visit&& visit) const {
  for (const std::vector<uint8_t>& page : pages_) {
    ByteReader in(page);
    while (!in.at_end()) visit(in);
  }
}

void IndexWriter::add_group(GroupEntry group) { groups_.push_back(std::move(group)); }

// The sections build() writes, each from what it needs; docs/storage-format.md
// has their layout.
namespace {

// Every series number of each (name, value) pair, in one array: the pairs in
// label index order (name, then value, as strings), each pair's series in
// order. Counted, then filled: a map of maps of vectors held about twice the
// numbers themselves at 200,000 series.
struct Postings {
  struct Pair {
    uint32_t name;   // symbol
    uint32_t value;  // symbol
    uint32_t end;    // of its series in `series`
  };
  std::vector<Pair> pairs;
  std::vector<uint32_t> series;
};

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

// The label index (names, their values as symbol deltas) and the postings
// lists it points into, written side by side.
std::pair<Section, Section> label_index_sections(const Postings& postings) {
  Section label_index{SectionId::label_index, {}};
  Section postings_section{SectionId::postings, {}};
  ByteWriter names_out(label_index.raw);
  ByteWriter postings_out(postings_section.raw);
  size_t names = 0;
  for (size_t p = 0; p < postings.pairs.size(); ++p) {
    if (p == 0 || postings.pairs[p].name != postings.pairs[p - 1].name) ++names;
  }
  names_out.uvarint(names);
  uint32_t series_begin = 0;
  for (size_t p = 0; p < postings.pairs.size();) {
    const uint32_t name = postings.pairs[p].name;
    size_t name_end = p;
    while (name_end < postings.pairs.size() && postings.pairs[name_end].name == name) ++name_end;
    names_out.uvarint(name);
    names_out.uvarint(name_end - p);
    uint32_t previous_symbol = 0;
    for (; p < name_end; ++p) {
      const Postings::Pair& pair = postings.pairs[p];
      names_out.uvarint(pair.value - previous_symbol);  // values sorted: symbols increase
      previous_symbol = pair.value;
      postings_out.uvarint(pair.end - series_begin);
      uint32_t previous_series = 0;
      for (uint32_t i = series_begin; i < pair.end; ++i) {
        postings_out.uvarint(postings.series[i] - previous_series);
        previous_series = postings.series[i];
      }
      series_begin = pair.end;
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
  const SymbolTable symbols(strings_);

  // The postings: every (name, value) pair numbered as first met, counted,
  // then the pairs put in label index order and their series filled in.
  Postings postings;
  {
    std::unordered_map<uint64_t, uint32_t> pair_numbers;
    std::vector<uint32_t> counts;
    const auto pair_key = [](uint64_t name, uint64_t value) { return name << 32 | value; };
    const auto skip_chunks = [](ByteReader& in) {
      const uint64_t chunks = in.uvarint();
      for (uint64_t c = 0; c < chunks && in.ok(); ++c) {
        in.varint();
        in.uvarint();
        in.uvarint();
        in.varint();
      }
    };
    for_each_record([&](ByteReader& in) {
      const uint64_t labels = in.uvarint();
      for (uint64_t l = 0; l < labels && in.ok(); ++l) {
        const uint64_t name = in.uvarint();
        const uint64_t value = in.uvarint();
        auto [it, inserted] =
            pair_numbers.try_emplace(pair_key(name, value), static_cast<uint32_t>(counts.size()));
        if (inserted) {
          counts.push_back(0);
          postings.pairs.push_back(Postings::Pair{symbols.of(static_cast<uint32_t>(name)),
                                                  symbols.of(static_cast<uint32_t>(value)), 0});
        }
        ++counts[it->second];
      }
      in.uvarint();  // metadata
      skip_chunks(in);
    });
    // Label index order; where each pair's series start, by pair number.
    std::vector<uint32_t> order(postings.pairs.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const Postings::Pair& x = postings.pairs[a];
      const Postings::Pair& y = postings.pairs[b];
      return x.name != y.name ? x.name < y.name : x.value < y.value;
    });
    std::vector<uint32_t> next(postings.pairs.size());
    std::vector<Postings::Pair> sorted(postings.pairs.size());
    uint32_t end = 0;
    for (size_t position = 0; position < order.size(); ++position) {
      next[order[position]] = end;
      end += counts[order[position]];
      sorted[position] = postings.pairs[order[position]];
      sorted[position].end = end;
    }
    postings.pairs = std::move(sorted);
    order = {};
    counts = {};
    postings.series.resize(end);
    uint32_t series = 0;
    for_each_record([&](ByteReader& in) {
      const uint64_t labels = in.uvarint();
      for (uint64_t l = 0; l < labels && in.ok(); ++l) {
        const uint64_t name = in.uvarint();
        const uint64_t value = in.uvarint();
        postings.series[next[pair_numbers.at(pair_key(name, value))]++] = series;
      }
      in.uvarint();
      skip_chunks(in);
      ++series;
    });
  }

  IndexFileWriter file(compressor, sink);
  if (Status status = file.header(); !status) return status;
  {
    Section section{SectionId::symbols, {}};
    ByteWriter out(section.raw);
    symbols.write(out);
    if (Status status = file.add(std::move(section)); !status) return status;
  }
  if (Status status = file.add(metadata_section(metadata_in_order_)); !status) return status;
  {
    // The series section: the records again, labels as symbols and the
    // first chunk's time from the block's start.
    Section section{SectionId::series, {}};
    ByteWriter out(section.raw);
    out.varint(base_time);
    out.uvarint(series_count_);
    int64_t first_min_time = 0;
    bool damaged = false;
    for_each_record([&](ByteReader& in) {
      const uint64_t labels = in.uvarint();
      out.uvarint(labels);
      for (uint64_t l = 0; l < labels && in.ok(); ++l) {
        out.uvarint(symbols.of(static_cast<uint32_t>(in.uvarint())));
        out.uvarint(symbols.of(static_cast<uint32_t>(in.uvarint())));
      }
      out.uvarint(in.uvarint());  // metadata
      const uint64_t chunks = in.uvarint();
      out.uvarint(chunks);
      for (uint64_t c = 0; c < chunks && in.ok(); ++c) {
        int64_t delta = in.varint();
        if (c == 0) {
          first_min_time += delta;
          delta = first_min_time - base_time;
        }
        out.varint(delta);
        out.uvarint(in.uvarint());
        out.uvarint(in.uvarint());
        out.varint(in.varint());
      }
      damaged = damaged || !in.ok();
    });
    // Our own bytes: a failed read here is a bug, not bad input.
    if (damaged) return Status::error("index writer: a series record does not read back");
    pages_ = {};
    if (Status status = file.add(std::move(section)); !status) return status;
  }
  auto [label_index, postings_section] = label_index_sections(postings);
  postings = {};
  if (Status status = file.add(std::move(label_index)); !status) return status;
  if (Status status = file.add(std::move(postings_section)); !status) return status;
  if (Status status = file.add(groups_section(groups_)); !status) return status;
  groups_ = {};
  return file.finish();
}

}  // namespace mc::block
