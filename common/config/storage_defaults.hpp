// The storage section's defaults: which tiers a config without `storage.tiers`
// gets, and the block length of a downsampled tier that names none. They are
// the config's promise to the user (docs/configuration.md), so they live with
// the config; the store takes whatever tiers it is given and only checks them
// (common/store/tiering/retention_plan.hpp, validate_tiers).
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace mc {

struct StorageTierConfig;

// Points per series per downsampled block: about two and a half XOR chunks of
// 120 samples, so a downsampled block's index cost per sample is near a raw 2h
// block's at a 30s scrape interval, and a tier's blocks stay few (30 blocks of
// 5m over 30d, about 30 of 1h over a year) and short against its retention.
inline constexpr int64_t kWindowsPerBlock = 288;

// The default tiers: raw for 7d in blocks of `raw_block_duration`, 5m for
// 30d, 1h for 365d, their blocks from default_tier_block_duration() (24h and
// 12d after 2h raw blocks).
std::vector<StorageTierConfig> default_storage_tiers(std::chrono::milliseconds raw_block_duration);

// The block length of a downsampled tier when the config gives none:
// kWindowsPerBlock windows, rounded up to a multiple of the finer tier's block
// length (so that source blocks nest in windows) that is also a multiple of
// the resolution. 5m after 2h raw blocks: 24h; 1h after that: 12d.
std::chrono::milliseconds default_tier_block_duration(
    std::chrono::milliseconds resolution, std::chrono::milliseconds finer_block_duration);

}  // namespace mc
