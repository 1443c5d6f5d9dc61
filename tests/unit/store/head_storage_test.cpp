// HeadStorage: chunk sealing, truncation, stats and memory, and concurrent
// appenders with a concurrent reader (meant to run under TSan too).
#include "common/store/head_storage.hpp"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using mc::AppendError;
using mc::HeadOptions;
using mc::HeadStorage;
using mc::Labels;
using mc::Sample;

namespace {

const Labels kUp{{"__name__", "up"}, {"job", "api"}};

void append_range(HeadStorage& head, const Labels& labels, int64_t from, int64_t to, int64_t step) {
  auto appender = head.appender();
  mc::SeriesRef ref = 0;
  for (int64_t t = from; t <= to; t += step) {
    const auto result = appender->append(ref, labels, t, static_cast<double>(t));
    REQUIRE(result.error == AppendError::none);
    ref = result.ref;
  }
  REQUIRE(appender->commit().is_ok());
}

std::vector<Sample> all_samples(HeadStorage& head, const Labels& labels) {
  std::vector<Sample> out;
  for (const auto& series : head.querier(INT64_MIN, INT64_MAX)->select({})) {
    if (series->labels() != labels) continue;
    auto it = series->iterator();
    while (it->next()) out.push_back(it->at());
    REQUIRE(it->status().is_ok());
  }
  return out;
}

}  // namespace

TEST_CASE("a chunk is sealed after 120 samples", "[store][head]") {
  HeadStorage head(HeadOptions{.stagger_chunk_seals = false});
  append_range(head, kUp, 1, 250, 1);
  const auto stats = head.stats();
  REQUIRE(stats.series == 1);
  REQUIRE(stats.samples == 250);
  REQUIRE(stats.chunks == 3);  // 120 + 120 + 10
  REQUIRE(stats.chunk_bytes > 0);
  const auto samples = all_samples(head, kUp);
  REQUIRE(samples.size() == 250);
  for (size_t i = 0; i < samples.size(); ++i)
    REQUIRE(samples[i].t_ms == static_cast<int64_t>(i) + 1);
}

// Series a daemon starts in the same second would otherwise seal their
// chunks in the same second every 120 scrapes, and the open chunks' memory
// would rise and fall together (bench/soak/README.md).
TEST_CASE("series started together seal their chunks out of step", "[store][head]") {
  constexpr int kSeries = 1000;
  constexpr int kRounds = 600;
  for (const bool staggered : {false, true}) {
    INFO("staggered " << staggered);
    HeadStorage head(HeadOptions{.stagger_chunk_seals = staggered});
    std::vector<mc::SeriesRef> refs(kSeries, 0);
    int64_t chunks_before = 0;
    int64_t most_sealed_in_a_round = 0;
    for (int64_t t = 1; t <= kRounds; ++t) {
      auto appender = head.appender();
      for (int s = 0; s < kSeries; ++s) {
        const Labels labels{{"__name__", "x"}, {"series", std::to_string(s)}};
        const auto result = appender->append(refs[s], labels, t, static_cast<double>(t * s));
        REQUIRE(result.error == AppendError::none);
        refs[s] = result.ref;
      }
      REQUIRE(appender->commit().is_ok());
      const int64_t chunks = head.stats().chunks;
      if (t > 1) most_sealed_in_a_round = std::max(most_sealed_in_a_round, chunks - chunks_before);
      chunks_before = chunks;
    }
    if (staggered) {
      // About 1000 / 120 a round; no round seals more than a few times that.
      CHECK(most_sealed_in_a_round <= 40);
      // A first chunk of 1 to 120 samples, then 120 each: 5 or 6 chunks.
      CHECK(head.stats().chunks >= 5 * kSeries);
      CHECK(head.stats().chunks <= 6 * kSeries);
    } else {
      CHECK(most_sealed_in_a_round == kSeries);
      CHECK(head.stats().chunks == 5 * kSeries);
    }
    const Labels last{{"__name__", "x"}, {"series", std::to_string(kSeries - 1)}};
    const auto samples = all_samples(head, last);
    REQUIRE(samples.size() == kRounds);
    for (size_t i = 0; i < samples.size(); ++i) {
      REQUIRE(samples[i].t_ms == static_cast<int64_t>(i) + 1);
      REQUIRE(samples[i].v == static_cast<double>((static_cast<int64_t>(i) + 1) * (kSeries - 1)));
    }
  }
}

