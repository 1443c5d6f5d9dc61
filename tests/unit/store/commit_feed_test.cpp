// CommitFeed through HeadStorage and DiskStorage: several subscribers follow
// committed batches in order, late subscribers and unsubscribing, rolled-back
// and failed batches never delivered, samples overtaken by another appender
// left out, and delivery under concurrent commits matching what the head holds.
#include "common/store/commit_feed.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/store/disk_storage.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/store_reading.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

// A batch as a subscriber copied it.
struct SeenBatch {
  uint64_t sequence = 0;
  std::map<SeriesRef, Labels> series;
  std::vector<std::pair<SeriesRef, MetricMetadata>> metadata;
  std::vector<LoggedSample> samples;
};

class Recorder final : public CommitSubscriber {
 public:
  void on_commit(const CommittedBatch& batch) override {
    SeenBatch seen;
    seen.sequence = batch.sequence;
    for (const auto& series : batch.series) seen.series.emplace(series.ref, *series.labels);
    for (const auto& change : batch.metadata)
      seen.metadata.emplace_back(change.ref, *change.metadata);
    seen.samples.assign(batch.samples.begin(), batch.samples.end());
    std::lock_guard lock(mutex_);
    batches_.push_back(std::move(seen));
  }

  std::vector<SeenBatch> batches() const {
    std::lock_guard lock(mutex_);
    return batches_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<SeenBatch> batches_;
};

class FailingLog final : public CommitLog {
 public:
  Status log_commit(const CommitBatch&) override {
    if (fail_next) {
      fail_next = false;
      return Status::error("disk full");
    }
    ++logged;
    return Status::ok();
  }
  bool fail_next = false;
  int logged = 0;
};

const Labels kUp{{"__name__", "up"}, {"job", "a"}};
const Labels kTemperature{{"__name__", "temperature"}, {"job", "a"}};
const Labels kRequests{{"__name__", "requests_total"}, {"job", "a"}};

void commit_one(Storage& storage, const Labels& labels, int64_t t_ms, double v) {
  auto appender = storage.appender();
  REQUIRE(appender->append(0, labels, t_ms, v).error == AppendError::none);
  REQUIRE(appender->commit());
}

std::vector<uint64_t> sequences(const std::vector<SeenBatch>& batches) {
  std::vector<uint64_t> out;
  for (const auto& batch : batches) out.push_back(batch.sequence);
  return out;
}

}  // namespace

TEST_CASE("commit feed: two subscribers see every batch in order, with labels and metadata",
          "[store][commit_feed]") {
  HeadStorage head;
  Recorder first;
  Recorder second;
  head.commits().subscribe(first);
  head.commits().subscribe(second);
  const MetricMetadata gauge{"temperature", MetricType::gauge, "Degrees.", ""};

  SeriesRef up = 0;
  SeriesRef temperature = 0;
  {
    auto appender = head.appender();
    up = appender->append(0, kUp, 1000, 1).ref;
    temperature = appender->append(0, kTemperature, 1000, 21.5).ref;
    appender->append(up, {}, 2000, 1);
    REQUIRE(appender->commit());
  }
  {
    auto appender = head.appender();
    appender->update_metadata(temperature, gauge);
    appender->append(temperature, {}, 3000, 22);
    REQUIRE(appender->commit());
  }
  {
    auto appender = head.appender();
    appender->update_metadata(temperature, gauge);  // unchanged: not a metadata change
    appender->append(temperature, {}, 4000, 23);
    REQUIRE(appender->commit());
  }

  for (const Recorder* recorder : {&first, &second}) {
    const auto batches = recorder->batches();
    REQUIRE(batches.size() == 3);
    CHECK(sequences(batches) == std::vector<uint64_t>{1, 2, 3});

    CHECK(batches[0].series == std::map<SeriesRef, Labels>{{up, kUp}, {temperature, kTemperature}});
    CHECK(batches[0].metadata.empty());
    REQUIRE(batches[0].samples.size() == 3);
    CHECK(batches[0].samples[0].ref == up);
    CHECK(batches[0].samples[0].t_ms == 1000);
    CHECK(batches[0].samples[1].ref == temperature);
    CHECK(batches[0].samples[1].v == 21.5);
    CHECK(batches[0].samples[2].ref == up);
    CHECK(batches[0].samples[2].t_ms == 2000);

    // A series already known is named again, so a late subscriber could name it.
    CHECK(batches[1].series == std::map<SeriesRef, Labels>{{temperature, kTemperature}});
    REQUIRE(batches[1].metadata.size() == 1);
    CHECK(batches[1].metadata[0].first == temperature);
    CHECK(batches[1].metadata[0].second == gauge);
    REQUIRE(batches[1].samples.size() == 1);
    CHECK(batches[1].samples[0].t_ms == 3000);

    CHECK(batches[2].metadata.empty());
    REQUIRE(batches[2].samples.size() == 1);
    CHECK(batches[2].samples[0].v == 23);
  }
}

