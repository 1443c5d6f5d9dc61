#include "collector/scrape/scrape_loop.hpp"

#include <array>
#include <unordered_set>

#include <fmt/format.h>

#include "collector/scrape/sample_labels.hpp"
#include "common/exposition/parser.hpp"
#include "common/model/sample_value.hpp"

namespace mc {

namespace {

// Entries unseen for this many scrapes leave the cache (their series stay in
// the store), so a target that churns series does not grow the cache forever.
constexpr uint64_t kCacheEvictAfterScrapes = 10;

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
  SampleAppendingHandler(ScrapeLoop& loop, Appender& appender, int64_t scrape_time_ms)
      : loop_(loop), appender_(appender), scrape_time_ms_(scrape_time_ms) {}

  void on_family(const FamilyView& view) override { current_family_ = &family_state(view); }

  void on_sample(const SampleView& sample) override {
    ++report_.samples_scraped;
    if (current_family_ == nullptr || current_family_->metadata.family != sample.family) {
      current_family_ = &family_state(FamilyView{sample.family, sample.type, std::nullopt, {}});
    }
    auto it = loop_.cache_.find(sample.series_id);
    if (it == loop_.cache_.end()) {
      CacheEntry entry;
      entry.labels = build_sample_labels(sample.name, sample.labels, loop_.target_.labels(),
                                         loop_.honor_labels_);
      it = loop_.cache_.emplace(std::string(sample.series_id), std::move(entry)).first;
      ++report_.series_added;
    }
    CacheEntry& entry = it->second;
    bool use_own_timestamp = loop_.honor_timestamps_ && sample.timestamp_ms.has_value();
    int64_t t_ms = use_own_timestamp ? *sample.timestamp_ms : scrape_time_ms_;
    entry.explicit_timestamp = use_own_timestamp;
    entry.seen_iteration = loop_.iteration_;

    AppendResult result = appender_.append(entry.ref, entry.labels, t_ms, sample.value);
    entry.ref = result.ref;
    if (result.error == AppendError::out_of_order) ++report_.out_of_order;
    if (result.error == AppendError::duplicate_timestamp) ++report_.duplicate_timestamp;

    if (entry.family != current_family_ || entry.family_version != current_family_->version) {
      appender_.update_metadata(entry.ref, current_family_->metadata);
      entry.family = current_family_;
      entry.family_version = current_family_->version;
    }
  }

  ScrapeReport& report() { return report_; }

 private:
  FamilyState& family_state(const FamilyView& view) {
    auto it = loop_.families_.find(view.name);
    if (it == loop_.families_.end()) {
      FamilyState state;
      state.metadata.family = std::string(view.name);
      state.metadata.type = view.type;
      state.metadata.help = std::string(view.help.value_or(""));
      state.metadata.unit = std::string(view.unit);
      return loop_.families_.emplace(std::string(view.name), std::move(state)).first->second;
    }
    FamilyState& state = it->second;
    auto help = view.help.value_or("");
    if (state.metadata.type != view.type || state.metadata.help != help ||
        state.metadata.unit != view.unit) {
      state.metadata.type = view.type;
      state.metadata.help = std::string(help);
      state.metadata.unit = std::string(view.unit);
      ++state.version;
    }
    return state;
  }

