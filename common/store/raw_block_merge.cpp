#include "common/store/raw_block_merge.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/store/block/block_writer.hpp"
#include "common/store/block/series_stream.hpp"
#include "common/store/series_across_sources.hpp"
#include "common/store/tiering/raw_merge_plan.hpp"
#include "common/util/logger.hpp"

namespace mc {

namespace fs = std::filesystem;

namespace {

using BlockPtr = std::shared_ptr<block::BlockReader>;

std::string dir_name(const std::string& dir) { return fs::path(dir).filename().string(); }

// Raw blocks whose data a merged raw block (level above 1) already holds:
// left by a crash between writing the merged block and deleting them.
std::vector<std::string> superseded(const std::vector<BlockPtr>& raw) {
  std::set<std::string> merged_sources;
  for (const BlockPtr& block : raw) {
    if (block->meta().compaction_level > 1) {
      merged_sources.insert(block->meta().sources.begin(), block->meta().sources.end());
    }
  }
  std::vector<std::string> doomed;
  for (const BlockPtr& block : raw) {
    if (merged_sources.contains(dir_name(block->dir()))) doomed.push_back(block->dir());
  }
  return doomed;
}

Status merge_window(const DiskStorageOptions& options, BlockSet& blocks,
                    const tiering::RawMergeAction& action, const std::vector<BlockPtr>& sources) {
  block::BlockMeta meta;
  meta.tier = options.raw_tier_name();
  meta.resolution_ms = 0;
  meta.min_time = action.min_time;
  meta.max_time = action.max_time - 1;
  int level = 0;
  for (const BlockPtr& source : sources) {
    meta.sources.push_back(dir_name(source->dir()));
    level = std::max(level, source->meta().compaction_level);
  }
  meta.compaction_level = level + 1;
  std::vector<std::unique_ptr<block::SeriesStream>> streams;
  for (const BlockPtr& source : sources) {
    auto stream = block::SeriesStream::open(source);
    if (!stream) return stream.status();
    streams.push_back(std::move(*stream));
  }
  auto writer = block::BlockWriter::create((options.dir / "blocks").string(), std::move(meta),
                                           options.block_writer);
  if (!writer) return writer.status();
  SeriesAcrossSources across(streams);
  Labels labels;
  SeriesAcrossSources::Parts parts;
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  std::vector<int64_t> part_timestamps;
  std::vector<double> part_values;
  std::vector<block::EncodedChunk> chunks;
  std::vector<std::shared_ptr<const std::vector<uint8_t>>> held;
  while (across.next(&labels, &parts)) {
    const MetricMetadata* metadata = nullptr;
    for (const size_t s : parts) {
      if (metadata == nullptr) metadata = streams[s]->metadata();
    }
    // The sources' chunks copied as they are: blocks cut from the head do
    // not overlap, so the chunks follow one another. Not decoded and
    // encoded again (~20 M samples a second: a day of 200,000 series
    // scraped every second, ~15 minutes of a core), and not joined into
    // longer ones either: a day of 15 s samples joined into two chunks of
    // 2,880 made a 1-hour query over that day decode six times the samples
    // (daemon CPU 700-750 against 450 us a request), for 4-6% off a 7-day
    // query (bench/query/README.md, "Raw blocks merged").
    chunks.clear();
    held.clear();
    for (const size_t s : parts) {
      if (Status status = streams[s]->encoded_chunks(chunks, held); !status) return status;
    }
    const bool in_order =
        std::adjacent_find(chunks.begin(), chunks.end(), [](const auto& a, const auto& b) {
          return b.min_time <= a.max_time;
        }) == chunks.end();
    if (in_order) {
      if (Status status = (*writer)->add_series_chunks(labels, metadata, chunks); !status) {
        return Status::error(labels.to_string() + ": " + status.message());
      }
      continue;
    }
    // Overlapping sources (an import over blocks of another length): sample
    // by sample, each timestamp once.
    timestamps.clear();
    values.clear();
    for (const size_t s : parts) {
      if (Status status = streams[s]->read(INT64_MIN, INT64_MAX, 0, part_timestamps, part_values);
          !status) {
        return status;
      }
      for (size_t i = 0; i < part_timestamps.size(); ++i) {
        // Blocks of one window do not overlap as cut; where they do, a
        // timestamp is kept once, the earlier block's, as queries read it.
        if (!timestamps.empty() && part_timestamps[i] <= timestamps.back()) continue;
        timestamps.push_back(part_timestamps[i]);
        values.push_back(part_values[i]);
      }
    }
    if (timestamps.empty()) continue;
    const std::span<const double> column(values);
    if (Status status = (*writer)->add_series(labels, metadata, timestamps, {&column, 1});
        !status) {
      return Status::error(labels.to_string() + ": " + status.message());
    }
  }
  if (!across.status()) return across.status();
  auto dir = (*writer)->finish();
  if (!dir) return dir.status();
  auto reader = block::BlockReader::open(*dir);
  if (!reader) return reader.status();
  log::info("merged raw blocks", {{"block", *dir},
                                  {"sources", sources.size()},
                                  {"series", (*reader)->meta().series},
                                  {"samples", (*reader)->meta().samples}});
  // Served before the sources go, so no query in between misses the data.
  blocks.add(std::move(*reader));
  for (const BlockPtr& source : sources) {
    blocks.remove_and_delete(source->dir(), "merged into a longer raw block");
  }
  return Status::ok();
}

}  // namespace

RawMergeOutcome merge_raw_blocks(const DiskStorageOptions& options, BlockSet& blocks,
                                 int64_t settled_before) {
  RawMergeOutcome outcome;
  if (options.raw_merge_window_ms <= 0) return outcome;
  const std::string raw_tier = options.raw_tier_name();
  auto raw_blocks = [&] {
    std::vector<BlockPtr> raw;
    for (const BlockPtr& block : blocks.snapshot()) {
      if (block->meta().tier == raw_tier && block->meta().resolution_ms == 0) raw.push_back(block);
    }
    return raw;
  };
  for (const std::string& dir : superseded(raw_blocks())) {
    blocks.remove_and_delete(dir, "held by a merged raw block");
    ++outcome.done;
  }
  const std::vector<BlockPtr> raw = raw_blocks();
  std::vector<tiering::BlockInfo> infos;
  for (const BlockPtr& block : raw) {
    infos.push_back(tiering::BlockInfo{block->dir(), block->meta().tier, block->meta().min_time,
                                       block->meta().max_time + 1});
  }
  for (const auto& action :
       tiering::plan_raw_merges(infos, options.raw_merge_window_ms, settled_before)) {
    std::vector<BlockPtr> sources;
    for (const auto& info : action.sources) {
      const auto it = std::find_if(raw.begin(), raw.end(),
                                   [&](const BlockPtr& block) { return block->dir() == info.dir; });
      if (it != raw.end()) sources.push_back(*it);
    }
    if (Status status = merge_window(options, blocks, action, sources); !status) {
      log::error("merging raw blocks failed", {{"min_time", action.min_time},
                                               {"max_time", action.max_time},
                                               {"err", status.message()}});
      ++outcome.failed;
      continue;
    }
    ++outcome.done;
  }
  return outcome;
}

}  // namespace mc
