// `metrics-collector store ...`: operator commands on a store directory, in the
// spirit of `promtool tsdb`:
//
//   store import --openmetrics FILE --dir DIR [--block-duration=2h]
//       Backfills raw blocks from an OpenMetrics file whose samples carry
//       timestamps (as `promtool tsdb create-blocks-from openmetrics` does).
//   store stats --dir DIR
//       Series, samples, time range, data and index bytes and bytes per sample,
//       per tier, for the head (what the write-ahead log restores, not yet in a
//       block) and in total, one `key value` per line. Series are distinct
//       (once however many blocks hold them); times are milliseconds with the
//       RFC 3339 time beside them in parentheses. Takes no lock and changes
//       nothing, so it may run beside the daemon.
//   store verify --dir DIR
//       Reads every block and the write-ahead log and checks every CRC; exit 1,
//       naming file and offset, when anything is damaged. Changes nothing.
//
// stats and verify refuse a directory that is not a store (a Prometheus TSDB,
// a typo'd path) with "not a metrics-collector store" and what they found.
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
