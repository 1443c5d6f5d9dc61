// The series, label, metadata and federation routes over a real head: what
// each answers, in Prometheus 2.42's JSON, and how each refuses bad input.
#include "exporter/api/api_series_routes.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "common/store/head_storage.hpp"
#include "common/util/wall_clock.hpp"
#include "exporter/api/api_metadata_route.hpp"
#include "exporter/api/federate_route.hpp"

namespace mc::api {
namespace {

// Two jobs' `up`, a counter with metadata, all stamped `now_ms`.
struct Fixture {
  HeadStorage storage;
  int64_t now_ms = wall_clock_ms() - 10'000;  // room for a later sample before "now"

  Fixture() {
    auto appender = storage.appender();
    appender->append(0, Labels{{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}}, now_ms, 1);
    appender->append(0, Labels{{"__name__", "up"}, {"job", "web"}, {"instance", "b:2"}}, now_ms, 0);
    const AppendResult counter =
        appender->append(0, Labels{{"__name__", "requests_total"}, {"job", "api"}}, now_ms, 7);
    appender->update_metadata(
        counter.ref, MetricMetadata{"requests_total", MetricType::counter, "Requests <all>.", ""});
    REQUIRE(appender->commit().is_ok());
  }

  HttpResponse get(const Route& route, std::string_view query, std::string_view suffix = {}) {
    HttpRequest request;
    request.method = "GET";
    request.path_suffix = suffix;
    request.query_string = query;
    request.params_status = request.params.add_encoded(query);
    return route.get(request);
  }

  Route route(std::string_view pattern) {
    for (Route& route : series_routes(storage)) {
      if (route.pattern == pattern) return route;
    }
    FAIL("no route " << pattern);
    return {};
  }
};

TEST_CASE("series: the matching series' label sets, sorted, duplicates merged", "[exporter][api]") {
  Fixture fixture;
  const Route series = fixture.route("/api/v1/series");
  HttpResponse response = fixture.get(series, "match[]=up&match[]=up%7Bjob%3D%22api%22%7D");
  CHECK(response.status == 200);
  CHECK(response.content_type == "application/json");
  CHECK(
      response.body ==
      R"({"status":"success","data":[{"__name__":"up","instance":"a:1","job":"api"},{"__name__":"up","instance":"b:2","job":"web"}]})");

  response = fixture.get(series, "match[]=nothing");
  CHECK(response.body == R"({"status":"success","data":[]})");
  // An end before the start selects nothing, as in Prometheus.
  response = fixture.get(series, "match[]=up&start=10&end=5");
  CHECK(response.body == R"({"status":"success","data":[]})");
  // A range before the samples selects nothing either.
  response = fixture.get(series, "match[]=up&start=0&end=1");
  CHECK(response.body == R"({"status":"success","data":[]})");
}

TEST_CASE("series: each bad parameter is a 400 naming it", "[exporter][api]") {
  Fixture fixture;
  const Route series = fixture.route("/api/v1/series");
  HttpResponse response = fixture.get(series, "");
  CHECK(response.status == 400);
  CHECK(response.body ==
        R"({"status":"error","errorType":"bad_data","error":"no match[] parameter provided"})");
  response = fixture.get(series, "match[]=up&start=x");
  CHECK(response.status == 400);
  CHECK(
      response.body ==
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" to a valid timestamp"})");
  response = fixture.get(series, "match[]=up&end=2026-13-01T00:00:00Z");
  CHECK(response.status == 400);
  CHECK(response.body.find(R"(invalid parameter \"end\": Invalid time value for 'end')") !=
        std::string::npos);
  response = fixture.get(series, "match[]=sum(up)");
  CHECK(response.status == 400);
  CHECK(
      response.body ==
      R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"match[]\": 1:4: parse error: unexpected \"(\""})");
  response = fixture.get(series, "match[]=up%");
  CHECK(response.status == 400);
  CHECK(response.body.find("error parsing form values: ") != std::string::npos);
}

TEST_CASE("labels and label values, all or those of the matching series", "[exporter][api]") {
  Fixture fixture;
  const Route labels = fixture.route("/api/v1/labels");
  CHECK(fixture.get(labels, "").body ==
        R"({"status":"success","data":["__name__","instance","job"]})");
  CHECK(fixture.get(labels, "match[]=requests_total").body ==
        R"({"status":"success","data":["__name__","job"]})");
  CHECK(fixture.get(labels, "match[]=nothing").body == R"({"status":"success","data":[]})");

  const Route values = fixture.route("/api/v1/label/*");
  CHECK(fixture.get(values, "", "job/values").body ==
        R"({"status":"success","data":["api","web"]})");
  CHECK(fixture.get(values, "", "__name__/values").body ==
        R"({"status":"success","data":["requests_total","up"]})");
  CHECK(fixture.get(values, "match[]=up%7Bjob%3D%22web%22%7D", "job/values").body ==
        R"({"status":"success","data":["web"]})");
  CHECK(fixture.get(values, "match[]=requests_total", "instance/values").body ==
        R"({"status":"success","data":[]})");
  CHECK(fixture.get(values, "", "nothing/values").body == R"({"status":"success","data":[]})");
}

