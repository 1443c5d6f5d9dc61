// ScrapeLoop: the state of one target between scrapes, and what one scrape does
// to the store.
//
// process() takes one HTTP response and, in ONE appender commit, appends every
// sample (with the target's labels, honor_labels semantics), a staleness marker
// for each series the target exposed last time but not now, and the synthetic
// series up, scrape_duration_seconds, scrape_samples_scraped,
// scrape_samples_post_metric_relabeling and scrape_series_added. A failed
// scrape (transport error, HTTP status, parse error) rolls the samples back and
// commits instead stale markers for everything the target exposed before plus
// the synthetic series with up 0 — as Prometheus's scrapeAndReport does. A
// target that exposes more than the job's sample_limit (counted after metric
// relabeling, as Prometheus counts), or a series over the label limits,
// fails the same way.
//
// The series cache maps the exact bytes of `name{labels}` in the body to the
// store's SeriesRef, so a series is built (allocated) only when new; as targets
// repeat their order, a lookup is mostly one sequential compare (ScrapeCache).
// The job's metric_relabel_configs run once, when a series is new: a series
// they drop stays in the cache as dropped (no labels), so later scrapes skip
// it at the cost of the lookup alone.
//
// Thread-safety: not thread-safe; the scheduler runs one scrape of a target at
// a time.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/scrape/label_limits.hpp"
#include "collector/scrape/scrape_cache.hpp"
#include "collector/scrape/scrape_target.hpp"
#include "common/config/config.hpp"
#include "common/exposition/exposition_format.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/model/shared_labels.hpp"
#include "common/model/shared_metadata.hpp"
#include "common/store/storage.hpp"

namespace mc {

// What the HTTP layer got for one scrape.
struct ScrapeResponse {
  Status status;                  // error when the transfer or the HTTP status failed
  std::string failure_reason;     // when failed: timeout, connection, http_status, encoding,
                                  // body_size, sample_limit, other
  std::string_view body;          // valid during process()
  std::string_view content_type;  // the Content-Type header, "" when none
};

// What one scrape did, for logs and meta-metrics.
struct ScrapeReport {
  bool up = false;
  std::string error;           // empty when up
  std::string failure_reason;  // timeout, connection, http_status, parse, store, ...
  uint64_t samples_scraped = 0;
  uint64_t samples_kept = 0;  // after metric relabeling: what was appended
  uint64_t series_added = 0;
  uint64_t stale_markers = 0;
  uint64_t out_of_order = 0;
  uint64_t duplicate_timestamp = 0;
};

// The outcome of the last finished scrape, for /api/v1/targets.
struct LastScrapeOutcome {
  bool scraped = false;  // false until a scrape finished
  bool up = false;
  std::string error;           // empty when up
  std::string failure_reason;  // as ScrapeReport's
  int64_t start_ms = 0;        // wall clock at the scrape's start
  double duration_seconds = 0;
};

class ScrapeLoop {
 public:
  ScrapeLoop(ScrapeTarget target, const ScrapeConfig& job, Storage& storage);
  ~ScrapeLoop();
  ScrapeLoop(const ScrapeLoop&) = delete;
  ScrapeLoop& operator=(const ScrapeLoop&) = delete;

  const ScrapeTarget& target() const { return target_; }

  // `scrape_time_ms`: wall-clock time at the start of the scrape (the samples'
  // timestamp unless honor_timestamps and the sample has its own).
  ScrapeReport process(const ScrapeResponse& response, int64_t scrape_time_ms,
                       double duration_seconds);

  // Appends stale markers for every live series of this target, including the
  // synthetic ones: the target went away (config change, shutdown of the job).
  void mark_all_stale(int64_t t_ms);

  size_t cached_series() const;

  // Safe from any thread, also while process() runs on another: a small lock
  // of its own, so a status request never waits for a scrape's parsing.
  LastScrapeOutcome last_scrape() const;

  // The families the target declared (a TYPE other than untyped, a HELP or a
  // UNIT line), by name; only `metric` when it is not empty. Not thread-safe
  // (as process()): the caller holds what serializes the loop.
  std::vector<MetricMetadata> declared_metadata(std::string_view metric) const;

 private:
  class SampleAppendingHandler;