TEST_CASE("commit feed: a subscriber added late sees later batches only, none after unsubscribe",
          "[store][commit_feed]") {
  HeadStorage head;
  Recorder early;
  Recorder late;
  head.commits().subscribe(early);
  commit_one(head, kUp, 1000, 1);
  head.commits().subscribe(late);
  head.commits().subscribe(late);  // twice is once
  commit_one(head, kUp, 2000, 2);
  head.commits().unsubscribe(early);
  commit_one(head, kUp, 3000, 3);
  head.commits().unsubscribe(late);
  head.commits().unsubscribe(late);  // unknown by now: ignored
  commit_one(head, kUp, 4000, 4);

  const auto early_batches = early.batches();
  REQUIRE(early_batches.size() == 2);
  CHECK(early_batches[0].samples.at(0).t_ms == 1000);
  CHECK(early_batches[1].samples.at(0).t_ms == 2000);
  const auto late_batches = late.batches();
  REQUIRE(late_batches.size() == 2);
  CHECK(sequences(late_batches) == std::vector<uint64_t>{2, 3});
  CHECK(late_batches[0].samples.at(0).t_ms == 2000);
  CHECK(late_batches[1].samples.at(0).t_ms == 3000);
  // The late subscriber can name the series it never saw created.
  CHECK(late_batches[0].series.at(late_batches[0].samples.at(0).ref) == kUp);
  // The head kept every sample, whoever listened.
  CHECK(test::samples_of(head, kUp).size() == 4);
}

TEST_CASE("commit feed: rolled-back and log-failed batches are never delivered",
          "[store][commit_feed]") {
  HeadStorage head;
  FailingLog log;
  head.set_commit_log(&log);
  Recorder recorder;
  head.commits().subscribe(recorder);

  {
    auto appender = head.appender();
    appender->append(0, kUp, 1000, 1);
    appender->rollback();
  }
  {
    auto appender = head.appender();
    appender->append(0, kUp, 1000, 1);
  }  // dropped without commit
  {
    log.fail_next = true;
    auto appender = head.appender();
    appender->append(0, kUp, 1000, 1);
    REQUIRE_FALSE(appender->commit());
  }
  REQUIRE(recorder.batches().empty());
  REQUIRE(test::latest_samples(head).empty());

  commit_one(head, kTemperature, 2000, 20);
  const auto batches = recorder.batches();
  REQUIRE(batches.size() == 1);
  CHECK(batches[0].sequence == 1);  // failed batches took no place in the order
  REQUIRE(batches[0].samples.size() == 1);
  CHECK(batches[0].samples[0].v == 20);
  CHECK(log.logged == 1);
}

TEST_CASE("commit feed: a sample overtaken by another appender's commit is not delivered",
          "[store][commit_feed]") {
  HeadStorage head;
  Recorder recorder;
  head.commits().subscribe(recorder);
  auto slow = head.appender();
  auto fast = head.appender();
  REQUIRE(slow->append(0, kUp, 1000, 1).error == AppendError::none);
  REQUIRE(slow->append(0, kTemperature, 1000, 20).error == AppendError::none);
  REQUIRE(fast->append(0, kUp, 2000, 2).error == AppendError::none);
  REQUIRE(fast->commit());
  REQUIRE(slow->commit());  // up@1000 is older than up@2000 by now: not applied

  const auto batches = recorder.batches();
  REQUIRE(batches.size() == 2);
  REQUIRE(batches[1].samples.size() == 1);
  CHECK(batches[1].samples[0].t_ms == 1000);
  CHECK(batches[1].series.at(batches[1].samples[0].ref) == kTemperature);
  CHECK(test::samples_of(head, kUp) == std::vector<Sample>{{2000, 2}});
}

