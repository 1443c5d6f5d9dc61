// Which errors no retry fixes (error level) and which may pass (warn level).
#include "collector/sql/error_classes.hpp"

#include <catch2/catch.hpp>

TEST_CASE("SQLSTATEs that no retry fixes are permanent, the others are not", "[error_classes]") {
  for (const char* permanent : {"42601", "42P01", "42703", "42883", "42501", "22P02", "22012",
                                "0A000", "25006", "3D000", "3F000", "21000"}) {
    INFO(permanent);
    CHECK(mc::is_permanent_sqlstate(permanent));
  }
  // Timeout, lost connection, serialization failure, deadlock, lock not
  // available, out of memory, too many connections, internal error, none.
  for (const char* transient : {"57014", "08006", "57P01", "40001", "40P01", "55P03", "53200",
                                "53300", "XX000", "", "42"}) {
    INFO(transient);
    CHECK_FALSE(mc::is_permanent_sqlstate(transient));
  }
}

TEST_CASE("a refused login is told from a database that is away", "[error_classes]") {
  // As libpq 15 words them (tests/integration/sql_database_outage_test.cpp
  // sees the first one from a real server).
  for (const char* refused : {
           "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password "
           "authentication failed for user \"metrics\"",
           "connection to server at \"db\" (10.0.0.5), port 5432 failed: FATAL:  no pg_hba.conf "
           "entry for host \"10.0.0.9\", user \"metrics\", database \"app\", no encryption",
           "connection to server at \"127.0.0.1\", port 5432 failed: fe_sendauth: no password "
           "supplied",
           "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  role \"metrics\" "
           "does not exist",
           "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"app\" "
           "does not exist",
           "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  permission denied "
           "for database \"app\"\nDETAIL:  User does not have CONNECT privilege.",
       }) {
    INFO(refused);
    CHECK(mc::is_refused_login(refused));
  }
  for (const char* away : {
           "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the "
           "server running on that host and accepting TCP/IP connections?",
           "could not translate host name \"db.internal\" to address: Name or service not known",
           "connection to server at \"10.0.0.5\", port 5432 failed: timeout expired",
           "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system "
           "is starting up",
           "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  sorry, too many "
           "clients already",
       }) {
    INFO(away);
    CHECK_FALSE(mc::is_refused_login(away));
  }
}
