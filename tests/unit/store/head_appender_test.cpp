// HeadAppender through HeadStorage: batch visibility, ordering rules, refs and
// metadata.
#include "common/store/head_appender.hpp"

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "common/store/head_storage.hpp"

using mc::AppendError;
using mc::HeadStorage;
using mc::Labels;
using mc::Sample;

namespace {

Labels series_labels(std::string name, std::string job = "api") {
  return Labels{{"__name__", std::move(name)}, {"job", std::move(job)}};
}

// All committed samples of the series with `labels` over all time.
std::vector<Sample> samples_of(HeadStorage& head, const Labels& labels) {
  auto querier = head.querier(INT64_MIN, INT64_MAX);
  std::vector<Sample> out;
  for (const auto& series : querier->select({})) {
    if (series->labels() != labels) continue;
    auto it = series->iterator();
    while (it->next()) out.push_back(it->at());
    REQUIRE(it->status().is_ok());
  }
  return out;
}

size_t visible_series(HeadStorage& head) {
  return head.querier(INT64_MIN, INT64_MAX)->select({}).size();
}

}  // namespace

TEST_CASE("appended samples are invisible until commit", "[store][head][appender]") {
  HeadStorage head;
  const auto up = series_labels("up");
  auto appender = head.appender();
  const auto result = appender->append(0, up, 1000, 1);
  REQUIRE(result.error == AppendError::none);
  REQUIRE(result.ref != 0);
  REQUIRE(visible_series(head) == 0);
  REQUIRE(head.stats().series == 0);
  REQUIRE(head.querier(INT64_MIN, INT64_MAX)->label_names().empty());
  int latest = 0;
  head.latest_samples().for_each_latest(INT64_MIN, INT64_MAX, [&](const auto&) { ++latest; });
  REQUIRE(latest == 0);

  REQUIRE(appender->commit().is_ok());
  REQUIRE(samples_of(head, up).size() == 1);
  REQUIRE(head.stats().series == 1);
  REQUIRE(head.stats().samples_appended == 1);
}

TEST_CASE("rollback drops the batch and a series that never committed stays invisible",
          "[store][head][appender]") {
  HeadStorage head;
  auto appender = head.appender();
  appender->append(0, series_labels("up"), 1000, 1);
  appender->append(0, series_labels("other"), 1000, 1);
  appender->rollback();
  REQUIRE(visible_series(head) == 0);
  REQUIRE(head.stats().samples_appended == 0);

  // The appender is reusable after a rollback.
  appender->append(0, series_labels("up"), 2000, 2);
  REQUIRE(appender->commit().is_ok());
  REQUIRE(samples_of(head, series_labels("up")).size() == 1);
  REQUIRE(visible_series(head) == 1);
}

TEST_CASE("destroying an appender without commit rolls it back", "[store][head][appender]") {
  HeadStorage head;
  {
    auto appender = head.appender();
    appender->append(0, series_labels("up"), 1000, 1);
  }
  REQUIRE(visible_series(head) == 0);
  REQUIRE(head.truncate(INT64_MIN) == 1);  // no pin left behind
}

TEST_CASE("ordering rules within one batch", "[store][head][appender]") {
  HeadStorage head;
  const auto up = series_labels("up");
  auto appender = head.appender();
  const auto ref = appender->append(0, up, 2000, 1).ref;
  REQUIRE(appender->append(ref, {}, 1000, 1).error == AppendError::out_of_order);
  REQUIRE(appender->append(ref, {}, 2000, 5).error == AppendError::duplicate_timestamp);
  REQUIRE(appender->append(ref, {}, 2000, 1).error == AppendError::none);  // same bits
  // StaleNaN and an ordinary NaN differ in bits: a duplicate, not the same sample.
  REQUIRE(appender->append(ref, {}, 3000, mc::stale_nan()).error == AppendError::none);
  REQUIRE(appender->append(ref, {}, 3000, std::nan("")).error == AppendError::duplicate_timestamp);
  REQUIRE(appender->append(ref, {}, 3000, mc::stale_nan()).error == AppendError::none);
  REQUIRE(appender->commit().is_ok());

  const auto samples = samples_of(head, up);
  REQUIRE(samples.size() == 2);  // 2000 once, 3000 once
  REQUIRE(samples[0].t_ms == 2000);
  REQUIRE(mc::is_stale_nan(samples[1].v));
  const auto stats = head.stats();
  REQUIRE(stats.out_of_order == 1);
  REQUIRE(stats.duplicate_timestamp == 2);
  REQUIRE(stats.samples_appended == 2);
}

