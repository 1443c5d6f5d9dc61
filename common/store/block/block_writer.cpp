#include "common/store/block/block_writer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string_view>

#include "common/store/block/compression.hpp"
#include "common/store/block/index_writer.hpp"
#include "common/store/columnar/column_codec.hpp"
#include "common/util/byte_buffer.hpp"
#include "common/util/crc32c.hpp"
#include "common/util/errno_text.hpp"

namespace mc::block {

namespace {

Status sync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::error(fmt::format("{}: open for fsync: {}", path, errno_text()));
  const int result = ::fsync(fd);
  const std::string error = result != 0 ? errno_text() : std::string();
  ::close(fd);
  if (result != 0) return Status::error(fmt::format("{}: fsync: {}", path, error));
  return Status::ok();
}

// Writes all of `bytes` at the end of `fd`, which holds `offset` bytes of
// `path` so far (advanced by what was written); an error names the offset.
Status append_all(int fd, std::span<const uint8_t> bytes, const std::string& path,
                  uint64_t& offset) {
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return Status::error(
          fmt::format("{}: write at offset {}: {}", path, offset + written, errno_text()));
    }
    written += static_cast<size_t>(n);
  }
  offset += bytes.size();
  return Status::ok();
}

// Makes the file at `path` from what `fill` hands its sink, then fsyncs and
// closes it. The index comes a section at a time (IndexWriter::write).
Status write_file(const std::string& path,
                  const std::function<Status(const IndexWriter::Sink&)>& fill) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::error(fmt::format("{}: create: {}", path, errno_text()));
  uint64_t offset = 0;
  const IndexWriter::Sink sink = [&](std::span<const uint8_t> bytes) {
    return append_all(fd, bytes, path, offset);
  };
  Status filled = fill(sink);
  if (filled && ::fsync(fd) != 0) {
    filled = Status::error(fmt::format("{}: fsync: {}", path, errno_text()));
  }
  if (!filled) {
    ::close(fd);
    return filled;
  }
  if (::close(fd) != 0) return Status::error(fmt::format("{}: close: {}", path, errno_text()));
  return Status::ok();
}

Status write_file(const std::string& path, std::span<const uint8_t> bytes) {
  return write_file(path, [&](const IndexWriter::Sink& sink) { return sink(bytes); });
}

