#include "collector/scrape/scrape_loop.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <unordered_set>

#include <fmt/format.h>

#include "collector/scrape/label_limits.hpp"
#include "collector/scrape/sample_labels.hpp"
#include "common/exposition/parser.hpp"
#include "common/model/sample_value.hpp"
#include "common/relabel/relabel.hpp"

namespace mc {

namespace {

// Entries unseen for this many scrapes leave the cache (their series stay in
// the store), so a target that churns series does not grow the cache forever.
constexpr uint32_t kCacheEvictAfterScrapes = 10;

struct ReportSeries {
  std::string_view name;
  std::string_view help;
};

constexpr std::array<ReportSeries, 5> kReportSeries = {{
    {"up", "1 if the target's last scrape succeeded, 0 if it failed."},
    {"scrape_duration_seconds", "How long the target's last scrape took."},
    {"scrape_samples_scraped", "Samples the target exposed in its last scrape."},
    {"scrape_samples_post_metric_relabeling",
     "Samples of the target's last scrape left after metric relabeling."},
    {"scrape_series_added", "Series the target's last scrape exposed for the first time."},
}};

}  // namespace

// Receives the parser's families and samples and appends them; one per scrape.
class ScrapeLoop::SampleAppendingHandler final : public ExpositionHandler {
 public:
  // `offer_known_series`: whether the parser may be told which cached series
  // comes next (the cache's last round was read by the same parser).
  SampleAppendingHandler(ScrapeLoop& loop, Appender& appender, int64_t scrape_time_ms,
                         bool offer_known_series)
      : loop_(loop),
        appender_(appender),
        scrape_time_ms_(scrape_time_ms),
        offer_known_series_(offer_known_series) {
    loop_.cache_.begin_round();
    loop_.families_.begin_round();
  }

  void on_family(const FamilyView& view) override { set_current_family(family_index(view)); }

  KnownSeries expected_series() override {
    if (!offer_known_series_) return {};
    const uint32_t index = loop_.cache_.expected();
    if (index == ScrapeCache<CacheEntry>::kNotFound) return {};
    const uint16_t name_size = loop_.cache_.value(index).name_size;
    if (name_size == 0) return {};
    return KnownSeries{loop_.cache_.key(index), name_size};
  }

  std::string_view expected_family_name() override {
    const uint32_t index = loop_.families_.expected();
    if (index == ScrapeCache<FamilyState>::kNotFound) return {};
    return loop_.families_.key(index);
  }

  void on_sample(const SampleView& sample) override {
    ++report_.samples_scraped;
    // Past the limit the scrape will fail: keep counting (the report says how
    // many the target sent) but neither append nor grow the cache.
    if (loop_.sample_limit_ != 0 && loop_.limited_samples(report_) > loop_.sample_limit_) return;
    if (label_limit_error_) return;  // the scrape fails; nothing more is appended
    // The family's name was just read by on_family, so this compare stays in cache.
    if (current_family_ == kNoFamily || current_family_name_ != sample.family) {
      set_current_family(family_index(FamilyView{sample.family, sample.type, std::nullopt, {}}));
    }
    // A skipped line began with the key expected_series() offered, which is
    // still the cache's expected entry: nothing was looked up since.
    uint32_t index = sample.labels_skipped ? loop_.cache_.accept_expected()
                                           : loop_.cache_.find(sample.series_id);
    if (index == ScrapeCache<CacheEntry>::kNotFound) {
      CacheEntry entry;
      if (sample.name.size() <= UINT16_MAX) {
        entry.name_size = static_cast<uint16_t>(sample.name.size());
      }
      std::optional<Labels> labels = relabeled(build_sample_labels(
          sample.name, sample.labels, loop_.target_.labels(), loop_.honor_labels_));
      if (labels) {
        // Checked once per new series, after relabeling as Prometheus does: a
        // cached series passed when it was new.
        if (loop_.label_limits_.any()) {
          label_limit_error_ = label_limits_violation(*labels, loop_.label_limits_);
          if (label_limit_error_) return;
        }
        entry.labels = SharedLabels(std::move(*labels));
        ++report_.series_added;
      }
      index = loop_.cache_.insert(sample.series_id, std::move(entry));
    }
    CacheEntry& entry = loop_.cache_.value(index);
    if (!entry.labels) {
      entry.seen_iteration = loop_.iteration_;  // dropped, but still exposed: keep it cached
      return;
    }
    ++report_.samples_kept;
    bool use_own_timestamp = loop_.honor_timestamps_ && sample.timestamp_ms.has_value();
    int64_t t_ms = use_own_timestamp ? *sample.timestamp_ms : scrape_time_ms_;
    entry.explicit_timestamp = use_own_timestamp;
    entry.seen_iteration = loop_.iteration_;

    AppendResult result = appender_.append_shared(entry.ref, entry.labels, t_ms, sample.value);
    entry.ref = result.ref;
    if (result.error == AppendError::out_of_order || result.error == AppendError::out_of_bounds) {
      ++report_.out_of_order;
    }
    if (result.error == AppendError::duplicate_timestamp) ++report_.duplicate_timestamp;

    if (entry.family_stamp != current_family_stamp_) {
      appender_.update_metadata(entry.ref, *loop_.families_.value(current_family_).metadata);
      entry.family_stamp = current_family_stamp_;
    }
  }

