// downsampled_querier: the Querier of one downsampled tier (several blocks of
// one resolution) over [mint, maxt].
//
// A series is served as one sequence across the tier's blocks: for a counter
// (by its metadata) the reset-free counter of tiering::counter_points, rebased
// across blocks, so rate() and increase() over whole windows equal those over
// the raw samples; for anything else the window averages (sum / count). The
// blocks are read when a series' iterator first moves.
//
// Thread-safety: as Querier (one thread per querier); the blocks are shared.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/store/block/block_reader.hpp"
#include "common/store/querier.hpp"
#include "common/store/read_hints.hpp"
#include "common/store/tiering/window_cuts.hpp"

namespace mc {

// REQUIRES: blocks of one downsampled tier, sorted by min_time, not overlapping.
// `value` says what each window's point carries (read_hints.hpp); Natural is
// the counter for counters and the average otherwise, as described above.
// `cuts` (tiering/window_cuts.hpp, by at_ms): where the reader's ranges start
// and end inside windows. A window a cut falls in is served in parts, each at
// a time the ranges holding it hold too: its sum and count shared out, its
// min or max in its largest part; a counter gets a point at each cut inside
// its window, its estimated value there.
std::unique_ptr<Querier> downsampled_querier(
    std::vector<std::shared_ptr<block::BlockReader>> blocks, int64_t mint, int64_t maxt,
    WindowValue value = WindowValue::Natural, std::vector<tiering::WindowCut> cuts = {});

// Where a series of a downsampled querier ends when it is served as a
// reset-adjusted counter: its last point's value and the raw counter value at
// that time. They differ by the resets the tier carried forward; raw samples
// that follow the tier continue the counter from here
// (counter_continuation.hpp). nullopt for a series served otherwise, or not
// from a downsampled querier.
struct CounterEnd {
  double adjusted = 0;
  double raw = 0;
};
std::optional<CounterEnd> downsampled_counter_end(const Series& series);

}  // namespace mc
