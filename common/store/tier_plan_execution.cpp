#include "common/store/tier_plan_execution.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/store/block/block_writer.hpp"
#include "common/store/block/series_stream.hpp"
#include "common/store/series_across_sources.hpp"
#include "common/store/tiering/downsample.hpp"
#include "common/store/tiering/downsampled_columns.hpp"
#include "common/util/logger.hpp"

namespace mc {

namespace fs = std::filesystem;

namespace {

using BlockPtr = std::shared_ptr<block::BlockReader>;
using Streams = std::vector<std::unique_ptr<block::SeriesStream>>;
using SeriesParts = SeriesAcrossSources::Parts;

// The blocks of the source tier overlapping the window, on disk or made
// earlier in this plan, oldest first.
std::vector<BlockPtr> downsample_sources(const BlockSet& blocks,
                                         const tiering::DownsampleAction& action) {
  std::vector<BlockPtr> sources;
  for (const auto& block : blocks.snapshot()) {
    const auto& meta = block->meta();
    if (meta.tier == action.source_tier && meta.max_time >= action.min_time &&
        meta.min_time < action.max_time) {
      sources.push_back(block);
    }
  }
  std::sort(sources.begin(), sources.end(),
            [](const auto& a, const auto& b) { return a->meta().min_time < b->meta().min_time; });
  return sources;
}

block::BlockMeta downsampled_meta(const tiering::TierConfig& target,
                                  const tiering::DownsampleAction& action,
                                  const std::vector<BlockPtr>& sources) {
  block::BlockMeta meta;
  meta.tier = target.name;
  meta.resolution_ms = target.resolution_ms;
  meta.min_time = action.min_time;
  meta.max_time = action.max_time - 1;
  meta.columns.assign(tiering::kDownsampledColumnKinds.begin(),
                      tiering::kDownsampledColumnKinds.end());
  int level = 0;
  for (const auto& source : sources) {
    meta.sources.push_back(fs::path(source->dir()).filename().string());
    level = std::max(level, source->meta().compaction_level);
  }
  meta.compaction_level = level + 1;
  return meta;
}

// Reads one series from its sources and downsamples it to `resolution_ms`:
// from raw samples, or from the finer tier's windows. nullopt when the
// window holds none of its data. Buffers are reused across series.
class SeriesDownsampler {
 public:
  SeriesDownsampler(Streams& sources, int64_t resolution_ms, int64_t mint, int64_t maxt)
      : sources_(sources),
        resolution_ms_(resolution_ms),
        mint_(mint),
        maxt_(maxt),
        from_raw_(sources.front()->block().meta().resolution_ms == 0),
        columns_(tiering::kDownsampledColumnKinds.size()) {}

  Result<std::optional<tiering::DownsampledSeries>> run(const SeriesParts& parts) {
    return from_raw_ ? from_raw(parts) : from_coarser(parts);
  }

 private:
  Result<std::optional<tiering::DownsampledSeries>> from_raw(const SeriesParts& parts) {
    raw_.clear();
    for (const size_t s : parts) {
      if (Status status = sources_[s]->read(mint_, maxt_, 0, timestamps_, values_); !status) {
        return status;
      }
      for (size_t i = 0; i < timestamps_.size(); ++i) {
        if (!raw_.empty() && timestamps_[i] <= raw_.back().t_ms) continue;  // overlapping blocks
        raw_.push_back(Sample{timestamps_[i], values_[i]});
      }
    }
    if (raw_.empty()) return std::optional<tiering::DownsampledSeries>();
    auto result = tiering::downsample_raw(raw_, resolution_ms_);
    if (!result) return result.status();
    return std::optional(std::move(*result));
  }

  Result<std::optional<tiering::DownsampledSeries>> from_coarser(const SeriesParts& parts) {
    spans_.clear();
    for (const size_t s : parts) {
      const block::BlockReader& source = sources_[s]->block();
      // A source written before the windows' first samples were kept has fewer columns.
      const size_t count = tiering::downsampled_column_count(source.meta().columns);
      if (count == 0) return Status::error(source.dir() + ": not a downsampled block");
      columns_.resize(count);
      for (size_t c = 0; c < columns_.size(); ++c) {
        if (Status status = sources_[s]->read(mint_, maxt_, c, timestamps_, columns_[c]); !status) {
          return status;
        }
      }
      auto span = tiering::from_columns(source.meta().resolution_ms, timestamps_, columns_);
      if (!span) return Status::error(source.dir() + ": " + span.error());
      spans_.push_back(std::move(*span));
    }
    auto joined = tiering::concatenate(spans_);
    if (!joined) return joined.status();
    if (joined->windows.empty()) return std::optional<tiering::DownsampledSeries>();
    auto result = tiering::downsample_coarser(*joined, resolution_ms_);
    if (!result) return result.status();
    return std::optional(std::move(*result));
  }

