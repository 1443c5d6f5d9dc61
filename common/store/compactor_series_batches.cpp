#include "common/store/compactor_series_batches.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/model/labels.hpp"
#include "common/store/matcher.hpp"

namespace mc {

namespace {

Status visit_all(const std::vector<std::unique_ptr<Series>>& selected,
                 const std::function<Status(const Series&)>& visit) {
  for (const auto& one : selected) {
    if (Status status = visit(*one); !status) return status;
  }
  return Status::ok();
}

// `__name__` equal to one of names[first, end).
Result<Matcher> names_matcher(const std::vector<std::string>& names, size_t first, size_t end) {
  if (end - first == 1) {
    return Matcher::make(Matcher::Kind::equal, std::string(kMetricNameLabel), names[first]);
  }
  std::string alternatives;
  for (size_t i = first; i < end; ++i) {
    if (i > first) alternatives += '|';
    alternatives += RE2::QuoteMeta(names[i]);
  }
  return Matcher::make(Matcher::Kind::regex, std::string(kMetricNameLabel), alternatives);
}

}  // namespace

Status for_each_named_series_in_order(Querier& querier, size_t batch_series,
                                      const std::function<Status(const Series&)>& visit) {
  const std::vector<std::string> label_names = querier.label_names();
  const bool name_sorts_first =
      std::all_of(label_names.begin(), label_names.end(),
                  [](const std::string& name) { return name >= kMetricNameLabel; });
  if (!name_sorts_first) {
    auto named = Matcher::make(Matcher::Kind::regex, std::string(kMetricNameLabel), ".+");
    if (!named) return named.status();
    return visit_all(querier.select({*named}), visit);
  }

  // Sorted as label values compare, so batch after batch is label order.
  const std::vector<std::string> names = querier.label_values(kMetricNameLabel);
  // Names per select, from the series per name the last batch had: families
  // differ (one series for most, hundreds for a histogram's buckets), and
  // neighbours in name order tend to be alike.
  size_t names_per_batch = 1;
  for (size_t first = 0; first < names.size();) {
    const size_t end = std::min(names.size(), first + names_per_batch);
    auto matcher = names_matcher(names, first, end);
    if (!matcher) return matcher.status();
    const std::vector<std::unique_ptr<Series>> selected = querier.select({*matcher});
    if (Status status = visit_all(selected, visit); !status) return status;
    names_per_batch = selected.empty()
                          ? names_per_batch * 2
                          : std::max<size_t>(1, batch_series * (end - first) / selected.size());
    first = end;
  }
  return Status::ok();
}

}  // namespace mc
