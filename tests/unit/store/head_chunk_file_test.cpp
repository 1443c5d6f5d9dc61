// HeadChunkFile: records written, mapped and chained; bounds and CRC checks;
// segments cut, truncated and deleted while a reader still holds a chunk; and
// the head on top of it (chunks in files, on the heap when the file fails).
#include "common/store/head_chunk_file.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/store/head_storage.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> chunk_bytes(size_t size, uint8_t fill) {
  std::vector<uint8_t> bytes(size, fill);
  bytes[0] = 1;  // a chunkenc header's encoding byte, not that the file cares
  return bytes;
}

std::vector<uint8_t> as_vector(std::span<const uint8_t> bytes) {
  return {bytes.begin(), bytes.end()};
}

size_t segment_files(const fs::path& dir) {
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) count += entry.is_regular_file() ? 1 : 0;
  return count;
}

// A chunk file in `dir` whose segments hold `records` chunks of 100 bytes.
Result<std::unique_ptr<HeadChunkFile>> open_with_records_per_segment(const fs::path& dir,
                                                                     size_t records) {
  auto opened = HeadChunkFile::open({dir, 8 + records * HeadChunkFile::record_bytes(100)});
  REQUIRE(opened);
  return opened;
}

// `count` chunks of 100 bytes of `series`, chunk i holding times [10 i, 10 i + 9].
std::vector<HeadChunkLocation> write_chunks(HeadChunkFile& file, SeriesRef series, int count) {
  std::vector<HeadChunkLocation> locations;
  for (int i = 0; i < count; ++i) {
    auto location = file.write(series, 0, 0, i * 10, i * 10 + 9, chunk_bytes(100, uint8_t(i)));
    REQUIRE(location);
    locations.push_back(*location);
  }
  return locations;
}

TEST_CASE("HeadChunkFile writes records a series chains back through", "[store][head_chunks]") {
  test::TempDir dir;
  for (const bool on_disk : {true, false}) {
    CAPTURE(on_disk);
    auto opened = HeadChunkFile::open({on_disk ? dir.path() / "chunks_head" : fs::path{}});
    REQUIRE(opened);
    HeadChunkFile& file = **opened;
    HeadChunkLocation prev = 0;
    int64_t prev_max_t = 0;
    std::vector<HeadChunkLocation> locations;
    for (int i = 0; i < 5; ++i) {
      const auto bytes = chunk_bytes(10 + static_cast<size_t>(i) * 7, static_cast<uint8_t>(i));
      auto location = file.write(42, prev, prev_max_t, i * 100, i * 100 + 99, bytes);
      REQUIRE(location);
      REQUIRE(*location % 8 == 0);
      locations.push_back(*location);
      prev = *location;
      prev_max_t = i * 100 + 99;
    }
    // Walk back from the newest, as a series does.
    HeadChunkLocation at = locations.back();
    for (int i = 4; i >= 0; --i) {
      auto record = file.read(at, 42);
      REQUIRE(record);
      CHECK(record->series == 42);
      CHECK(record->min_t == i * 100);
      CHECK(record->max_t == i * 100 + 99);
      CHECK(as_vector(record->bytes) ==
            chunk_bytes(10 + static_cast<size_t>(i) * 7, static_cast<uint8_t>(i)));
      CHECK(record->prev == (i > 0 ? locations[i - 1] : 0));
      if (i > 0) CHECK(record->prev_max_t == (i - 1) * 100 + 99);
      at = record->prev;
    }
    CHECK(at == 0);
    const auto stats = file.stats();
    CHECK(stats.segments == 1);
    CHECK(stats.write_errors == 0);
    CHECK(stats.read_errors == 0);
  }
  CHECK(segment_files(dir.path() / "chunks_head") == 1);
}

