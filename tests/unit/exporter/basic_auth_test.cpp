// BasicAuthenticator: the outcome of each kind of Authorization header, and
// that a verified password is cached.
#include <crypt.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "exporter/basic_auth.hpp"

using mc::AuthOutcome;
using mc::BasicAuthenticator;

namespace {

// bcrypt at the lowest cost (4) keeps the tests fast; the server does not care.
std::string bcrypt_hash(const std::string& password) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  REQUIRE(crypt_gensalt_rn("$2b$", 4, nullptr, 0, setting, sizeof setting) != nullptr);
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_rn(password.c_str(), setting, data.get(), sizeof *data);
  REQUIRE(hash != nullptr);
  return hash;
}

// "Basic " + base64 of "user:password", by the book (RFC 4648).
std::string basic_header(const std::string& user_and_password) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out = "Basic ";
  const std::string& in = user_and_password;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t group = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) group |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) group |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(group >> 18) & 63];
    out += kAlphabet[(group >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(group >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[group & 63] : '=';
  }
  return out;
}

}  // namespace

TEST_CASE("basic auth: without users every request is allowed", "[basic_auth]") {
  BasicAuthenticator authenticator({});
  CHECK_FALSE(authenticator.enabled());
  CHECK(authenticator.check(nullptr) == AuthOutcome::allowed);
}

TEST_CASE("basic auth: the outcome of each kind of header", "[basic_auth]") {
  BasicAuthenticator authenticator(
      {{"alice", bcrypt_hash("wonderland")}, {"bob", bcrypt_hash("p:a:ss")}});
  CHECK(authenticator.enabled());
  CHECK(authenticator.check(basic_header("alice:wonderland").c_str()) == AuthOutcome::allowed);
  // The password is everything after the first colon.
  CHECK(authenticator.check(basic_header("bob:p:a:ss").c_str()) == AuthOutcome::allowed);
  CHECK(authenticator.check(basic_header("alice:Wonderland").c_str()) ==
        AuthOutcome::wrong_password);
  CHECK(authenticator.check(basic_header("alice:").c_str()) == AuthOutcome::wrong_password);
  CHECK(authenticator.check(basic_header("alicia:wonderland").c_str()) ==
        AuthOutcome::unknown_user);
  // Another user's password does not open an unknown user's door.
  CHECK(authenticator.check(basic_header("carol:wonderland").c_str()) == AuthOutcome::unknown_user);
  CHECK(authenticator.check(nullptr) == AuthOutcome::missing_credentials);
  CHECK(authenticator.check("Bearer abc") == AuthOutcome::missing_credentials);
  CHECK(authenticator.check("basic YWxpY2U6d29uZGVybGFuZA==") == AuthOutcome::allowed);
  CHECK(authenticator.check("Basic not base64!") == AuthOutcome::malformed);
  CHECK(authenticator.check("Basic YWxpY2U=") == AuthOutcome::malformed);  // "alice", no colon
  CHECK(authenticator.check("Basic YWxpY2U6d29uZGVybGFuZA") == AuthOutcome::malformed);  // no pad
}

TEST_CASE("basic auth: the failure reasons are the metric's label values", "[basic_auth]") {
  CHECK(mc::auth_failure_reason(AuthOutcome::allowed).empty());
  CHECK(mc::auth_failure_reason(AuthOutcome::missing_credentials) == "missing_credentials");
  CHECK(mc::auth_failure_reason(AuthOutcome::malformed) == "malformed");
  CHECK(mc::auth_failure_reason(AuthOutcome::unknown_user) == "unknown_user");
  CHECK(mc::auth_failure_reason(AuthOutcome::wrong_password) == "wrong_password");
}

TEST_CASE("basic auth: a verified password is remembered, a wrong one is not", "[basic_auth]") {
  BasicAuthenticator authenticator({{"alice", bcrypt_hash("secret")}});
  CHECK(authenticator.cached_credentials() == 0);
  for (int i = 0; i < 3; ++i) {
    CHECK(authenticator.check(basic_header("alice:secret").c_str()) == AuthOutcome::allowed);
    CHECK(authenticator.check(basic_header("alice:wrong").c_str()) == AuthOutcome::wrong_password);
    CHECK(authenticator.check(basic_header("mallory:secret").c_str()) == AuthOutcome::unknown_user);
    CHECK(authenticator.cached_credentials() == 1);
  }
}