TEST_CASE("ordering rules across batches", "[store][head][appender]") {
  HeadStorage head;
  const auto up = series_labels("up");
  auto first = head.appender();
  const auto ref = first->append(0, up, 2000, 1).ref;
  REQUIRE(first->commit().is_ok());

  auto second = head.appender();
  REQUIRE(second->append(ref, {}, 1999, 1).error == AppendError::out_of_order);
  REQUIRE(second->append(ref, {}, 2000, 2).error == AppendError::duplicate_timestamp);
  REQUIRE(second->append(ref, {}, 2000, 1).error == AppendError::none);
  REQUIRE(second->append(ref, {}, 2001, 1).error == AppendError::none);
  REQUIRE(second->commit().is_ok());
  REQUIRE(samples_of(head, up).size() == 2);
}

TEST_CASE("commit re-checks order against batches committed meanwhile", "[store][head][appender]") {
  HeadStorage head;
  const auto up = series_labels("up");
  auto slow = head.appender();
  auto fast = head.appender();
  REQUIRE(slow->append(0, up, 2000, 1).error == AppendError::none);
  REQUIRE(slow->append(0, series_labels("other"), 2000, 1).error == AppendError::none);
  REQUIRE(fast->append(0, up, 3000, 2).error == AppendError::none);
  REQUIRE(fast->commit().is_ok());
  REQUIRE(slow->commit().is_ok());  // its sample for `up` is now too old

  const auto samples = samples_of(head, up);
  REQUIRE(samples.size() == 1);
  REQUIRE(samples[0].t_ms == 3000);
  REQUIRE(samples_of(head, series_labels("other")).size() == 1);
  REQUIRE(head.stats().out_of_order == 1);
  REQUIRE(head.stats().samples_appended == 2);
}

TEST_CASE("refs are stable per series and distinct between series", "[store][head][appender]") {
  HeadStorage head;
  auto appender = head.appender();
  const auto a = appender->append(0, series_labels("a"), 1000, 1).ref;
  const auto b = appender->append(0, series_labels("b"), 1000, 1).ref;
  REQUIRE(a != 0);
  REQUIRE(b != 0);
  REQUIRE(a != b);
  REQUIRE(appender->append(0, series_labels("a"), 2000, 1).ref == a);
  REQUIRE(appender->append(a, {}, 3000, 1).ref == a);
  // With a ref the labels are not looked at.
  REQUIRE(appender->append(a, series_labels("ignored"), 4000, 1).ref == a);
  REQUIRE(appender->commit().is_ok());

  auto later = head.appender();
  REQUIRE(later->append(0, series_labels("a"), 5000, 1).ref == a);
  REQUIRE(later->append(b, {}, 5000, 1).ref == b);
  REQUIRE(later->commit().is_ok());
  REQUIRE(samples_of(head, series_labels("a")).size() == 5);
  REQUIRE(samples_of(head, series_labels("ignored")).empty());
}

TEST_CASE("an unknown ref falls back to the labels, or is rejected without them",
          "[store][head][appender]") {
  HeadStorage head;
  auto appender = head.appender();
  const mc::SeriesRef never_issued = 0xdead0;
  const auto rejected = appender->append(never_issued, {}, 1000, 1);
  REQUIRE(rejected.error == AppendError::unknown_series);
  REQUIRE(rejected.ref == 0);
  const auto by_labels = appender->append(never_issued, series_labels("up"), 1000, 1);
  REQUIRE(by_labels.error == AppendError::none);
  REQUIRE(by_labels.ref != never_issued);
  REQUIRE(appender->commit().is_ok());
  REQUIRE(head.stats().unknown_series == 1);
  REQUIRE(samples_of(head, series_labels("up")).size() == 1);
}

TEST_CASE("metadata is applied at commit and shared between series", "[store][head][appender]") {
  HeadStorage head;
  const mc::MetricMetadata metadata{"http_requests", mc::MetricType::counter, "Requests.", ""};
  auto appender = head.appender();
  const auto a = appender->append(0, series_labels("http_requests_total", "a"), 1000, 1).ref;
  const auto b = appender->append(0, series_labels("http_requests_total", "b"), 1000, 1).ref;
  appender->update_metadata(a, metadata);
  appender->update_metadata(b, mc::MetricMetadata(metadata));
  appender->update_metadata(0, metadata);  // no series: ignored

  auto count_metadata = [&] {
    std::vector<const mc::MetricMetadata*> seen;
    head.latest_samples().for_each_latest(
        INT64_MIN, INT64_MAX,
        [&](const mc::LatestSample& latest) { seen.push_back(latest.metadata); });
    return seen;
  };
  REQUIRE(count_metadata().empty());
  REQUIRE(appender->commit().is_ok());
  const auto seen = count_metadata();
  REQUIRE(seen.size() == 2);
  REQUIRE(seen[0] != nullptr);
  REQUIRE(seen[0] == seen[1]);  // one interned copy
  REQUIRE(*seen[0] == metadata);

  // A rolled-back metadata change does not apply.
  auto changed = head.appender();
  mc::MetricMetadata other = metadata;
  other.help = "Changed.";
  changed->update_metadata(a, other);
  changed->rollback();
  for (const auto* m : count_metadata()) REQUIRE(m->help == "Requests.");
}