TEST_CASE("HeadChunkFile rejects reads that fail their checks", "[store][head_chunks]") {
  test::TempDir dir;
  auto opened = HeadChunkFile::open({dir.path()});
  REQUIRE(opened);
  HeadChunkFile& file = **opened;
  auto location = file.write(7, 0, 0, 1, 2, chunk_bytes(20, 9));
  REQUIRE(location);

  SECTION("another series' record") {
    auto record = file.read(*location, 8);
    REQUIRE_FALSE(record);
    CHECK_THAT(record.error(), Catch::Contains("record of series 7"));
  }
  SECTION("a segment that was never written") {
    auto record = file.read(*location + (HeadChunkLocation{5} << 32), 7);
    REQUIRE_FALSE(record);
    CHECK_THAT(record.error(), Catch::Contains("segment deleted or never written"));
  }
  SECTION("an offset past the segment") {
    auto record = file.read((*location & ~HeadChunkLocation{0xffffffff}) | 0xfffffff0u, 7);
    REQUIRE_FALSE(record);
    CHECK_THAT(record.error(), Catch::Contains("offset out of the segment"));
  }
  SECTION("a record whose bytes changed on disk") {
    REQUIRE(file.flush().is_ok());  // gathered records would overwrite the change
    const auto offset = static_cast<off_t>(*location & 0xffffffff);
    const int fd = ::open((dir.path() / "000001").c_str(), O_WRONLY);
    REQUIRE(fd >= 0);
    const uint8_t garbage = 0x55;
    REQUIRE(::pwrite(fd, &garbage, 1, offset + 50) == 1);  // inside the chunk bytes
    ::close(fd);
    auto record = file.read(*location, 7);
    REQUIRE_FALSE(record);
    CHECK_THAT(record.error(), Catch::Contains("CRC mismatch"));
    CHECK_THAT(record.error(), Catch::Contains("000001"));
  }
  SECTION("a length that runs past the segment") {
    REQUIRE(file.flush().is_ok());
    const auto offset = static_cast<off_t>(*location & 0xffffffff);
    const int fd = ::open((dir.path() / "000001").c_str(), O_WRONLY);
    REQUIRE(fd >= 0);
    const uint32_t huge = 0xfffffff0u;
    REQUIRE(::pwrite(fd, &huge, sizeof(huge), offset + 40) == sizeof(huge));
    ::close(fd);
    auto record = file.read(*location, 7);
    REQUIRE_FALSE(record);
    CHECK_THAT(record.error(), Catch::Contains("runs past the segment"));
  }
  CHECK(file.stats().read_errors == 1);
}

TEST_CASE("HeadChunkFile refuses what it cannot hold or create", "[store][head_chunks]") {
  test::TempDir dir;
  SECTION("a chunk larger than a segment") {
    auto opened = HeadChunkFile::open({dir.path(), 256});
    REQUIRE(opened);
    auto location = (*opened)->write(1, 0, 0, 1, 2, chunk_bytes(300, 1));
    REQUIRE_FALSE(location);
    CHECK_THAT(location.error(), Catch::Contains("does not fit a 256-byte segment"));
    CHECK((*opened)->stats().write_errors == 1);
    CHECK((*opened)->write(1, 0, 0, 1, 2, chunk_bytes(100, 1)));  // a smaller one still fits
  }
  SECTION("a directory that is a file") {
    const fs::path not_a_dir = dir.write_file("plain", "x");
    auto opened = HeadChunkFile::open({not_a_dir});
    REQUIRE_FALSE(opened);
    CHECK_THAT(opened.error(), Catch::Contains("plain: cannot create"));
  }
  SECTION("segments too small for any record") {
    auto opened = HeadChunkFile::open({dir.path(), 16});
    REQUIRE_FALSE(opened);
    CHECK_THAT(opened.error(), Catch::Contains("cannot hold a chunk"));
  }
}

TEST_CASE("HeadChunkFile deletes segments left by an earlier process", "[store][head_chunks]") {
  test::TempDir dir;
  dir.write_file("000003", "stale");
  dir.write_file("notes.txt", "kept");
  auto opened = HeadChunkFile::open({dir.path()});
  REQUIRE(opened);
  CHECK_FALSE(fs::exists(dir.path() / "000003"));
  CHECK(fs::exists(dir.path() / "notes.txt"));
  auto location = (*opened)->write(1, 0, 0, 1, 2, chunk_bytes(10, 1));
  REQUIRE(location);
  CHECK((*location >> 32) == 1);
}

