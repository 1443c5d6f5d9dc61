// The known key a misspelt one most likely meant, for "did you mean" hints in
// config errors ("scrape_intervall" -> "scrape_interval").
//
// Private to common/config. Pure function; callable from any thread.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace mc {

// The candidate at the smallest edit distance (insertions, deletions,
// substitutions, and swaps of two neighbours) from `key`, if that distance is
// small enough to be a slip (1 for keys up to 4 characters, else 2) rather
// than another word; the first such candidate on a tie.
std::optional<std::string_view> closest_key(std::string_view key,
                                            const std::vector<std::string_view>& candidates);

}  // namespace mc
