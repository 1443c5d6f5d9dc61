// HeadQuerier: the Querier of HeadStorage over [mint, maxt].
//
// select() copies what it returns: shared references to sealed chunks
// (immutable) and a copy of the open chunk's bytes, so the returned series and
// their iterators never touch the head again and are unaffected by later
// appends and truncate(). Each series is copied under its stripe lock, which
// is held for a short step of series at a time (appenders wait microseconds);
// the sealed chunks' records are read after it is released. Series matching
// is a scan of every series per call.
//
// Private to the head. Thread-safety: as Querier (one thread per querier).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/store/querier.hpp"

namespace mc {

class HeadStorage;

class HeadQuerier final : public Querier {
 public:
  HeadQuerier(HeadStorage& head, int64_t mint_ms, int64_t maxt_ms)
      : head_(head), mint_(mint_ms), maxt_(maxt_ms) {}

  std::vector<std::unique_ptr<Series>> select(const std::vector<Matcher>& matchers) override;
  std::vector<std::string> label_names() override;
  std::vector<std::string> label_values(std::string_view name) override;

 private:
  HeadStorage& head_;
  int64_t mint_;
  int64_t maxt_;
};

}  // namespace mc
