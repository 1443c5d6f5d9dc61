#include "common/util/crc32c.hpp"

#include <array>
#include <cstring>

namespace mc {

namespace {

constexpr uint32_t kPolynomial = 0x82f63b78;  // Castagnoli, reflected

constexpr std::array<uint32_t, 256> make_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1) ? kPolynomial : 0);
    table[i] = crc;
  }
  return table;
}

constexpr auto kTable = make_table();

uint32_t crc32c_portable(const uint8_t* data, size_t size, uint32_t crc) {
  for (size_t i = 0; i < size; ++i) crc = kTable[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t crc32c_hardware(const uint8_t* data, size_t size,
                                                           uint32_t crc) {
  uint64_t wide = crc;
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, data, 8);
    wide = __builtin_ia32_crc32di(wide, word);
    data += 8;
    size -= 8;
  }
  auto narrow = static_cast<uint32_t>(wide);
  while (size > 0) {
    narrow = __builtin_ia32_crc32qi(narrow, *data);
    ++data;
    --size;
  }
  return narrow;
}

bool has_hardware_crc() {
  static const bool supported = __builtin_cpu_supports("sse4.2");
  return supported;
}
#endif

}  // namespace

uint32_t crc32c(std::span<const uint8_t> bytes, uint32_t crc) {
  crc = ~crc;
#if defined(__x86_64__)
  if (has_hardware_crc()) return ~crc32c_hardware(bytes.data(), bytes.size(), crc);
#endif
  return ~crc32c_portable(bytes.data(), bytes.size(), crc);
}

}  // namespace mc