TEST_CASE("no chunk spans a time boundary of chunk_max_duration_ms", "[store][head]") {
  SECTION("the default 2h bound, aligned to 2h") {
    HeadStorage head;
    const int64_t hour = 3'600'000;
    // 1h30, 1h45, then 2h: a new 2h window, though only 2 samples were written.
    append_range(head, kUp, hour + hour / 2, 2 * hour, hour / 4);
    REQUIRE(head.stats().chunks == 2);
    append_range(head, kUp, 2 * hour + 1, 4 * hour - 1, hour / 2);
    REQUIRE(head.stats().chunks == 2);  // still inside [2h, 4h)
    append_range(head, kUp, 4 * hour, 4 * hour, 1);
    REQUIRE(head.stats().chunks == 3);
  }
  SECTION("negative timestamps and a small bound") {
    HeadStorage head(HeadOptions{.chunk_max_duration_ms = 1000});
    append_range(head, kUp, -1500, 1400,
                 100);  // windows [-2000,-1000) [-1000,0) [0,1000) [1000,2000)
    REQUIRE(head.stats().chunks == 4);
    REQUIRE(all_samples(head, kUp).size() == 30);
  }
  SECTION("jumps to the ends of the int64 range") {
    HeadStorage head;
    auto appender = head.appender();
    const auto ref = appender->append(0, kUp, INT64_MIN, 1).ref;
    appender->append(ref, {}, INT64_MIN + 1, 2);
    appender->append(ref, {}, 0, 3);
    appender->append(ref, {}, INT64_MAX - 1, 4);
    appender->append(ref, {}, INT64_MAX, 5);
    REQUIRE(appender->commit().is_ok());
    const auto samples = all_samples(head, kUp);
    REQUIRE(samples.size() == 5);
    REQUIRE(samples.front().t_ms == INT64_MIN);
    REQUIRE(samples.back().t_ms == INT64_MAX);
    REQUIRE(head.stats().chunks == 3);
  }
}

TEST_CASE("truncate drops old chunks and series without recent samples", "[store][head]") {
  HeadStorage head(HeadOptions{.chunk_max_samples = 10});
  const Labels old_series{{"__name__", "old"}};
  append_range(head, kUp, 1, 100, 1);  // chunks [1,10] ... [91,100]
  append_range(head, old_series, 1, 5, 1);
  REQUIRE(head.stats().chunks == 11);
  using Range = std::pair<int64_t, int64_t>;
  REQUIRE(head.time_range() == Range{1, 100});

  REQUIRE(head.truncate(35) == 1);               // `old` goes
  REQUIRE(head.time_range() == Range{31, 100});  // the oldest chunk kept starts at 31
  auto stats = head.stats();
  REQUIRE(stats.series == 1);
  REQUIRE(stats.chunks == 7);  // [31,40] is kept: it still holds 35..40
  REQUIRE(stats.samples == 70);
  const auto samples = all_samples(head, kUp);
  REQUIRE(samples.front().t_ms == 31);
  REQUIRE(samples.back().t_ms == 100);

  // The open chunk stays while the series is recent.
  REQUIRE(head.truncate(100) == 0);
  REQUIRE(head.stats().chunks == 1);
  REQUIRE(head.time_range() == Range{91, 100});
  REQUIRE(head.truncate(101) == 1);
  REQUIRE(head.stats().series == 0);
  REQUIRE(head.stats().chunks == 0);
  REQUIRE(head.time_range().first > head.time_range().second);  // empty

  append_range(head, old_series, 200, 210, 5);
  REQUIRE(head.time_range() == Range{200, 210});
}

TEST_CASE("truncate keeps series with uncommitted samples, and stale refs fall back to labels",
          "[store][head]") {
  HeadStorage head;
  append_range(head, kUp, 1, 10, 1);
  auto appender = head.appender();
  const auto ref = appender->append(0, kUp, 11, 11).ref;
  const auto fresh = appender->append(0, Labels{{"__name__", "fresh"}}, 11, 1).ref;
  REQUIRE(head.truncate(1000) == 0);  // both pinned by the open batch
  REQUIRE(appender->commit().is_ok());
  REQUIRE(all_samples(head, kUp).size() == 11);

  REQUIRE(head.truncate(1000) == 2);
  auto later = head.appender();
  const auto stale = later->append(ref, {}, 2000, 1);
  REQUIRE(stale.error == AppendError::unknown_series);
  REQUIRE(stale.ref == 0);
  const auto renewed = later->append(ref, kUp, 2000, 1);
  REQUIRE(renewed.error == AppendError::none);
  REQUIRE(renewed.ref != ref);
  REQUIRE(renewed.ref != fresh);
  later->update_metadata(fresh, mc::MetricMetadata{"fresh", mc::MetricType::gauge, "", ""});
  REQUIRE(later->commit().is_ok());
  REQUIRE(all_samples(head, kUp).size() == 1);
  REQUIRE(head.stats().series == 1);
}