TEST_CASE("HeadChunkFile truncation deletes old segments, and a held record stays readable",
          "[store][head_chunks]") {
  test::TempDir dir;
  // Three 100-byte chunks fill a segment of 8 + 3 * 152 bytes.
  auto opened = open_with_records_per_segment(dir.path(), 3);
  HeadChunkFile& file = **opened;
  const std::vector<HeadChunkLocation> locations = write_chunks(file, 1, 10);
  for (int i = 0; i < 10; ++i) {
    CHECK((locations[static_cast<size_t>(i)] >> 32) == static_cast<uint64_t>(i / 3 + 1));
  }
  CHECK(file.stats().segments == 4);
  CHECK(segment_files(dir.path()) == 4);

  auto held = file.read(locations[1], 1);  // in segment 1, which goes
  REQUIRE(held);
  CHECK(file.truncate(29) == 0);  // segment 1 ends at 29
  CHECK(file.truncate(30) == 1);
  CHECK_FALSE(fs::exists(dir.path() / "000001"));
  CHECK(segment_files(dir.path()) == 3);
  CHECK_FALSE(file.read(locations[0], 1));
  CHECK(as_vector(held->bytes) == chunk_bytes(100, 1));  // still mapped (ASan would tell)

  // The segment being written is never deleted, however old.
  CHECK(file.truncate(1'000'000) == 2);
  CHECK(file.stats().segments == 1);
  CHECK(file.read(locations[9], 1));
  CHECK(file.stats().segments_deleted == 3);
}

TEST_CASE("HeadChunkFile reads through a pin the segments truncation deleted after it",
          "[store][head_chunks]") {
  test::TempDir dir;
  auto opened = open_with_records_per_segment(dir.path(), 2);
  HeadChunkFile& file = **opened;
  const std::vector<HeadChunkLocation> locations = write_chunks(file, 7, 4);
  const HeadChunkFile::Pin pin = file.pin();  // segments 1 and 2
  CHECK(pin.covers(locations[3]));
  CHECK_FALSE(HeadChunkFile::Pin{}.covers(locations[0]));
  CHECK(file.truncate(1'000) == 1);  // segment 1; 2 is being written
  CHECK_FALSE(fs::exists(dir.path() / "000001"));
  CHECK_FALSE(file.read(locations[0], 7));  // gone for a reader without the pin
  auto pinned = file.read(locations[0], 7, pin);
  REQUIRE(pinned);
  CHECK(as_vector(pinned->bytes) == chunk_bytes(100, 0));
  CHECK(pinned->min_t == 0);
  CHECK(file.read(locations[3], 7, pin));
  // The pin checks what it reads as read() does.
  CHECK_FALSE(file.read(locations[3], 8, pin));

  // A segment cut after the pin is not in it: an error, not a read.
  auto later = file.write(7, 0, 0, 40, 49, chunk_bytes(100, 4));
  REQUIRE(later);
  CHECK((*later >> 32) == 3);
  CHECK_FALSE(pin.covers(*later));
  CHECK_FALSE(file.read(*later, 7, pin));
  CHECK(file.read(*later, 7));
  CHECK_FALSE(file.read(*later, 7, HeadChunkFile::Pin{}));
}

// The bytes of the segment file `path` at the record `location`, as on disk.
std::vector<uint8_t> file_bytes(const fs::path& path, HeadChunkLocation location, size_t size) {
  std::vector<uint8_t> bytes(size);
  const int fd = ::open(path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  const ssize_t n = ::pread(fd, bytes.data(), size, static_cast<off_t>(location & 0xffffffff));
  ::close(fd);
  REQUIRE(n == static_cast<ssize_t>(size));
  return bytes;
}

TEST_CASE("HeadChunkFile gathers records and writes them when a reader needs one",
          "[store][head_chunks]") {
  test::TempDir dir;
  auto opened = HeadChunkFile::open({dir.path()});
  REQUIRE(opened);
  HeadChunkFile& file = **opened;
  const std::vector<HeadChunkLocation> locations = write_chunks(file, 3, 5);
  const size_t record = HeadChunkFile::record_bytes(100);
  CHECK(file.stats().unwritten_bytes == 5 * record);
  CHECK(file_bytes(dir.path() / "000001", locations[4], record) ==
        std::vector<uint8_t>(record, 0));  // not in the file yet

  auto read = file.read(locations[4], 3);
  REQUIRE(read);
  CHECK(as_vector(read->bytes) == chunk_bytes(100, 4));
  CHECK(file.stats().unwritten_bytes == 0);
  CHECK(file_bytes(dir.path() / "000001", locations[4], record) != std::vector<uint8_t>(record, 0));

  // Enough chunks to pass the batch size are written without a reader.
  write_chunks(file, 3, 1000);
  CHECK(file.stats().unwritten_bytes < 1000 * record);
  CHECK(file.stats().write_errors == 0);
}

// Files may not grow past `bytes` while it lives: their writes fail with
// EFBIG, as on a full disk, instead of stopping the process with SIGXFSZ.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved_) == 0);
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit = saved_;
    limit.rlim_cur = bytes;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &limit) == 0);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*previous_handler_)(int) = SIG_DFL;
};

