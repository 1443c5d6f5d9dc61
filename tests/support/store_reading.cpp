#include "tests/support/store_reading.hpp"

#include <limits>

namespace mc::test {

namespace {
constexpr int64_t kMinTime = std::numeric_limits<int64_t>::min() / 2;
constexpr int64_t kMaxTime = std::numeric_limits<int64_t>::max() / 2;
}  // namespace

std::vector<Sample> samples_of(Storage& storage, const Labels& labels) {
  std::vector<Matcher> matchers;
  for (const auto& label : labels) {
    matchers.push_back(
        *Matcher::make(Matcher::Kind::equal, std::string(label.name), std::string(label.value)));
  }
  std::vector<Sample> samples;
  auto querier = storage.querier(kMinTime, kMaxTime);
  for (const auto& series : querier->select(matchers)) {
    if (series->labels() != labels) continue;
    auto it = series->iterator();
    while (it->next()) samples.push_back(it->at());
  }
  return samples;
}

std::map<Labels, Sample> latest_samples(Storage& storage) {
  std::map<Labels, Sample> latest;
  storage.latest_samples().for_each_latest(
      kMinTime, kMaxTime, [&](const LatestSample& s) { latest[s.labels] = s.sample; });
  return latest;
}

}  // namespace mc::test
