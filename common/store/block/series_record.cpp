#include "common/store/block/series_record.hpp"

namespace mc::block {

RecordRead read_series_record(ByteReader& in, RecordContext& context, SeriesRecord& out) {
  out.label_symbols.clear();
  out.chunks.clear();
  // A count larger than the bytes left cannot be whole here: each label
  // takes at least two bytes and each chunk four.
  const uint64_t label_count = in.uvarint();
  if (!in.ok() || label_count > in.remaining() / 2) return RecordRead::incomplete;
  bool valid = true;
  for (uint64_t l = 0; l < label_count; ++l) {
    const uint64_t name = in.uvarint();
    const uint64_t value = in.uvarint();
    if (name >= context.symbols || value >= context.symbols) valid = false;
    if (l > 0 && name <= out.label_symbols.end()[-2]) valid = false;
    out.label_symbols.push_back(static_cast<uint32_t>(name));
    out.label_symbols.push_back(static_cast<uint32_t>(value));
  }
  const uint64_t metadata_ref = in.uvarint();
  const uint64_t chunk_count = in.uvarint();
  if (!in.ok() || chunk_count > in.remaining() / 4) return RecordRead::incomplete;
  if (metadata_ref > context.metadata) valid = false;
  out.metadata_ref = static_cast<uint32_t>(metadata_ref);
  int64_t previous_time = context.base_time;
  int64_t previous_column = context.previous_timestamp_column;
  for (uint64_t c = 0; c < chunk_count; ++c) {
    ChunkEntry chunk;
    const int64_t min_delta = in.varint();
    const uint64_t span = in.uvarint();
    const uint64_t samples = in.uvarint();
    const int64_t column_delta = in.varint();
    if (!in.ok()) return RecordRead::incomplete;
    // A damaged delta must fail the parse, not overflow (undefined).
    int64_t timestamp_column = 0;
    if (__builtin_add_overflow(previous_time, min_delta, &chunk.min_time) ||
        span > static_cast<uint64_t>(INT64_MAX) ||
        __builtin_add_overflow(chunk.min_time, static_cast<int64_t>(span), &chunk.max_time) ||
        __builtin_add_overflow(previous_column, column_delta, &timestamp_column)) {
      return RecordRead::invalid;
    }
    if (samples == 0 || samples > UINT32_MAX || timestamp_column < 0 ||
        timestamp_column > INT32_MAX) {
      valid = false;
    }
    chunk.samples = static_cast<uint32_t>(samples);
    chunk.timestamp_column = static_cast<uint32_t>(timestamp_column);
    previous_column = timestamp_column;
    previous_time = chunk.max_time;
    out.chunks.push_back(chunk);
  }
  if (!in.ok()) return RecordRead::incomplete;
  if (!valid) return RecordRead::invalid;
  context.previous_timestamp_column = previous_column;
  return RecordRead::ok;
}

}  // namespace mc::block
