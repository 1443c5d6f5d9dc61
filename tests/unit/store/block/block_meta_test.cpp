#include "common/store/block/block_meta.hpp"

#include <catch2/catch.hpp>

#include "common/store/block/meta_json.hpp"

using mc::block::BlockMeta;
using mc::block::ColumnKind;

TEST_CASE("meta.json round-trips every field", "[store][block][meta]") {
  BlockMeta meta;
  meta.tier = "5m";
  meta.resolution_ms = 300000;
  meta.min_time = -5;
  meta.max_time = 7200000;
  meta.series = 3;
  meta.samples = 1000;
  meta.chunks = 4;
  meta.data_bytes = 12345;
  meta.index_bytes = 678;
  meta.columns = {ColumnKind::count, ColumnKind::sum, ColumnKind::min, ColumnKind::max,
                  ColumnKind::counter};
  meta.sources = {"raw-0-7199999", "we\"ird\\name\n"};
  meta.compaction_level = 2;
  const std::string json = mc::block::meta_to_json(meta);
  auto parsed = mc::block::parse_meta_json(json, "m/meta.json");
  INFO(json);
  REQUIRE(parsed.is_ok());
  REQUIRE(*parsed == meta);
  REQUIRE(mc::block::block_dir_name(meta) == "5m--5-7200000");
}

TEST_CASE("meta.json parsing is strict and names the file", "[store][block][meta]") {
  const std::string good = mc::block::meta_to_json(BlockMeta{});
  REQUIRE(mc::block::parse_meta_json(good, "x").is_ok());

  auto error_of = [](const std::string& json) {
    auto parsed = mc::block::parse_meta_json(json, "dir/meta.json");
    REQUIRE_FALSE(parsed.is_ok());
    return parsed.error();
  };
  auto replace = [&](std::string from, std::string to) {
    std::string json = good;
    const size_t at = json.find(from);
    REQUIRE(at != std::string::npos);
    return json.replace(at, from.size(), to);
  };
  REQUIRE_THAT(error_of(replace("\"tier\"", "\"tire\"")),
               Catch::Contains("dir/meta.json") && Catch::Contains("tire"));
  REQUIRE_THAT(error_of(replace("\"version\": 1", "\"version\": 1.5")),
               Catch::Contains("only integers"));
  REQUIRE_THAT(error_of(replace("\"version\": 1", "\"version\": 9")),
               Catch::Contains("unsupported format version 9"));
  REQUIRE_THAT(error_of(replace("\"value\"", "\"median\"")), Catch::Contains("median"));
  REQUIRE_THAT(error_of(replace("\"tier\": \"raw\"", "\"tier\": 3")),
               Catch::Contains("\"tier\" must be a string"));
  REQUIRE_THAT(error_of(good + "x"), Catch::Contains("trailing"));
  REQUIRE_THAT(error_of(good.substr(0, good.size() / 2)), Catch::Contains("byte"));
  REQUIRE_THAT(error_of(replace("\"series\": 0", "\"series\": -1")), Catch::Contains("negative"));
  REQUIRE_THAT(error_of(replace("\"chunks\": 0,", "\"chunks\": 0, \"chunks\": 0,")),
               Catch::Contains("repeated key"));
  REQUIRE_THAT(error_of(replace("\"samples\": 0,", "")), Catch::Contains("missing key"));
}

TEST_CASE("the JSON reader decodes escapes", "[store][block][meta]") {
  auto object = mc::block::parse_json_object(R"({"a": "x\u00e9\t\"\/", "b": [], "c": -0})");
  REQUIRE(object.is_ok());
  REQUIRE(std::get<std::string>(object->at("a")) == "x\xc3\xa9\t\"/");
  REQUIRE(std::get<std::vector<std::string>>(object->at("b")).empty());
  REQUIRE(std::get<int64_t>(object->at("c")) == 0);
  REQUIRE_FALSE(mc::block::parse_json_object(R"({"a": "\ud800"})").is_ok());
  REQUIRE_FALSE(mc::block::parse_json_object(R"({"a": 01})").is_ok());
  REQUIRE_FALSE(mc::block::parse_json_object(R"({"a": {}})").is_ok());
  REQUIRE_FALSE(mc::block::parse_json_object(R"({"a": 99999999999999999999})").is_ok());
}
