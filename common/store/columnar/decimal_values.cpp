// Decimal values. Payload:
//
//   u8        exponent e (bits 0-4, 0..22) | residual order k (bits 5-6, 0..2)
//   uvarint   number of exceptions, then per exception
//               uvarint   index gap (index - previous index - 1; the first: index)
//               u64       the value's raw bits, little-endian
//   varint    the first min(k, n) residuals, zigzag
//   packed    the other residuals, zigzag, in blocks (bit_packing.hpp)
//
// value i = m_i / 10^e, in double arithmetic (both operands exact, so the
// quotient is the correctly rounded decimal), and m_i = prediction_i + r_i:
//   order 0   prediction 0                      (gauges that jump around)
//   order 1   prediction m_i-1                  (gauges that move a little)
//   order 2   prediction m_i-1 + (m_i-1 - m_i-2) (counters growing steadily)
// with m_-1 = 0 and no delta before m_0. An exception's residual is 0, so it
// continues the trend of its neighbours instead of breaking it.
//
// The encoder checks every value round-trips through that very division, bit
// for bit, before it calls it a decimal.
//
// Worked example: 1.5 2.5 3.5 NaN (quiet, 0x7FF8000000000000), after the
// header 12 04:
//   41        e = 1, order 2
//   01 03 00 00 00 00 00 00 F8 7F   one exception at index 3
//   1E 14     r0 = 15, r1 = 10 (m1 = 25 = 15 + 10: no delta before m0)
//   00        one block of width 0: r2 = 0 (35 = 25 + 10), r3 = 0
//                                   (placeholder 45, replaced by the NaN)
#include "common/store/columnar/decimal_values.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

#include "common/store/columnar/bit_packing.hpp"
#include "common/store/columnar/column_format.hpp"

namespace mc::columnar {

namespace {

using column_format::kMaxDecimalExponent;
using column_format::kMaxExactMantissa;

constexpr int kMaxOrder = 2;
constexpr uint8_t kNotDecimal = 0xff;

constexpr std::array<double, kMaxDecimalExponent + 1> kPowersOfTen = [] {
  std::array<double, kMaxDecimalExponent + 1> powers{};
  double power = 1;
  for (double& p : powers) {
    p = power;
    power *= 10;
  }
  return powers;
}();

uint64_t bits_of(double value) { return std::bit_cast<uint64_t>(value); }

// The mantissa of `value` at `exponent`, when the decoder's division gives the
// value back bit for bit.
bool mantissa_at(double value, int exponent, int64_t* mantissa) {
  const double scaled = value * kPowersOfTen[exponent];
  if (!(std::fabs(scaled) <= static_cast<double>(kMaxExactMantissa))) return false;
  const auto nearest = static_cast<int64_t>(std::nearbyint(scaled));
  // value * 10^e is itself rounded; the exact mantissa is at most one away.
  const std::array<int64_t, 3> candidates = {nearest, nearest - 1, nearest + 1};
  const auto* exact = std::ranges::find_if(candidates, [&](int64_t candidate) {
    return candidate >= -kMaxExactMantissa && candidate <= kMaxExactMantissa &&
           bits_of(static_cast<double>(candidate) / kPowersOfTen[exponent]) == bits_of(value);
  });
  if (exact == candidates.end()) return false;
  *mantissa = *exact;
  return true;
}

uint8_t smallest_exponent(double value) {
  if (!std::isfinite(value)) return kNotDecimal;
  int64_t mantissa = 0;
  for (int exponent = 0; exponent <= kMaxDecimalExponent; ++exponent) {
    if (mantissa_at(value, exponent, &mantissa)) return static_cast<uint8_t>(exponent);
    if (std::fabs(value * kPowersOfTen[exponent]) > static_cast<double>(kMaxExactMantissa)) break;
  }
  return kNotDecimal;
}

// The mantissas of a column at one exponent; exceptions hold 0 and are flagged.
struct Mantissas {
  std::vector<int64_t> values;
  std::vector<uint32_t> exceptions;  // indices, increasing
};

Mantissas mantissas_at(std::span<const double> values, int exponent) {
  Mantissas result;
  result.values.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (!mantissa_at(values[i], exponent, &result.values[i])) {
      result.exceptions.push_back(static_cast<uint32_t>(i));
    }
  }
  return result;
}

// Residuals in encoding order: the first `order` as they are, the rest zigzag.
void residuals_of(const Mantissas& mantissas, int order, std::vector<uint64_t>& residuals) {
  residuals.resize(mantissas.values.size());
  uint64_t previous = 0;
  uint64_t previous_delta = 0;
  size_t next_exception = 0;
  for (size_t i = 0; i < mantissas.values.size(); ++i) {
    const uint64_t prediction = order == 0 ? 0 : order == 1 ? previous : previous + previous_delta;
    auto mantissa = static_cast<uint64_t>(mantissas.values[i]);
    if (next_exception < mantissas.exceptions.size() && mantissas.exceptions[next_exception] == i) {
      ++next_exception;
      mantissa = prediction;
    }
    residuals[i] = zigzag_encode(static_cast<int64_t>(mantissa - prediction));
    previous_delta = i == 0 ? 0 : mantissa - previous;
    previous = mantissa;
  }
}

size_t varint_size(uint64_t value) {
  return static_cast<size_t>(std::bit_width(value | 1) + 6) / 7;
}

size_t exceptions_size(const std::vector<uint32_t>& exceptions) {
  size_t size = varint_size(exceptions.size());
  uint32_t next = 0;
  for (const uint32_t index : exceptions) {
    size += varint_size(index - next) + 8;
    next = index + 1;
  }
  return size;
}

size_t residuals_size(std::span<const uint64_t> residuals, int order) {
  const size_t head = std::min<size_t>(static_cast<size_t>(order), residuals.size());
  size_t size = 0;
  for (size_t i = 0; i < head; ++i) size += varint_size(residuals[i]);
  return size + packed_size(residuals.subspan(head));
}

}  // namespace

