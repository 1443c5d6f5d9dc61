// FormParams: query strings and form bodies decoded as Go's url.ParseQuery
// does, repeated names kept in order, and malformed escapes refused by name.
#include "exporter/form_params.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mc {
namespace {

using Values = std::vector<std::string_view>;

TEST_CASE("repeated names keep every value in order", "[exporter][form]") {
  FormParams params;
  REQUIRE(params
              .add_encoded("match[]=up&start=1&match%5B%5D=process_start_time_seconds%7Bjob%3D%"
                           "22node%22%7D")
              .is_ok());
  CHECK(params.values("match[]") == Values{"up", "process_start_time_seconds{job=\"node\"}"});
  CHECK(params.value("match[]") == "up");
  CHECK(params.value("start") == "1");
  CHECK_FALSE(params.value("end").has_value());
  CHECK(params.values("end").empty());
  CHECK(params.all().size() == 3);
}

TEST_CASE("percent-encoding, '+' and bare names decode as a form does", "[exporter][form]") {
  FormParams params;
  REQUIRE(params
              .add_encoded("query=rate(http_requests_total%5B5m%5D)+%3E+0&plus=%2B&amp=a%26b"
                           "&eq=a=b=c&bare&&empty=&utf8=%C3%A9t%C3%A9")
              .is_ok());
  CHECK(params.value("query") == "rate(http_requests_total[5m]) > 0");
  CHECK(params.value("plus") == "+");
  CHECK(params.value("amp") == "a&b");
  CHECK(params.value("eq") == "a=b=c");
  CHECK(params.value("bare") == "");
  CHECK(params.value("empty") == "");
  CHECK(params.value("utf8") == "\xC3\xA9t\xC3\xA9");
  CHECK(params.all().size() == 7);  // the empty piece between "&&" is skipped
}

TEST_CASE("the parameters of a second source follow the first", "[exporter][form]") {
  FormParams params;
  REQUIRE(params.add_encoded("query=from_body").is_ok());
  REQUIRE(params.add_encoded("query=from_url&time=5").is_ok());
  CHECK(params.value("query") == "from_body");  // Go's FormValue: the body wins
  CHECK(params.values("query") == Values{"from_body", "from_url"});
  CHECK(params.add_encoded("").is_ok());
  CHECK(params.all().size() == 3);
}

TEST_CASE("a malformed escape is an error naming the parameter", "[exporter][form]") {
  struct Case {
    std::string encoded;
    std::string message;
  };
  for (const Case& bad : {
           Case{"ok=1&query=up%zz", "parameter \"query\": invalid percent-encoding \"%zz\""},
           Case{"ok=1&query=up%4", "parameter \"query\": invalid percent-encoding \"%4\""},
           Case{"ok=1&query=%", "parameter \"query\": invalid percent-encoding \"%\""},
           Case{"ok=1&na%g1me=x", "parameter \"na%g1me\": invalid percent-encoding \"%g1\""},
       }) {
    FormParams params;
    const Status status = params.add_encoded(bad.encoded);
    INFO(bad.encoded);
    REQUIRE_FALSE(status.is_ok());
    CHECK(status.message() == bad.message);
    // What came before the bad piece is kept.
    CHECK(params.value("ok") == "1");
  }
}

TEST_CASE("decode_form_component decodes one name or value", "[exporter][form]") {
  CHECK(*decode_form_component("a+b%20c%2b") == "a b c+");
  CHECK(*decode_form_component("%00") == std::string(1, '\0'));
  CHECK_FALSE(decode_form_component("%G0").is_ok());
}

}  // namespace
}  // namespace mc
