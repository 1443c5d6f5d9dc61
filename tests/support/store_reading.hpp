// Reading a Storage back in tests: the samples of one series, and the newest
// sample of every series, through the public Querier and LatestSampleReader
// interfaces only.
#pragma once

#include <map>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"
#include "common/store/storage.hpp"

namespace mc::test {

// Every committed sample of the series with exactly these labels, in time order.
std::vector<Sample> samples_of(Storage& storage, const Labels& labels);
// The newest committed sample of each series, stale markers included.
std::map<Labels, Sample> latest_samples(Storage& storage);

}  // namespace mc::test