TEST_CASE("label values: a bad name is 400, a path that is not .../values 404", "[exporter][api]") {
  Fixture fixture;
  const Route values = fixture.route("/api/v1/label/*");
  HttpResponse response = fixture.get(values, "", "foo-bar/values");
  CHECK(response.status == 400);
  CHECK(response.body ==
        R"({"status":"error","errorType":"bad_data","error":"invalid label name: \"foo-bar\""})");
  CHECK(fixture.get(values, "", "job/value").status == 404);
  CHECK(fixture.get(values, "", "job").status == 404);
  CHECK(fixture.get(values, "", "/values").status == 404);
  CHECK(fixture.get(values, "", "a/b/values").status == 404);
  CHECK(fixture.get(values, "match[]=%7B%7D", "job/values").status == 400);
  CHECK_FALSE(values.post);
}

TEST_CASE("query_exemplars: empty data, the query still checked", "[exporter][api]") {
  Fixture fixture;
  const Route exemplars = fixture.route("/api/v1/query_exemplars");
  CHECK(fixture.get(exemplars, "query=up").body == R"({"status":"success","data":[]})");
  HttpResponse response = fixture.get(exemplars, "");
  CHECK(response.status == 400);
  CHECK(
      response.body ==
      R"({"status":"error","errorType":"bad_data","error":"1:1: parse error: no expression found in input"})");
}

TEST_CASE("metadata: each family's TYPE, HELP and UNIT; limit and metric", "[exporter][api]") {
  Fixture fixture;
  const Route metadata = metadata_route(fixture.storage);
  const std::string requests =
      R"({"requests_total":[{"type":"counter","help":"Requests \u003call\u003e.","unit":""}]})";
  CHECK(fixture.get(metadata, "").body == R"({"status":"success","data":)" + requests + "}");
  CHECK(fixture.get(metadata, "metric=requests_total").body ==
        R"({"status":"success","data":)" + requests + "}");
  CHECK(fixture.get(metadata, "metric=up").body == R"({"status":"success","data":{}})");
  CHECK(fixture.get(metadata, "limit=0").body == R"({"status":"success","data":{}})");
  CHECK(fixture.get(metadata, "limit=-1").body ==
        R"({"status":"success","data":)" + requests + "}");
  HttpResponse response = fixture.get(metadata, "limit=x");
  CHECK(response.status == 400);
  CHECK(response.body ==
        R"({"status":"error","errorType":"bad_data","error":"limit must be a number"})");
}

TEST_CASE("federate: newest samples by family, external labels after the series' own",
          "[exporter][api]") {
  Fixture fixture;
  const Route federate = federate_route(fixture.storage, {{"job", "ignored"}, {"site", "lab"}},
                                        std::chrono::minutes(5));
  HttpResponse response = fixture.get(federate, "match[]=up&match[]=requests_total");
  CHECK(response.status == 200);
  CHECK(response.content_type == "text/plain; version=0.0.4; charset=utf-8");
  const std::string t = std::to_string(fixture.now_ms);
  CHECK(response.body ==
        "# TYPE requests_total untyped\n"
        "requests_total{job=\"api\",site=\"lab\"} 7 " +
            t +
            "\n"
            "# TYPE up untyped\n"
            "up{instance=\"a:1\",job=\"api\",site=\"lab\"} 1 " +
            t +
            "\n"
            "up{instance=\"b:2\",job=\"web\",site=\"lab\"} 0 " +
            t + "\n");
  CHECK(fixture.get(federate, "").body.empty());
  CHECK(fixture.get(federate, "").status == 200);
  response = fixture.get(federate, "match[]=up%7B");
  CHECK(response.status == 400);
  CHECK(response.body == "1:4: parse error: unexpected end of input inside braces\n");
}

TEST_CASE("federate: stale series and samples past the lookback are left out", "[exporter][api]") {
  Fixture fixture;
  auto appender = fixture.storage.appender();
  appender->append(0, Labels{{"__name__", "up"}, {"job", "web"}, {"instance", "b:2"}},
                   fixture.now_ms + 1, stale_nan());
  appender->append(0, Labels{{"__name__", "old"}}, fixture.now_ms - 600'000, 1);
  REQUIRE(appender->commit().is_ok());
  const Route federate = federate_route(fixture.storage, {}, std::chrono::minutes(5));
  const std::string body = fixture.get(federate, "match[]=up&match[]=old").body;
  CHECK(body == "# TYPE up untyped\nup{instance=\"a:1\",job=\"api\"} 1 " +
                    std::to_string(fixture.now_ms) + "\n");
}

}  // namespace
}  // namespace mc::api