void encode_decimal_values(std::span<const double> values, std::vector<uint8_t>& out) {
  if (values.empty()) return;
  // Each value's smallest exponent, reusing the last answer for a repeated value.
  std::vector<uint8_t> exponents(values.size());
  std::array<size_t, kMaxDecimalExponent + 1> count_at{};
  size_t not_decimal = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    exponents[i] = i > 0 && bits_of(values[i]) == bits_of(values[i - 1])
                       ? exponents[i - 1]
                       : smallest_exponent(values[i]);
    if (exponents[i] == kNotDecimal) {
      ++not_decimal;
    } else {
      ++count_at[exponents[i]];
    }
  }
  // Candidate exponents, largest first: the largest makes every decimal one;
  // a smaller one turns the values that need more digits into exceptions,
  // which pays when they are few.
  std::vector<int> candidates;
  size_t above = 0;  // decimals that need more digits than the candidate
  for (int exponent = kMaxDecimalExponent; exponent >= 0; --exponent) {
    if (count_at[exponent] == 0) continue;
    if (above > values.size() / 16) break;
    candidates.push_back(exponent);
    above += count_at[exponent];
  }
  if (candidates.empty()) candidates.push_back(0);  // every value an exception

  size_t best_size = SIZE_MAX;
  int best_exponent = 0;
  int best_order = 0;
  Mantissas best_mantissas;
  std::vector<uint64_t> residuals;
  for (const int exponent : candidates) {
    Mantissas mantissas = mantissas_at(values, exponent);
    const size_t fixed = 1 + exceptions_size(mantissas.exceptions);
    bool improved = false;
    for (int order = 0; order <= kMaxOrder; ++order) {
      residuals_of(mantissas, order, residuals);
      const size_t size = fixed + residuals_size(residuals, order);
      if (size < best_size) {
        best_size = size;
        best_exponent = exponent;
        best_order = order;
        improved = true;
      }
    }
    if (improved) best_mantissas = std::move(mantissas);
  }

  ByteWriter writer(out);
  writer.u8(static_cast<uint8_t>(best_exponent | (best_order << 5)));
  writer.uvarint(best_mantissas.exceptions.size());
  uint32_t next = 0;
  for (const uint32_t index : best_mantissas.exceptions) {
    writer.uvarint(index - next);
    writer.u64(bits_of(values[index]));
    next = index + 1;
  }
  residuals_of(best_mantissas, best_order, residuals);
  const size_t head = std::min<size_t>(static_cast<size_t>(best_order), residuals.size());
  for (size_t i = 0; i < head; ++i) writer.uvarint(residuals[i]);
  pack_blocks(std::span<const uint64_t>(residuals).subspan(head), out);
}

