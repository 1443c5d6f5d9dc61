// `metrics-collector store ...`: operator commands on a store directory, in the
// spirit of `promtool tsdb`:
//
//   store import --openmetrics FILE --dir DIR [--block-duration=2h]
//       Backfills raw blocks from an OpenMetrics file whose samples carry
//       timestamps (as `promtool tsdb create-blocks-from openmetrics` does).
//   store stats --dir DIR
//       Series, samples, time range, data and index bytes and bytes per sample,
//       per tier and in total, one `key value` per line.
//   store verify --dir DIR
//       Reads every block and the write-ahead log and checks every CRC; exit 1,
//       naming file and offset, when anything is damaged. Changes nothing.
//
// Exit status 0 on success, 1 on failure (message on stderr), 2 on a usage error.
#pragma once

#include <ostream>
#include <span>
#include <string_view>

namespace mc {

// `args` are the words after "store".
int run_store_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace mc
