#include "daemon/store_command.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "common/exposition/parser.hpp"
#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"
#include "common/store/block/block_reader.hpp"
#include "common/store/block/block_writer.hpp"
#include "common/store/wal/wal_replay.hpp"
#include "common/util/aligned_window.hpp"
#include "common/util/duration.hpp"
#include "common/util/errno_text.hpp"
#include "common/util/read_file.hpp"

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

// Holds the store's lock for the duration of an import, so that a running
// daemon and an import never write the same directory.
class StoreLock {
 public:
  StoreLock() = default;
  ~StoreLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  StoreLock(const StoreLock&) = delete;  // two owners would close the fd twice
  StoreLock& operator=(const StoreLock&) = delete;
  Status acquire(const fs::path& dir) {
    const std::string path = (dir / "lock").string();
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::error(fmt::format("{}: {}", path, errno_text()));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      return Status::error(fmt::format("{}: the store is in use by another process", path));
    }
    return Status::ok();
  }

 private:
  int fd_ = -1;
};

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
  uint64_t duplicates = 0;
  int64_t min_t = std::numeric_limits<int64_t>::max();
  int64_t max_t = std::numeric_limits<int64_t>::min();
  for (auto& one : series) {
    std::stable_sort(one.samples.begin(), one.samples.end(),
                     [](const Sample& a, const Sample& b) { return a.t_ms < b.t_ms; });
    // A timestamp given twice keeps its last value, as a later scrape would win.
    std::vector<Sample> unique;
    unique.reserve(one.samples.size());
    for (const Sample& sample : one.samples) {
      if (!unique.empty() && unique.back().t_ms == sample.t_ms) {
        unique.back() = sample;
        ++duplicates;
      } else {
        unique.push_back(sample);
      }
    }
    one.samples = std::move(unique);
    if (!one.samples.empty()) {
      min_t = std::min(min_t, one.samples.front().t_ms);
      max_t = std::max(max_t, one.samples.back().t_ms);
    }
  }
  std::sort(series.begin(), series.end(),
            [](const auto& a, const auto& b) { return a.labels < b.labels; });

  const fs::path dir(args.dir);
  std::error_code error;
  fs::create_directories(dir / "blocks", error);
  if (error) {
    err << "metrics-collector store import: " << dir.string() << ": " << error.message() << "\n";
    return 1;
  }
  StoreLock lock;
  if (Status locked = lock.acquire(dir); !locked) {
    err << "metrics-collector store import: " << locked.message() << "\n";
    return 1;
  }

  const int64_t duration = args.block_duration.count();
  std::vector<size_t> cursor(series.size(), 0);
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  int blocks = 0;
  for (int64_t start = series.empty() ? 0 : aligned_window_start(min_t, duration);
       !series.empty() && start <= max_t; start += duration) {
    const int64_t end = start + duration - 1;
    block::BlockMeta meta;
    meta.min_time = start;
    meta.max_time = end;
    std::unique_ptr<block::BlockWriter> writer;
    for (size_t i = 0; i < series.size(); ++i) {
      const auto& samples = series[i].samples;
      timestamps.clear();
      values.clear();
      while (cursor[i] < samples.size() && samples[cursor[i]].t_ms <= end) {
        timestamps.push_back(samples[cursor[i]].t_ms);
        values.push_back(samples[cursor[i]].v);
        ++cursor[i];
      }
      if (timestamps.empty()) continue;
      if (!writer) {
        auto created = block::BlockWriter::create((dir / "blocks").string(), meta);
        if (!created) {
          err << "metrics-collector store import: " << created.error() << "\n";
          return 1;
        }
        writer = std::move(*created);
      }
      const std::span<const double> columns[] = {values};
      if (Status added =
              writer->add_series(series[i].labels, series[i].metadata, timestamps, columns);
          !added) {
        err << "metrics-collector store import: " << added.message() << "\n";
        return 1;
      }
    }
    if (!writer) continue;
    auto finished = writer->finish();
    if (!finished) {
      err << "metrics-collector store import: " << finished.error() << "\n";
      return 1;
    }
    out << "wrote block " << *finished << "\n";
    ++blocks;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out << fmt::format("imported {} samples of {} series into {} blocks in {:.2f} s",
                     handler.samples(), series.size(), blocks, seconds);
  if (duplicates > 0) out << fmt::format(" ({} repeated timestamps kept once)", duplicates);
  out << "\n";
  return 0;
}

