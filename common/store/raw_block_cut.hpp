// RawBlockCut: writes the raw block of one window [min_time, max_time] from
// series handed over in label order. The one place a raw block is made: the
// compactor cuts the head with it, and `store import` cuts the samples of a
// file with it, so both write the same meta (tier, resolution 0, the whole
// window as time range) and follow the same rules.
//
// The block directory is made only when the first series with samples in the
// window arrives, so an empty window leaves nothing on disk; a cut dropped
// before finish() removes what it wrote (BlockWriter).
//
// Thread-safety: none; one thread cuts a block.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/store/block/block_writer.hpp"
#include "common/util/status.hpp"

namespace mc {

class RawBlockCut {
 public:
  // `blocks_dir` is DIR/blocks; `tier` the name of the store's raw tier.
  RawBlockCut(std::filesystem::path blocks_dir, std::string tier, int64_t min_time,
              int64_t max_time, block::BlockWriterOptions options = {});

  // REQUIRES: labels greater than the previous series'; timestamps strictly
  // increasing within the window, `values` as long. An empty series is skipped.
  Status add_series(const Labels& labels, const MetricMetadata* metadata,
                    std::span<const int64_t> timestamps, std::span<const double> values);

  // The block's directory, or nullopt when no series had samples in the window.
  Result<std::optional<std::string>> finish();

 private:
  std::filesystem::path blocks_dir_;
  block::BlockMeta meta_;
  block::BlockWriterOptions options_;
  std::unique_ptr<block::BlockWriter> writer_;
};

}  // namespace mc
