// DSNs libpq parses but never connects with are refused when they are read,
// with the option named, and what only the network decides is let through.
// That libpq itself refuses each of these DSNs is checked against the real
// libpq (through psql) in tests/integration/sql_unusable_dsn_test.cpp.
#include "collector/sql/connection_options_check.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "collector/sql/connection_string.hpp"

using namespace std::chrono_literals;

TEST_CASE("a DSN libpq parses but cannot use is refused, naming the option",
          "[connection_string]") {
  struct Case {
    std::string dsn;
    std::string ours;  // in our message
  };
  for (const Case& bad : std::vector<Case>{
           {"host=127.0.0.1 port=notaport", "port \"notaport\" is not a port number"},
           {"postgresql://metrics:pw@127.0.0.1:notaport/app", "port \"notaport\""},
           {"host=127.0.0.1 port=70000", "port \"70000\""},
           {"host=127.0.0.1 port=0", "port \"0\""},
           {"host=127.0.0.1 port=1,", "2 ports for 1 hosts"},
           {"host=a,b port=1,2,3", "3 ports for 2 hosts"},
           {"host=127.0.0.1 sslmode=bogus", "sslmode \"bogus\" is not one of disable, allow"},
           {"host=127.0.0.1 port=1 gssencmode=x", "gssencmode \"x\""},
           {"host=127.0.0.1 port=1 channel_binding=x", "channel_binding \"x\""},
           {"host=127.0.0.1 port=1 target_session_attrs=x", "target_session_attrs \"x\""},
           {"host=127.0.0.1 port=1 ssl_min_protocol_version=x", "ssl_min_protocol_version \"x\""},
           {"hostaddr=db.internal", "hostaddr \"db.internal\" is not a numeric"},
           {"host=a,b hostaddr=127.0.0.1", "2 host names for 1 hostaddr"},
           {"host=127.0.0.1 port=1 connect_timeout=ten",
            "connect_timeout \"ten\" is not an integer"},
           {"host=127.0.0.1 port=1 keepalives_idle=x", "keepalives_idle \"x\""},
       }) {
    INFO(bad.dsn);
    auto parsed = mc::ConnectionString::parse(bad.dsn, 10s);
    REQUIRE_FALSE(parsed.is_ok());
    CHECK_THAT(parsed.error(),
               Catch::Contains("unusable connection string: ") && Catch::Contains(bad.ours));
  }
}

TEST_CASE("what only the network decides is not refused when the DSN is read",
          "[connection_string]") {
  for (const char* usable : {
           "host=127.0.0.1 port=1",                // nothing listens: retried
           "host=no-such-host.invalid port=5432",  // DNS failure: retried
           "host=a,b,c port=5432",                 // one port for all hosts
           "host=a,b port=5432,",                  // an empty port is the default
           "host=a,b hostaddr=127.0.0.1,::1 port=1,2",
           "host=127.0.0.1 port=' 5432 ' sslmode=verify-full connect_timeout=' 3 '",
           "postgresql://metrics:pw@[::1]:5432,127.0.0.1:6432/app?target_session_attrs=read-write",
           "host=/var/run/postgresql dbname=app",
           "",
       }) {
    INFO(usable);
    auto parsed = mc::ConnectionString::parse(usable, 10s);
    CHECK(parsed.is_ok());
    if (!parsed.is_ok()) WARN(parsed.error());
  }
}

TEST_CASE("the password is never quoted in a refusal", "[connection_string]") {
  auto parsed =
      mc::ConnectionString::parse("postgresql://metrics:notaport@127.0.0.1:notaport/app", 10s);
  REQUIRE_FALSE(parsed.is_ok());
  // The port's value is the password too: redacted, as everywhere.
  CHECK_THAT(parsed.error(), !Catch::Contains("notaport"));
  CHECK_THAT(parsed.error(), Catch::Contains("port \"xxxxx\""));
}
