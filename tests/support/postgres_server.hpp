// PostgresServer: a throwaway PostgreSQL 15 cluster for a test. The
// constructor runs initdb in a fresh TempDir; start() and stop() run pg_ctl
// (stop is `-m immediate`: a crash, which is what a restart test wants and
// the fastest way out). It listens on 127.0.0.1 only, on a free port, and on
// a Unix socket inside its directory. The destructor stops it and removes
// everything.
//
// Running as root (CI), the cluster runs as the `postgres` user the Debian
// package creates: the directory is given to that user and every server
// command goes through `runuser -u postgres`.
//
// Authentication: over TCP with scram-sha-256 as kAdminUser / kAdminPassword
// (so tests can check that a password never shows); psql() connects over the
// socket, trusted.
//
// Tests call PostgresServer::unavailable_reason() first and skip (WARN and
// return) when it says the binaries are absent; deploy/install-deps.sh
// installs them, so CI always runs these tests.
//
// Two helpers the SQL tests share sit here too: MC_REQUIRE_POSTGRES() and
// ScopedEnvironment (a daemon started by the test inherits the variable).
//
// Thread-safety: none; one test thread drives it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "tests/support/child_process.hpp"
#include "tests/support/scoped_environment.hpp"  // the DSN reaches the daemon through it
#include "tests/support/temp_dir.hpp"

namespace mc::test {

class PostgresServer {
 public:
  static constexpr const char* kAdminUser = "mc_admin";
  static constexpr const char* kAdminPassword = "s3cr3t-Pa55word!";
  static constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";

  // Why no cluster can be made here (binaries or the postgres user missing),
  // or nullopt when one can.
  static std::optional<std::string> unavailable_reason();

  // initdb; throws std::runtime_error with initdb's output when it fails.
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // pg_ctl start, waiting until it accepts connections; throws on failure.
  void start();
  // pg_ctl stop -m immediate; no-op when stopped.
  void stop();
  bool running() const { return running_; }

  uint16_t port() const { return port_; }
  // postgresql://mc_admin:<password>@127.0.0.1:<port>/<database>
  std::string url(const std::string& database = "postgres") const;
  // Runs SQL through psql as kAdminUser (ON_ERROR_STOP); throws with psql's
  // output when it fails. Returns psql's unaligned, tuples-only output.
  std::string psql(const std::string& sql, const std::string& database = "postgres") const;
  // The server's own log, for failure messages.
  std::string server_log() const;

 private:
  RunResult run_as_server_user(std::vector<std::string> argv) const;

  TempDir dir_;
  std::filesystem::path data_dir_;
  uint16_t port_ = 0;
  bool running_ = false;
};

}  // namespace mc::test

// In a Catch2 test: skips the test (a warning, not a failure) when no
// PostgreSQL cluster can be made here.
#define MC_REQUIRE_POSTGRES()                                              \
  do {                                                                     \
    if (auto reason_ = ::mc::test::PostgresServer::unavailable_reason()) { \
      WARN("skipped: " << *reason_);                                       \
      return;                                                              \
    }                                                                      \
  } while (false)
