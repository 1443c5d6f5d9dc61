// series_bytes: where the heap bytes of one scraped series go (issue 14).
//
// Builds what the daemon builds per series, through the real code, for K
// targets of M series each (the pages bench/scrape/target_farm serves: whole
// copies of the node_exporter page told apart by a farm_copy label), and
// measures each part as the change in glibc's bytes in use (mallinfo2:
// uordblks + hblkhd, so malloc's chunk headers and size-class rounding count,
// as they do in RSS). Two passes:
//
// 1. The whole path: one ScrapeLoop per target over one DiskStorage (WAL on,
//    in a temporary directory), S scrapes of every target. Its total, and the
//    split the teardown gives: destroying the loops frees the scrape side
//    (labels stay, shared with the head), destroying the store the rest.
// 2. The parts one by one, through the same classes the head uses: the
//    series' Labels, the SharedLabels handle the head holds them by, the HeadSeries
//    objects (HeadSeriesPool, the open chunk's state inside them), the open
//    chunk's byte buffer (OpenXorChunk fed the S scrapes' values), the head's by_hash
//    table (HeadSeriesTable) and SeriesRefMap (16 stripes), and
//    metadata (MetadataInterner).
//
// Run: build/bench/series_bytes [--targets=10] [--series=10000] [--samples=6]
// Prints a markdown table; bench/memory/README.md has the figures.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench/node_page.hpp"
#include "collector/scrape/sample_labels.hpp"
#include "collector/scrape/scrape_cache_keys.hpp"
#include "collector/scrape/scrape_loop.hpp"
#include "collector/scrape/scrape_target.hpp"
#include "common/exposition/parser.hpp"
#include "common/store/chunkenc/open_xor_chunk.hpp"
#include "common/store/disk_storage.hpp"
#include "common/store/head_series.hpp"
#include "common/store/head_series_table.hpp"
#include "common/store/metadata_interner.hpp"
#include "common/store/series_ref_map.hpp"

namespace {

// Heap bytes in use, malloc's own overhead per chunk included.
int64_t heap_in_use() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

// VmRSS of this process, in bytes.
int64_t rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoll(line.c_str() + 6, nullptr, 10) * 1024;
  }
  return 0;
}

struct Options {
  int targets = 10;
  size_t series = 10000;
  int samples = 6;
};

// The page target_farm serves with `wanted` series (its build_template): the
// node page's families, each with whole copies of its series (copy n > 0
// gets farm_copy="n"), then single series of counter, gauge and untyped
// families until the count is reached.
std::string farm_page(const std::string& model_page, size_t wanted) {
  struct Family {
    std::string comments, type;
    std::vector<std::string> series;  // "name{labels} value"
  };
  std::vector<Family> families;
  std::istringstream lines(model_page);
  std::string line;
  bool last_was_sample = true;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (last_was_sample || families.empty()) families.emplace_back();
      last_was_sample = false;
      families.back().comments += line + '\n';
      if (line.starts_with("# TYPE ")) families.back().type = line.substr(line.rfind(' ') + 1);
      continue;
    }
    if (families.empty()) families.emplace_back();
    last_was_sample = true;
    families.back().series.push_back(line);
  }
  size_t model_series = 0;
  for (const auto& family : families) model_series += family.series.size();
  const size_t copies = wanted / model_series;
  size_t remainder = wanted - copies * model_series;
  auto with_copy = [](const std::string& sample, size_t copy) {
    if (copy == 0) return sample;
    const size_t space = sample.rfind(' ');
    std::string series = sample.substr(0, space);
    const std::string label = "farm_copy=\"" + std::to_string(copy) + "\"";
    series = series.back() == '}' ? series.substr(0, series.size() - 1) + "," + label + "}"
                                  : series + "{" + label + "}";
    return series + sample.substr(space);
  };
  std::string page;
  for (const auto& family : families) {
    const bool splittable = family.type != "summary" && family.type != "histogram";
    size_t extra = 0;
    if (splittable && remainder > 0) {
      extra = std::min(remainder, family.series.size());
      remainder -= extra;
    }
    if (copies == 0 && extra == 0) continue;
    page += family.comments;
    for (size_t copy = 0; copy < copies; ++copy) {
      for (const auto& sample : family.series) page += with_copy(sample, copy) + '\n';
    }
    for (size_t i = 0; i < extra; ++i) page += with_copy(family.series[i], copies) + '\n';
  }
  return page;
}

