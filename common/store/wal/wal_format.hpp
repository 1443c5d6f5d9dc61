// The on-disk format of the write-ahead log, in one place for the writer, the
// reader and the checkpoint (as leveldb's db/log_format.h).
//
// Directory (the store's `wal/`):
//   00000001, 00000002, ...        segments, decimal, 8 digits, zero padded
//   checkpoint.00000002/00000000   a checkpoint: what segments <= 2 held that
//                                  the head still needs, in segment files
//   checkpoint.00000002.tmp/       a checkpoint being written; deleted at open
//
// A segment is records back to back, with no header. A record never spans two
// segments; the writer cuts a new segment only between commits.
//
// Record:  type u8 | payload length u32 LE | payload | CRC32C u32 LE
//          The CRC covers type, length and payload. Type 0 is never written,
//          so the zeros a crashed file system may leave at a tail read as bad.
//
// Payloads are entries back to back up to the payload's end (no count):
//   series    uvarint ref, uvarint label count, then per label
//             string name, string value           (string = uvarint length, bytes)
//   metadata  uvarint ref, u8 MetricType, string family, string help, string unit
//   samples   first entry: uvarint ref0, varint t0_ms, f64 v (raw IEEE bits, LE)
//             next entries: varint (ref - ref0), varint (t_ms - t0_ms), f64 v
//   varint = zigzag LEB128, uvarint = LEB128 (common/util/byte_buffer.hpp).
//
// Values are raw 8 bytes, not XOR against the series' previous value: that
// would make every record depend on all records before it, so one lost record
// (a torn tail, a corrupt segment skipped, a checkpoint dropping samples) would
// silently change later values. A scrape's samples share one timestamp, so
// a sample costs 1-3 bytes of ref delta, 1 byte of time delta and 8 of value.
//
// Worked example: samples {ref 5, t 1000, v 1.0}, {ref 7, t 1000, v 2.0}
//   03                        type samples
//   15 00 00 00               payload length 21
//   05                        ref0 5
//   D0 0F                     t0 1000 (zigzag 2000)
//   00 00 00 00 00 00 F0 3F   1.0
//   04                        ref delta +2 (zigzag 4)
//   00                        time delta 0
//   00 00 00 00 00 00 00 40   2.0
//   62 0F EE 16               CRC32C of the 26 bytes above
// (pinned in tests/unit/store/wal/wal_record_test.cpp)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mc {

enum class WalRecordType : uint8_t {
  series = 1,
  metadata = 2,
  samples = 3,
};

inline bool is_wal_record_type(uint8_t byte) { return byte >= 1 && byte <= 3; }

inline constexpr size_t kWalRecordHeaderBytes = 5;   // type + length
inline constexpr size_t kWalRecordTrailerBytes = 4;  // CRC32C
// The writer closes a record once its payload passes this, so a reader's
// buffer stays small; one entry (a series with huge labels) may go beyond it.
inline constexpr size_t kWalRecordTargetPayloadBytes = 1 << 20;
// Longer payloads are treated as corruption: nothing we write comes near.
inline constexpr uint32_t kWalRecordMaxPayloadBytes = 1u << 30;

inline constexpr size_t kWalSegmentNameDigits = 8;
inline constexpr std::string_view kWalCheckpointPrefix = "checkpoint.";
inline constexpr std::string_view kWalTemporarySuffix = ".tmp";

}  // namespace mc
