// ConnectionString: DSNs from the environment, a file or the config, the
// settings the collector adds, and a password that never shows.
#include "collector/sql/connection_string.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;

namespace {

constexpr const char* kPassword = "p@ss w0rd'\\x";

mc::ConnectionString parse_ok(std::string_view dsn) {
  auto parsed = mc::ConnectionString::parse(dsn, 10s);
  INFO("dsn: " << dsn);
  if (!parsed.is_ok()) FAIL("unexpected error: " << parsed.error());
  return *parsed;
}

mc::ConnectionString::EnvironmentLookup environment(std::map<std::string, std::string> variables) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("a URL DSN becomes key=value with our settings added", "[connection_string]") {
  auto dsn = parse_ok("postgresql://metrics:secret@db.internal:6432/app?sslmode=disable");
  CHECK(dsn.conninfo() ==
        "user='metrics' password='secret' dbname='app' host='db.internal' port='6432' "
        "sslmode='disable' fallback_application_name='metrics-collector' connect_timeout=10 "
        "client_encoding=UTF8");
  CHECK(dsn.description() == "host=db.internal port=6432 dbname=app user=metrics");
}

TEST_CASE("the DSN's own application_name and connect_timeout win", "[connection_string]") {
  auto dsn = parse_ok(
      "host=/var/run/postgresql dbname=app application_name=reports "
      "connect_timeout=3 client_encoding=LATIN1");
  CHECK(dsn.conninfo() ==
        "connect_timeout='3' dbname='app' host='/var/run/postgresql' application_name='reports' "
        "client_encoding=UTF8");
  CHECK(dsn.description() == "host=/var/run/postgresql dbname=app");
  // connect_timeout in whole seconds, rounded up, at least 2 (libpq's minimum).
  CHECK_THAT(mc::ConnectionString::parse("dbname=a", 500ms)->conninfo(),
             Catch::Contains("connect_timeout=2 "));
  CHECK_THAT(mc::ConnectionString::parse("dbname=a", 2500ms)->conninfo(),
             Catch::Contains("connect_timeout=3 "));
  CHECK(parse_ok("").description() == "(libpq defaults)");
}

TEST_CASE("the password never shows outside conninfo()", "[connection_string]") {
  // key=value form, quoted, with a quote and a backslash in it.
  auto keyword = parse_ok("host=db user=me password='p@ss w0rd\\'\\\\x'");
  CHECK_THAT(keyword.conninfo(), Catch::Contains("password='p@ss w0rd\\'\\\\x'"));
  CHECK_THAT(keyword.description(), !Catch::Contains("w0rd"));
  CHECK(keyword.redact(std::string("FATAL: password ") + kPassword + " rejected") ==
        "FATAL: password xxxxx rejected");

  // URL form: percent-encoded as written, decoded by libpq; both are secrets.
  auto url = parse_ok("postgresql://me:p%40ss%20w0rd@db/app");
  CHECK_THAT(url.conninfo(), Catch::Contains("password='p@ss w0rd'"));
  CHECK(url.redact("a p@ss w0rd b p%40ss%20w0rd c") == "a xxxxx b xxxxx c");
  CHECK_THAT(url.description(), !Catch::Contains("w0rd"));

  // A DSN libpq cannot parse: the error names the problem, not the password.
  auto bad = mc::ConnectionString::parse("postgresql://me:hunter2@db/app?x=1", 10s);
  REQUIRE_FALSE(bad.is_ok());
  CHECK_THAT(bad.error(), Catch::StartsWith("invalid connection string: "));
  CHECK_THAT(bad.error(), !Catch::Contains("hunter2"));
  auto bad_keyword = mc::ConnectionString::parse("password=hunter2 garbage", 10s);
  REQUIRE_FALSE(bad_keyword.is_ok());
  CHECK_THAT(bad_keyword.error(), !Catch::Contains("hunter2"));
}

TEST_CASE("resolve takes the DSN from the environment, a file or the config",
          "[connection_string]") {
  mc::SqlDatabaseConfig database;
  database.name = "app";
  database.dsn_env = "DATABASE_URL";
  auto from_env = mc::ConnectionString::resolve(
      database, environment({{"DATABASE_URL", "postgresql://u:hunter2@h/d"}}));
  REQUIRE(from_env.is_ok());
  CHECK(from_env->description() == "host=h dbname=d user=u");

  auto unset = mc::ConnectionString::resolve(database, environment({}));
  REQUIRE_FALSE(unset.is_ok());
  CHECK(unset.error() ==
        "sql database \"app\": environment variable DATABASE_URL is not set or empty");
  auto bad = mc::ConnectionString::resolve(
      database, environment({{"DATABASE_URL", "postgresql://u:hunter2@h/d?no_such_key=1"}}));
  REQUIRE_FALSE(bad.is_ok());
  CHECK_THAT(bad.error(), Catch::StartsWith("sql database \"app\": DSN from environment variable "
                                            "DATABASE_URL: invalid connection string: "));
  CHECK_THAT(bad.error(), !Catch::Contains("hunter2"));

  mc::test::TempDir dir;
  database.dsn_env.clear();
  database.dsn_file =
      dir.write_file("dsn", "host=h dbname=from_file password=hunter2\n\n").string();
  auto from_file = mc::ConnectionString::resolve(database, environment({}));
  REQUIRE(from_file.is_ok());
  CHECK(from_file->description() == "host=h dbname=from_file");
  database.dsn_file = (dir.path() / "absent").string();
  auto missing = mc::ConnectionString::resolve(database, environment({}));
  REQUIRE_FALSE(missing.is_ok());
  CHECK_THAT(missing.error(), Catch::StartsWith("sql database \"app\": cannot read DSN file \"" +
                                                database.dsn_file + "\": No such file"));

  database.dsn_file.clear();
  database.dsn = "dbname=inline";
  auto inline_dsn = mc::ConnectionString::resolve(database, environment({}));
  REQUIRE(inline_dsn.is_ok());
  CHECK(inline_dsn->description() == "dbname=inline");
}