// Subscribers run after the batch is visible: one reading the head from
// on_commit() finds the batch's samples there.
TEST_CASE("commit feed: a delivered batch is already visible to readers", "[store][commit_feed]") {
  HeadStorage head;
  class Reader final : public CommitSubscriber {
   public:
    explicit Reader(HeadStorage& head) : head_(head) {}
    void on_commit(const CommittedBatch& batch) override {
      for (const auto& sample : batch.samples) {
        bool found = false;
        head_.latest_samples().for_each_latest(
            sample.t_ms, sample.t_ms, [&](const LatestSample& latest) {
              if (latest.sample.t_ms == sample.t_ms && latest.sample.v == sample.v) found = true;
            });
        if (!found) ++missing;
        ++checked;
      }
    }
    HeadStorage& head_;
    int checked = 0;
    int missing = 0;
  } reader(head);
  head.commits().subscribe(reader);
  for (int64_t t = 1; t <= 20; ++t) commit_one(head, kUp, t * 1000, static_cast<double>(t));
  CHECK(reader.checked == 20);
  CHECK(reader.missing == 0);
}

// Several threads commit at once, two of them to a shared series, while a
// second subscriber comes and goes: the steady subscriber sees consecutive
// sequence numbers, each series' samples in time order, and exactly the
// samples the head holds.
TEST_CASE("commit feed: concurrent commits are delivered once each, in order",
          "[store][commit_feed]") {
  HeadStorage head;
  Recorder steady;
  Recorder flicker;
  head.commits().subscribe(steady);
  constexpr int kThreads = 4;
  constexpr int kBatches = 300;
  std::atomic<int64_t> shared_clock{0};
  std::atomic<bool> writers_done{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kThreads; ++w) {
    writers.emplace_back([&, w] {
      const Labels own{{"__name__", "own"}, {"writer", std::to_string(w)}};
      for (int b = 1; b <= kBatches; ++b) {
        auto appender = head.appender();
        appender->append(0, own, b * 1000, static_cast<double>(b));
        if (w < 2) {
          const int64_t t = shared_clock.fetch_add(1) + 1;
          appender->append(0, kRequests, t, static_cast<double>(t));
        }
        if (!appender->commit()) return;
      }
    });
  }
  std::thread churn([&] {
    for (int round = 0; round < 10'000 && !writers_done.load(); ++round) {
      head.commits().subscribe(flicker);
      std::this_thread::yield();
      head.commits().unsubscribe(flicker);
    }
  });
  for (auto& writer : writers) writer.join();
  writers_done.store(true);
  churn.join();

  const auto batches = steady.batches();
  REQUIRE(batches.size() == kThreads * kBatches);
  bool consecutive = true;
  bool labels_given = true;
  std::map<SeriesRef, std::vector<Sample>> delivered;
  std::map<SeriesRef, Labels> names;
  for (size_t i = 0; i < batches.size(); ++i) {
    if (batches[i].sequence != i + 1) consecutive = false;
    for (const auto& sample : batches[i].samples) {
      if (!batches[i].series.contains(sample.ref)) labels_given = false;
      delivered[sample.ref].push_back(Sample{sample.t_ms, sample.v});
    }
    for (const auto& [ref, labels] : batches[i].series) names[ref] = labels;
  }
  CHECK(consecutive);
  CHECK(labels_given);
  REQUIRE(delivered.size() == kThreads + 1);
  for (const auto& [ref, samples] : delivered) {
    INFO(names[ref].to_string());
    // Exactly what the head made visible, which is in time order.
    CHECK(samples == test::samples_of(head, names[ref]));
  }
  // The flickering subscriber, whenever it listened, saw batches in order.
  const auto flicker_batches = flicker.batches();
  for (size_t i = 1; i < flicker_batches.size(); ++i) {
    CHECK(flicker_batches[i].sequence > flicker_batches[i - 1].sequence);
  }
}

TEST_CASE("commit feed: a disk store delivers its head's batches after logging them",
          "[store][commit_feed]") {
  test::TempDir dir;
  DiskStorageOptions options;
  options.dir = dir.path();
  options.compaction_interval = std::chrono::milliseconds(0);
  options.wal.fsync_policy = FsyncPolicy::never;
  auto opened = DiskStorage::open(options);
  REQUIRE(opened);
  Storage& storage = **opened;
  Recorder recorder;
  storage.commits().subscribe(recorder);
  commit_one(storage, kUp, 1000, 1);
  commit_one(storage, kUp, 2000, 2);
  storage.commits().unsubscribe(recorder);

  const auto batches = recorder.batches();
  REQUIRE(batches.size() == 2);
  CHECK(batches[1].samples.at(0).v == 2);
  CHECK((*opened)->committed_sequence() >= 2);  // both in the WAL before delivery
}

}  // namespace mc
