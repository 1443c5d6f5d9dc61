#include "common/query/series_selection.hpp"

#include <utility>

#include "common/query/eval_failure.hpp"

namespace mc::query {
namespace {

Matcher::Kind store_kind(MatchType type) {
  switch (type) {
    case MatchType::Equal:
      return Matcher::Kind::equal;
    case MatchType::NotEqual:
      return Matcher::Kind::not_equal;
    case MatchType::Regex:
      return Matcher::Kind::regex;
    case MatchType::NotRegex:
      break;
  }
  return Matcher::Kind::not_regex;
}

std::vector<Matcher> store_matchers(const std::vector<LabelMatcher>& matchers) {
  std::vector<Matcher> out;
  out.reserve(matchers.size());
  for (const LabelMatcher& matcher : matchers) {
    Result<Matcher> made =
        Matcher::make(store_kind(matcher.type()), matcher.name(), matcher.value());
    // The parser compiled the same regex the same way (anchored_regex.hpp).
    if (!made) fail_evaluation(QueryErrorKind::Internal, made.error());
    out.push_back(std::move(*made));
  }
  return out;
}

}  // namespace

SelectedSeries select_series(EvalContext& ctx, const std::vector<LabelMatcher>& matchers,
                             int64_t mint_ms, int64_t maxt_ms, const ReadHints& hints) {
  ctx.limits.check_deadline();
  SelectedSeries selected;
  selected.querier = ctx.storage.querier(mint_ms, maxt_ms, hints);
  if (!selected.querier) fail_evaluation(QueryErrorKind::Internal, "store has no querier");
  ctx.note_tiers(*selected.querier);
  selected.series = selected.querier->select(store_matchers(matchers));
  return selected;
}

void check_read_status(const Status& status) {
  if (!status.is_ok()) {
    fail_evaluation(QueryErrorKind::Internal, "reading the store: " + status.message());
  }
}

}  // namespace mc::query