TEST_CASE("HeadChunkFile keeps records it cannot write in memory, readable, and writes them later",
          "[store][head_chunks]") {
  test::TempDir dir;
  auto opened = HeadChunkFile::open({dir.path()});
  REQUIRE(opened);
  HeadChunkFile& file = **opened;
  std::vector<HeadChunkLocation> locations = write_chunks(file, 9, 2);
  REQUIRE(file.flush().is_ok());
  const HeadChunkFile::Pin pin = file.pin();
  Result<HeadChunkRecord> held = Status::error("not read yet");
  {
    FileSizeLimit full(64);  // every write past the segment's 64th byte fails
    for (int i = 2; i < 6; ++i) {
      auto location = file.write(9, locations.back(), i * 10 - 1, i * 10, i * 10 + 9,
                                 chunk_bytes(100, uint8_t(i)));
      REQUIRE(location);  // gathered: nothing has failed yet
      locations.push_back(*location);
    }
    const Status flushed = file.flush();
    REQUIRE_FALSE(flushed.is_ok());
    CHECK_THAT(flushed.message(), Catch::Contains("head chunk segment 000001: cannot write"));
    CHECK_THAT(flushed.message(), Catch::Contains("File too large"));
    CHECK(file.stats().write_errors == 1);
    CHECK(file.stats().unwritten_bytes == 4 * HeadChunkFile::record_bytes(100));

    // Read from memory, by location and through a pin, as often as asked;
    // while writes fail, reads do not try again.
    for (int i = 0; i < 6; ++i) {
      auto record = file.read(locations[static_cast<size_t>(i)], 9);
      REQUIRE(record);
      CHECK(as_vector(record->bytes) == chunk_bytes(100, uint8_t(i)));
      CHECK(record->min_t == i * 10);
      auto pinned = file.read(locations[static_cast<size_t>(i)], 9, pin);
      REQUIRE(pinned);
      CHECK(as_vector(pinned->bytes) == chunk_bytes(100, uint8_t(i)));
    }
    CHECK(file.stats().write_errors == 1);
    CHECK_FALSE(file.read(locations[5], 10));  // the copy is checked as the file is
    held = file.read(locations[5], 9);
    REQUIRE(held);
  }
  // Room again: the next attempt writes everything, and the file holds it.
  REQUIRE(file.flush().is_ok());
  CHECK(file.stats().unwritten_bytes == 0);
  write_chunks(file, 9, 3);  // new records where the failed ones were gathered
  CHECK(as_vector(held->bytes) == chunk_bytes(100, 5));  // the held copy is its own
  for (int i = 0; i < 6; ++i) {
    auto record = file.read(locations[static_cast<size_t>(i)], 9);
    REQUIRE(record);
    CHECK(as_vector(record->bytes) == chunk_bytes(100, uint8_t(i)));
  }
  CHECK(file_bytes(dir.path() / "000001", locations[5], 8) ==
        std::vector<uint8_t>{9, 0, 0, 0, 0, 0, 0, 0});  // the record's series
}

// A value that changes in every bit makes a chunk of ~8 bytes a sample; a
// constant one, ~1 bit.
double value_at(int64_t t, bool noisy) {
  return noisy ? std::sin(static_cast<double>(t) * 1.37) * 1e6 : 1.0;
}

