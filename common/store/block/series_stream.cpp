#include "common/store/block/series_stream.hpp"

#include <fmt/format.h>
#include <zstd.h>

#include <algorithm>
#include <span>
#include <string>

#include "common/store/block/block_index.hpp"
#include "common/store/block/block_reader.hpp"
#include "common/store/block/compression.hpp"
#include "common/store/block/group_cache.hpp"
#include "common/store/block/series_record.hpp"
#include "common/util/byte_buffer.hpp"

namespace mc::block {

namespace {

// How much of the series section is decompressed at a time, and the most a
// window may grow to for one record (a series with ~100,000 chunks).
constexpr size_t kStreamWindowStep = 64 << 10;
constexpr size_t kStreamMaxWindow = 64 << 20;
// The groups the stream keeps decompressed: those of the last few series.
constexpr size_t kStreamGroupBytes = 1 << 20;

}  // namespace

struct SeriesStream::State {
  struct ZstdContextDeleter {
    void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
  };

  std::shared_ptr<const BlockReader> block;
  std::string path;  // the index file, for errors
  std::vector<uint8_t> file;
  BlockIndex index;
  StoredSection section;
  std::unique_ptr<ZSTD_DCtx, ZstdContextDeleter> zstd;
  size_t stored_read = 0;     // bytes of section.stored consumed
  uint64_t raw_produced = 0;  // decompressed bytes so far
  std::vector<uint8_t> window;
  size_t position = 0;  // in window
  uint64_t series_total = 0;
  uint64_t series_read = 0;
  RecordContext context;
  SeriesRecord record;
  std::vector<uint32_t> previous_labels;
  Labels labels;
  // Column locations: every timestamp column (chunks refer to them by
  // number), and the value columns walked in order, the current series' kept.
  std::vector<ColumnLocation> timestamp_columns;
  std::vector<ColumnLocation> value_columns;
  uint32_t value_group = 0;   // the group the next value column is in
  size_t value_in_group = 0;  // its number in that group
  uint64_t value_offset = 0;  // its offset in the group's bytes
  GroupCache groups{kStreamGroupBytes, 1};
  Status status = Status::ok();

  State(std::shared_ptr<const BlockReader> reader, std::vector<uint8_t> bytes, BlockIndex parsed,
        StoredSection stored)
      : block(std::move(reader)),
        file(std::move(bytes)),
        index(std::move(parsed)),
        section(stored) {}

  Status fail(std::string_view what) {
    status = Status::error(
        fmt::format("{}: at offset {}: series section: {}", path, section.offset, what));
    return status;
  }

  bool exhausted() const { return raw_produced == section.raw_bytes; }

  // Appends up to kStreamWindowStep more bytes of the section to the window,
  // dropping what was read.
  Status refill() {
    window.erase(window.begin(), window.begin() + static_cast<ptrdiff_t>(position));
    position = 0;
    if (window.size() + kStreamWindowStep > kStreamMaxWindow)
      return fail("a record larger than 64 MiB");
    const size_t before = window.size();
    const size_t room = static_cast<size_t>(
        std::min<uint64_t>(kStreamWindowStep, section.raw_bytes - raw_produced));
    window.resize(before + room);
    size_t produced = 0;
    if (section.compression == Compression::none) {
      std::copy_n(section.stored.begin() + static_cast<ptrdiff_t>(stored_read), room,
                  window.begin() + static_cast<ptrdiff_t>(before));
      stored_read += room;
      produced = room;
    } else {
      ZSTD_outBuffer out{window.data() + before, room, 0};
      for (;;) {
        ZSTD_inBuffer in{section.stored.data(), section.stored.size(), stored_read};
        const size_t out_before = out.pos;
        const size_t result = ZSTD_decompressStream(zstd.get(), &out, &in);
        const bool progressed = in.pos != stored_read || out.pos != out_before;
        stored_read = in.pos;
        if (ZSTD_isError(result)) return fail(fmt::format("zstd: {}", ZSTD_getErrorName(result)));
        if (out.pos == out.size || result == 0 || !progressed) break;
      }
      produced = out.pos;
    }
    window.resize(before + produced);
    raw_produced += produced;
    if (produced < room) {
      return fail(fmt::format("{} bytes where {} were expected", raw_produced, section.raw_bytes));
    }
    return Status::ok();
  }

