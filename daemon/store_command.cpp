#include "daemon/store_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "common/config/storage_defaults.hpp"
#include "common/exposition/parser.hpp"
#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"
#include "common/store/block/block_reader.hpp"
#include "common/store/block_set.hpp"
#include "common/store/disk_storage_options.hpp"
#include "common/store/raw_block_cut.hpp"
#include "common/store/raw_block_merge.hpp"
#include "common/store/store_directory.hpp"
#include "common/store/store_inventory.hpp"
#include "common/store/store_lock.hpp"
#include "common/store/wal/wal_replay.hpp"
#include "common/util/aligned_window.hpp"
#include "common/util/duration.hpp"
#include "common/util/read_file.hpp"
#include "common/util/rfc3339.hpp"

namespace mc {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kUsage =
    "usage: metrics-collector store import --openmetrics FILE --dir DIR [--block-duration=2h]\n"
    "       metrics-collector store stats --dir DIR\n"
    "       metrics-collector store verify --dir DIR\n";

struct StoreArgs {
  std::string openmetrics;
  std::string dir;
  std::chrono::milliseconds block_duration = std::chrono::hours(2);
};

// Accepts `--name value` and `--name=value`.
Result<StoreArgs> parse_args(std::span<const std::string_view> args) {
  StoreArgs parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::string_view value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    auto take_value = [&]() -> Result<std::string> {
      if (has_value) return std::string(value);
      if (i + 1 >= args.size()) return Status::error(fmt::format("{} needs a value", arg));
      return std::string(args[++i]);
    };
    if (arg == "--openmetrics" || arg == "--dir" || arg == "--block-duration") {
      auto v = take_value();
      if (!v) return v.status();
      if (arg == "--openmetrics") parsed.openmetrics = *v;
      if (arg == "--dir") parsed.dir = *v;
      if (arg == "--block-duration") {
        auto duration = parse_duration(*v);
        if (!duration || duration->count() <= 0) {
          return Status::error(fmt::format("--block-duration: invalid duration \"{}\"", *v));
        }
        parsed.block_duration = *duration;
      }
    } else {
      return Status::error(fmt::format("unknown argument \"{}\"", args[i]));
    }
  }
  if (parsed.dir.empty()) return Status::error("--dir is required");
  return parsed;
}

// Collects every sample of the file per series.
class ImportHandler final : public ExpositionHandler {
 public:
  struct SeriesData {
    Labels labels;
    const MetricMetadata* metadata = nullptr;
    std::vector<Sample> samples;
  };

  void on_family(const FamilyView& family) override {
    MetricMetadata metadata{std::string(family.name), family.type,
                            std::string(family.help.value_or("")), std::string(family.unit)};
    auto it = metadata_.find(metadata.family);
    if (it == metadata_.end()) {
      auto owned = std::make_unique<MetricMetadata>(std::move(metadata));
      it = metadata_.emplace(owned->family, std::move(owned)).first;
    } else if (!(*it->second == metadata)) {
      *it->second = std::move(metadata);
    }
  }

  void on_sample(const SampleView& sample) override {
    if (!error_.is_ok()) return;
    if (!sample.timestamp_ms) {
      error_ = Status::error(
          fmt::format("line {}: sample without a timestamp; a backfill needs one on every sample",
                      sample.line));
      return;
    }
    auto [it, inserted] = by_id_.try_emplace(std::string(sample.series_id), series_.size());
    if (inserted) {
      LabelsBuilder builder;
      builder.set(kMetricNameLabel, sample.name);
      for (const LabelView& label : sample.labels) builder.set(label.name, label.value);
      const auto family = metadata_.find(std::string(sample.family));
      series_.push_back(SeriesData{
          builder.labels(), family == metadata_.end() ? nullptr : family->second.get(), {}});
    }
    series_[it->second].samples.push_back(Sample{*sample.timestamp_ms, sample.value});
    ++samples_;
  }

  const Status& error() const { return error_; }
  std::vector<SeriesData>& series() { return series_; }
  uint64_t samples() const { return samples_; }