void append_all(HeadStorage& head, const Labels& labels, int64_t from, int64_t to,
                bool (*noisy)(int64_t)) {
  auto appender = head.appender();
  SeriesRef ref = 0;
  for (int64_t t = from; t <= to; ++t) {
    const auto result = appender->append(ref, labels, t, value_at(t, noisy(t)));
    REQUIRE(result.error == AppendError::none);
    ref = result.ref;
  }
  REQUIRE(appender->commit().is_ok());
}

std::vector<Sample> read_all(const std::vector<std::unique_ptr<Series>>& selected) {
  std::vector<Sample> out;
  for (const auto& series : selected) {
    auto it = series->iterator();
    while (it->next()) out.push_back(it->at());
    REQUIRE(it->status().is_ok());
  }
  return out;
}

void check_samples(const std::vector<Sample>& samples, int64_t from, int64_t to,
                   bool (*noisy)(int64_t)) {
  REQUIRE(samples.size() == static_cast<size_t>(to - from + 1));
  for (int64_t t = from; t <= to; ++t) {
    const Sample& sample = samples[static_cast<size_t>(t - from)];
    REQUIRE(sample.t_ms == t);
    REQUIRE(sample.v == value_at(t, noisy(t)));
  }
}

const Labels kSeries{{"__name__", "s"}};

// A head whose series seal a chunk every 10 samples exactly, its chunk files
// in `chunk_dir` (empty: anonymous memory files).
HeadOptions chunks_of_ten(fs::path chunk_dir) {
  HeadOptions options;
  options.chunk_max_samples = 10;
  options.stagger_chunk_seals = false;
  options.chunk_dir = std::move(chunk_dir);
  return options;
}

TEST_CASE("the head keeps sealed chunks in its chunk files and deletes them on truncation",
          "[store][head][head_chunks]") {
  test::TempDir dir;
  auto noisy = [](int64_t) { return true; };
  HeadOptions options = chunks_of_ten(dir.path() / "chunks_head");
  options.chunk_segment_bytes = 8 + 4 * HeadChunkFile::record_bytes(100);  // 4 chunks a segment
  HeadStorage head(options);
  REQUIRE(head.chunk_file_status().is_ok());
  append_all(head, kSeries, 0, 399, noisy);  // 39 sealed chunks of 10, one open
  CHECK(head.chunk_file_stats().segments >= 10);
  const auto before = head.stats();
  CHECK(before.chunks == 40);
  CHECK(before.samples == 400);

  auto early = head.querier(0, 399);
  auto selected = early->select({});  // holds references into every segment
  CHECK(head.truncate(200) == 0);
  CHECK(head.chunk_file_stats().segments_deleted >= 4);
  check_samples(read_all(selected), 0, 399, noisy);  // read after their files went

  const auto after = head.stats();
  CHECK(after.chunks == 20);
  CHECK(after.samples == 200);
  CHECK(head.time_range().first == 200);
  check_samples(read_all(head.querier(0, 1000)->select({})), 200, 399, noisy);
  check_samples(read_all(head.querier(250, 333)->select({})), 250, 333, noisy);
  // Truncating past every sealed chunk leaves the open one.
  head.truncate(395);
  CHECK(head.stats().chunks == 1);
  check_samples(read_all(head.querier(0, 1000)->select({})), 390, 399, noisy);
}

TEST_CASE("chunks the file cannot take stay on the heap, in order with the rest",
          "[store][head][head_chunks]") {
  // Segments hold a chunk of constant values (~30 bytes) but not one of noisy
  // values (~80 bytes): every other chunk fails to write and stays on the heap.
  auto noisy = [](int64_t t) { return (t / 10) % 2 == 1; };
  HeadOptions options = chunks_of_ten({});
  options.chunk_segment_bytes = 8 + HeadChunkFile::record_bytes(40);
  HeadStorage head(options);
  append_all(head, kSeries, 0, 199, noisy);
  CHECK(head.chunk_file_stats().write_errors == 9);  // chunks 1, 3, ..., 17; 19 is open
  CHECK(head.stats().chunks == 20);
  check_samples(read_all(head.querier(0, 1000)->select({})), 0, 199, noisy);
  check_samples(read_all(head.querier(45, 87)->select({})), 45, 87, noisy);

  head.truncate(105);
  CHECK(head.stats().samples == 100);
  CHECK(head.time_range().first == 100);
  check_samples(read_all(head.querier(0, 1000)->select({})), 100, 199, noisy);
  head.truncate(150);
  check_samples(read_all(head.querier(0, 1000)->select({})), 150, 199, noisy);
}

