// HeadLatestReader: the LatestSampleReader of HeadStorage, the one place that
// reads the newest sample of live series (the disk store hands out its head's).
//
// It copies the newest samples (shared labels, interned metadata, the sample)
// in short steps under the stripe locks (HeadStorage::read_series_in_steps)
// and calls the visitor with no lock held: a reader of /metrics never holds up
// the appenders of a scrape for long. for_each_latest_in_place visits the
// series themselves in the same short steps, under the stripe lock.
//
// Private to the head. Thread-safety: as LatestSampleReader.
#pragma once

#include <cstdint>
#include <functional>

#include "common/store/latest_sample_reader.hpp"

namespace mc {

class HeadStorage;

class HeadLatestReader final : public LatestSampleReader {
 public:
  explicit HeadLatestReader(const HeadStorage& head) : head_(head) {}

  void for_each_latest(int64_t mint_ms, int64_t maxt_ms,
                       const std::function<void(const LatestSample&)>& visit) const override;
  void for_each_latest_in_place(
      int64_t mint_ms, int64_t maxt_ms,
      const std::function<void(const LatestSampleInPlace&)>& visit) const override;

 private:
  const HeadStorage& head_;
};

}  // namespace mc
