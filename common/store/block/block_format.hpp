// Constants of the block files, shared by writer and reader so that the two
// cannot drift apart. docs/storage-format.md is the full specification; in
// short (all integers little-endian, varints LEB128 as in byte_buffer.hpp):
//
//   data   = magic "MCBD" | version u8 | 3 zero bytes | group record*
//   group record = compression u8 | uvarint raw_bytes | uvarint stored_bytes
//                  | stored bytes | u32 CRC32C of everything before it
//   (the raw bytes of a group are its columns back to back; a group holds
//    either only timestamp columns or only value columns)
//
//   index  = magic "MCBI" | version u8 | 3 zero bytes | section* | toc | trailer
//   toc    = uvarint count | (id u8, compression u8, uvarint offset,
//            uvarint stored_bytes, uvarint raw_bytes, u32 CRC32C of stored)*
//   trailer= u64 toc offset | u32 CRC32C of toc | magic "MCBI"
//
// Worked example, a data file of one raw group holding two columns of 5 and 7
// bytes: 4d 43 42 44 01 00 00 00 | 00 0c 0c <12 column bytes> <crc of the
// 15 bytes before it>; the index "groups" section then reads 01 (one group)
// 01 (values) 13 (record is 19 bytes) 02 (columns) 05 07.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mc::block {

inline constexpr uint32_t kDataMagic = 0x4442434d;   // "MCBD"
inline constexpr uint32_t kIndexMagic = 0x4942434d;  // "MCBI"
inline constexpr uint8_t kDataVersion = 1;
inline constexpr uint8_t kIndexVersion = 1;
inline constexpr size_t kFileHeaderBytes = 8;
inline constexpr size_t kIndexTrailerBytes = 16;

inline constexpr const char* kMetaFileName = "meta.json";
inline constexpr const char* kDataFileName = "data";
inline constexpr const char* kIndexFileName = "index";
inline constexpr const char* kTemporarySuffix = ".tmp";

// How a group or an index section is stored.
enum class Compression : uint8_t { none = 0, zstd = 1 };

// What a chunk group holds.
enum class GroupKind : uint8_t { timestamps = 0, values = 1 };

enum class SectionId : uint8_t {
  symbols = 1,      // sorted unique strings, front coded
  metadata = 2,     // distinct (family, type, help, unit)
  series = 3,       // per series: label symbol pairs, metadata ref, chunks
  label_index = 4,  // label name -> its values (symbol refs)
  postings = 5,     // per (name, value) of label_index: sorted series numbers
  groups = 6,       // per chunk group: kind, record size, column sizes
};
inline constexpr uint8_t kSectionCount = 6;

}  // namespace mc::block
