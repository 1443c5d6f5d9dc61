#include "collector/discovery/kubernetes_json.hpp"

#include <catch2/catch.hpp>

#include "collector/discovery/kubernetes_api_client.hpp"

namespace mc::kubernetes {
namespace {

TEST_CASE("kubernetes json: reads an object of the API with every kind of value") {
  auto value = JsonValue::parse(
      R"({"kind":"Pod","metadata":{"name":"web","labels":{"a/b":"c\u00e9\n"}},)"
      R"("spec":{"containers":[{"ports":[{"containerPort":8080}]}]},"ready":true,"x":null,)"
      R"("n":-1.5e2, "emoji":"\ud83d\ude00"})");
  REQUIRE(value);
  CHECK((*value)["kind"].str() == "Pod");
  CHECK((*value)["metadata"]["labels"]["a/b"].str() == "c\xc3\xa9\n");
  CHECK((*value)["spec"]["containers"].items()[0]["ports"].items()[0]["containerPort"].integer() ==
        8080);
  CHECK((*value)["ready"].boolean());
  CHECK((*value)["x"].is_null());
  CHECK((*value).has("x"));
  CHECK((*value)["n"].integer() == -150);
  CHECK((*value)["emoji"].str() == "\xf0\x9f\x98\x80");
  // Absent members and other kinds read as empty, never throw.
  CHECK((*value)["missing"]["deeper"].str().empty());
  CHECK((*value)["kind"].items().empty());
}

TEST_CASE("kubernetes json: a truncated or garbled answer is an error naming the byte") {
  for (const char* text : {R"({"kind":"Pod")", R"({"a":})", R"({"a":tru})", R"([1,2)",
                           R"({"a":"b"} extra)", R"({"a":"\x"})", "", R"({"a":01})"}) {
    INFO(text);
    auto value = JsonValue::parse(text);
    REQUIRE_FALSE(value);
    CHECK(value.error().find("invalid JSON at byte") != std::string::npos);
  }
}

TEST_CASE("kubernetes json: a watch stream is split into whole events however it is cut") {
  std::string stream =
      "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a}\"}}}\n"
      "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"\\\"b{\"}}}\n";
  for (size_t cut = 1; cut < stream.size(); ++cut) {
    JsonStreamSplitter splitter;
    std::vector<std::string> values;
    auto collect = [&](std::string_view value) {
      values.emplace_back(value);
      return true;
    };
    splitter.feed(stream.substr(0, cut), collect);
    splitter.feed(stream.substr(cut), collect);
    INFO("cut at " << cut);
    REQUIRE(values.size() == 2);
    CHECK((*JsonValue::parse(values[0]))["object"]["metadata"]["name"].str() == "a}");
    CHECK((*JsonValue::parse(values[1]))["object"]["metadata"]["name"].str() == "\"b{");
  }
}

TEST_CASE("kubernetes json: a stray closing brace between watch events does not stall the stream") {
  JsonStreamSplitter splitter;
  std::vector<std::string> values;
  splitter.feed("}\n{\"type\":\"BOOKMARK\"}\n", [&](std::string_view value) {
    values.emplace_back(value);
    return true;
  });
  REQUIRE(values.size() == 1);
  CHECK(values[0] == "{\"type\":\"BOOKMARK\"}");
}

}  // namespace
}  // namespace mc::kubernetes
