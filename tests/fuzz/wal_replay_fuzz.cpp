// Fuzz target: WAL replay over a directory the input describes. The input is
// a list of commands (a framed record of any type and payload, raw unframed
// bytes, a cut to the next segment, a jump in segment numbers), so records
// reach the payload decoders with valid CRCs, and damage lands anywhere.
// The first segment may be a checkpoint instead.
//
// Replaying twice checks the repair: the first replay truncates a torn or bad
// tail of the last segment, after which the log must read cleanly up to the
// same records.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <vector>

#include "common/store/wal/wal_directory.hpp"
#include "common/store/wal/wal_replay.hpp"
#include "tests/fuzz/fuzz_input.hpp"
#include "tests/fuzz/quiet_logs.hpp"
#include "tests/fuzz/temp_directory.hpp"

namespace {

class CountingHandler final : public mc::WalReplayHandler {
 public:
  void on_series(mc::SeriesRef, const mc::Labels& labels) override { entries += labels.size(); }
  void on_metadata(mc::SeriesRef, const mc::MetricMetadata&) override { ++entries; }
  void on_samples(std::span<const mc::WalSample> samples) override { entries += samples.size(); }
  size_t entries = 0;
};

void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mc::fuzz::quiet_logs();
  static mc::fuzz::TempDirectory temp;
  const std::filesystem::path& dir = temp.fresh();

  mc::fuzz::FuzzInput input(data, size);
  const bool first_is_checkpoint = (input.byte() & 1) != 0;
  uint64_t segment = 1;
  bool in_checkpoint = first_is_checkpoint;
  std::vector<uint8_t> bytes;
  auto flush = [&] {
    // A checkpoint numbered N covers segments up to N; segment N+1 follows it.
    write_file(in_checkpoint ? mc::wal_checkpoint_path(dir, segment) / mc::wal_segment_name(0)
                             : mc::wal_segment_path(dir, segment),
               bytes);
    bytes.clear();
    in_checkpoint = false;
    ++segment;
  };
  while (!input.empty()) {
    const uint8_t command = input.byte();
    switch (command % 6) {
      case 0:
      case 1:
      case 2: {  // a record of a known type
        const size_t start =
            mc::begin_wal_record(bytes, static_cast<mc::WalRecordType>(command % 6 + 1));
        const auto payload = input.sized_piece();
        bytes.insert(bytes.end(), payload.begin(), payload.end());
        mc::finish_wal_record(bytes, start);
        break;
      }
      case 3: {  // unframed bytes: a torn or corrupt stretch
        const auto raw = input.sized_piece();
        bytes.insert(bytes.end(), raw.begin(), raw.end());
        break;
      }
      case 4:  // the next segment
        flush();
        break;
      case 5:  // a gap in the segment numbers
        flush();
        segment += 1 + (command >> 7);
        break;
    }
  }
  flush();

  CountingHandler first;
  const auto first_stats = mc::replay_wal(dir, first);
  CountingHandler second;
  const auto second_stats = mc::replay_wal(dir, second);
  if (!first_stats || !second_stats) return 0;
  if (second_stats->torn_tails_repaired != 0 || second_stats->records != first_stats->records ||
      second.entries != first.entries) {
    std::fprintf(
        stderr,
        "wal_replay: first replay %llu records, %llu entries, %llu torn tails, %llu "
        "corruptions; second %llu records, %llu entries, %llu torn tails, %llu corruptions\n",
        static_cast<unsigned long long>(first_stats->records),
        static_cast<unsigned long long>(first.entries),
        static_cast<unsigned long long>(first_stats->torn_tails_repaired),
        static_cast<unsigned long long>(first_stats->corruptions),
        static_cast<unsigned long long>(second_stats->records),
        static_cast<unsigned long long>(second.entries),
        static_cast<unsigned long long>(second_stats->torn_tails_repaired),
        static_cast<unsigned long long>(second_stats->corruptions));
    for (const auto& damage : first_stats->damage) {
      std::fprintf(stderr, "  first: %s at %llu: %s\n", damage.path.c_str(),
                   static_cast<unsigned long long>(damage.offset), damage.problem.c_str());
    }
    for (const auto& damage : second_stats->damage) {
      std::fprintf(stderr, "  second: %s at %llu: %s\n", damage.path.c_str(),
                   static_cast<unsigned long long>(damage.offset), damage.problem.c_str());
    }
    std::abort();
  }
  return 0;
}
