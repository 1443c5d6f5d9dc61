#include "exporter/basic_auth.hpp"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <memory>
#include <optional>

namespace mc {

namespace {

constexpr std::string_view kBasicPrefix = "Basic ";

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 with padding (RFC 4648 section 4), as RFC 7617 requires.
std::optional<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int values[4];
    int padding = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=' && last && j >= 2) {
        values[j] = 0;
        ++padding;
        continue;
      }
      if (padding > 0) return std::nullopt;  // data after '='
      values[j] = base64_value(c);
      if (values[j] < 0) return std::nullopt;
    }
    const uint32_t group = (values[0] << 18) | (values[1] << 12) | (values[2] << 6) | values[3];
    out.push_back(static_cast<char>(group >> 16));
    if (padding < 2) out.push_back(static_cast<char>((group >> 8) & 0xff));
    if (padding < 1) out.push_back(static_cast<char>(group & 0xff));
  }
  return out;
}

// SHA-256 of the three fields, each followed by a NUL so that no two triples collide.
std::string credentials_digest(std::string_view user, std::string_view hash,
                               std::string_view password) {
  std::string material;
  material.reserve(user.size() + hash.size() + password.size() + 3);
  for (std::string_view part : {user, hash, password}) {
    material.append(part);
    material.push_back('\0');
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(material.data(), material.size(), digest.data(), &length, EVP_sha256(), nullptr);
  OPENSSL_cleanse(material.data(), material.size());
  return {reinterpret_cast<const char*>(digest.data()), length};
}

}  // namespace

std::string_view auth_failure_reason(AuthOutcome outcome) {
  switch (outcome) {
    case AuthOutcome::allowed:
      return "";
    case AuthOutcome::missing_credentials:
      return "missing_credentials";
    case AuthOutcome::malformed:
      return "malformed";
    case AuthOutcome::unknown_user:
      return "unknown_user";
    case AuthOutcome::wrong_password:
      return "wrong_password";
  }
  return "";
}

BasicAuthenticator::BasicAuthenticator(Users users) : users_(std::move(users)) {}

AuthOutcome BasicAuthenticator::check(const char* authorization) {
  if (!enabled()) return AuthOutcome::allowed;
  if (authorization == nullptr) return AuthOutcome::missing_credentials;
  std::string_view header = authorization;
  // The scheme is case-insensitive (RFC 7235); Go's BasicAuth accepts any case too.
  if (header.size() < kBasicPrefix.size() ||
      strncasecmp(header.data(), kBasicPrefix.data(), kBasicPrefix.size()) != 0) {
    return AuthOutcome::missing_credentials;
  }
  auto decoded = decode_base64(header.substr(kBasicPrefix.size()));
  if (!decoded) return AuthOutcome::malformed;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    OPENSSL_cleanse(decoded->data(), decoded->size());
    return AuthOutcome::malformed;
  }
  const std::string_view user = std::string_view(*decoded).substr(0, colon);
  const std::string_view password = std::string_view(*decoded).substr(colon + 1);

  auto found = users_.find(user);
  const bool known = found != users_.end();
  // An unknown user costs as much as a known one: bcrypt against a real hash.
  const std::string& hash = known ? found->second : users_.begin()->second;
  const bool verified = verify(user, hash, password, /*remember=*/known);
  OPENSSL_cleanse(decoded->data(), decoded->size());
  if (!known) return AuthOutcome::unknown_user;
  return verified ? AuthOutcome::allowed : AuthOutcome::wrong_password;
}

size_t BasicAuthenticator::cached_credentials() const {
  std::lock_guard lock(cache_mutex_);
  return verified_.size();
}

bool BasicAuthenticator::verify(std::string_view user, const std::string& hash,
                                std::string_view password, bool remember) {
  const std::string key = credentials_digest(user, hash, password);
  {
    std::lock_guard lock(cache_mutex_);
    if (verified_.contains(key)) return true;
  }
  bool matches = false;
  {
    std::lock_guard lock(bcrypt_mutex_);
    // crypt_data is 32 KiB: too big for a civetweb worker's stack.
    auto data = std::make_unique<crypt_data>();
    const std::string password_text(password);  // crypt_rn wants a NUL-terminated phrase
    const char* computed = crypt_rn(password_text.c_str(), hash.c_str(), data.get(), sizeof *data);
    matches = computed != nullptr && std::strlen(computed) == hash.size() &&
              CRYPTO_memcmp(computed, hash.data(), hash.size()) == 0;
    OPENSSL_cleanse(const_cast<char*>(password_text.data()), password_text.size());
    OPENSSL_cleanse(data.get(), sizeof *data);
  }
  if (matches && remember) {
    std::lock_guard lock(cache_mutex_);
    if (verified_.size() >= kCacheCapacity) verified_.clear();
    verified_.insert(key);
  }
  return matches;
}

}  // namespace mc
