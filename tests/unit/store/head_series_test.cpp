#include "common/store/head_series.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <thread>
#include <vector>

namespace mc {
namespace {

SharedLabels labels_of(int n) {
  return SharedLabels(Labels{{"__name__", "s"}, {"n", std::to_string(n)}});
}

TEST_CASE("HeadSeriesPool lays series out side by side in creation order", "[store][series_pool]") {
  HeadSeriesPool pool;
  std::vector<HeadSeriesPool::Ptr> series;
  for (int i = 0; i < 100; ++i) series.push_back(pool.create(SeriesRef(i + 1), labels_of(i)));
  const auto stride =
      reinterpret_cast<uintptr_t>(series[1].get()) - reinterpret_cast<uintptr_t>(series[0].get());
  CHECK(stride >= sizeof(HeadSeries));
  CHECK(stride < sizeof(HeadSeries) + alignof(HeadSeries));
  for (size_t i = 1; i < series.size(); ++i) {
    CHECK(reinterpret_cast<uintptr_t>(series[i].get()) -
              reinterpret_cast<uintptr_t>(series[i - 1].get()) ==
          stride);
    CHECK(reinterpret_cast<uintptr_t>(series[i].get()) % alignof(HeadSeries) == 0);
  }
  for (int i = 0; i < 100; ++i) {
    CHECK(series[i]->ref() == SeriesRef(i + 1));
    CHECK(series[i]->labels() == *labels_of(i));
  }
}

TEST_CASE("HeadSeriesPool reuses released blocks and runs the series' destructor",
          "[store][series_pool]") {
  HeadSeriesPool pool;
  auto labels = labels_of(1);
  auto first = pool.create(1, labels);
  first->append(1000, 1.0, HeadChunkLimits{});
  CHECK(labels.use_count() == 2);
  HeadSeries* address = first.get();
  first.reset();
  CHECK(labels.use_count() == 1);  // the series' labels and chunks went with it
  auto second = pool.create(2, labels_of(2));
  CHECK(second.get() == address);
  CHECK(second->ref() == 2);
  CHECK_FALSE(second->has_samples());
}

TEST_CASE("HeadSeriesPool spans many slabs and serves threads at once", "[store][series_pool]") {
  HeadSeriesPool pool;
  auto churn = [&pool](int offset) {
    std::vector<HeadSeriesPool::Ptr> held;
    for (int i = 0; i < 3000; ++i) {
      held.push_back(pool.create(SeriesRef(offset + i + 1), labels_of(i)));
      if (i % 3 == 0) held.erase(held.begin() + (i % static_cast<int>(held.size())));
    }
    std::set<const HeadSeries*> distinct;
    for (const auto& series : held) distinct.insert(series.get());
    return distinct.size() == held.size();
  };
  bool other_ok = false;
  std::thread other([&] { other_ok = churn(1'000'000); });
  const bool ok = churn(0);
  other.join();
  CHECK(ok);
  CHECK(other_ok);
}

TEST_CASE("HeadChunkLimits' divisor tells multiples of max_samples without a division",
          "[store][head]") {
  for (int max_samples = 2; max_samples <= 400; ++max_samples) {
    const uint64_t divisor = HeadChunkLimits::divisor_for(max_samples);
    for (uint64_t n :
         {uint64_t{0}, uint64_t{1}, uint64_t{4'294'967'295}, uint64_t{4'294'967'200}}) {
      REQUIRE((n * divisor <= divisor - 1) == (n % static_cast<uint64_t>(max_samples) == 0));
    }
    for (uint64_t n = 0; n < 5'000; ++n) {
      REQUIRE((n * divisor <= divisor - 1) == (n % static_cast<uint64_t>(max_samples) == 0));
    }
  }
  CHECK(HeadChunkLimits{}.max_samples_divisor == HeadChunkLimits::divisor_for(120));
}

}  // namespace
}  // namespace mc
