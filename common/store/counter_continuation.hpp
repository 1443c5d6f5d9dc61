// counter_continuation: joins a downsampled tier to the raw data that follows
// it, so that a counter read across the join stays right.
//
// A downsampled tier serves a counter reset-adjusted (its resets carried
// forward), the raw samples after it as they are; read side by side, the
// first raw sample looks like a reset and rate() counts it in full (31% off
// at the step whose window crosses the join, measured). The joined series
// serves the tier's points, then the raw samples reset-adjusted from where
// the tier ends: a drop counts as a reset exactly as PromQL counts it over raw
// data, so rate() and increase() across the join equal the raw answer.
// Series the tier does not serve as a counter are joined as they are.
//
// Thread-safety: as Querier (one thread per querier).
#pragma once

#include <memory>

#include "common/store/querier.hpp"

namespace mc {

// REQUIRES: `tier` is a downsampled querier and every sample of `newer` is
// later than every sample of `tier`.
std::unique_ptr<Querier> continue_counters(std::unique_ptr<Querier> tier,
                                           std::unique_ptr<Querier> newer);

}  // namespace mc
