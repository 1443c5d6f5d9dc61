// api_json: values, timestamps, strings and query results byte for byte as
// Prometheus 2.42 writes them (the expectations are its answers, taken from
// a running 2.42 on 127.0.0.1).
#include "exporter/api/api_json.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

namespace mc::api {
namespace {

std::string value_text(double v) {
  std::string out;
  append_sample_value(out, v);
  return out;
}

std::string timestamp_text(int64_t t_ms) {
  std::string out;
  append_timestamp(out, t_ms);
  return out;
}

std::string string_text(std::string_view text) {
  std::string out;
  append_string(out, text);
  return out;
}

TEST_CASE("sample values: fixed notation, exponent below 1e-6 and from 1e21", "[exporter][api]") {
  CHECK(value_text(2) == "2");
  CHECK(value_text(0) == "0");
  CHECK(value_text(-0.0) == "-0");
  CHECK(value_text(0.1) == "0.1");
  CHECK(value_text(1.5e-7) == "1.5e-07");
  CHECK(value_text(1e-6) == "0.000001");
  CHECK(value_text(123456789012345678.0) == "123456789012345680");
  CHECK(value_text(1e21) == "1e+21");
  CHECK(value_text(999999999999999900000.0) == "999999999999999900000");
  CHECK(value_text(-2.5e-9) == "-2.5e-09");
  CHECK(value_text(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(value_text(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(value_text(std::nan("")) == "NaN");
  CHECK(value_text(1796492780.5) == "1796492780.5");
}

TEST_CASE("timestamps: seconds, milliseconds as a fraction without trailing zeros",
          "[exporter][api]") {
  CHECK(timestamp_text(1796492776501) == "1796492776.501");
  CHECK(timestamp_text(1796492780930) == "1796492780.93");
  CHECK(timestamp_text(1796492780900) == "1796492780.9");
  CHECK(timestamp_text(1796492780000) == "1796492780");
  CHECK(timestamp_text(1796492780007) == "1796492780.007");
  CHECK(timestamp_text(1796492780050) == "1796492780.05");
  CHECK(timestamp_text(0) == "0");
  CHECK(timestamp_text(-1000) == "-1");
  CHECK(timestamp_text(-1500) == "-1.5");
  CHECK(timestamp_text(std::numeric_limits<int64_t>::min()) == "-9223372036854775.808");
}

TEST_CASE("strings escape HTML, U+2028/9, control bytes and bytes that are not UTF-8",
          "[exporter][api]") {
  CHECK(string_text("plain") == "\"plain\"");
  CHECK(string_text("<&>") == "\"\\u003c\\u0026\\u003e\"");
  CHECK(string_text("a\"b\\c\nd\te\rf") == "\"a\\\"b\\\\c\\nd\\te\\rf\"");
  CHECK(string_text("\x01") == "\"\\u0001\"");
  CHECK(string_text("\xc3\xa9") == "\"\xc3\xa9\"");
  CHECK(string_text("\xe2\x80\xa8") == "\"\\u2028\"");
  CHECK(string_text("\xe2\x80\xa9") == "\"\\u2029\"");
  CHECK(string_text("a\xff"
                    "b") == "\"a\\ufffdb\"");
  CHECK(string_text("\xc3") == "\"\\ufffd\"");
  CHECK(string_text("\xf0\x9f\x98\x80") == "\"\xf0\x9f\x98\x80\"");
}

TEST_CASE("query results in each of the four result types", "[exporter][api]") {
  std::string out;
  append_query_data(out, query::ScalarValue{1796492776501, 2});
  CHECK(out == R"({"resultType":"scalar","result":[1796492776.501,"2"]})");

  out.clear();
  append_query_data(out, query::StringValue{1796492780930, "a"});
  CHECK(out == R"({"resultType":"string","result":[1796492780.93,"a"]})");

  out.clear();
  query::Vector vector;
  vector.push_back({Labels{{"__name__", "up"}, {"job", "self"}}, 1796492785145, 1});
  vector.push_back({Labels{}, 1796492785145, std::numeric_limits<double>::infinity()});
  append_query_data(out, vector);
  CHECK(
      out ==
      R"({"resultType":"vector","result":[{"metric":{"__name__":"up","job":"self"},"value":[1796492785.145,"1"]},{"metric":{},"value":[1796492785.145,"+Inf"]}]})");

  out.clear();
  append_query_data(out, query::Vector{});
  CHECK(out == R"({"resultType":"vector","result":[]})");

  out.clear();
  query::Matrix matrix;
  matrix.push_back({Labels{{"job", "a"}}, {{1796492783641, 1}, {1796492784643, 0.5}}});
  append_query_data(out, matrix);
  CHECK(
      out ==
      R"({"resultType":"matrix","result":[{"metric":{"job":"a"},"values":[[1796492783.641,"1"],[1796492784.643,"0.5"]]}]})");
}

}  // namespace
}  // namespace mc::api