  // Decodes the next record into `record`, refilling the window as needed.
  Status next_record() {
    for (;;) {
      ByteReader in(std::span<const uint8_t>(window).subspan(position));
      RecordContext attempt = context;
      const RecordRead read = read_series_record(in, attempt, record);
      if (read == RecordRead::ok) {
        position += in.position();
        context = attempt;
        return Status::ok();
      }
      if (read == RecordRead::invalid || exhausted()) return fail("malformed");
      if (Status status = refill(); !status) return status;
    }
  }

  // The current series' value columns, the next ones of the value groups.
  Status locate_values(size_t count) {
    value_columns.clear();
    const auto& all = index.groups();
    while (value_columns.size() < count) {
      if (value_group >= all.size()) return fail("more chunks than value columns");
      const GroupEntry& group = all[value_group];
      if (group.kind != GroupKind::values || value_in_group == group.column_bytes.size()) {
        ++value_group;
        value_in_group = 0;
        value_offset = 0;
        continue;
      }
      const uint32_t bytes = group.column_bytes[value_in_group];
      if (value_offset + bytes > UINT32_MAX) return fail("group larger than 4 GiB");
      value_columns.push_back(
          ColumnLocation{value_group, static_cast<uint32_t>(value_offset), bytes});
      value_offset += bytes;
      ++value_in_group;
    }
    return Status::ok();
  }
};

SeriesStream::SeriesStream(std::unique_ptr<State> state) : state_(std::move(state)) {}
SeriesStream::~SeriesStream() = default;

Result<std::unique_ptr<SeriesStream>> SeriesStream::open(std::shared_ptr<const BlockReader> block) {
  auto bytes = block->index_file_bytes();
  if (!bytes) return bytes.status();
  StoredSection section;
  auto parsed = BlockIndex::parse_without_series(*bytes, block->index_path_, section);
  if (!parsed) return parsed.status();
  // The section's span points into the file's bytes, whose buffer the move keeps.
  auto state = std::make_unique<State>(block, std::move(*bytes), std::move(*parsed), section);
  state->path = block->index_path_;
  if (section.compression == Compression::zstd) {
    if (Status status = check_zstd_frame(section.stored, section.raw_bytes); !status) {
      return state->fail(status.message());
    }
    state->zstd.reset(ZSTD_createDCtx());
    if (!state->zstd) return Status::error("zstd: out of memory");
  } else if (section.compression != Compression::none ||
             section.stored.size() != section.raw_bytes) {
    return state->fail("unknown compression or size");
  }
  const size_t kinds = block->meta().columns.size();
  uint64_t value_columns = 0;
  const auto& groups = state->index.groups();
  for (uint32_t g = 0; g < groups.size(); ++g) {
    uint64_t offset = 0;
    for (const uint32_t bytes : groups[g].column_bytes) {
      if (offset + bytes > UINT32_MAX)
        return state->fail(fmt::format("group {} larger than 4 GiB", g));
      if (groups[g].kind == GroupKind::timestamps) {
        state->timestamp_columns.push_back(ColumnLocation{g, static_cast<uint32_t>(offset), bytes});
      } else {
        ++value_columns;
      }
      offset += bytes;
    }
  }
  if (value_columns != block->meta().chunks * kinds) {
    return state->fail(fmt::format("{} value columns for {} chunks of {} kinds", value_columns,
                                   block->meta().chunks, kinds));
  }
  // The section opens with its base time and series count.
  while (!state->exhausted() && state->window.size() < 20) {
    if (Status status = state->refill(); !status) return status;
  }
  ByteReader header(state->window);
  state->context.base_time = header.varint();
  state->series_total = header.uvarint();
  if (!header.ok()) return state->fail("malformed");
  if (state->series_total != block->meta().series) {
    return state->fail(fmt::format("{} series where meta.json says {}", state->series_total,
                                   block->meta().series));
  }
  state->position = header.position();
  state->context.symbols = state->index.symbol_count();
  state->context.metadata = state->index.metadata_count();
  return std::unique_ptr<SeriesStream>(new SeriesStream(std::move(state)));
}

bool SeriesStream::next() {
  State& s = *state_;
  if (!s.status) return false;
  if (s.series_read == s.series_total) {
    if (s.position != s.window.size() || !s.exhausted()) s.fail("bytes after the last series");
    return false;
  }
  if (!s.next_record()) return false;
  const auto& symbols = s.record.label_symbols;
  if (s.series_read > 0 &&
      !std::lexicographical_compare(s.previous_labels.begin(), s.previous_labels.end(),
                                    symbols.begin(), symbols.end())) {
    s.fail(fmt::format("series {} out of order", s.series_read));
    return false;
  }
  s.previous_labels = symbols;
  for (const ChunkEntry& chunk : s.record.chunks) {
    if (chunk.timestamp_column >= s.timestamp_columns.size()) {
      s.fail(fmt::format("series {} refers to timestamps column {} of {}", s.series_read,
                         chunk.timestamp_column, s.timestamp_columns.size()));
      return false;
    }
  }
  if (!s.locate_values(s.record.chunks.size() * s.block->meta().columns.size())) return false;
  s.labels = s.index.labels_of(symbols);
  ++s.series_read;
  return true;
}

const Status& SeriesStream::status() const { return state_->status; }

const Labels& SeriesStream::labels() const { return state_->labels; }

const MetricMetadata* SeriesStream::metadata() const {
  const uint32_t ref = state_->record.metadata_ref;
  return ref == 0 ? nullptr : &(*state_->index.metadata_table())[ref - 1];
}

Status SeriesStream::read(int64_t mint, int64_t maxt, size_t column,
                          std::vector<int64_t>& timestamps, std::vector<double>& values) {
  State& s = *state_;
  const BlockReader& block = *s.block;
  if (column >= block.meta().columns.size()) {
    return Status::error(fmt::format("{}: no column {} (the block has {})", block.dir(), column,
                                     block.meta().columns.size()));
  }
  const BlockReader::SeriesColumns where{s.index.groups(), s.timestamp_columns, s.record.chunks,
                                         s.value_columns};
  return block.read_columns(where, static_cast<uint32_t>(s.series_read - 1), mint, maxt, column,
                            timestamps, values, nullptr, &s.groups);
}

Status SeriesStream::encoded_chunks(
    std::vector<EncodedChunk>& chunks,
    std::vector<std::shared_ptr<const std::vector<uint8_t>>>& held) {
  State& s = *state_;
  const BlockReader& block = *s.block;
  const auto& groups = s.index.groups();
  auto column = [&](const ColumnLocation& location) -> Result<std::span<const uint8_t>> {
    auto group = block.group(groups, location.group, &s.groups);
    if (!group) return group.status();
    if (uint64_t{location.offset} + location.bytes > (*group)->size()) {
      return Status::error(
          block.group_error(groups, location.group, "column past the group's end"));
    }
    if (held.empty() || held.back() != *group) held.push_back(*group);
    return std::span<const uint8_t>(**group).subspan(location.offset, location.bytes);
  };
  const size_t kinds = block.meta().columns.size();
  for (size_t c = 0; c < s.record.chunks.size(); ++c) {
    const ChunkEntry& entry = s.record.chunks[c];
    EncodedChunk chunk;
    chunk.min_time = entry.min_time;
    chunk.max_time = entry.max_time;
    chunk.samples = entry.samples;
    auto timestamps = column(s.timestamp_columns[entry.timestamp_column]);
    if (!timestamps) return timestamps.status();
    chunk.timestamps = *timestamps;
    for (size_t k = 0; k < kinds; ++k) {
      auto values = column(s.value_columns[c * kinds + k]);
      if (!values) return values.status();
      chunk.values.push_back(*values);
    }
    chunks.push_back(std::move(chunk));
  }
  return Status::ok();
}

const BlockReader& SeriesStream::block() const { return *state_->block; }

}  // namespace mc::block
