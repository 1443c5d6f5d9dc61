#include "common/relabel/hashmod.hpp"

#include <openssl/evp.h>

#include <array>

namespace mc {

uint64_t hashmod(std::string_view value, uint64_t modulus) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(value.data(), value.size(), digest.data(), &length, EVP_md5(), nullptr);
  uint64_t low_half = 0;
  for (size_t i = 8; i < 16; ++i) low_half = (low_half << 8) | digest[i];
  return low_half % modulus;
}

}  // namespace mc