// Block directories of the store, sorted; damaged or partial ones included
// (a .tmp or .deleted directory is not a block).
std::vector<fs::path> block_dirs(const fs::path& dir) {
  std::vector<fs::path> dirs;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir / "blocks", error)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.ends_with(".tmp") || name.ends_with(".deleted")) continue;
    dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

uint64_t directory_bytes(const fs::path& dir) {
  uint64_t bytes = 0;
  std::error_code error;
  for (const auto& entry : fs::recursive_directory_iterator(dir, error)) {
    if (entry.is_regular_file(error)) bytes += entry.file_size(error);
  }
  return bytes;
}

std::string per_sample(uint64_t bytes, uint64_t samples) {
  return samples == 0
             ? "0"
             : fmt::format("{:.4f}", static_cast<double>(bytes) / static_cast<double>(samples));
}

int run_stats(const StoreArgs& args, std::ostream& out, std::ostream& err) {
  const fs::path dir(args.dir);
  if (!fs::is_directory(dir)) {
    err << "metrics-collector store stats: " << dir.string() << ": not a directory\n";
    return 1;
  }
  struct Totals {
    uint64_t blocks = 0, series = 0, samples = 0, data_bytes = 0, index_bytes = 0;
    int64_t min_time = std::numeric_limits<int64_t>::max();
    int64_t max_time = std::numeric_limits<int64_t>::min();
  };
  std::map<std::string, Totals> tiers;
  Totals total;
  int failures = 0;
  for (const auto& path : block_dirs(dir)) {
    auto reader = block::BlockReader::open(path.string());
    if (!reader) {
      err << "metrics-collector store stats: " << reader.error() << "\n";
      ++failures;
      continue;
    }
    const auto& meta = (*reader)->meta();
    for (Totals* t : {&tiers[meta.tier], &total}) {
      ++t->blocks;
      t->series += meta.series;
      t->samples += meta.samples;
      t->data_bytes += meta.data_bytes;
      t->index_bytes += meta.index_bytes;
      t->min_time = std::min(t->min_time, meta.min_time);
      t->max_time = std::max(t->max_time, meta.max_time);
    }
  }
  out << "dir " << dir.string() << "\n";
  for (const auto& [tier, t] : tiers) {
    out << fmt::format(
        "tier {} blocks {} series {} samples {} min_time {} max_time {} data_bytes {} "
        "index_bytes {} bytes_per_sample {}\n",
        tier, t.blocks, t.series, t.samples, t.min_time, t.max_time, t.data_bytes, t.index_bytes,
        per_sample(t.data_bytes + t.index_bytes, t.samples));
  }
  out << "blocks " << total.blocks << "\n";
  out << "series " << total.series << "\n";
  out << "samples " << total.samples << "\n";
  if (total.blocks > 0) {
    out << "min_time " << total.min_time << "\n";
    out << "max_time " << total.max_time << "\n";
  }
  out << "data_bytes " << total.data_bytes << "\n";
  out << "index_bytes " << total.index_bytes << "\n";
  out << "data_bytes_per_sample " << per_sample(total.data_bytes, total.samples) << "\n";
  out << "index_bytes_per_sample " << per_sample(total.index_bytes, total.samples) << "\n";
  out << "bytes_per_sample " << per_sample(total.data_bytes + total.index_bytes, total.samples)
      << "\n";
  out << "wal_bytes " << (fs::is_directory(dir / "wal") ? directory_bytes(dir / "wal") : 0) << "\n";
  return failures == 0 ? 0 : 1;
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
  if (!fs::is_directory(dir)) {
    err << "metrics-collector store verify: " << dir.string() << ": not a directory\n";
    return 1;
  }
  int failures = 0;
  for (const auto& path : block_dirs(dir)) {
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
