// Storage: the store as the rest of the daemon sees it. Collectors take
// appenders, the exporter takes queriers; neither knows which store is behind.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>

#include "common/store/appender.hpp"
#include "common/store/querier.hpp"

namespace mc {

struct StorageStats {
  uint64_t series = 0;               // series held
  uint64_t chunks = 0;               // chunks held, open and sealed
  uint64_t chunk_bytes = 0;          // encoded bytes in those chunks
  uint64_t samples = 0;              // samples held
  uint64_t samples_appended = 0;     // since start
  uint64_t out_of_order = 0;         // rejected since start
  uint64_t duplicate_timestamp = 0;  // rejected since start
  uint64_t unknown_series = 0;       // rejected since start (stale ref, no labels)
};

class Storage {
 public:
  virtual ~Storage() = default;
  virtual std::unique_ptr<Appender> appender() = 0;
  // A view over [mint_ms, maxt_ms], both inclusive.
  virtual std::unique_ptr<Querier> querier(int64_t mint_ms, int64_t maxt_ms) = 0;
  virtual StorageStats stats() const = 0;
};

}  // namespace mc
