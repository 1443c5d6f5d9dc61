#include "tests/support/postgres_server.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/http_client.hpp"

namespace mc::test {

namespace {

constexpr const char* kServerUser = "postgres";

bool running_as_root() { return ::geteuid() == 0; }

std::string binary(const char* name) { return std::string(PostgresServer::kBinDir) + "/" + name; }

}  // namespace

std::optional<std::string> PostgresServer::unavailable_reason() {
  for (const char* name : {"initdb", "pg_ctl", "postgres", "psql"}) {
    if (::access(binary(name).c_str(), X_OK) != 0) {
      return binary(name) + " is missing: install postgresql-15 (deploy/install-deps.sh does)";
    }
  }
  if (running_as_root() && ::getpwnam(kServerUser) == nullptr) {
    return "running as root but there is no 'postgres' user to run the server as "
           "(deploy/install-deps.sh installs postgresql-15, which creates it)";
  }
  return std::nullopt;
}

RunResult PostgresServer::run_as_server_user(std::vector<std::string> argv) const {
  if (running_as_root()) {
    argv.insert(argv.begin(), {"runuser", "-u", kServerUser, "--"});
  }
  return run_program(std::move(argv), {}, std::chrono::seconds(60));
}

PostgresServer::PostgresServer() {
  if (auto reason = unavailable_reason()) throw std::runtime_error(*reason);
  if (running_as_root()) {
    const passwd* user = ::getpwnam(kServerUser);
    if (::chown(dir_.path().c_str(), user->pw_uid, user->pw_gid) != 0) {
      throw std::runtime_error("cannot give " + dir_.path().string() + " to " + kServerUser);
    }
  }
  data_dir_ = dir_.path() / "data";
  // Written by us, read by initdb (running as the server user): world-readable.
  auto password_file = dir_.write_file("password", std::string(kAdminPassword) + "\n");
  std::filesystem::permissions(password_file, std::filesystem::perms::owner_read |
                                                  std::filesystem::perms::owner_write |
                                                  std::filesystem::perms::others_read);
  RunResult initdb = run_as_server_user({binary("initdb"), "-D", data_dir_.string(), "-U",
                                         kAdminUser, "--pwfile=" + password_file.string(),
                                         "--auth-local=trust", "--auth-host=scram-sha-256",
                                         "--no-sync", "--encoding=UTF8", "--locale=C"});
  if (initdb.exit_status != 0) throw std::runtime_error("initdb failed:\n" + initdb.output);

  port_ = free_port();
  // Appended settings win over initdb's. fsync is off (a test cluster need
  // not survive the machine crashing), but synchronous_commit stays on: an
  // immediate stop is a crash of the server, and must not lose commits.
  std::ofstream conf(data_dir_ / "postgresql.conf", std::ios::app);
  conf << "listen_addresses = '127.0.0.1'\n"
       << "port = " << port_ << "\n"
       << "unix_socket_directories = '" << dir_.path().string() << "'\n"
       << "fsync = off\nfull_page_writes = off\n"
       << "shared_buffers = 16MB\nmax_connections = 30\n";
  if (!conf) throw std::runtime_error("cannot write postgresql.conf");
}

PostgresServer::~PostgresServer() { stop(); }

void PostgresServer::start() {
  if (running_) return;
  RunResult started = run_as_server_user({binary("pg_ctl"), "start", "-D", data_dir_.string(), "-l",
                                          (dir_.path() / "server.log").string(), "-w", "-t", "30"});
  if (started.exit_status != 0) {
    throw std::runtime_error("pg_ctl start failed:\n" + started.output + "\n" + server_log());
  }
  running_ = true;
}

void PostgresServer::stop() {
  if (!running_) return;
  run_as_server_user({binary("pg_ctl"), "stop", "-D", data_dir_.string(), "-m", "immediate", "-w"});
  running_ = false;
}

std::string PostgresServer::url(const std::string& database) const {
  return "postgresql://" + std::string(kAdminUser) + ":" + kAdminPassword +
         "@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::psql(const std::string& sql, const std::string& database) const {
  auto script = dir_.write_file("script.sql", sql);
  RunResult result = run_program({binary("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                                  "-h", dir_.path().string(), "-p", std::to_string(port_), "-U",
                                  kAdminUser, "-d", database, "-f", script.string()});
  if (result.exit_status != 0) throw std::runtime_error("psql failed:\n" + result.output);
  return result.output;
}

std::string PostgresServer::server_log() const {
  std::ifstream in(dir_.path() / "server.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mc::test
