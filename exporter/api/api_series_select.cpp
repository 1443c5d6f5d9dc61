#include "exporter/api/api_series_select.hpp"

#include <algorithm>

namespace mc::api {

SelectedSeries select_series(Storage& storage, const std::vector<MatcherSet>& selectors,
                             int64_t start_ms, int64_t end_ms) {
  SelectedSeries selected;
  selected.querier = storage.querier(start_ms, end_ms);
  for (const MatcherSet& matchers : selectors) {
    for (std::unique_ptr<Series>& series : selected.querier->select(matchers)) {
      selected.series.push_back(std::move(series));
    }
  }
  const auto by_labels = [](const std::unique_ptr<Series>& a, const std::unique_ptr<Series>& b) {
    return a->labels() < b->labels();
  };
  std::ranges::stable_sort(selected.series, by_labels);
  const auto same_labels = [](const std::unique_ptr<Series>& a, const std::unique_ptr<Series>& b) {
    return a->labels() == b->labels();
  };
  // std::unique, not std::ranges::unique: the subrange it returns does not
  // compile with clang 14 over libstdc++ 12 (the fuzz build).
  selected.series.erase(std::unique(selected.series.begin(), selected.series.end(), same_labels),
                        selected.series.end());
  return selected;
}

}  // namespace mc::api