TEST_CASE("memory_bytes grows with series and samples", "[store][head]") {
  HeadStorage head;
  const size_t empty = head.memory_bytes();
  for (int i = 0; i < 100; ++i) {
    append_range(head, Labels{{"__name__", "m"}, {"i", std::to_string(i)}}, 0, 15'000 * 119,
                 15'000);
  }
  const size_t filled = head.memory_bytes();
  REQUIRE(filled > empty);
  const double per_series = static_cast<double>(filled - empty) / 100;
  // Labels, bookkeeping and one chunk of 120 regular samples: well under 2 KiB.
  REQUIRE(per_series > 100);
  REQUIRE(per_series < 2048);
  // Values change by 15000 every sample: about 20 bits each, a bit under 3 bytes.
  REQUIRE(head.stats().chunk_bytes < 100 * 120 * 3);
}

TEST_CASE("concurrent appenders and readers keep every series ordered",
          "[store][head][concurrency]") {
  HeadStorage head(HeadOptions{.chunk_max_samples = 16, .stripe_count = 4});
  constexpr int kWriters = 3;
  constexpr int kBatches = 300;
  constexpr int kSeries = 24;  // every writer writes every series
  std::vector<Labels> labels;
  for (int i = 0; i < kSeries; ++i)
    labels.push_back(Labels{{"__name__", "c"}, {"i", std::to_string(i)}});

  std::atomic<int64_t> clock{1};
  std::atomic<uint64_t> attempts{0};
  std::atomic<bool> writers_done{false};
  std::atomic<bool> reader_started{false};  // so reads overlap the writes
  // Catch2 assertions are not thread-safe: threads count failures, the test
  // thread checks them.
  std::atomic<int> commit_failures{0};
  std::atomic<int> order_violations{0};
  std::atomic<int> decode_errors{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      while (!reader_started.load()) std::this_thread::yield();
      std::vector<mc::SeriesRef> refs(kSeries, 0);
      for (int batch = 0; batch < kBatches; ++batch) {
        auto appender = head.appender();
        const int64_t t = clock.fetch_add(1);
        uint64_t accepted = 0;
        for (int i = 0; i < kSeries; ++i) {
          const auto result = appender->append(refs[i], labels[i], t, w);
          refs[i] = result.ref;
          attempts.fetch_add(1);
          if (result.error == AppendError::none) ++accepted;
        }
        if (batch % 10 == 9) {
          appender->rollback();  // rejections at append() stay counted
          attempts.fetch_sub(accepted);
        } else {
          if (!appender->commit().is_ok()) commit_failures.fetch_add(1);
        }
      }
    });
  }
  std::atomic<int> reads{0};
  std::thread reader([&] {
    reader_started = true;
    for (int round = 0; round < 2000 && (round == 0 || !writers_done.load()); ++round) {
      auto querier = head.querier(INT64_MIN, INT64_MAX);
      for (const auto& series : querier->select({})) {
        auto it = series->iterator();
        int64_t previous = INT64_MIN;
        while (it->next()) {
          if (it->at().t_ms <= previous) order_violations.fetch_add(1);
          previous = it->at().t_ms;
        }
        if (!it->status().is_ok()) decode_errors.fetch_add(1);
      }
      head.latest_samples().for_each_latest(INT64_MIN, INT64_MAX, [](const mc::LatestSample&) {});
      (void)head.stats();
      if (round % 50 == 0) head.truncate(0);  // keeps everything; exercises the locks
      reads.fetch_add(1);
    }
  });
  for (auto& writer : writers) writer.join();
  writers_done = true;
  reader.join();

  REQUIRE(commit_failures.load() == 0);
  REQUIRE(order_violations.load() == 0);
  REQUIRE(decode_errors.load() == 0);
  const auto stats = head.stats();
  REQUIRE(stats.series == kSeries);
  // Timestamps are unique per batch, so every sample is either stored or too old.
  REQUIRE(stats.samples_appended + stats.out_of_order == attempts.load());
  REQUIRE(stats.samples == stats.samples_appended);
  REQUIRE(stats.duplicate_timestamp == 0);
  REQUIRE(reads.load() > 0);
}