  ScrapeReport& report() { return report_; }

  // The series' labels after the job's metric_relabel_configs; nullopt when
  // they drop it (an empty set is dropped too, as Prometheus drops it).
  std::optional<Labels> relabeled(Labels labels) const {
    if (loop_.metric_relabel_configs_.empty()) return labels;
    std::optional<Labels> out = relabel(labels, loop_.metric_relabel_configs_);
    if (out && out->empty()) return std::nullopt;
    return out;
  }
  const std::optional<std::string>& label_limit_error() const { return label_limit_error_; }

 private:
  void set_current_family(uint32_t index) {
    current_family_ = index;
    current_family_name_ = loop_.families_.key(index);
    current_family_stamp_ = loop_.families_.value(index).stamp;
  }

  uint32_t family_index(const FamilyView& view) {
    const uint32_t index = loop_.families_.find(view.name);
    if (index == ScrapeCache<FamilyState>::kNotFound) {
      FamilyState state;
      state.metadata = SharedMetadata::intern(declared(view));
      state.declaration_hash = declaration_hash(view);
      state.stamp = loop_.next_family_stamp();
      return loop_.families_.insert(view.name, std::move(state));
    }
    FamilyState& state = loop_.families_.value(index);
    if (const uint64_t hash = declaration_hash(view); hash != state.declaration_hash) {
      state.metadata = SharedMetadata::intern(declared(view));
      state.declaration_hash = hash;
      state.stamp = loop_.next_family_stamp();
    }
    return index;
  }

  // The page's TYPE, HELP and UNIT of a family, hashed from the page's bytes
  // (in cache: just parsed).
  static uint64_t declaration_hash(const FamilyView& view) {
    const std::hash<std::string_view> hash;
    uint64_t h = hash(view.help.value_or(""));
    h = h * 31 + hash(view.unit);
    return h * 31 + static_cast<uint64_t>(view.type);
  }

  static MetricMetadata declared(const FamilyView& view) {
    return MetricMetadata{std::string(view.name), view.type, std::string(view.help.value_or("")),
                          std::string(view.unit)};
  }