TEST_CASE("a head reads every sample while its chunk file cannot be written, and writes them later",
          "[store][head][head_chunks]") {
  test::TempDir dir;
  auto noisy = [](int64_t) { return true; };
  HeadOptions options = chunks_of_ten(dir.path() / "chunks_head");
  HeadStorage head(options);
  append_all(head, kSeries, 0, 19, noisy);  // the first segment is cut
  check_samples(read_all(head.querier(0, 1000)->select({})), 0, 19, noisy);
  {
    FileSizeLimit full(64);
    // 1,000 chunks of ~140 bytes a record, more than twice the batch: the
    // reads above wrote the first, then appends try again every 64 KiB.
    append_all(head, kSeries, 20, 10'019, noisy);
    const uint64_t errors = head.chunk_file_stats().write_errors;
    CHECK(errors >= 1);
    CHECK(head.chunk_file_stats().unwritten_bytes > 64 * 1024);
    check_samples(read_all(head.querier(0, 20'000)->select({})), 0, 10'019, noisy);
    check_samples(read_all(head.querier(3001, 3333)->select({})), 3001, 3333, noisy);
    CHECK(head.chunk_file_stats().write_errors == errors);  // readers copied, without trying
  }
  // Room again: the next 64 KiB of appends write everything gathered.
  append_all(head, kSeries, 10'020, 20'019, noisy);
  CHECK(head.chunk_file_stats().unwritten_bytes < 64 * 1024);
  check_samples(read_all(head.querier(0, 30'000)->select({})), 0, 20'019, noisy);
  CHECK(head.chunk_file_stats().read_errors == 0);
}

TEST_CASE("a head whose chunk directory does not open keeps chunks on the heap",
          "[store][head][head_chunks]") {
  test::TempDir dir;
  auto noisy = [](int64_t) { return false; };
  HeadOptions options = chunks_of_ten(dir.write_file("plain", "x"));
  HeadStorage head(options);
  REQUIRE_FALSE(head.chunk_file_status().is_ok());
  CHECK_THAT(head.chunk_file_status().message(), Catch::Contains("plain: cannot create"));
  append_all(head, kSeries, 0, 99, noisy);
  CHECK(head.stats().chunks == 10);
  check_samples(read_all(head.querier(0, 1000)->select({})), 0, 99, noisy);
  head.truncate(50);
  check_samples(read_all(head.querier(0, 1000)->select({})), 50, 99, noisy);
}

TEST_CASE("a series' heap chunks go with it, and a series made after it does not see them",
          "[store][head][head_chunks]") {
  // Heap chunks live beside the series, found by its address, and the pool
  // hands a freed series' address to the next new one.
  test::TempDir dir;
  auto noisy = [](int64_t) { return false; };
  // No chunk file: every chunk on the heap.
  HeadOptions options = chunks_of_ten(dir.write_file("plain", "x"));
  HeadStorage head(options);
  append_all(head, kSeries, 0, 99, noisy);
  REQUIRE(head.stats().chunks == 10);
  head.truncate(1000);  // past every sample: the series goes
  REQUIRE(head.stats().series == 0);
  REQUIRE(head.stats().chunks == 0);

  const Labels next{{"__name__", "next"}};
  append_all(head, next, 300, 349, noisy);
  CHECK(head.stats().series == 1);
  CHECK(head.stats().chunks == 5);
  check_samples(read_all(head.querier(0, 1000)->select({})), 300, 349, noisy);
  head.truncate(320);
  check_samples(read_all(head.querier(0, 1000)->select({})), 320, 349, noisy);
}

}  // namespace
}  // namespace mc
