// RouteTable: exact and prefix patterns, which one wins, per-method handlers
// and the patterns it refuses.
#include "exporter/route_table.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace mc {
namespace {

RouteHandler answer(std::string body) {
  return [body = std::move(body)](const HttpRequest&) { return HttpResponse::text(200, body); };
}

Route get_route(std::string pattern) {
  Route route;
  route.pattern = std::move(pattern);
  route.get = answer(route.pattern);
  return route;
}

std::string pattern_for(const RouteTable& table, std::string_view path) {
  auto match = table.find(path);
  return match ? match->route->pattern : "(none)";
}

TEST_CASE("exact paths match only themselves", "[exporter][routes]") {
  RouteTable table;
  REQUIRE(table.add(get_route("/")).is_ok());
  REQUIRE(table.add(get_route("/metrics")).is_ok());
  CHECK(pattern_for(table, "/") == "/");
  CHECK(pattern_for(table, "/metrics") == "/metrics");
  CHECK(pattern_for(table, "/metrics/") == "(none)");
  CHECK(pattern_for(table, "/metricsx") == "(none)");
  CHECK(pattern_for(table, "/nothing") == "(none)");
  CHECK(pattern_for(table, "") == "(none)");
  CHECK(table.find("/metrics")->path_suffix.empty());
}

TEST_CASE("prefix patterns hand the rest of the path to the handler", "[exporter][routes]") {
  RouteTable table;
  REQUIRE(table.add(get_route("/api/v1/*")).is_ok());
  REQUIRE(table.add(get_route("/api/v1/label/*")).is_ok());
  REQUIRE(table.add(get_route("/api/v1/labels")).is_ok());

  auto label = table.find("/api/v1/label/job/values");
  REQUIRE(label.has_value());
  CHECK(label->route->pattern == "/api/v1/label/*");  // the longer prefix wins
  CHECK(label->path_suffix == "job/values");
  CHECK(pattern_for(table, "/api/v1/labels") == "/api/v1/labels");  // exact beats prefix
  CHECK(pattern_for(table, "/api/v1/query") == "/api/v1/*");
  CHECK(table.find("/api/v1/")->path_suffix.empty());
  CHECK(pattern_for(table, "/api/v1") == "(none)");  // the prefix includes its slash
  CHECK(pattern_for(table, "/api/v2/query") == "(none)");

  auto patterns = table.patterns();
  std::sort(patterns.begin(), patterns.end());
  CHECK(patterns == std::vector<std::string>{"/api/v1/*", "/api/v1/label/*", "/api/v1/labels"});
}

TEST_CASE("GET answers HEAD too, other methods find no handler", "[exporter][routes]") {
  Route both = get_route("/api/v1/query");
  both.post = answer("posted");
  Route get_only = get_route("/metrics");
  Route post_only;
  post_only.pattern = "/-/reload";
  post_only.post = answer("reloaded");

  CHECK(RouteTable::handler_for(both, "GET") == &both.get);
  CHECK(RouteTable::handler_for(both, "HEAD") == &both.get);
  CHECK(RouteTable::handler_for(both, "POST") == &both.post);
  CHECK(RouteTable::handler_for(both, "PUT") == nullptr);
  CHECK(RouteTable::handler_for(both, "get") == nullptr);  // methods are case-sensitive
  CHECK(RouteTable::handler_for(get_only, "POST") == nullptr);
  CHECK(RouteTable::handler_for(post_only, "GET") == nullptr);
  CHECK(RouteTable::handler_for(post_only, "HEAD") == nullptr);

  CHECK(RouteTable::allowed_methods(both) == "GET, HEAD, POST");
  CHECK(RouteTable::allowed_methods(get_only) == "GET, HEAD");
  CHECK(RouteTable::allowed_methods(post_only) == "POST");
}

TEST_CASE("bad or repeated patterns are refused by name", "[exporter][routes]") {
  RouteTable table;
  REQUIRE(table.add(get_route("/metrics")).is_ok());
  REQUIRE(table.add(get_route("/api/*")).is_ok());
  struct Case {
    Route route;
    std::string message;
  };
  Route no_handler;
  no_handler.pattern = "/empty";
  for (const Case& bad : {
           Case{get_route("/metrics"), "route \"/metrics\": registered twice"},
           Case{get_route("/api/*"), "route \"/api/*\": registered twice"},
           Case{get_route("metrics"), "route \"metrics\": a pattern starts with '/'"},
           Case{get_route(""), "route \"\": a pattern starts with '/'"},
           Case{get_route("/a/*/b"),
                "route \"/a/*/b\": '*' may only end a pattern, as \"/prefix/*\""},
           Case{get_route("/a*"), "route \"/a*\": a prefix pattern ends with \"/*\""},
           Case{no_handler, "route \"/empty\": no handler for any method"},
       }) {
    const Status status = table.add(bad.route);
    REQUIRE_FALSE(status.is_ok());
    CHECK(status.message() == bad.message);
  }
  CHECK(table.patterns().size() == 2);
}

}  // namespace
}  // namespace mc
