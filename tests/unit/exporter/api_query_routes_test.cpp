// /api/v1/query and /query_range over the real engine and a real head: the
// parameters checked in Prometheus 2.42's order and words, results and
// errors in its JSON and status codes.
#include "exporter/api/api_query_routes.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "common/store/head_storage.hpp"

namespace mc::api {
namespace {

struct Fixture {
  HeadStorage storage;
  query::QueryEngine engine{storage};
  std::vector<Route> routes = query_routes(engine);

  Fixture() {
    auto appender = storage.appender();
    const AppendResult up =
        appender->append(0, Labels{{"__name__", "up"}, {"job", "api"}}, 10'000, 1);
    appender->append(up.ref, {}, 20'000, 0);
    REQUIRE(appender->commit().is_ok());
  }

  HttpResponse call(std::string_view pattern, std::string_view query, bool post = false) {
    HttpRequest request;
    request.method = post ? "POST" : "GET";
    request.params_status = request.params.add_encoded(query);
    for (const Route& route : routes) {
      if (route.pattern == pattern) return post ? route.post(request) : route.get(request);
    }
    FAIL("no route " << pattern);
    return {};
  }
  HttpResponse instant(std::string_view query) { return call("/api/v1/query", query); }
  HttpResponse range(std::string_view query) { return call("/api/v1/query_range", query); }
};

std::string bad_data(const std::string& message) {
  return R"({"status":"error","errorType":"bad_data","error":")" + message + "\"}";
}

TEST_CASE("instant queries: each result type, GET and POST", "[exporter][api]") {
  Fixture fixture;
  CHECK(fixture.instant("query=1%2B1&time=1796492776.501").body ==
        R"({"status":"success","data":{"resultType":"scalar","result":[1796492776.501,"2"]}})");
  CHECK(fixture.call("/api/v1/query", "query=1%2B1&time=1796492776.501", true).body ==
        R"({"status":"success","data":{"resultType":"scalar","result":[1796492776.501,"2"]}})");
  CHECK(fixture.instant("query=%22a%22&time=10").body ==
        R"({"status":"success","data":{"resultType":"string","result":[10,"a"]}})");
  CHECK(
      fixture.instant("query=up&time=15").body ==
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"api"},"value":[15,"1"]}]}})");
  CHECK(
      fixture.instant("query=up%5B15s%5D&time=20").body ==
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"api"},"values":[[10,"1"],[20,"0"]]}]}})");
  CHECK(
      fixture.instant("query=up&time=1970-01-01T00:00:25.5Z").body ==
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"api"},"value":[25.5,"0"]}]}})");
}

TEST_CASE("range queries: a matrix at each step", "[exporter][api]") {
  Fixture fixture;
  CHECK(
      fixture.range("query=up&start=10&end=20&step=5").body ==
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"api"},"values":[[10,"1"],[15,"1"],[20,"0"]]}]}})");
  CHECK(
      fixture.range("query=1&start=10&end=12&step=1s").body ==
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[10,"1"],[11,"1"],[12,"1"]]}]}})");
}

TEST_CASE("instant query parameters refused in Prometheus's words", "[exporter][api]") {
  Fixture fixture;
  HttpResponse response = fixture.instant("query=1&time=abc");
  CHECK(response.status == 400);
  CHECK(
      response.body ==
      bad_data(
          R"(invalid parameter \"time\": Invalid time value for 'time': cannot parse \"abc\" to a valid timestamp)"));
  CHECK(fixture.instant("query=1&timeout=x").body ==
        bad_data(R"(invalid parameter \"timeout\": cannot parse \"x\" to a valid duration)"));
  response = fixture.instant("query=sum(");
  CHECK(response.status == 400);
  CHECK(response.body ==
        bad_data(R"(invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis)"));
  CHECK(fixture.instant("").body ==
        bad_data(R"(invalid parameter \"query\": 1:1: parse error: no expression found in input)"));
}

TEST_CASE("range query parameters refused in Prometheus's order and words", "[exporter][api]") {
  Fixture fixture;
  CHECK(fixture.range("query=up&start=x&end=y&step=z").body ==
        bad_data(R"(invalid parameter \"start\": cannot parse \"x\" to a valid timestamp)"));
  CHECK(fixture.range("query=up&start=1&end=y&step=z").body ==
        bad_data(R"(invalid parameter \"end\": cannot parse \"y\" to a valid timestamp)"));
  CHECK(fixture.range("query=up&start=10&end=5&step=z").body ==
        bad_data(R"(invalid parameter \"end\": end timestamp must not be before start time)"));
  CHECK(fixture.range("query=up&start=1&end=5&step=z").body ==
        bad_data(R"(invalid parameter \"step\": cannot parse \"z\" to a valid duration)"));
  const std::string zero_step = bad_data(
      R"(invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer)");
  CHECK(fixture.range("query=up&start=1&end=5&step=0").body == zero_step);
  CHECK(fixture.range("query=up&start=1&end=5&step=-1").body == zero_step);
  CHECK(fixture.range("query=up&start=1&end=5&step=0.0001").body == zero_step);
  const std::string too_many = bad_data(
      "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query "
      "resolution (?step=XX)");
  CHECK(fixture.range("query=up&start=0&end=11001&step=1").body == too_many);
  CHECK(fixture.range("query=up&start=-9e15&end=9e15&step=1").body == too_many);
  CHECK(fixture.range("query=up&start=0&end=11000&step=1&timeout=x").body ==
        bad_data(R"(invalid parameter \"timeout\": cannot parse \"x\" to a valid duration)"));
  HttpResponse response = fixture.range("query=sum(&start=1&end=5&step=1");
  CHECK(response.status == 400);
  CHECK(response.body == bad_data("1:5: parse error: unclosed left parenthesis"));
  CHECK(
      fixture.range("query=up%5B5m%5D&start=1&end=5&step=1").body ==
      bad_data(
          R"(invalid expression type \"range vector\" for range query, must be Scalar or instant Vector)"));
}