  // A family's metadata as the target last declared it; `version` changes when
  // the declaration changes, so series re-send their metadata to the store.
  struct FamilyState {
    // Shared with every target that declares the same family (node_exporter's
    // ~300 families, once for all its targets); never null once inserted.
    SharedMetadata metadata;
    // A hash of the TYPE, HELP and UNIT the target declared (declaration_hash
    // in scrape_loop.cpp). Each scrape compares the page's declaration by it
    // rather than with the pooled text: the pool's entries and their HELP
    // strings are scattered on the heap, and chasing them for every family of
    // every scrape cost the daemon more time than it saved instructions
    // (bench/scrape/README.md, 2026-12-07). Two different declarations with
    // one hash would leave the older text in place: a 2^-64 chance a change.
    uint64_t declaration_hash = 0;
    // New (next_family_stamp()) whenever the family is declared anew or its
    // declaration changes: a series whose entry holds another stamp re-sends
    // its metadata to the store.
    uint32_t stamp = 0;
  };
  static constexpr uint32_t kNoFamily = UINT32_MAX;
  struct CacheEntry {
    SeriesRef ref = 0;
    // Final labels, kept for staleness and re-lookup; shared with the store's
    // series (Appender::append_shared), so a series' labels exist once. Null
    // for a series metric relabeling dropped: it is never appended.
    SharedLabels labels;
    // 32 bits (iteration_'s width) and one stamp for the family keep the
    // entry at 32 bytes, one in each cached series.
    uint32_t seen_iteration = 0;       // the last scrape that exposed it (tentative)
    uint32_t committed_iteration = 0;  // the last committed scrape that exposed it
    uint32_t family_stamp = 0;         // FamilyState::stamp of the metadata last sent; 0: none
    // The metric name's length at the front of the key; 0 when longer than
    // 16 bits hold (the parser is then offered no guess for this series).
    uint16_t name_size = 0;
    bool explicit_timestamp = false;  // Prometheus does not stale such series
  };
  static_assert(sizeof(CacheEntry) == 32, "one in each cached series: bench/memory/README.md");

  // Appends stale markers for the series that were live after the previous
  // scrape and are not live now; on success also records what this scrape saw
  // and evicts long-unseen entries.
  uint64_t append_staleness(Appender& appender, int64_t t_ms, bool scrape_succeeded);
  // Never 0 (an entry that sent no metadata). A stamp comes round again after
  // 2^32 declarations (a target changing a HELP text 300 times a second, for
  // 166 days): an entry still holding that old stamp would miss one update.
  uint32_t next_family_stamp() {
    if (++last_family_stamp_ == 0) ++last_family_stamp_;
    return last_family_stamp_;
  }
  // What sample_limit counts: as in Prometheus, the samples metric relabeling
  // keeps (all of them when the job has no rules).
  uint64_t limited_samples(const ScrapeReport& report) const {
    return metric_relabel_configs_.empty() ? report.samples_scraped : report.samples_kept;
  }
  void append_report(Appender& appender, int64_t t_ms, bool up, double duration_seconds,
                     const ScrapeReport& report);
  void record_outcome(const ScrapeReport& report, int64_t scrape_time_ms, double duration_seconds);

  ScrapeTarget target_;
  bool honor_labels_;
  bool honor_timestamps_;
  uint64_t sample_limit_;  // 0: no limit
  LabelLimits label_limits_;
  std::vector<RelabelConfig> metric_relabel_configs_;
  Storage& storage_;
  // Counts scrapes, failed ones included: 2^32 is 136 years of one a second.
  uint32_t iteration_ = 0;
  // The format the last body was parsed in: the parser may skip the labels of
  // cached series only when the cache's order comes from the same parser.
  std::optional<ExpositionFormat> last_format_;
  std::vector<uint32_t> candidates_;  // append_staleness's scratch, kept to reuse its memory
  ScrapeCache<CacheEntry, PrefixCodedKeys> cache_;  // keyed by the series' bytes in the body
  ScrapeCache<FamilyState> families_;               // keyed by family name; never shrinks
  uint32_t last_family_stamp_ = 0;                  // the newest FamilyState::stamp handed out
  std::array<CacheEntry, 5> report_series_;  // up, scrape_duration_seconds, ... in that order

  mutable std::mutex last_scrape_mutex_;
  LastScrapeOutcome last_scrape_;  // guarded by last_scrape_mutex_
};

}  // namespace mc