TEST_CASE("one batch may hold many series across all stripes", "[store][head][appender]") {
  HeadStorage head;
  auto appender = head.appender();
  std::vector<mc::SeriesRef> refs;
  for (int i = 0; i < 1000; ++i) {
    refs.push_back(appender->append(0, series_labels("s" + std::to_string(i)), 1000, i).ref);
  }
  for (int i = 0; i < 1000; ++i) {
    REQUIRE(appender->append(refs[static_cast<size_t>(i)], {}, 2000, i + 1).error ==
            AppendError::none);
  }
  REQUIRE(appender->commit().is_ok());
  REQUIRE(head.stats().series == 1000);
  REQUIRE(head.stats().samples == 2000);
  const auto samples = samples_of(head, series_labels("s999"));
  REQUIRE(samples.size() == 2);
  REQUIRE(samples[1].v == 1000);
}

TEST_CASE(
    "append_shared: a created series shares the caller's labels, an existing one keeps its own",
    "[store][head][appender]") {
  HeadStorage head;
  auto shared = mc::SharedLabels(series_labels("shared_metric"));
  {
    auto appender = head.appender();
    REQUIRE(appender->append_shared(0, shared, 1000, 1).error == AppendError::none);
    REQUIRE(appender->commit().is_ok());
  }
  // A second, equal label set finds the same series and is not taken.
  auto equal = mc::SharedLabels(series_labels("shared_metric"));
  {
    auto appender = head.appender();
    REQUIRE(appender->append_shared(0, equal, 2000, 2).error == AppendError::none);
    REQUIRE(appender->commit().is_ok());
  }
  std::vector<const void*> held;
  head.latest_samples().for_each_latest(INT64_MIN, INT64_MAX, [&](const mc::LatestSample& latest) {
    held.push_back(latest.shared_labels.identity());
  });
  REQUIRE(held.size() == 1);
  CHECK(held[0] == shared.identity());
  CHECK(equal.use_count() == 1);
  CHECK(samples_of(head, *shared) == std::vector<Sample>{{1000, 1}, {2000, 2}});
}

TEST_CASE("a new appender reuses an earlier one's buffers without its batch",
          "[store][head][appender]") {
  HeadStorage head;
  // Grows the buffers (slots, ref table) past their first size, then hands
  // them back to the head.
  std::vector<mc::SeriesRef> refs;
  {
    auto appender = head.appender();
    for (int i = 0; i < 500; ++i) {
      refs.push_back(appender->append(0, series_labels("m" + std::to_string(i)), 1000, i).ref);
    }
    REQUIRE(appender->commit().is_ok());
  }
  {
    // Rolled back by its destructor: its pending samples must not reach the next.
    auto appender = head.appender();
    for (int i = 0; i < 300; ++i) {
      REQUIRE(appender->append(refs[i], Labels{}, 2000, -1).error == AppendError::none);
    }
  }
  {
    // Refs of the first batch are not in this one: each resolves to its own
    // series, not to a slot a reused ref table still points at.
    auto appender = head.appender();
    REQUIRE(appender->append(refs[7], Labels{}, 3000, 70).error == AppendError::none);
    REQUIRE(appender->append(refs[400], Labels{}, 3000, 4000).error == AppendError::none);
    REQUIRE(appender->commit().is_ok());
  }
  REQUIRE(head.stats().samples_appended == 502);
  REQUIRE(samples_of(head, series_labels("m7")) == std::vector<Sample>{{1000, 7}, {3000, 70}});
  REQUIRE(samples_of(head, series_labels("m400")) ==
          std::vector<Sample>{{1000, 400}, {3000, 4000}});
  REQUIRE(samples_of(head, series_labels("m8")) == std::vector<Sample>{{1000, 8}});
  // No series stayed pinned by a reused slot: truncate removes them all.
  REQUIRE(head.truncate(4000) == 500);
}
