// BasicAuthenticator: checks the Authorization header of every request against
// the web config's basic_auth_users (bcrypt hashes), as exporter-toolkit does.
//
// bcrypt is slow by design (about 70 ms at cost 10), so a successful check is
// cached under a SHA-256 of user, hash and password: a scraper that sends the
// same credentials every 15 s pays once. Only successes are cached, so a
// stream of wrong passwords cannot evict the right one; wrong passwords pay
// bcrypt every time, one at a time (checks are serialised so that guessing
// costs at most one core). An unknown user is checked against a configured
// user's hash and then refused, so the time taken does not reveal which user
// names exist. The password is never stored in clear or logged.
//
// Thread-safety: check() may be called from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace mc {

enum class AuthOutcome {
  allowed,
  missing_credentials,  // no Authorization header, or not "Basic"
  malformed,            // "Basic" with a value that is not base64 of user:password
  unknown_user,
  wrong_password,
};

// The `reason` label of metrics_collector_http_auth_failures_total ("" for allowed).
std::string_view auth_failure_reason(AuthOutcome outcome);

class BasicAuthenticator {
 public:
  using Users = std::map<std::string, std::string, std::less<>>;  // user -> bcrypt hash

  // The cache holds at most this many verified credentials; when full it starts over.
  static constexpr size_t kCacheCapacity = 1024;

  explicit BasicAuthenticator(Users users);

  // False when no users are configured: every request is allowed.
  bool enabled() const { return !users_.empty(); }

  // `authorization` is the request's Authorization header; nullptr when absent.
  AuthOutcome check(const char* authorization);

  // How many verified credentials the cache holds (for tests and debugging).
  size_t cached_credentials() const;

 private:
  // `remember`: cache a match (false for an unknown user checked against another's hash).
  bool verify(std::string_view user, const std::string& hash, std::string_view password,
              bool remember);

  const Users users_;
  std::mutex bcrypt_mutex_;  // one bcrypt at a time
  mutable std::mutex cache_mutex_;
  std::unordered_set<std::string> verified_;  // GUARDED_BY(cache_mutex_); SHA-256 digests
};

}  // namespace mc