  Streams& sources_;
  const int64_t resolution_ms_;
  const int64_t mint_;
  const int64_t maxt_;
  const bool from_raw_;
  std::vector<int64_t> timestamps_;
  std::vector<double> values_;
  std::vector<Sample> raw_;
  std::vector<tiering::DownsampledSeries> spans_;
  std::vector<std::vector<double>> columns_;
};

// The metadata of a series: the first source's that has any.
const MetricMetadata* metadata_of(const Streams& sources, const SeriesParts& parts) {
  for (const size_t s : parts) {
    if (const MetricMetadata* metadata = sources[s]->metadata()) return metadata;
  }
  return nullptr;
}

Status downsample(const DiskStorageOptions& options, BlockSet& blocks,
                  const tiering::DownsampleAction& action) {
  const auto target =
      std::find_if(options.tiers.begin(), options.tiers.end(),
                   [&](const auto& tier) { return tier.name == action.target_tier; });
  if (target == options.tiers.end()) return Status::error("unknown tier " + action.target_tier);
  const std::vector<BlockPtr> sources = downsample_sources(blocks, action);
  if (sources.empty()) return Status::error("no source blocks for " + action.target_tier);
  Streams streams;
  for (const BlockPtr& source : sources) {
    auto stream = block::SeriesStream::open(source);
    if (!stream) return stream.status();
    streams.push_back(std::move(*stream));
  }

  auto writer =
      block::BlockWriter::create((options.dir / "blocks").string(),
                                 downsampled_meta(*target, action, sources), options.block_writer);
  if (!writer) return writer.status();
  SeriesDownsampler downsampler(streams, target->resolution_ms, action.min_time,
                                action.max_time - 1);
  size_t written = 0;
  SeriesAcrossSources across(streams);
  Labels labels;
  SeriesParts parts;
  while (across.next(&labels, &parts)) {
    auto result = downsampler.run(parts);
    if (!result) return Status::error(labels.to_string() + ": " + result.error());
    if (!*result || (*result)->windows.empty()) continue;
    const tiering::DownsampledColumns rows = tiering::to_columns(**result);
    const auto column_spans = rows.spans();
    if (Status status = (*writer)->add_series(labels, metadata_of(streams, parts), rows.timestamps,
                                              column_spans);
        !status) {
      return status;
    }
    ++written;
  }
  if (!across.status()) return across.status();
  if (written == 0) {
    // An empty window still counts as done for the plan: write no block, but
    // the sources' data is all in other windows. Nothing to add.
    return Status::ok();
  }
  auto dir = (*writer)->finish();
  if (!dir) return dir.status();
  auto reader = block::BlockReader::open(*dir);
  if (!reader) return reader.status();
  log::info("downsampled blocks", {{"block", *dir},
                                   {"sources", sources.size()},
                                   {"series", (*reader)->meta().series},
                                   {"windows", (*reader)->meta().samples}});
  blocks.add(std::move(*reader));
  return Status::ok();
}

}  // namespace

TierPlanOutcome execute_tier_plan(const DiskStorageOptions& options, BlockSet& blocks) {
  TierPlanOutcome outcome;
  if (options.tiers.empty()) return outcome;
  std::vector<tiering::BlockInfo> infos;
  for (const auto& block : blocks.snapshot()) {
    const auto& meta = block->meta();
    infos.push_back(tiering::BlockInfo{block->dir(), meta.tier, meta.min_time, meta.max_time + 1});
  }
  const auto actions = tiering::plan(infos, options.tiers, options.clock());
  std::vector<bool> succeeded(actions.size(), false);
  auto all_succeeded = [&](const std::vector<size_t>& before) {
    return std::all_of(before.begin(), before.end(), [&](size_t a) { return succeeded[a]; });
  };
  for (size_t i = 0; i < actions.size(); ++i) {
    if (const auto* drop = std::get_if<tiering::DropAction>(&actions[i])) {
      if (!all_succeeded(drop->after_actions)) continue;
      blocks.remove_and_delete(drop->block.dir, "past its retention");
    } else {
      const auto& action = std::get<tiering::DownsampleAction>(actions[i]);
      if (!all_succeeded(action.source_actions)) continue;
      if (Status status = downsample(options, blocks, action); !status) {
        log::error("downsampling failed", {{"tier", action.target_tier},
                                           {"min_time", action.min_time},
                                           {"err", status.message()}});
        ++outcome.failed;
        continue;
      }
    }
    succeeded[i] = true;
    ++outcome.done;
  }
  return outcome;
}

}  // namespace mc
