#include "common/store/block/block_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "common/store/block/block_format.hpp"
#include "common/store/block/block_index.hpp"
#include "common/store/block/compression.hpp"
#include "common/store/block/group_cache.hpp"
#include "common/store/columnar/column_codec.hpp"
#include "common/util/byte_buffer.hpp"
#include "common/util/crc32c.hpp"
#include "common/util/errno_text.hpp"

namespace mc::block {

namespace {

constexpr size_t kMaxMetaBytes = 1 << 20;

// Reads exactly bytes.size() bytes at `offset`; fails on a short file.
Status pread_exactly(int fd, std::span<uint8_t> bytes, uint64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status::error(fmt::format("{}: read at offset {}: {}", path, offset, errno_text()));
    }
    if (n == 0) {
      return Status::error(fmt::format("{}: at offset {}: file ends after {} of {} bytes", path,
                                       offset, done, bytes.size()));
    }
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

Result<std::vector<uint8_t>> read_whole_file(const std::string& path, size_t limit) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::error(fmt::format("{}: open: {}", path, errno_text()));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const std::string error = errno_text();
    ::close(fd);
    return Status::error(fmt::format("{}: stat: {}", path, error));
  }
  const auto size = static_cast<size_t>(info.st_size);
  if (size > limit) {
    ::close(fd);
    return Status::error(fmt::format("{}: {} bytes, more than the {} allowed", path, size, limit));
  }
  std::vector<uint8_t> bytes(size);
  Status status = pread_exactly(fd, bytes, 0, path);
  ::close(fd);
  if (!status) return status;
  return bytes;
}

}  // namespace

BlockReader::~BlockReader() {
  if (data_fd_ >= 0) ::close(data_fd_);
}

