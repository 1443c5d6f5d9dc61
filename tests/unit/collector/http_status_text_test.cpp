// http_status_text: Go's http.StatusText, for "server returned HTTP status 401
// Unauthorized".
#include "collector/http_client/http_status_text.hpp"

#include <catch2/catch.hpp>

namespace mc {
namespace {

TEST_CASE("http status text: Go's names", "[http_client]") {
  CHECK(http_status_text(200) == "OK");
  CHECK(http_status_text(302) == "Found");
  CHECK(http_status_text(401) == "Unauthorized");
  CHECK(http_status_text(403) == "Forbidden");
  CHECK(http_status_text(404) == "Not Found");
  CHECK(http_status_text(500) == "Internal Server Error");
  CHECK(http_status_text(503) == "Service Unavailable");
  CHECK(http_status_text(299).empty());
}

}  // namespace
}  // namespace mc