// What pass 2 needs of one target's page: each series' final labels (as
// ScrapeLoop builds them), its key, its family's metadata and its values.
class PageReader final : public mc::ExpositionHandler {
 public:
  PageReader(const mc::Labels& target_labels, std::vector<mc::Labels>* labels,
             std::vector<mc::MetricMetadata>* families)
      : target_labels_(target_labels), labels_(labels), families_(families) {}

  void on_family(const mc::FamilyView& family) override {
    families_->push_back(mc::MetricMetadata{std::string(family.name), family.type,
                                            std::string(family.help.value_or("")),
                                            std::string(family.unit)});
  }
  void on_sample(const mc::SampleView& sample) override {
    key_bytes += sample.series_id.size();
    coded_keys.append(sample.series_id);
    labels_->push_back(mc::build_sample_labels(sample.name, sample.labels, target_labels_, false));
  }
  size_t key_bytes = 0;
  mc::PrefixCodedKeys coded_keys;  // as the loop's series cache stores them

 private:
  const mc::Labels& target_labels_;
  std::vector<mc::Labels>* labels_;
  std::vector<mc::MetricMetadata>* families_;
};

// Every sample value of a page, in order.
class ValueReader final : public mc::ExpositionHandler {
 public:
  explicit ValueReader(std::vector<double>* values) : values_(values) {}
  void on_family(const mc::FamilyView&) override {}
  void on_sample(const mc::SampleView& sample) override { values_->push_back(sample.value); }

 private:
  std::vector<double>* values_;
};

struct Row {
  std::string component;
  double bytes_per_series;
};