Result<std::shared_ptr<BlockReader>> BlockReader::open(const std::string& block_dir,
                                                       size_t cache_bytes) {
  std::shared_ptr<BlockReader> reader(new BlockReader());
  reader->dir_ = block_dir;
  while (reader->dir_.size() > 1 && reader->dir_.back() == '/') reader->dir_.pop_back();
  reader->data_path_ = reader->dir_ + "/" + kDataFileName;
  reader->cache_ = std::make_unique<GroupCache>(cache_bytes);

  const std::string meta_path = reader->dir_ + "/" + kMetaFileName;
  auto meta_bytes = read_whole_file(meta_path, kMaxMetaBytes);
  if (!meta_bytes) return meta_bytes.status();
  auto meta = parse_meta_json(
      std::string_view(reinterpret_cast<const char*>(meta_bytes->data()), meta_bytes->size()),
      meta_path);
  if (!meta) return meta.status();
  reader->meta_ = std::move(*meta);

  const std::string index_path = reader->dir_ + "/" + kIndexFileName;
  auto index_bytes = read_whole_file(index_path, SIZE_MAX);
  if (!index_bytes) return index_bytes.status();
  if (index_bytes->size() != reader->meta_.index_bytes) {
    return Status::error(fmt::format("{}: {} bytes where meta.json says {} (truncated?)",
                                     index_path, index_bytes->size(), reader->meta_.index_bytes));
  }
  auto index = BlockIndex::parse(*index_bytes, index_path);
  if (!index) return index.status();
  reader->index_ = std::make_unique<BlockIndex>(std::move(*index));
  if (reader->index_->num_series() != reader->meta_.series ||
      reader->index_->num_chunks() != reader->meta_.chunks) {
    return Status::error(fmt::format("{}: {} series and {} chunks where meta.json says {} and {}",
                                     index_path, reader->index_->num_series(),
                                     reader->index_->num_chunks(), reader->meta_.series,
                                     reader->meta_.chunks));
  }

  reader->data_fd_ = ::open(reader->data_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (reader->data_fd_ < 0) {
    return Status::error(fmt::format("{}: open: {}", reader->data_path_, errno_text()));
  }
  struct stat info {};
  if (::fstat(reader->data_fd_, &info) != 0) {
    return Status::error(fmt::format("{}: stat: {}", reader->data_path_, errno_text()));
  }
  const auto data_size = static_cast<uint64_t>(info.st_size);
  const auto& groups = reader->index_->groups();
  const uint64_t expected_size =
      groups.empty() ? kFileHeaderBytes : groups.back().offset + groups.back().record_bytes;
  if (data_size != expected_size || data_size != reader->meta_.data_bytes) {
    return Status::error(fmt::format("{}: {} bytes where the index says {} (truncated?)",
                                     reader->data_path_, data_size, expected_size));
  }
  std::array<uint8_t, kFileHeaderBytes> header{};
  if (Status status = pread_exactly(reader->data_fd_, header, 0, reader->data_path_); !status) {
    return status;
  }
  ByteReader header_reader(header);
  if (header_reader.u32() != kDataMagic) {
    return Status::error(
        fmt::format("{}: at offset 0: not a block data file (bad magic)", reader->data_path_));
  }
  if (const uint8_t version = header_reader.u8(); version != kDataVersion) {
    return Status::error(
        fmt::format("{}: at offset 4: unsupported data version {}", reader->data_path_, version));
  }
  if (header_reader.u8() != 0 || header_reader.u8() != 0 || header_reader.u8() != 0) {
    return Status::error(
        fmt::format("{}: at offset 5: reserved header bytes not zero", reader->data_path_));
  }
  if (Status status = reader->build_column_locations(); !status) return status;
  return reader;
}

Status BlockReader::build_column_locations() {
  const auto& groups = index_->groups();
  for (uint32_t g = 0; g < groups.size(); ++g) {
    auto& columns = groups[g].kind == GroupKind::timestamps ? timestamp_columns_ : value_columns_;
    uint64_t offset = 0;
    for (const uint32_t bytes : groups[g].column_bytes) {
      if (offset + bytes > UINT32_MAX) {
        return Status::error(
            fmt::format("{}/{}: group {} larger than 4 GiB", dir_, kIndexFileName, g));
      }
      columns.push_back(ColumnLocation{g, static_cast<uint32_t>(offset), bytes});
      offset += bytes;
    }
  }
  const size_t expected_values = index_->num_chunks() * meta_.columns.size();
  if (value_columns_.size() != expected_values) {
    return Status::error(fmt::format("{}/{}: {} value columns for {} chunks of {} kinds", dir_,
                                     kIndexFileName, value_columns_.size(), index_->num_chunks(),
                                     meta_.columns.size()));
  }
  for (uint32_t s = 0; s < index_->num_series(); ++s) {
    for (const ChunkEntry& chunk : index_->chunks(s)) {
      if (chunk.timestamp_column >= timestamp_columns_.size()) {
        return Status::error(fmt::format("{}/{}: series {} refers to timestamps column {} of {}",
                                         dir_, kIndexFileName, s, chunk.timestamp_column,
                                         timestamp_columns_.size()));
      }
    }
  }
  return Status::ok();
}

std::string BlockReader::group_error(uint32_t number, std::string_view what) const {
  return fmt::format("{}: chunk group at offset {}: {}", data_path_,
                     index_->groups()[number].offset, what);
}

Result<BlockReader::Group> BlockReader::group(uint32_t number, bool use_cache) const {
  if (use_cache) {
    if (Group cached = cache_->find(number)) return cached;
  }
  const GroupEntry& entry = index_->groups()[number];
  if (entry.record_bytes < 4) return Status::error(group_error(number, "record too short"));
  std::vector<uint8_t> record(entry.record_bytes);
  if (Status status = pread_exactly(data_fd_, record, entry.offset, data_path_); !status) {
    return status;
  }
  const auto body = std::span<const uint8_t>(record).first(record.size() - 4);
  ByteReader crc_reader(std::span<const uint8_t>(record).last(4));
  if (crc32c(body) != crc_reader.u32()) return Status::error(group_error(number, "CRC mismatch"));
  ByteReader in(body);
  const auto compression = static_cast<Compression>(in.u8());
  const uint64_t raw_bytes = in.uvarint();
  const uint64_t stored_bytes = in.uvarint();
  if (!in.ok() || stored_bytes != in.remaining()) {
    return Status::error(group_error(number, "malformed record header"));
  }
  uint64_t expected_raw = 0;
  for (const uint32_t bytes : entry.column_bytes) expected_raw += bytes;
  if (raw_bytes != expected_raw) {
    return Status::error(group_error(
        number, fmt::format("holds {} bytes where the index expects {}", raw_bytes, expected_raw)));
  }
  auto bytes = std::make_shared<std::vector<uint8_t>>();
  if (Status status = decompress(compression, in.bytes(stored_bytes), raw_bytes, *bytes); !status) {
    return Status::error(group_error(number, status.message()));
  }
  Group result = std::move(bytes);
  if (use_cache) cache_->insert(number, result);
  return result;
}

Result<std::span<const uint8_t>> BlockReader::column(const ColumnLocation& location, Group& holder,
                                                     bool use_cache) const {
  auto loaded = group(location.group, use_cache);
  if (!loaded) return loaded.status();
  holder = std::move(*loaded);
  return std::span<const uint8_t>(*holder).subspan(location.offset, location.bytes);
}

Result<std::vector<uint32_t>> BlockReader::select(const std::vector<Matcher>& matchers) const {
  std::vector<uint32_t> result;
  bool first = true;
  std::vector<uint32_t> scratch;
  for (const Matcher& matcher : matchers) {
    std::vector<uint32_t> matching;
    if (!matcher.matches("")) {
      // Only series that have the label can match: the union over its values.
      Result<std::vector<uint32_t>> postings =
          matcher.kind() == Matcher::Kind::equal
              ? index_->postings(matcher.name(), matcher.value())
              : index_->postings_where(
                    matcher.name(), [&](std::string_view value) { return matcher.matches(value); });
      if (!postings) return postings.status();
      matching = std::move(*postings);
    } else {
      // Series without the label match too: every series but those whose
      // value fails.
      auto failing = index_->postings_where(
          matcher.name(), [&](std::string_view value) { return !matcher.matches(value); });
      if (!failing) return failing.status();
      matching.reserve(num_series() - failing->size());
      size_t next_failing = 0;
      for (uint32_t s = 0; s < num_series(); ++s) {
        if (next_failing < failing->size() && (*failing)[next_failing] == s) {
          ++next_failing;
        } else {
          matching.push_back(s);
        }
      }
    }
    if (first) {
      result = std::move(matching);
      first = false;
    } else {
      scratch.clear();
      std::set_intersection(result.begin(), result.end(), matching.begin(), matching.end(),
                            std::back_inserter(scratch));
      result.swap(scratch);
    }
    if (result.empty()) return result;
  }
  if (first) {
    result.resize(num_series());
    for (uint32_t s = 0; s < num_series(); ++s) result[s] = s;
  }
  return result;
}

Labels BlockReader::labels(uint32_t series) const { return index_->labels(series); }
std::string_view BlockReader::label_value(uint32_t series, std::string_view name) const {
  return index_->label_value(series, name);
}
const MetricMetadata* BlockReader::metadata(uint32_t series) const {
  return index_->metadata(series);
}
int64_t BlockReader::min_time(uint32_t series) const {
  return index_->chunks(series).front().min_time;
}
int64_t BlockReader::max_time(uint32_t series) const {
  return index_->chunks(series).back().max_time;
}
std::vector<std::string> BlockReader::label_names() const { return index_->label_names(); }
std::vector<std::string> BlockReader::label_values(std::string_view name) const {
  return index_->label_values(name);
}
uint32_t BlockReader::num_series() const { return index_->num_series(); }
size_t BlockReader::cached_bytes() const { return cache_->bytes(); }

Status BlockReader::read(uint32_t series, int64_t mint, int64_t maxt, size_t column,
                         std::vector<int64_t>& timestamps, std::vector<double>& values) const {
  timestamps.clear();
  values.clear();
  if (series >= num_series()) {
    return Status::error(
        fmt::format("{}: no series {} (the block has {})", dir_, series, num_series()));
  }
  if (column >= meta_.columns.size()) {
    return Status::error(
        fmt::format("{}: no column {} (the block has {})", dir_, column, meta_.columns.size()));
  }
  const auto chunks = index_->chunks(series);
  const size_t kinds = meta_.columns.size();
  // Decoded straight into the caller's vectors, sized once: a query opens a
  // block per series and day, and temporaries per chunk showed as malloc
  // growing the heap (sysmalloc and page faults) in its profile.
  size_t wanted = 0;
  for (const ChunkEntry& chunk : chunks) {
    if (chunk.max_time >= mint && chunk.min_time <= maxt) wanted += chunk.samples;
  }
  timestamps.reserve(wanted);
  values.reserve(wanted);
  Group timestamp_group;
  Group value_group;
  for (size_t c = 0; c < chunks.size(); ++c) {
    const ChunkEntry& chunk = chunks[c];
    if (chunk.max_time < mint) continue;
    if (chunk.min_time > maxt) break;
    const ColumnLocation& timestamp_location = timestamp_columns_[chunk.timestamp_column];
    const ColumnLocation& value_location =
        value_columns_[(index_->first_chunk(series) + c) * kinds + column];
    auto timestamp_bytes = this->column(timestamp_location, timestamp_group, true);
    if (!timestamp_bytes) return timestamp_bytes.status();
    auto value_bytes = this->column(value_location, value_group, true);
    if (!value_bytes) return value_bytes.status();
    const size_t chunk_start = timestamps.size();
    if (Status status = columnar::decode_timestamps(*timestamp_bytes, timestamps); !status) {
      return Status::error(group_error(timestamp_location.group,
                                       fmt::format("timestamps column at group byte {}: {}",
                                                   timestamp_location.offset, status.message())));
    }
    if (Status status = columnar::decode_values(*value_bytes, values); !status) {
      return Status::error(
          group_error(value_location.group, fmt::format("values column at group byte {}: {}",
                                                        value_location.offset, status.message())));
    }
    const size_t decoded_timestamps = timestamps.size() - chunk_start;
    const size_t decoded_values = values.size() - chunk_start;
    if (decoded_timestamps != chunk.samples || decoded_values != chunk.samples) {
      return Status::error(group_error(
          value_location.group,
          fmt::format("series {} chunk {}: {} timestamps and {} values where the index says {}",
                      series, c, decoded_timestamps, decoded_values, chunk.samples)));
    }
    // Only a chunk at either end of the range holds samples outside it.
    const auto chunk_begin = timestamps.begin() + static_cast<ptrdiff_t>(chunk_start);
    const auto end = std::upper_bound(chunk_begin, timestamps.end(), maxt);
    const auto last = static_cast<size_t>(end - timestamps.begin());
    timestamps.resize(last);
    values.resize(last);
    const auto begin = std::lower_bound(timestamps.begin() + static_cast<ptrdiff_t>(chunk_start),
                                        timestamps.end(), mint);
    const auto first = static_cast<ptrdiff_t>(begin - timestamps.begin());
    if (first > static_cast<ptrdiff_t>(chunk_start)) {
      timestamps.erase(timestamps.begin() + static_cast<ptrdiff_t>(chunk_start), begin);
      values.erase(values.begin() + static_cast<ptrdiff_t>(chunk_start), values.begin() + first);
    }
  }
  return Status::ok();
}

Status BlockReader::verify() const {
  std::string errors;
  auto note = [&](const Status& status) {
    if (!errors.empty()) errors += "; ";
    errors += status.message();
  };
  const auto& groups = index_->groups();
  for (uint32_t g = 0; g < groups.size(); ++g) {
    if (auto group = this->group(g, false); !group) note(group.status());
  }
  if (!errors.empty()) return Status::error(errors);
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  for (uint32_t s = 0; s < num_series(); ++s) {
    for (size_t k = 0; k < meta_.columns.size(); ++k) {
      if (Status status = read(s, INT64_MIN, INT64_MAX, k, timestamps, values); !status) {
        note(status);
        break;
      }
    }
  }
  if (!errors.empty()) return Status::error(errors);
  return Status::ok();
}

}  // namespace mc::block
