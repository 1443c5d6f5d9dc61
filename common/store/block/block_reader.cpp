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
#include "common/store/block/block_index_cache.hpp"
#include "common/store/block/compression.hpp"
#include "common/store/block/group_cache.hpp"
#include "common/store/columnar/column_codec.hpp"
#include "common/util/byte_buffer.hpp"
#include "common/util/crc32c.hpp"
#include "common/util/errno_text.hpp"
#include "common/util/logger.hpp"

namespace mc::block {

namespace {

constexpr size_t kMaxMetaBytes = 1 << 20;
// What verify() keeps decompressed while it decodes every column: the groups
// of the last few series (a group is ~64 KiB, block_writer.hpp).
constexpr size_t kVerifyGroupBytes = size_t{1} << 20;

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
  if (index_cache_ != nullptr) index_cache_->erase(index_key_);
  if (group_cache_ != nullptr) group_cache_->erase(group_key_);
  if (index_fd_ >= 0) ::close(index_fd_);
  if (data_fd_ >= 0) ::close(data_fd_);
}

Result<std::shared_ptr<BlockReader>> BlockReader::open(const std::string& block_dir,
                                                       GroupCache* group_cache,
                                                       BlockIndexCache* index_cache) {
  std::shared_ptr<BlockReader> reader(new BlockReader());
  reader->dir_ = block_dir;
  while (reader->dir_.size() > 1 && reader->dir_.back() == '/') reader->dir_.pop_back();
  reader->index_path_ = reader->dir_ + "/" + kIndexFileName;
  reader->data_path_ = reader->dir_ + "/" + kDataFileName;

  const std::string meta_path = reader->dir_ + "/" + kMetaFileName;
  auto meta_bytes = read_whole_file(meta_path, kMaxMetaBytes);
  if (!meta_bytes) return meta_bytes.status();
  auto meta = parse_meta_json(
      std::string_view(reinterpret_cast<const char*>(meta_bytes->data()), meta_bytes->size()),
      meta_path);
  if (!meta) return meta.status();
  reader->meta_ = std::move(*meta);

  // Kept open: the index is parsed again from it after an eviction, even
  // when retention removed the block's directory meanwhile.
  reader->index_fd_ = ::open(reader->index_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (reader->index_fd_ < 0) {
    return Status::error(fmt::format("{}: open: {}", reader->index_path_, errno_text()));
  }
  auto index = reader->parse_index();
  if (!index) return index.status();
  reader->metadata_ = (*index)->metadata_table();

  reader->data_fd_ = ::open(reader->data_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (reader->data_fd_ < 0) {
    return Status::error(fmt::format("{}: open: {}", reader->data_path_, errno_text()));
  }
  struct stat info {};
  if (::fstat(reader->data_fd_, &info) != 0) {
    return Status::error(fmt::format("{}: stat: {}", reader->data_path_, errno_text()));
  }
  const auto data_size = static_cast<uint64_t>(info.st_size);
  const auto& groups = (*index)->groups();
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
  // The index parsed here only checked the block; it is not kept. A daemon
  // that is scraped but never queried held every new block's index in the
  // cache (17.6 MiB a 200,000-series block, up to the cache's 64 MiB) for
  // nothing, and the 3-hour soak's RssAnon rose by as much (bench/soak/README.md).
  // The first read parses it again and caches it.
  reader->index_cache_ = index_cache != nullptr ? index_cache : &BlockIndexCache::process();
  reader->index_cache_->count_parse();
  reader->index_key_ = reader->index_cache_->new_key();
  reader->group_cache_ = group_cache != nullptr ? group_cache : &GroupCache::process();
  reader->group_key_ = reader->group_cache_->new_key();
  return reader;
}

Result<std::vector<uint8_t>> BlockReader::index_file_bytes() const {
  struct stat info {};
  if (::fstat(index_fd_, &info) != 0) {
    return Status::error(fmt::format("{}: stat: {}", index_path_, errno_text()));
  }
  const auto size = static_cast<uint64_t>(info.st_size);
  if (size != meta_.index_bytes) {
    return Status::error(fmt::format("{}: {} bytes where meta.json says {} (truncated?)",
                                     index_path_, size, meta_.index_bytes));
  }
  std::vector<uint8_t> bytes(size);
  if (Status status = pread_exactly(index_fd_, bytes, 0, index_path_); !status) return status;
  return bytes;
}

Result<BlockReader::Index> BlockReader::parse_index() const {
  auto bytes = index_file_bytes();
  if (!bytes) return bytes.status();
  auto parsed = BlockIndex::parse(*bytes, index_path_);
  if (!parsed) return parsed.status();
  auto index = std::make_shared<BlockIndex>(std::move(*parsed));
  if (index->num_series() != meta_.series || index->num_chunks() != meta_.chunks) {
    return Status::error(fmt::format("{}: {} series and {} chunks where meta.json says {} and {}",
                                     index_path_, index->num_series(), index->num_chunks(),
                                     meta_.series, meta_.chunks));
  }
  if (Status status = index->locate_columns(meta_.columns.size()); !status) return status;
  if (metadata_ != nullptr && index->metadata_table()->size() != metadata_->size()) {
    return Status::error(
        fmt::format("{}: {} metadata entries where it had {} when the block was opened",
                    index_path_, index->metadata_table()->size(), metadata_->size()));
  }
  return Index(std::move(index));
}

Result<BlockReader::Index> BlockReader::index() const {
  std::lock_guard lock(index_mutex_);
  if (Index cached = index_cache_->find(index_key_)) return cached;
  if (Index pinned = last_index_.lock()) {
    index_cache_->insert(index_key_, pinned);
    return pinned;
  }
  index_cache_->count_parse();
  auto parsed = parse_index();
  if (!parsed) return parsed.status();
  last_index_ = *parsed;
  index_cache_->insert(index_key_, *parsed);
  return parsed;
}

BlockReader::Index BlockReader::index_or_log() const {
  auto index = this->index();
  if (index) return std::move(*index);
  if (!index_error_logged_.exchange(true)) {
    log::error("block index no longer parses; the block answers as empty",
               {{"error", index.status().message()}});
  }
  return nullptr;
}

std::shared_ptr<const void> BlockReader::pin_index() const { return index_or_log(); }

std::vector<std::shared_ptr<BlockReader>> BlockReader::with_pinned_indexes(
    std::vector<std::shared_ptr<BlockReader>> blocks) {
  struct Pinned {
    std::shared_ptr<BlockReader> reader;
    std::shared_ptr<const void> pin;
  };
  for (auto& block : blocks) {
    auto pinned = std::make_shared<Pinned>(Pinned{block, block->pin_index()});
    block = std::shared_ptr<BlockReader>(pinned, pinned->reader.get());  // owns both
  }
  return blocks;
}

std::string BlockReader::group_error(const std::vector<GroupEntry>& groups, uint32_t number,
                                     std::string_view what) const {
  return fmt::format("{}: chunk group at offset {}: {}", data_path_, groups[number].offset, what);
}

Result<BlockReader::Group> BlockReader::group(const std::vector<GroupEntry>& groups,
                                              uint32_t number, GroupCache* cache) const {
  if (cache != nullptr) {
    if (Group cached = cache->find(group_key_, number)) return cached;
  }
  const GroupEntry& entry = groups[number];
  if (entry.record_bytes < 4) return Status::error(group_error(groups, number, "record too short"));
  std::vector<uint8_t> record(entry.record_bytes);
  if (Status status = pread_exactly(data_fd_, record, entry.offset, data_path_); !status) {
    return status;
  }
  const auto body = std::span<const uint8_t>(record).first(record.size() - 4);
  ByteReader crc_reader(std::span<const uint8_t>(record).last(4));
  if (crc32c(body) != crc_reader.u32())
    return Status::error(group_error(groups, number, "CRC mismatch"));
  ByteReader in(body);
  const auto compression = static_cast<Compression>(in.u8());
  const uint64_t raw_bytes = in.uvarint();
  const uint64_t stored_bytes = in.uvarint();
  if (!in.ok() || stored_bytes != in.remaining()) {
    return Status::error(group_error(groups, number, "malformed record header"));
  }
  uint64_t expected_raw = 0;
  for (const uint32_t bytes : entry.column_bytes) expected_raw += bytes;
  if (raw_bytes != expected_raw) {
    return Status::error(group_error(
        groups, number,
        fmt::format("holds {} bytes where the index expects {}", raw_bytes, expected_raw)));
  }
  auto bytes = std::make_shared<std::vector<uint8_t>>();
  if (Status status = decompress(compression, in.bytes(stored_bytes), raw_bytes, *bytes); !status) {
    return Status::error(group_error(groups, number, status.message()));
  }
  Group result = std::move(bytes);
  if (cache != nullptr) cache->insert(group_key_, number, result);
  return result;
}

Result<std::vector<uint32_t>> BlockReader::select(const std::vector<Matcher>& matchers) const {
  auto pinned = index();
  if (!pinned) return pinned.status();
  const BlockIndex& index = **pinned;
  std::vector<uint32_t> result;
  bool first = true;
  std::vector<uint32_t> scratch;
  for (const Matcher& matcher : matchers) {
    std::vector<uint32_t> matching;
    if (!matcher.matches("")) {
      // Only series that have the label can match: the union over its values.
      Result<std::vector<uint32_t>> postings =
          matcher.kind() == Matcher::Kind::equal
              ? index.postings(matcher.name(), matcher.value())
              : index.postings_where(
                    matcher.name(), [&](std::string_view value) { return matcher.matches(value); });
      if (!postings) return postings.status();
      matching = std::move(*postings);
    } else {
      // Series without the label match too: every series but those whose
      // value fails.
      auto failing = index.postings_where(
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

// An index that no longer parses answers as a block without series: no
// labels, no samples in any range.
Labels BlockReader::labels(uint32_t series) const {
  const Index index = index_or_log();
  return index ? index->labels(series) : Labels();
}
std::string BlockReader::label_value(uint32_t series, std::string_view name) const {
  const Index index = index_or_log();
  return index ? std::string(index->label_value(series, name)) : std::string();
}
const MetricMetadata* BlockReader::metadata(uint32_t series) const {
  const Index index = index_or_log();
  const uint32_t ref = index ? index->metadata_ref(series) : 0;
  return ref == 0 ? nullptr : &(*metadata_)[ref - 1];
}
int64_t BlockReader::min_time(uint32_t series) const {
  const Index index = index_or_log();
  return index ? index->chunks(series).front().min_time : INT64_MAX;
}
int64_t BlockReader::max_time(uint32_t series) const {
  const Index index = index_or_log();
  return index ? index->chunks(series).back().max_time : INT64_MIN;
}
std::vector<std::string> BlockReader::label_names() const {
  const Index index = index_or_log();
  return index ? index->label_names() : std::vector<std::string>();
}
std::vector<std::string> BlockReader::label_values(std::string_view name) const {
  const Index index = index_or_log();
  return index ? index->label_values(name) : std::vector<std::string>();
}
size_t BlockReader::cached_bytes() const { return group_cache_->bytes_of(group_key_); }

Status BlockReader::read(uint32_t series, int64_t mint, int64_t maxt, size_t column,
                         std::vector<int64_t>& timestamps, std::vector<double>& values) const {
  timestamps.clear();
  values.clear();
  auto index = this->index();
  if (!index) return index.status();
  return read(**index, series, mint, maxt, column, timestamps, values, nullptr, group_cache_);
}

// The pin is the shared_ptr<const BlockIndex> index_or_log() returned.
Status BlockReader::read(const std::shared_ptr<const void>& pin, uint32_t series, int64_t mint,
                         int64_t maxt, size_t column, std::vector<int64_t>& timestamps,
                         std::vector<double>& values, DecodedTimestamps* memo) const {
  if (pin == nullptr) return read(series, mint, maxt, column, timestamps, values);
  return read(*static_cast<const BlockIndex*>(pin.get()), series, mint, maxt, column, timestamps,
              values, memo, group_cache_);
}
Labels BlockReader::labels(const std::shared_ptr<const void>& pin, uint32_t series) const {
  return pin ? static_cast<const BlockIndex*>(pin.get())->labels(series) : Labels();
}
int64_t BlockReader::min_time(const std::shared_ptr<const void>& pin, uint32_t series) const {
  return pin ? static_cast<const BlockIndex*>(pin.get())->chunks(series).front().min_time
             : INT64_MAX;
}
int64_t BlockReader::max_time(const std::shared_ptr<const void>& pin, uint32_t series) const {
  return pin ? static_cast<const BlockIndex*>(pin.get())->chunks(series).back().max_time
             : INT64_MIN;
}

Status BlockReader::read(const BlockIndex& index, uint32_t series, int64_t mint, int64_t maxt,
                         size_t column, std::vector<int64_t>& timestamps,
                         std::vector<double>& values, DecodedTimestamps* memo,
                         GroupCache* cache) const {
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
  const auto chunks = index.chunks(series);
  const size_t kinds = meta_.columns.size();
  const SeriesColumns where{index.groups(), index.timestamp_columns(), chunks,
                            std::span(index.value_columns())
                                .subspan(index.first_chunk(series) * kinds, chunks.size() * kinds)};
  return read_columns(where, series, mint, maxt, column, timestamps, values, memo, cache);
}

Status BlockReader::read_columns(const SeriesColumns& where, uint32_t series, int64_t mint,
                                 int64_t maxt, size_t column, std::vector<int64_t>& timestamps,
                                 std::vector<double>& values, DecodedTimestamps* memo,
                                 GroupCache* cache) const {
  timestamps.clear();
  values.clear();
  const auto chunks = where.chunks;
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
  // A chunk's timestamp and value columns mostly share a group: it is
  // looked up in the cache (a lock, a hash and a list splice) once.
  Group held;
  uint32_t held_number = 0;
  auto column_bytes = [&](const ColumnLocation& location) -> Result<std::span<const uint8_t>> {
    if (held == nullptr || held_number != location.group) {
      auto loaded = group(where.groups, location.group, cache);
      if (!loaded) return loaded.status();
      held = std::move(*loaded);
      held_number = location.group;
    }
    return std::span<const uint8_t>(*held).subspan(location.offset, location.bytes);
  };
  for (size_t c = 0; c < chunks.size(); ++c) {
    const ChunkEntry& chunk = chunks[c];
    if (chunk.max_time < mint) continue;
    if (chunk.min_time > maxt) break;
    const ColumnLocation& timestamp_location = where.timestamp_columns[chunk.timestamp_column];
    const ColumnLocation& value_location = where.value_columns[c * kinds + column];
    const size_t chunk_start = timestamps.size();
    if (memo != nullptr && memo->column == chunk.timestamp_column) {
      timestamps.insert(timestamps.end(), memo->timestamps.begin(), memo->timestamps.end());
    } else {
      auto timestamp_bytes = column_bytes(timestamp_location);
      if (!timestamp_bytes) return timestamp_bytes.status();
      if (Status status = columnar::decode_timestamps(*timestamp_bytes, timestamps); !status) {
        return Status::error(group_error(where.groups, timestamp_location.group,
                                         fmt::format("timestamps column at group byte {}: {}",
                                                     timestamp_location.offset, status.message())));
      }
      if (memo != nullptr) {
        memo->column = chunk.timestamp_column;
        memo->timestamps.assign(timestamps.begin() + static_cast<ptrdiff_t>(chunk_start),
                                timestamps.end());
      }
    }
    auto value_bytes = column_bytes(value_location);
    if (!value_bytes) return value_bytes.status();
    if (Status status = columnar::decode_values(*value_bytes, values); !status) {
      return Status::error(group_error(where.groups, value_location.group,
                                       fmt::format("values column at group byte {}: {}",
                                                   value_location.offset, status.message())));
    }
    const size_t decoded_timestamps = timestamps.size() - chunk_start;
    const size_t decoded_values = values.size() - chunk_start;
    if (decoded_timestamps != chunk.samples || decoded_values != chunk.samples) {
      return Status::error(group_error(
          where.groups, value_location.group,
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
  // The index a query holds, else one parsed for this check alone.
  Result<Index> index = last_index_.lock();
  if (*index == nullptr) {
    index_cache_->count_parse();
    index = parse_index();
  }
  if (!index) return index.status();
  const auto& groups = (*index)->groups();
  for (uint32_t g = 0; g < groups.size(); ++g) {
    if (auto group = this->group((*index)->groups(), g, nullptr); !group) note(group.status());
  }
  if (!errors.empty()) return Status::error(errors);
  // Series are read in order, so a series' groups are mostly the previous
  // one's: a few groups decompressed at a time, dropped at the end.
  GroupCache recent(kVerifyGroupBytes, 1);
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  for (uint32_t s = 0; s < num_series(); ++s) {
    for (size_t k = 0; k < meta_.columns.size(); ++k) {
      if (Status status =
              read(**index, s, INT64_MIN, INT64_MAX, k, timestamps, values, nullptr, &recent);
          !status) {
        note(status);
        break;
      }
    }
  }
  if (!errors.empty()) return Status::error(errors);
  return Status::ok();
}

}  // namespace mc::block