 private:
  std::unordered_map<std::string, std::unique_ptr<MetricMetadata>> metadata_;
  std::unordered_map<std::string, size_t> by_id_;
  std::vector<SeriesData> series_;
  uint64_t samples_ = 0;
  Status error_;
};

// The samples of each series in time order, a timestamp given twice kept once
// (its last value, as a later scrape would win), series in label order.
struct SortedBackfill {
  uint64_t duplicates = 0;
  int64_t min_t = std::numeric_limits<int64_t>::max();
  int64_t max_t = std::numeric_limits<int64_t>::min();
};

SortedBackfill sort_backfill(std::vector<ImportHandler::SeriesData>& series) {
  SortedBackfill sorted;
  for (auto& one : series) {
    std::stable_sort(one.samples.begin(), one.samples.end(),
                     [](const Sample& a, const Sample& b) { return a.t_ms < b.t_ms; });
    std::vector<Sample> unique;
    unique.reserve(one.samples.size());
    for (const Sample& sample : one.samples) {
      if (!unique.empty() && unique.back().t_ms == sample.t_ms) {
        unique.back() = sample;
        ++sorted.duplicates;
      } else {
        unique.push_back(sample);
      }
    }
    one.samples = std::move(unique);
    if (!one.samples.empty()) {
      sorted.min_t = std::min(sorted.min_t, one.samples.front().t_ms);
      sorted.max_t = std::max(sorted.max_t, one.samples.back().t_ms);
    }
  }
  std::sort(series.begin(), series.end(),
            [](const auto& a, const auto& b) { return a.labels < b.labels; });
  return sorted;
}

// Each window of `duration` becomes one raw block, cut as the store cuts its
// head; prints each block written. Returns the number of blocks.
Result<int> cut_backfill(const std::vector<ImportHandler::SeriesData>& series,
                         const SortedBackfill& sorted, int64_t duration, const fs::path& blocks_dir,
                         std::ostream& out) {
  std::vector<size_t> cursor(series.size(), 0);
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  int blocks = 0;
  for (int64_t start = series.empty() ? 0 : aligned_window_start(sorted.min_t, duration);
       !series.empty() && start <= sorted.max_t; start += duration) {
    const int64_t end = start + duration - 1;
    RawBlockCut cut(blocks_dir, "raw", start, end);
    for (size_t i = 0; i < series.size(); ++i) {
      const auto& samples = series[i].samples;
      timestamps.clear();
      values.clear();
      while (cursor[i] < samples.size() && samples[cursor[i]].t_ms <= end) {
        timestamps.push_back(samples[cursor[i]].t_ms);
        values.push_back(samples[cursor[i]].v);
        ++cursor[i];
      }
      if (Status added = cut.add_series(series[i].labels, series[i].metadata, timestamps, values);
          !added) {
        return added;
      }
    }
    auto finished = cut.finish();
    if (!finished) return finished.status();
    if (!*finished) continue;
    out << "wrote block " << **finished << "\n";
    ++blocks;
  }
  return blocks;
}

// Merges the complete windows of the imported raw blocks as a daemon's first
// compactor round would (raw_block_merge.hpp), into windows of the default
// 5-minute tier's block length: a store served as imported reads a week in
// a few blocks, not 84. Returns the windows merged.
Result<uint64_t> merge_imported(const fs::path& dir, std::chrono::milliseconds block_duration,
                                std::ostream& err) {
  BlockSet blocks;
  std::optional<int64_t> raw_max_time;
  for (const auto& path : list_block_dirs(dir)) {
    // A damaged block is left to the daemon's open (which sets it aside);
    // the import says so, and merges the blocks around it.
    auto reader = block::BlockReader::open(path.string());
    if (!reader) {
      err << "metrics-collector store import: leaving a damaged block alone, not merging it: "
          << reader.error() << "\n";
      continue;
    }
    if ((*reader)->meta().resolution_ms == 0) {
      raw_max_time = std::max(raw_max_time.value_or(INT64_MIN), (*reader)->meta().max_time);
    }
    blocks.add(std::move(*reader));
  }
  if (!raw_max_time) return uint64_t{0};
  DiskStorageOptions options;
  options.dir = dir;
  options.block_duration_ms = block_duration.count();
  options.raw_merge_window_ms =
      default_tier_block_duration(std::chrono::minutes(5), block_duration).count();
  const RawMergeOutcome merged = merge_raw_blocks(options, blocks, *raw_max_time + 1);
  if (merged.failed > 0) return Status::error("merging the imported raw blocks failed (logged)");
  return merged.done;
}

