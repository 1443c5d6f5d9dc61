#include "common/store/raw_block_cut.hpp"

namespace mc {

RawBlockCut::RawBlockCut(std::filesystem::path blocks_dir, std::string tier, int64_t min_time,
                         int64_t max_time, block::BlockWriterOptions options)
    : blocks_dir_(std::move(blocks_dir)), options_(options) {
  meta_.tier = std::move(tier);
  meta_.resolution_ms = 0;
  meta_.min_time = min_time;
  meta_.max_time = max_time;
}

Status RawBlockCut::add_series(const Labels& labels, const MetricMetadata* metadata,
                               std::span<const int64_t> timestamps,
                               std::span<const double> values) {
  if (timestamps.empty()) return Status::ok();
  if (!writer_) {
    auto created = block::BlockWriter::create(blocks_dir_.string(), meta_, options_);
    if (!created) return created.status();
    writer_ = std::move(*created);
  }
  const std::span<const double> columns[] = {values};
  return writer_->add_series(labels, metadata, timestamps, columns);
}

Result<std::optional<std::string>> RawBlockCut::finish() {
  if (!writer_) return std::optional<std::string>();
  auto dir = writer_->finish();
  writer_.reset();
  if (!dir) return dir.status();
  return std::optional<std::string>(std::move(*dir));
}

}  // namespace mc