uint64_t hash_bytes(std::span<const uint8_t> bytes) {
  return std::hash<std::string_view>()(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace

BlockWriter::BlockWriter(std::string parent_dir, BlockMeta meta, BlockWriterOptions options)
    : parent_dir_(std::move(parent_dir)),
      meta_(std::move(meta)),
      options_(options),
      compressor_(std::make_unique<Compressor>(options.zstd_level)),
      index_(std::make_unique<IndexWriter>()) {
  final_dir_ = (std::filesystem::path(parent_dir_) / block_dir_name(meta_)).string();
  temporary_dir_ = final_dir_ + kTemporarySuffix;
  data_path_ = temporary_dir_ + "/" + kDataFileName;
}

BlockWriter::~BlockWriter() { abandon(); }

void BlockWriter::abandon() {
  if (data_fd_ >= 0) {
    ::close(data_fd_);
    data_fd_ = -1;
  }
  if (!spent_) {
    std::error_code ignored;
    std::filesystem::remove_all(temporary_dir_, ignored);
    spent_ = true;
  }
}

Result<std::unique_ptr<BlockWriter>> BlockWriter::create(const std::string& parent_dir,
                                                         BlockMeta meta,
                                                         BlockWriterOptions options) {
  if (meta.tier.empty() || meta.tier.find('/') != std::string::npos) {
    return Status::error(fmt::format("block writer: bad tier name \"{}\"", meta.tier));
  }
  if (meta.columns.empty()) return Status::error("block writer: no column kinds");
  if (meta.min_time > meta.max_time) {
    return Status::error(
        fmt::format("block writer: min_time {} after max_time {}", meta.min_time, meta.max_time));
  }
  if (options.group_target_bytes == 0 || options.max_chunk_samples == 0) {
    return Status::error("block writer: group_target_bytes and max_chunk_samples must be > 0");
  }
  meta.version = kBlockFormatVersion;
  std::unique_ptr<BlockWriter> writer(new BlockWriter(parent_dir, std::move(meta), options));
  std::error_code error;
  if (std::filesystem::exists(writer->final_dir_, error)) {
    writer->spent_ = true;  // not ours to remove
    return Status::error(fmt::format("{}: block already exists", writer->final_dir_));
  }
  std::filesystem::remove_all(writer->temporary_dir_, error);  // left by a crash
  if (!std::filesystem::create_directories(writer->temporary_dir_, error) || error) {
    writer->spent_ = true;
    return Status::error(
        fmt::format("{}: cannot create: {}", writer->temporary_dir_, error.message()));
  }
  writer->data_fd_ =
      ::open(writer->data_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (writer->data_fd_ < 0) {
    return Status::error(fmt::format("{}: create: {}", writer->data_path_, errno_text()));
  }
  std::vector<uint8_t> header;
  ByteWriter out(header);
  out.u32(kDataMagic);
  out.u8(kDataVersion);
  out.u8(0);
  out.u8(0);
  out.u8(0);
  if (Status status = writer->write_all(writer->data_fd_, header, writer->data_path_); !status) {
    return status;
  }
  return writer;
}

Status BlockWriter::write_all(int fd, std::span<const uint8_t> bytes, const std::string& path) {
  return append_all(fd, bytes, path, data_offset_);
}

Status BlockWriter::add_series(const Labels& labels, const MetricMetadata* metadata,
                               std::span<const int64_t> timestamps,
                               std::span<const std::span<const double>> columns) {
  const std::string where =
      fmt::format("block writer {}: series {}", temporary_dir_, labels.to_string());
  if (Status status = check_series(labels, where); !status) return status;
  if (timestamps.empty()) return Status::error(where + ": no samples");
  if (columns.size() != meta_.columns.size()) {
    return Status::error(fmt::format("{}: {} columns given, the block has {}", where,
                                     columns.size(), meta_.columns.size()));
  }
  for (const auto& column : columns) {
    if (column.size() != timestamps.size()) {
      return Status::error(fmt::format("{}: a column has {} values for {} timestamps", where,
                                       column.size(), timestamps.size()));
    }
  }
  if (timestamps.front() < meta_.min_time || timestamps.back() > meta_.max_time) {
    return Status::error(fmt::format("{}: samples from {} to {} outside the block's [{}, {}]",
                                     where, timestamps.front(), timestamps.back(), meta_.min_time,
                                     meta_.max_time));
  }
  for (size_t i = 1; i < timestamps.size(); ++i) {
    if (timestamps[i] <= timestamps[i - 1]) {
      return Status::error(fmt::format("{}: timestamp {} at {} not after {}", where, timestamps[i],
                                       i, timestamps[i - 1]));
    }
  }

  // Equal chunks rather than full ones and a remainder: a range read then
  // decodes about the same amount wherever it falls.
  const size_t total = timestamps.size();
  const size_t chunk_count = (total + options_.max_chunk_samples - 1) / options_.max_chunk_samples;
  std::vector<ChunkEntry> chunks;
  chunks.reserve(chunk_count);
  OpenGroup series_values;
  for (size_t c = 0; c < chunk_count; ++c) {
    const size_t begin = total * c / chunk_count;
    const size_t end = total * (c + 1) / chunk_count;
    const auto chunk_timestamps = timestamps.subspan(begin, end - begin);
    scratch_.clear();
    columnar::encode_timestamps(chunk_timestamps, scratch_);
    auto number = timestamp_column(scratch_);
    if (!number) return number.status();
    chunks.push_back(ChunkEntry{chunk_timestamps.front(), chunk_timestamps.back(),
                                static_cast<uint32_t>(chunk_timestamps.size()), *number});
    for (const auto& column : columns) {
      const size_t before = series_values.bytes.size();
      columnar::encode_values(column.subspan(begin, end - begin), series_values.bytes);
      series_values.column_bytes.push_back(
          static_cast<uint32_t>(series_values.bytes.size() - before));
    }
  }
  return finish_series(labels, metadata, series_values, std::move(chunks), total);
}

Status BlockWriter::add_series_chunks(const Labels& labels, const MetricMetadata* metadata,
                                      std::span<const EncodedChunk> chunks) {
  const std::string where =
      fmt::format("block writer {}: series {}", temporary_dir_, labels.to_string());
  if (Status status = check_series(labels, where); !status) return status;
  if (chunks.empty()) return Status::error(where + ": no chunks");
  for (size_t c = 0; c < chunks.size(); ++c) {
    const EncodedChunk& chunk = chunks[c];
    if (chunk.samples == 0 || chunk.max_time < chunk.min_time ||
        (c > 0 && chunk.min_time <= chunks[c - 1].max_time)) {
      return Status::error(fmt::format("{}: chunk {} [{}, {}] of {} samples empty or out of order",
                                       where, c, chunk.min_time, chunk.max_time, chunk.samples));
    }
    if (chunk.values.size() != meta_.columns.size()) {
      return Status::error(fmt::format("{}: chunk {} has {} value columns, the block has {}", where,
                                       c, chunk.values.size(), meta_.columns.size()));
    }
  }
  if (chunks.front().min_time < meta_.min_time || chunks.back().max_time > meta_.max_time) {
    return Status::error(fmt::format("{}: samples from {} to {} outside the block's [{}, {}]",
                                     where, chunks.front().min_time, chunks.back().max_time,
                                     meta_.min_time, meta_.max_time));
  }
  std::vector<ChunkEntry> entries;
  entries.reserve(chunks.size());
  OpenGroup series_values;
  uint64_t samples = 0;
  for (const EncodedChunk& chunk : chunks) {
    auto number = timestamp_column(chunk.timestamps);
    if (!number) return number.status();
    entries.push_back(ChunkEntry{chunk.min_time, chunk.max_time, chunk.samples, *number});
    for (const auto& column : chunk.values) {
      series_values.bytes.insert(series_values.bytes.end(), column.begin(), column.end());
      series_values.column_bytes.push_back(static_cast<uint32_t>(column.size()));
    }
    samples += chunk.samples;
  }
  return finish_series(labels, metadata, series_values, std::move(entries), samples);
}

Status BlockWriter::check_series(const Labels& labels, const std::string& where) const {
  if (spent_) return Status::error("block writer: add_series after finish");
  if (has_series_ && !(last_labels_ < labels)) {
    return Status::error(where + ": not after the previous series in label order");
  }
  return Status::ok();
}

Status BlockWriter::finish_series(const Labels& labels, const MetricMetadata* metadata,
                                  const OpenGroup& series_values, std::vector<ChunkEntry> chunks,
                                  uint64_t samples) {
  // A series' value columns stay in one group, so reading it decompresses one.
  if (!values_.bytes.empty() &&
      values_.bytes.size() + series_values.bytes.size() > options_.group_target_bytes) {
    if (Status status = flush(values_, GroupKind::values); !status) return status;
  }
  values_.bytes.insert(values_.bytes.end(), series_values.bytes.begin(), series_values.bytes.end());
  values_.column_bytes.insert(values_.column_bytes.end(), series_values.column_bytes.begin(),
                              series_values.column_bytes.end());

  meta_.series += 1;
  meta_.samples += samples;
  meta_.chunks += chunks.size();
  index_->add_series(labels, metadata, std::move(chunks));
  last_labels_ = labels;
  has_series_ = true;
  return Status::ok();
}

Result<uint32_t> BlockWriter::timestamp_column(std::span<const uint8_t> column) {
  const uint64_t hash = hash_bytes(column);
  const auto [first, last] = known_timestamps_.equal_range(hash);
  for (auto it = first; it != last; ++it) {
    const KnownColumn& known = it->second;
    if (known.size == column.size() &&
        std::memcmp(unique_timestamps_.data() + known.offset, column.data(), column.size()) == 0) {
      return known.number;
    }
  }
  const uint32_t number = timestamp_columns_++;
  known_timestamps_.emplace(hash, KnownColumn{unique_timestamps_.size(), column.size(), number});
  unique_timestamps_.insert(unique_timestamps_.end(), column.begin(), column.end());
  if (!timestamps_.bytes.empty() &&
      timestamps_.bytes.size() + column.size() > options_.group_target_bytes) {
    if (Status status = flush(timestamps_, GroupKind::timestamps); !status) return status;
  }
  timestamps_.bytes.insert(timestamps_.bytes.end(), column.begin(), column.end());
  timestamps_.column_bytes.push_back(static_cast<uint32_t>(column.size()));
  return number;
}

Status BlockWriter::flush(OpenGroup& group, GroupKind kind) {
  if (group.bytes.empty()) return Status::ok();
  const Compression compression = compressor_->compress(group.bytes, stored_);
  std::vector<uint8_t> record;
  record.reserve(stored_.size() + 24);
  ByteWriter out(record);
  out.u8(static_cast<uint8_t>(compression));
  out.uvarint(group.bytes.size());
  out.uvarint(stored_.size());
  out.bytes(stored_);
  out.u32(crc32c(record));
  GroupEntry entry{kind, data_offset_, record.size(), std::move(group.column_bytes)};
  if (Status status = write_all(data_fd_, record, data_path_); !status) return status;
  index_->add_group(std::move(entry));
  group.bytes.clear();
  group.column_bytes.clear();
  return Status::ok();
}

Result<std::string> BlockWriter::finish() {
  if (spent_) return Status::error("block writer: finish called twice");
  auto fail = [&](Status status) -> Result<std::string> {
    abandon();
    return status;
  };
  if (Status status = flush(values_, GroupKind::values); !status) return fail(status);
  if (Status status = flush(timestamps_, GroupKind::timestamps); !status) return fail(status);
  if (::fsync(data_fd_) != 0) {
    return fail(Status::error(fmt::format("{}: fsync: {}", data_path_, errno_text())));
  }
  if (::close(data_fd_) != 0) {
    data_fd_ = -1;
    return fail(Status::error(fmt::format("{}: close: {}", data_path_, errno_text())));
  }
  data_fd_ = -1;

  uint64_t index_bytes = 0;
  if (Status status = write_file(temporary_dir_ + "/" + kIndexFileName,
                                 [&](const IndexWriter::Sink& sink) -> Status {
                                   auto written = index_->write(meta_.min_time, *compressor_, sink);
                                   if (!written) return written.status();
                                   index_bytes = *written;
                                   return Status::ok();
                                 });
      !status) {
    return fail(status);
  }
  index_.reset();
  meta_.data_bytes = data_offset_;
  meta_.index_bytes = index_bytes;
  const std::string json = meta_to_json(meta_);
  if (Status status =
          write_file(temporary_dir_ + "/" + kMetaFileName,
                     std::span(reinterpret_cast<const uint8_t*>(json.data()), json.size()));
      !status) {
    return fail(status);
  }
  if (Status status = sync_path(temporary_dir_); !status) return fail(status);
  if (::rename(temporary_dir_.c_str(), final_dir_.c_str()) != 0) {
    return fail(Status::error(
        fmt::format("rename {} to {}: {}", temporary_dir_, final_dir_, errno_text())));
  }
  spent_ = true;
  if (Status status = sync_path(parent_dir_); !status) return status;
  return final_dir_;
}

}  // namespace mc::block
