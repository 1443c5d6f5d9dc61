#include <catch2/catch.hpp>
#include <map>

#include "common/store/commit_log.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/store_reading.hpp"

namespace mc {
namespace {

// Keeps what the head logs, as a write-ahead log would, so that a second head
// can be restored from it.
class RecordingLog final : public CommitLog {
 public:
  Status log_commit(const CommitBatch& batch) override {
    if (fail_next) {
      fail_next = false;
      return Status::error("disk full");
    }
    ++commits;
    for (const auto& series : batch.series) series_records.emplace_back(series.ref, *series.labels);
    for (const auto& metadata : batch.metadata) {
      metadata_records.emplace_back(metadata.ref, *metadata.metadata);
    }
    samples.insert(samples.end(), batch.samples.begin(), batch.samples.end());
    return Status::ok();
  }

  void restore_into(HeadStorage& head) const {
    std::map<SeriesRef, SeriesRef> restored;
    for (const auto& [ref, labels] : series_records)
      restored[ref] = head.restore_series(ref, labels);
    for (const auto& [ref, metadata] : metadata_records)
      head.restore_metadata(restored[ref], metadata);
    for (const auto& sample : samples)
      head.restore_sample(restored[sample.ref], sample.t_ms, sample.v);
  }

  bool fail_next = false;
  int commits = 0;
  std::vector<std::pair<SeriesRef, Labels>> series_records;
  std::vector<std::pair<SeriesRef, MetricMetadata>> metadata_records;
  std::vector<LoggedSample> samples;
};

const Labels kUp{{"__name__", "up"}, {"job", "a"}};
const Labels kTemperature{{"__name__", "temperature"}, {"job", "a"}};

TEST_CASE("The head logs a series once, before its samples, and metadata only when it changes") {
  HeadStorage head;
  RecordingLog log;
  head.set_commit_log(&log);
  const MetricMetadata gauge{"temperature", MetricType::gauge, "Degrees.", ""};

  auto appender = head.appender();
  const SeriesRef up = appender->append(0, kUp, 1000, 1).ref;
  const SeriesRef temperature = appender->append(0, kTemperature, 1000, 21.5).ref;
  appender->update_metadata(temperature, gauge);
  REQUIRE(appender->commit());
  REQUIRE(log.series_records.size() == 2);
  REQUIRE(log.metadata_records.size() == 1);
  REQUIRE(log.samples.size() == 2);

  appender->append(up, {}, 2000, 1);
  appender->append(temperature, {}, 2000, 21.75);
  appender->update_metadata(temperature, gauge);
  REQUIRE(appender->commit());
  CHECK(log.series_records.size() == 2);
  CHECK(log.metadata_records.size() == 1);
  CHECK(log.samples.size() == 4);
  CHECK(log.commits == 2);
}

TEST_CASE("A commit the log refuses is rolled back, and its new series are logged by the next") {
  HeadStorage head;
  RecordingLog log;
  head.set_commit_log(&log);
  auto appender = head.appender();
  appender->append(0, kUp, 1000, 1);
  log.fail_next = true;
  const Status failed = appender->commit();
  REQUIRE_FALSE(failed);
  CHECK(failed.message() == "disk full");
  CHECK(test::samples_of(head, kUp).empty());

  appender->append(0, kUp, 2000, 1);
  REQUIRE(appender->commit());
  REQUIRE(log.series_records.size() == 1);
  CHECK(log.series_records[0].second == kUp);
  CHECK(test::samples_of(head, kUp).size() == 1);
}

TEST_CASE("A head restored from the log holds the same series, refs, metadata and samples") {
  HeadStorage original;
  RecordingLog log;
  original.set_commit_log(&log);
  const MetricMetadata counter{"requests", MetricType::counter, "Requests.", ""};
  const Labels requests{{"__name__", "requests_total"}, {"job", "a"}};
  auto appender = original.appender();
  SeriesRef ref = 0;
  for (int i = 0; i < 300; ++i) {
    ref = appender->append(ref, requests, 1000 * i, i * 2.5).ref;
    appender->update_metadata(ref, counter);
    appender->append(0, kUp, 1000 * i, i % 2);
    REQUIRE(appender->commit());
  }

  HeadStorage restored;
  log.restore_into(restored);
  CHECK(test::samples_of(restored, requests) == test::samples_of(original, requests));
  CHECK(test::samples_of(restored, kUp) == test::samples_of(original, kUp));
  // The restored ref still names the series, and new series never reuse it.
  auto next = restored.appender();
  CHECK(next->append(ref, {}, 300'000, 750).ref == ref);
  const SeriesRef other = next->append(0, kTemperature, 300'000, 1).ref;
  CHECK(other != ref);
  REQUIRE(next->commit());
  int with_metadata = 0;
  restored.latest_samples().for_each_latest(0, 400'000, [&](const LatestSample& latest) {
    if (latest.labels == requests) {
      REQUIRE(latest.metadata != nullptr);
      CHECK(*latest.metadata == counter);
      ++with_metadata;
    }
  });
  CHECK(with_metadata == 1);
}

TEST_CASE("Restoring a series logged twice maps the second ref to the first") {
  HeadStorage head;
  const SeriesRef first = head.restore_series((5 << 4) | (kUp.hash() & 15), kUp);
  const SeriesRef again = head.restore_series((9 << 4) | (kUp.hash() & 15), kUp);
  CHECK(again == first);
  CHECK(head.restore_sample(first, 1000, 1));
  CHECK_FALSE(head.restore_sample(first, 1000, 1));  // logged twice: not stored twice
  CHECK_FALSE(head.restore_sample(12345 << 4, 1000, 1));
  // A ref that does not name the labels' stripe gets one that does.
  const SeriesRef moved =
      head.restore_series((7 << 4) | ((kTemperature.hash() + 1) & 15), kTemperature);
  CHECK((moved & 15) == (kTemperature.hash() & 15));
}

}  // namespace
}  // namespace mc