// The mantissas from their residuals, as values. One loop per order and per
// "divided or not": the loop a query runs for every value it reads (a sixth
// of a 1-hour rate's CPU) had both tests in it, and divided integer counters
// (exponent 0) by 1.0, which changes no bit and costs a division a value.
template <int kOrder, bool kScaled>
void reconstruct_decimals(std::span<const uint64_t> residuals, double divisor,
                          std::span<double> out) {
  uint64_t previous = 0;
  uint64_t previous_delta = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    uint64_t prediction = 0;
    if constexpr (kOrder == 1) prediction = previous;
    if constexpr (kOrder == 2) prediction = previous + previous_delta;
    const uint64_t mantissa = prediction + static_cast<uint64_t>(zigzag_decode(residuals[i]));
    if constexpr (kOrder == 2) previous_delta = i == 0 ? 0 : mantissa - previous;
    previous = mantissa;
    const auto value = static_cast<double>(static_cast<int64_t>(mantissa));
    out[i] = kScaled ? value / divisor : value;
  }
}

bool decode_decimal_values(ByteReader& reader, std::span<double> out) {
  if (out.empty()) return true;
  const uint8_t header = reader.u8();
  const int exponent = header & 0x1f;
  const int order = header >> 5;
  if (!reader.ok() || exponent > kMaxDecimalExponent || order > kMaxOrder) return false;

  // Exceptions are read first but applied last; keep their place in the input.
  const uint64_t exception_count = reader.uvarint();
  if (!reader.ok() || exception_count > out.size() || exception_count > reader.remaining() / 9) {
    return false;
  }
  ByteReader exceptions = reader;
  uint64_t next = 0;
  for (uint64_t e = 0; e < exception_count; ++e) {
    const uint64_t gap = reader.uvarint();
    reader.u64();
    if (!reader.ok() || gap >= out.size() - next) return false;
    next += gap + 1;
  }

  // A scratch buffer per thread: decoding allocates nothing once it is warm.
  thread_local std::vector<uint64_t> scratch;
  scratch.resize(out.size());
  std::span<uint64_t> residuals(scratch);
  const size_t head = std::min<size_t>(static_cast<size_t>(order), out.size());
  for (size_t i = 0; i < head; ++i) residuals[i] = reader.uvarint();
  if (!reader.ok() || !unpack_blocks(reader, out.size() - head, residuals.subspan(head))) {
    return false;
  }
  const double divisor = kPowersOfTen[exponent];
  const bool scaled = exponent != 0;
  if (order == 0) {
    scaled ? reconstruct_decimals<0, true>(residuals, divisor, out)
           : reconstruct_decimals<0, false>(residuals, divisor, out);
  } else if (order == 1) {
    scaled ? reconstruct_decimals<1, true>(residuals, divisor, out)
           : reconstruct_decimals<1, false>(residuals, divisor, out);
  } else {
    scaled ? reconstruct_decimals<2, true>(residuals, divisor, out)
           : reconstruct_decimals<2, false>(residuals, divisor, out);
  }

  next = 0;
  for (uint64_t e = 0; e < exception_count; ++e) {
    next += exceptions.uvarint();
    out[next] = std::bit_cast<double>(exceptions.u64());
    ++next;
  }
  return true;
}

}  // namespace mc::columnar