  ScrapeLoop& loop_;
  Appender& appender_;
  int64_t scrape_time_ms_;
  bool offer_known_series_;
  uint32_t current_family_ = kNoFamily;
  std::string_view current_family_name_;  // in families_' key buffer; refreshed on insert
  uint32_t current_family_stamp_ = 0;
  ScrapeReport report_;
  std::optional<std::string> label_limit_error_;
};

ScrapeLoop::ScrapeLoop(ScrapeTarget target, const ScrapeConfig& job, Storage& storage)
    : target_(std::move(target)),
      honor_labels_(job.honor_labels),
      honor_timestamps_(job.honor_timestamps),
      sample_limit_(job.sample_limit),
      label_limits_(LabelLimits::of(job)),
      metric_relabel_configs_(job.metric_relabel_configs),
      storage_(storage) {}

ScrapeLoop::~ScrapeLoop() = default;

size_t ScrapeLoop::cached_series() const { return cache_.size(); }

ScrapeReport ScrapeLoop::process(const ScrapeResponse& response, int64_t scrape_time_ms,
                                 double duration_seconds) {
  ++iteration_;
  ScrapeReport report;
  Status failure = response.status;
  std::string reason = response.failure_reason;

  if (failure.is_ok()) {
    auto appender = storage_.appender();
    const ExpositionFormat format = format_from_content_type(response.content_type);
    SampleAppendingHandler handler(*this, *appender, scrape_time_ms, last_format_ == format);
    last_format_ = format;
    Status parsed = parse_exposition(response.body, format, handler);
    report = handler.report();
    if (handler.label_limit_error()) {
      // It came before any parse error: parsing stops at its first error.
      parsed = Status::error(*handler.label_limit_error());
      reason = "label_limit";
    } else if (parsed.is_ok() && sample_limit_ != 0 && limited_samples(report) > sample_limit_) {
      parsed = Status::error(
          metric_relabel_configs_.empty()
              ? fmt::format("sample_limit exceeded: the target exposed {} samples, the limit is {}",
                            report.samples_scraped, sample_limit_)
              : fmt::format("sample_limit exceeded: the target exposed {} samples, {} left after "
                            "metric relabeling, the limit is {}",
                            report.samples_scraped, report.samples_kept, sample_limit_));
      reason = "sample_limit";
    } else if (!parsed.is_ok()) {
      reason = "parse";
    }
    if (parsed.is_ok()) {
      report.stale_markers = append_staleness(*appender, scrape_time_ms, true);
      append_report(*appender, scrape_time_ms, true, duration_seconds, report);
      Status committed = appender->commit();
      if (committed.is_ok()) {
        report.up = true;
        record_outcome(report, scrape_time_ms, duration_seconds);
        return report;
      }
      failure = Status::error(fmt::format("store commit failed: {}", committed.message()));
      reason = "store";
    } else {
      appender->rollback();
      failure = parsed;
    }
  }

  // The scrape failed: nothing it parsed is kept; every series the target had
  // goes stale and up says 0.
  report.up = false;
  report.error = failure.message();
  report.failure_reason = reason.empty() ? "other" : reason;
  auto appender = storage_.appender();
  report.stale_markers = append_staleness(*appender, scrape_time_ms, false);
  append_report(*appender, scrape_time_ms, false, duration_seconds, report);
  if (Status committed = appender->commit(); !committed.is_ok()) {
    report.error +=
        fmt::format("; store commit of the failure report failed: {}", committed.message());
  }
  record_outcome(report, scrape_time_ms, duration_seconds);
  return report;
}

void ScrapeLoop::record_outcome(const ScrapeReport& report, int64_t scrape_time_ms,
                                double duration_seconds) {
  std::lock_guard lock(last_scrape_mutex_);
  last_scrape_.scraped = true;
  last_scrape_.up = report.up;
  last_scrape_.error = report.error;  // empty when up: no allocation on the usual path
  last_scrape_.failure_reason = report.failure_reason;
  last_scrape_.start_ms = scrape_time_ms;
  last_scrape_.duration_seconds = duration_seconds;
}

LastScrapeOutcome ScrapeLoop::last_scrape() const {
  std::lock_guard lock(last_scrape_mutex_);
  return last_scrape_;
}

std::vector<MetricMetadata> ScrapeLoop::declared_metadata(std::string_view metric) const {
  std::vector<MetricMetadata> declared;
  for (uint32_t index = 0; index < families_.index_end(); ++index) {
    if (!families_.live(index)) continue;
    const MetricMetadata& metadata = *families_.value(index).metadata;
    if (!metric.empty() && metadata.family != metric) continue;
    // A family seen only through its samples has no metadata in Prometheus's
    // scrape cache; the parser reports it as unknown without HELP or UNIT.
    if (metadata.type == MetricType::unknown && metadata.help.empty() && metadata.unit.empty()) {
      continue;
    }
    declared.push_back(metadata);
  }
  std::sort(declared.begin(), declared.end(),
            [](const MetricMetadata& a, const MetricMetadata& b) { return a.family < b.family; });
  return declared;
}

uint64_t ScrapeLoop::append_staleness(Appender& appender, int64_t t_ms, bool scrape_succeeded) {
  // A series was live if the previous scrape committed it. Two byte spellings of
  // one series (labels in another order) share a ref: such a ref seen now is live.
  candidates_.clear();
  for (uint32_t index = 0; index < cache_.index_end(); ++index) {
    if (!cache_.live(index)) continue;
    CacheEntry& entry = cache_.value(index);
    if (!entry.labels) {  // dropped by metric relabeling: never stored, never stale
      if (scrape_succeeded && entry.seen_iteration + kCacheEvictAfterScrapes < iteration_) {
        cache_.erase(index);
      }
      continue;
    }
    bool seen_now = scrape_succeeded && entry.seen_iteration == iteration_;
    if (seen_now) {
      entry.committed_iteration = iteration_;
    } else if (entry.committed_iteration == iteration_ - 1 && entry.committed_iteration != 0 &&
               !entry.explicit_timestamp) {
      candidates_.push_back(index);
    } else if (scrape_succeeded &&
               entry.committed_iteration + kCacheEvictAfterScrapes < iteration_ &&
               entry.seen_iteration + kCacheEvictAfterScrapes < iteration_) {
      cache_.erase(index);
    }
  }
  if (candidates_.empty()) return 0;

  std::unordered_set<SeriesRef> live_refs;
  if (scrape_succeeded) {
    for (uint32_t index = 0; index < cache_.index_end(); ++index) {
      if (cache_.live(index) && cache_.value(index).labels &&
          cache_.value(index).seen_iteration == iteration_) {
        live_refs.insert(cache_.value(index).ref);
      }
    }
  }
  uint64_t markers = 0;
  for (uint32_t index : candidates_) {
    CacheEntry& entry = cache_.value(index);
    if (live_refs.contains(entry.ref)) continue;
    auto result = appender.append_shared(entry.ref, entry.labels, t_ms, stale_nan());
    entry.ref = result.ref;
    if (result.error == AppendError::none) ++markers;
  }
  return markers;
}

void ScrapeLoop::append_report(Appender& appender, int64_t t_ms, bool up, double duration_seconds,
                               const ScrapeReport& report) {
  const std::array<double, 5> values = {
      up ? 1.0 : 0.0, duration_seconds, static_cast<double>(report.samples_scraped),
      static_cast<double>(report.samples_kept), static_cast<double>(report.series_added)};
  for (size_t i = 0; i < kReportSeries.size(); ++i) {
    CacheEntry& entry = report_series_[i];
    if (!entry.labels) {
      entry.labels = SharedLabels(
          LabelsBuilder(target_.labels()).set(kMetricNameLabel, kReportSeries[i].name).labels());
    }
    auto result = appender.append_shared(entry.ref, entry.labels, t_ms, values[i]);
    if (entry.ref != result.ref) {
      entry.ref = result.ref;
      appender.update_metadata(entry.ref,
                               MetricMetadata{std::string(kReportSeries[i].name), MetricType::gauge,
                                              std::string(kReportSeries[i].help), ""});
    }
    entry.committed_iteration = iteration_;
  }
}

void ScrapeLoop::mark_all_stale(int64_t t_ms) {
  auto appender = storage_.appender();
  for (uint32_t index = 0; index < cache_.index_end(); ++index) {
    if (!cache_.live(index)) continue;
    CacheEntry& entry = cache_.value(index);
    if (!entry.labels) continue;
    if (entry.committed_iteration == 0 || entry.committed_iteration != iteration_ ||
        entry.explicit_timestamp) {
      continue;
    }
    entry.ref = appender->append_shared(entry.ref, entry.labels, t_ms, stale_nan()).ref;
  }
  for (CacheEntry& entry : report_series_) {
    if (entry.committed_iteration == 0 || entry.explicit_timestamp) continue;
    entry.ref = appender->append_shared(entry.ref, entry.labels, t_ms, stale_nan()).ref;
  }
  (void)appender->commit();
}

}  // namespace mc