int run_import(const StoreArgs& args, std::ostream& out, std::ostream& err) {
  if (args.openmetrics.empty()) {
    err << "metrics-collector store import: --openmetrics is required\n" << kUsage;
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  auto body = read_file(args.openmetrics);
  if (!body) {
    err << "metrics-collector store import: " << args.openmetrics << ": " << body.error() << "\n";
    return 1;
  }
  ImportHandler handler;
  ParseOptions options;
  options.allow_repeated_families = true;
  Status parsed = parse_exposition(*body, ExpositionFormat::openmetrics, handler, options);
  if (parsed && !handler.error().is_ok()) parsed = handler.error();
  if (!parsed) {
    err << "metrics-collector store import: " << args.openmetrics << ": " << parsed.message()
        << "\n";
    return 1;
  }
  body->clear();
  body->shrink_to_fit();
  auto& series = handler.series();
  const SortedBackfill sorted = sort_backfill(series);

  const fs::path dir(args.dir);
  std::error_code error;
  fs::create_directories(dir / "blocks", error);
  if (error) {
    err << "metrics-collector store import: " << dir.string() << ": " << error.message() << "\n";
    return 1;
  }
  // Held to the end, so that a running daemon and an import never write the same directory.
  auto lock = StoreLock::acquire(dir);
  if (!lock) {
    err << "metrics-collector store import: " << lock.error() << "\n";
    return 1;
  }
  auto blocks = cut_backfill(series, sorted, args.block_duration.count(), dir / "blocks", out);
  if (!blocks) {
    err << "metrics-collector store import: " << blocks.error() << "\n";
    return 1;
  }
  auto merged = merge_imported(dir, args.block_duration, err);
  if (!merged) {
    err << "metrics-collector store import: " << merged.error() << "\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out << fmt::format("imported {} samples of {} series into {} blocks in {:.2f} s",
                     handler.samples(), series.size(), *blocks, seconds);
  if (*merged > 0) out << fmt::format(", then merged {} complete windows of them", *merged);
  if (sorted.duplicates > 0) {
    out << fmt::format(" ({} repeated timestamps kept once)", sorted.duplicates);
  }
  out << "\n";
  return 0;
}

std::string per_sample(uint64_t bytes, uint64_t samples) {
  return samples == 0
             ? "0"
             : fmt::format("{:.4f}", static_cast<double>(bytes) / static_cast<double>(samples));
}

// Milliseconds and, beside them, the same instant in RFC 3339 (UTC), so that
// both a script and a reader get what they need from one line.
std::string time_text(int64_t t_ms) {
  return fmt::format("{} ({})", t_ms, format_rfc3339_ms(t_ms));
}

// "min_time X (rfc) max_time Y (rfc)" of a part, or nothing when it is empty.
std::string time_range_text(const InventoryPart& part, std::string_view separator) {
  if (!part.min_time) return "";
  return fmt::format("min_time {}{}max_time {}", time_text(*part.min_time), separator,
                     time_text(*part.max_time));
}

int run_stats(const StoreArgs& args, std::ostream& out, std::ostream& err) {
  const fs::path dir(args.dir);
  auto inventory = take_store_inventory(dir);
  if (!inventory) {
    err << "metrics-collector store stats: " << inventory.error() << "\n";
    return 1;
  }
  for (const std::string& problem : inventory->problems) {
    err << "metrics-collector store stats: " << problem << "\n";
  }
  out << "dir " << dir.string() << "\n";
  for (const auto& [tier, t] : inventory->tiers) {
    out << fmt::format(
        "tier {} blocks {} series {} samples {} {} data_bytes {} index_bytes {} "
        "bytes_per_sample {}\n",
        tier, t.blocks, t.series, t.samples, time_range_text(t, " "), t.data_bytes, t.index_bytes,
        per_sample(t.data_bytes + t.index_bytes, t.samples));
  }
  if (const auto& head = inventory->head) {
    // What the daemon holds in memory and would restore from the WAL: not yet in a block.
    out << fmt::format("head series {} samples {}", head->series, head->samples);
    if (head->min_time) out << " " << time_range_text(*head, " ");
    out << "\n";
  }
  const InventoryPart& total = inventory->total;
  out << "blocks " << total.blocks << "\n";
  out << "series " << total.series << "\n";
  out << "samples " << total.samples << "\n";
  if (total.min_time) out << time_range_text(total, "\n") << "\n";
  out << "data_bytes " << total.data_bytes << "\n";
  out << "index_bytes " << total.index_bytes << "\n";
  out << "data_bytes_per_sample " << per_sample(total.data_bytes, total.samples) << "\n";
  out << "index_bytes_per_sample " << per_sample(total.index_bytes, total.samples) << "\n";
  out << "bytes_per_sample " << per_sample(total.data_bytes + total.index_bytes, total.samples)
      << "\n";
  out << "wal_bytes " << inventory->wal_bytes << "\n";
  out << "wal_damaged_records " << inventory->wal_damaged_records << "\n";
  if (inventory->wal_damaged_records > 0) {
    // Not a failure of stats: beside a running daemon, a record being written looks torn.
    err << "metrics-collector store stats: the write-ahead log has damaged records; the head "
           "lacks what follows them (store verify names them)\n";
  }
  return inventory->problems.empty() ? 0 : 1;
}

// Counts what a WAL holds without keeping it.
class CountingHandler final : public WalReplayHandler {
 public:
  void on_series(SeriesRef, const Labels&) override {}
  void on_metadata(SeriesRef, const MetricMetadata&) override {}
  void on_samples(std::span<const WalSample>) override {}
};

int run_verify(const StoreArgs& args, std::ostream& out, std::ostream& err) {
  const fs::path dir(args.dir);
  if (Status store = check_store_directory(dir); !store) {
    err << "metrics-collector store verify: " << store.message() << "\n";
    return 1;
  }
  int failures = 0;
  for (const auto& path : list_block_dirs(dir)) {
    auto reader = block::BlockReader::open(path.string());
    Status status = reader ? (*reader)->verify() : reader.status();
    if (!status) {
      err << "damaged: " << status.message() << "\n";
      ++failures;
    } else {
      out << "ok " << path.string() << " (" << (*reader)->meta().series << " series, "
          << (*reader)->meta().samples << " samples)\n";
    }
  }
  if (fs::is_directory(dir / "wal")) {
    CountingHandler handler;
    WalReplayOptions options;
    options.repair_torn_tail = false;  // verify changes nothing
    auto replayed = replay_wal(dir / "wal", handler, options);
    if (!replayed) {
      err << "damaged: " << replayed.error() << "\n";
      ++failures;
    } else {
      for (const auto& damage : replayed->damage) {
        err << fmt::format("damaged: {}: offset {}: {} ({} bytes after it unreadable)\n",
                           damage.path.string(), damage.offset, damage.problem, damage.bytes_lost);
        ++failures;
      }
      out << fmt::format("ok {} ({} records, {} samples)\n", (dir / "wal").string(),
                         replayed->records, replayed->samples);
    }
  }
  if (failures > 0) {
    err << failures << " damaged file(s)\n";
    return 1;
  }
  return 0;
}

}  // namespace

int run_store_command(std::span<const std::string_view> args, std::ostream& out,
                      std::ostream& err) {
  if (args.empty()) {
    err << kUsage;
    return 2;
  }
  const std::string_view verb = args[0];
  auto parsed = parse_args(args.subspan(1));
  if (!parsed) {
    err << "metrics-collector store " << verb << ": " << parsed.error() << "\n" << kUsage;
    return 2;
  }
  if (verb == "import") return run_import(*parsed, out, err);
  if (verb == "stats") return run_stats(*parsed, out, err);
  if (verb == "verify") return run_verify(*parsed, out, err);
  err << "metrics-collector store: unknown command \"" << verb << "\"\n" << kUsage;
  return 2;
}

}  // namespace mc