  ScrapeLoop& loop_;
  Appender& appender_;
  int64_t scrape_time_ms_;
  FamilyState* current_family_ = nullptr;
  ScrapeReport report_;
};

ScrapeLoop::ScrapeLoop(ScrapeTarget target, const ScrapeConfig& job, Storage& storage)
    : target_(std::move(target)),
      honor_labels_(job.honor_labels),
      honor_timestamps_(job.honor_timestamps),
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
    SampleAppendingHandler handler(*this, *appender, scrape_time_ms);
    Status parsed =
        parse_exposition(response.body, format_from_content_type(response.content_type), handler);
    report = handler.report();
    if (parsed.is_ok()) {
      report.stale_markers = append_staleness(*appender, scrape_time_ms, true);
      append_report(*appender, scrape_time_ms, true, duration_seconds, report.samples_scraped,
                    report.series_added);
      Status committed = appender->commit();
      if (committed.is_ok()) {
        report.up = true;
        return report;
      }
      failure = Status::error(fmt::format("store commit failed: {}", committed.message()));
      reason = "store";
    } else {
      appender->rollback();
      failure = parsed;
      reason = "parse";
    }
  }

  // The scrape failed: nothing it parsed is kept; every series the target had
  // goes stale and up says 0.
  report.up = false;
  report.error = failure.message();
  report.failure_reason = reason.empty() ? "other" : reason;
  auto appender = storage_.appender();
  report.stale_markers = append_staleness(*appender, scrape_time_ms, false);
  append_report(*appender, scrape_time_ms, false, duration_seconds, report.samples_scraped,
                report.series_added);
  if (Status committed = appender->commit(); !committed.is_ok()) {
    report.error +=
        fmt::format("; store commit of the failure report failed: {}", committed.message());
  }
  return report;
}

uint64_t ScrapeLoop::append_staleness(Appender& appender, int64_t t_ms, bool scrape_succeeded) {
  // A series was live if the previous scrape committed it. Two byte spellings of
  // one series (labels in another order) share a ref: such a ref seen now is live.
  std::vector<CacheEntry*> candidates;
  for (auto it = cache_.begin(); it != cache_.end();) {
    CacheEntry& entry = it->second;
    bool seen_now = scrape_succeeded && entry.seen_iteration == iteration_;
    if (seen_now) {
      entry.committed_iteration = iteration_;
    } else if (entry.committed_iteration == iteration_ - 1 && entry.committed_iteration != 0 &&
               !entry.explicit_timestamp) {
      candidates.push_back(&entry);
    } else if (scrape_succeeded &&
               entry.committed_iteration + kCacheEvictAfterScrapes < iteration_ &&
               entry.seen_iteration + kCacheEvictAfterScrapes < iteration_) {
      it = cache_.erase(it);
      continue;
    }
    ++it;
  }
  if (candidates.empty()) return 0;

  std::unordered_set<SeriesRef> live_refs;
  if (scrape_succeeded) {
    for (const auto& [id, entry] : cache_) {
      if (entry.seen_iteration == iteration_) live_refs.insert(entry.ref);
    }
  }
  uint64_t markers = 0;
  for (CacheEntry* entry : candidates) {
    if (live_refs.contains(entry->ref)) continue;
    auto result = appender.append(entry->ref, entry->labels, t_ms, stale_nan());
    entry->ref = result.ref;
    if (result.error == AppendError::none) ++markers;
  }
  return markers;
}

void ScrapeLoop::append_report(Appender& appender, int64_t t_ms, bool up, double duration_seconds,
                               uint64_t samples_scraped, uint64_t series_added) {
  const std::array<double, 5> values = {
      up ? 1.0 : 0.0, duration_seconds, static_cast<double>(samples_scraped),
      static_cast<double>(samples_scraped), static_cast<double>(series_added)};
  for (size_t i = 0; i < kReportSeries.size(); ++i) {
    auto it = report_cache_.find(kReportSeries[i].name);
    if (it == report_cache_.end()) {
      CacheEntry entry;
      entry.labels =
          LabelsBuilder(target_.labels()).set(kMetricNameLabel, kReportSeries[i].name).labels();
      it = report_cache_.emplace(std::string(kReportSeries[i].name), std::move(entry)).first;
    }
    CacheEntry& entry = it->second;
    auto result = appender.append(entry.ref, entry.labels, t_ms, values[i]);
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
  for (auto* cache : {&cache_, &report_cache_}) {
    for (auto& [id, entry] : *cache) {
      if (entry.committed_iteration == 0 || entry.explicit_timestamp) continue;
      if (cache == &cache_ && entry.committed_iteration != iteration_) continue;
      entry.ref = appender->append(entry.ref, entry.labels, t_ms, stale_nan()).ref;
    }
  }
  (void)appender->commit();
}

}  // namespace mc
