#include "common/store/head_latest_reader.hpp"

#include <memory>
#include <vector>

#include "common/store/head_storage.hpp"

namespace mc {

void HeadLatestReader::for_each_latest(
    int64_t mint_ms, int64_t maxt_ms, const std::function<void(const LatestSample&)>& visit) const {
  struct Copied {
    SharedLabels labels;
    const MetricMetadata* metadata;
    Sample sample;
  };
  // Per stripe, since a stripe that changed layout is read again.
  std::vector<std::vector<Copied>> copied(head_.stripes_.size());
  head_.read_series_in_steps(
      [&](size_t stripe) { copied[stripe].clear(); },
      [&](size_t stripe, const HeadSeries& series) {
        if (!series.has_samples()) return;
        const Sample newest = series.newest();
        if (newest.t_ms < mint_ms || newest.t_ms > maxt_ms) return;
        copied[stripe].push_back(Copied{series.shared_labels(), series.metadata(), newest});
      });
  for (const auto& stripe : copied) {
    for (const auto& latest : stripe) {
      visit(LatestSample{*latest.labels, latest.metadata, latest.sample, latest.labels});
    }
  }
}

void HeadLatestReader::for_each_latest_in_place(
    int64_t mint_ms, int64_t maxt_ms,
    const std::function<void(const LatestSampleInPlace&)>& visit) const {
  // A stripe whose layout changed mid-read is read again from its start; the
  // visitor drops the repeats (the copying reader drops its copies instead).
  head_.read_series_in_steps(
      [](size_t) {},
      [&](size_t, const HeadSeries& series) {
        if (!series.has_samples()) return;
        const Sample newest = series.newest();
        if (newest.t_ms < mint_ms || newest.t_ms > maxt_ms) return;
        visit(LatestSampleInPlace{series.shared_labels(), series.metadata(), newest});
      });
}

}  // namespace mc
