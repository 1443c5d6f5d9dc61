#include "common/query/series_selection.hpp"

#include <algorithm>
#include <utility>

#include "common/query/eval_failure.hpp"

namespace mc::query {
namespace {

bool is_regex(const LabelMatcher& matcher) {
  return matcher.type() == MatchType::Regex || matcher.type() == MatchType::NotRegex;
}

std::vector<Matcher> store_matchers(const std::vector<LabelMatcher>& matchers) {
  std::vector<Matcher> out;
  for (const LabelMatcher& matcher : matchers) {
    if (is_regex(matcher)) continue;
    const auto kind =
        matcher.type() == MatchType::Equal ? Matcher::Kind::equal : Matcher::Kind::not_equal;
    Result<Matcher> made = Matcher::make(kind, matcher.name(), matcher.value());
    // Only regexes can fail to make.
    if (made) out.push_back(std::move(*made));
  }
  return out;
}

bool matches_regexes(const Labels& labels, const std::vector<LabelMatcher>& matchers) {
  return std::all_of(matchers.begin(), matchers.end(), [&](const LabelMatcher& matcher) {
    return !is_regex(matcher) || matcher.matches(labels.get(matcher.name()));
  });
}

}  // namespace

SelectedSeries select_series(EvalContext& ctx, const std::vector<LabelMatcher>& matchers,
                             int64_t mint_ms, int64_t maxt_ms) {
  ctx.limits.check_deadline();
  SelectedSeries selected;
  selected.querier = ctx.storage.querier(mint_ms, maxt_ms);
  if (!selected.querier) fail_evaluation(QueryErrorKind::Internal, "store has no querier");
  selected.series = selected.querier->select(store_matchers(matchers));
  const bool any_regex = std::any_of(matchers.begin(), matchers.end(), is_regex);
  if (any_regex) {
    std::erase_if(selected.series, [&](const std::unique_ptr<Series>& series) {
      return !matches_regexes(series->labels(), matchers);
    });
  }
  return selected;
}

void check_read_status(const Status& status) {
  if (!status.is_ok()) {
    fail_evaluation(QueryErrorKind::Internal, "reading the store: " + status.message());
  }
}

}  // namespace mc::query