bool parse_flag(std::string_view arg, std::string_view name, long long* out) {
  const std::string prefix = "--" + std::string(name) + "=";
  if (!arg.starts_with(prefix)) return false;
  *out = std::atoll(std::string(arg.substr(prefix.size())).c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    long long value = 0;
    if (parse_flag(argv[i], "targets", &value)) {
      options.targets = static_cast<int>(value);
    } else if (parse_flag(argv[i], "series", &value)) {
      options.series = static_cast<size_t>(value);
    } else if (parse_flag(argv[i], "samples", &value)) {
      options.samples = static_cast<int>(value);
    } else {
      std::fprintf(stderr,
                   "usage: series_bytes [--targets=K] [--series=M] [--samples=S]\n"
                   "K targets of M target_farm series each, S scrapes of each (S >= 1)\n");
      return 2;
    }
  }
  if (options.targets < 1 || options.series < 1 || options.samples < 1) {
    std::fprintf(stderr, "series_bytes: --targets, --series and --samples must be at least 1\n");
    return 2;
  }
  const std::string model = bench::read_whole_file(bench::kNodePagePath);
  if (model.empty()) {
    std::fprintf(stderr, "series_bytes: %s not found\n", bench::kNodePagePath);
    return 1;
  }
  const std::string base_page = farm_page(model, options.series);
  std::vector<std::string> pages;  // one per scrape: values change as on a farm
  for (int s = 0; s < options.samples; ++s) {
    pages.push_back(bench::scaled_page(base_page, 1.0 + s * 1e-4));
  }

  mc::ScrapeConfig job;
  job.job_name = "farm";
  job.scrape_interval = std::chrono::seconds(10);
  job.scrape_timeout = std::chrono::seconds(10);
  std::vector<mc::ScrapeTarget> targets;
  for (int t = 0; t < options.targets; ++t) {
    targets.emplace_back(job, "127.0.0.1:" + std::to_string(21000 + t), std::vector<mc::Label>{});
  }
  const size_t n = options.series * static_cast<size_t>(options.targets);
  const int64_t start_ms = 1'700'000'000'000;
  const int64_t interval_ms = 10'000;

  // ---- pass 1: the whole path -------------------------------------------
  const auto dir =
      std::filesystem::temp_directory_path() / ("series_bytes-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  int64_t whole = 0, scrape_side = 0, store_side = 0, rss_whole = 0;
  size_t stored_series = 0;
  {
    const int64_t rss_before = rss_bytes();
    const int64_t before = heap_in_use();
    mc::DiskStorageOptions storage_options;
    storage_options.dir = dir;
    storage_options.compaction_interval = std::chrono::milliseconds(0);
    auto opened = mc::DiskStorage::open(std::move(storage_options));
    if (!opened.is_ok()) {
      std::fprintf(stderr, "series_bytes: %s\n", opened.status().message().c_str());
      return 1;
    }
    std::unique_ptr<mc::DiskStorage> storage = std::move(*opened);
    std::vector<std::unique_ptr<mc::ScrapeLoop>> loops;
    for (const auto& target : targets) {
      loops.push_back(std::make_unique<mc::ScrapeLoop>(target, job, *storage));
    }
    for (int s = 0; s < options.samples; ++s) {
      for (auto& loop : loops) {
        mc::ScrapeResponse response;
        response.body = pages[static_cast<size_t>(s)];
        response.content_type = "text/plain; version=0.0.4";
        const mc::ScrapeReport report = loop->process(response, start_ms + s * interval_ms, 0.01);
        if (!report.up) {
          std::fprintf(stderr, "series_bytes: scrape failed: %s\n", report.error.c_str());
          return 1;
        }
      }
    }
    stored_series = storage->stats().series;
    whole = heap_in_use() - before;
    rss_whole = rss_bytes() - rss_before;
    const int64_t with_loops = heap_in_use();
    loops.clear();
    scrape_side = with_loops - heap_in_use();
    const int64_t with_store = heap_in_use();
    storage.reset();
    store_side = with_store - heap_in_use();
  }
  std::filesystem::remove_all(dir);

  // ---- pass 2: the parts ---------------------------------------------------
  std::vector<Row> rows;
  auto per_series = [n](int64_t bytes) {
    return static_cast<double>(bytes) / static_cast<double>(n);
  };

  std::vector<mc::Labels> labels;
  labels.reserve(n);
  std::vector<mc::MetricMetadata> families;
  size_t key_bytes = 0;
  size_t coded_key_bytes = 0;
  for (const auto& target : targets) {
    PageReader reader(target.labels(), &labels, &families);
    if (!mc::parse_exposition(base_page, mc::ExpositionFormat::prometheus_text, reader).is_ok()) {
      std::fprintf(stderr, "series_bytes: the farm page does not parse\n");
      return 1;
    }
    key_bytes += reader.key_bytes;
    coded_key_bytes += reader.coded_keys.bytes();
  }
  // Labels' heap block, measured as the chunk malloc gave it: rebuild them
  // inside a measured window (a copy would share the block, not allocate).
  {
    std::vector<mc::Labels> copies;
    copies.reserve(n);
    const int64_t vector_done = heap_in_use();
    for (const auto& l : labels) copies.push_back(mc::LabelsBuilder(l).labels());
    rows.push_back({"Labels: the encoded pairs and their header (one heap block)",
                    per_series(heap_in_use() - vector_done)});
  }

  std::vector<mc::SharedLabels> shared;
  shared.reserve(n);
  int64_t mark = heap_in_use();
  for (auto& l : labels) shared.push_back(mc::SharedLabels(std::move(l)));
  rows.push_back({"SharedLabels handle (shares the Labels block, allocates nothing)",
                  per_series(heap_in_use() - mark)});

  // The head: HeadSeries from its pool, each in by_hash and SeriesRefMap of
  // its stripe, as HeadStorage::get_or_create does (16 stripes).
  constexpr size_t kStripes = 16;
  constexpr int kStripeBits = 4;
  mc::HeadSeriesPool pool;
  std::vector<mc::HeadSeriesPool::Ptr> series;
  series.reserve(n);
  std::vector<uint64_t> next_id(kStripes, 1);
  mark = heap_in_use();
  for (size_t i = 0; i < n; ++i) {
    const size_t stripe = shared[i]->hash() & (kStripes - 1);
    const mc::SeriesRef ref = (next_id[stripe]++ << kStripeBits) | stripe;
    series.push_back(pool.create(ref, shared[i]));
  }
  rows.push_back({"HeadSeries object (HeadSeriesPool slab)", per_series(heap_in_use() - mark)});

  std::vector<mc::SeriesRefMap> by_ref;
  for (size_t s = 0; s < kStripes; ++s) by_ref.emplace_back(kStripeBits);
  mark = heap_in_use();
  for (const auto& one : series) by_ref[one->ref() & (kStripes - 1)].insert(one->ref(), one.get());
  rows.push_back({"SeriesRefMap slot (by_ref)", per_series(heap_in_use() - mark)});

  // The same container type as HeadStorage::Stripe::by_hash.
  std::vector<mc::HeadSeriesTable> by_hash(kStripes);
  mark = heap_in_use();
  for (auto& one : series) {
    const uint64_t hash = one->labels().hash();
    by_hash[hash & (kStripes - 1)].insert(std::move(one));
  }
  rows.push_back({"by_hash table slot (HeadSeriesTable)", per_series(heap_in_use() - mark)});

  // Metadata: each family interned once, shared by the series of all targets.
  mc::MetadataInterner interner;
  mark = heap_in_use();
  for (const auto& family : families) (void)interner.intern(family);
  rows.push_back({"MetricMetadata (MetadataInterner)", per_series(heap_in_use() - mark)});

  // The open chunk: the objects first, then the bytes the scrapes' values take.
  std::vector<std::vector<double>> values(static_cast<size_t>(options.samples));
  for (int s = 0; s < options.samples; ++s) {
    ValueReader reader(&values[static_cast<size_t>(s)]);
    (void)mc::parse_exposition(pages[static_cast<size_t>(s)], mc::ExpositionFormat::prometheus_text,
                               reader);
  }
  // The open chunk's state is inside HeadSeries (counted above); its bytes
  // are one buffer that grows with the samples.
  std::vector<mc::chunkenc::OpenXorChunk> chunks(n);
  mark = heap_in_use();
  const size_t per_target = options.series;
  for (int s = 0; s < options.samples; ++s) {
    const auto& page_values = values[static_cast<size_t>(s)];
    for (size_t i = 0; i < n; ++i) {
      chunks[i].append(start_ms + s * interval_ms, page_values[i % per_target]);
    }
  }
  int64_t written = 0;
  for (const auto& chunk : chunks) written += static_cast<int64_t>(chunk.bytes().size());
  char chunk_row[96];
  std::snprintf(chunk_row, sizeof chunk_row,
                "open chunk: its one byte buffer (%d samples, %.1f B written)", options.samples,
                per_series(written));
  rows.push_back({chunk_row, per_series(heap_in_use() - mark)});

  double parts = 0;
  for (const auto& row : rows) parts += row.bytes_per_series;

  std::printf(
      "series_bytes: %d targets x %zu series = %zu series (%zu stored with the report "
      "series), %d scrapes each, key text %.1f B/series (%.1f front-coded)\n\n",
      options.targets, options.series, n, stored_series, options.samples,
      static_cast<double>(key_bytes) / static_cast<double>(n),
      static_cast<double>(coded_key_bytes) / static_cast<double>(n));
  std::printf("| component | bytes/series | share of the whole path |\n|---|---|---|\n");
  auto print = [&](const std::string& name, double bytes) {
    std::printf("| %s | %.1f | %.1f%% |\n", name.c_str(), bytes, 100.0 * bytes / per_series(whole));
  };
  print(
      "scrape side: the loops' ScrapeCache (entries, keys, index, order) and family state, "
      "freed with the loops",
      per_series(scrape_side));
  for (const auto& row : rows) print(row.component, row.bytes_per_series);
  print("sum of the parts above", per_series(scrape_side) + parts);
  print("whole path, heap in use (pass 1)", per_series(whole));
  print("  of which freed with the store (head, WAL buffers)", per_series(store_side));
  std::printf("\nVmRSS growth over pass 1: %.1f B/series\n", per_series(rss_whole));
  return 0;
}