TEST_CASE("the timeout parameter stops a query before --query.timeout", "[exporter][api]") {
  Fixture fixture;  // the engine's timeout is the default 2 minutes
  // About 8.6e8 subquery steps: minutes of work if the parameter were ignored.
  for (const bool post : {false, true}) {
    const HttpResponse stopped = fixture.call(
        "/api/v1/query", "query=count_over_time(up[10000d:1s])&time=20&timeout=50ms", post);
    CHECK(stopped.status == 503);
    CHECK(
        stopped.body ==
        R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})");
  }
  const HttpResponse ranged =
      fixture.range("query=count_over_time(up[10000d:1s])&start=10&end=20&step=5&timeout=0.05");
  CHECK(ranged.status == 503);
  // A longer timeout than the engine's changes nothing for a quick query.
  CHECK(fixture.instant("query=up&time=10&timeout=87600h").status == 200);
}

// Thanos's max_source_resolution: auto (the default), raw or 0s, or a
// duration; the head has no tiers, so every accepted value answers alike
// (which tier it reads: tests/unit/query/engine_tiers_test.cpp).
TEST_CASE("max_source_resolution: auto, raw, durations accepted, anything else refused",
          "[exporter][api][tiers]") {
  Fixture fixture;
  const std::string expected =
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"api"},"value":[15,"1"]}]}})";
  for (const std::string value : {"", "auto", "raw", "0s", "0", "5m", "1h"}) {
    INFO(value);
    CHECK(fixture.instant("query=up&time=15&max_source_resolution=" + value).body == expected);
    CHECK(fixture.range("query=up&start=10&end=20&step=5&max_source_resolution=" + value).status ==
          200);
  }
  for (const std::string value : {"5x", "fine", "-5m", "RAW"}) {
    INFO(value);
    const std::string message =
        R"(invalid parameter \"max_source_resolution\": \")" + value +
        R"(\" is not auto, raw or a non-negative duration such as 0s, 5m or 1h)";
    HttpResponse response = fixture.instant("query=up&time=15&max_source_resolution=" + value);
    CHECK(response.status == 400);
    CHECK(response.body == bad_data(message));
    response = fixture.range("query=up&start=10&end=20&step=5&max_source_resolution=" + value);
    CHECK(response.status == 400);
    CHECK(response.body == bad_data(message));
  }
}

TEST_CASE("evaluation errors: status code by kind, warnings kept", "[exporter][api]") {
  query::QueryResult result;
  result.error =
      query::QueryError{query::QueryErrorKind::Timeout, "query timed out in expression evaluation"};
  HttpResponse response = query_response(result, QueryKind::instant);
  CHECK(response.status == 503);
  CHECK(
      response.body ==
      R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})");
  result.error->kind = query::QueryErrorKind::Execution;
  CHECK(query_response(result, QueryKind::range).status == 422);
  result.error->kind = query::QueryErrorKind::Canceled;
  CHECK(query_response(result, QueryKind::range).status == 503);
  result.error->kind = query::QueryErrorKind::Internal;
  CHECK(query_response(result, QueryKind::range).status == 500);

  query::QueryResult warned;
  warned.value = query::ScalarValue{1000, 1};
  warned.warnings = {"served by the 5m tier"};
  CHECK(
      query_response(warned, QueryKind::instant).body ==
      R"({"status":"success","data":{"resultType":"scalar","result":[1,"1"]},"warnings":["served by the 5m tier"]})");
}

TEST_CASE("too many samples is a 422 with Prometheus's message", "[exporter][api]") {
  HeadStorage storage;
  auto appender = storage.appender();
  for (int i = 0; i < 20; ++i) {
    appender->append(0, Labels{{"__name__", "m"}, {"i", std::to_string(i)}}, 1000, i);
  }
  REQUIRE(appender->commit().is_ok());
  query::EngineOptions options;
  options.max_samples = 5;
  query::QueryEngine engine(storage, options);
  const HttpResponse response = query_response(engine.instant_query("m", 1000), QueryKind::instant);
  CHECK(response.status == 422);
  CHECK(
      response.body ==
      R"({"status":"error","errorType":"execution","error":"query processing would load too many samples into memory in query execution"})");
}

}  // namespace
}  // namespace mc::api
