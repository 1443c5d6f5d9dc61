#include "common/query/label_functions.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/query/function_step.hpp"

namespace mc::query {
namespace {

using testing::FunctionStep;
using testing::string;

const Vector kTestMetric{VectorSample{Labels{{"__name__", "testmetric"},
                                             {"src", "source-value-10"},
                                             {"dst", "original-destination-value"}},
                                      0, 0},
                         VectorSample{Labels{{"__name__", "testmetric"},
                                             {"src", "source-value-20"},
                                             {"dst", "original-destination-value"}},
                                      0, 1}};

Result<Vector> replace(const Vector& input, const std::string& dst, const std::string& replacement,
                       const std::string& src, const std::string& regex) {
  return FunctionStep{"label_replace(x, \"a\", \"b\", \"c\", \"d\")",
                      {input, string(dst), string(replacement), string(src), string(regex)}}
      .run();
}

// The dst label of each output sample.
std::vector<std::string> dst_values(const Result<Vector>& result,
                                    const std::string& label = "dst") {
  REQUIRE(result.is_ok());
  std::vector<std::string> values;
  for (const VectorSample& sample : *result) values.emplace_back(sample.labels.get(label));
  return values;
}

// label_replace's expansion of `replacement` for a source value.
std::string expanded(const std::string& value, const std::string& regex,
                     const std::string& replacement) {
  Vector input{VectorSample{Labels{{"src", value}}, 0, 1}};
  auto result = replace(input, "dst", replacement, "src", regex);
  REQUIRE(result.is_ok());
  REQUIRE(result->size() == 1);
  return std::string(result->front().labels.get("dst"));
}

TEST_CASE("label_replace: a full match replaces, keeping name and value") {
  auto result = replace(kTestMetric, "dst", "destination-value-$1", "src", "source-value-(.*)");
  CHECK(dst_values(result) ==
        std::vector<std::string>{"destination-value-10", "destination-value-20"});
  CHECK((*result)[0].labels.metric_name() == "testmetric");
  CHECK((*result)[1].v == 1);
  CHECK(dst_values(replace(kTestMetric, "dst", "$1-value-$2", "src", "(.*)-value-(.*)")) ==
        std::vector<std::string>{"source-value-10", "source-value-20"});
}

TEST_CASE("label_replace: no match, no change; a match of the empty value changes") {
  const std::vector<std::string> original(2, "original-destination-value");
  // Anchored: "value-(.*)" does not match inside "source-value-10".
  CHECK(dst_values(replace(kTestMetric, "dst", "x-$1", "src", "value-(.*)")) == original);
  CHECK(dst_values(replace(kTestMetric, "dst", "x-$1", "nonexistent", "source-value-(.*)")) ==
        original);
  CHECK(dst_values(replace(kTestMetric, "dst", "value-$1", "nonexistent", "(.*)")) ==
        std::vector<std::string>{"value-", "value-"});
}

TEST_CASE("label_replace: an empty result removes the label") {
  auto result = replace(kTestMetric, "dst", "", "dst", ".*");
  REQUIRE(result.is_ok());
  CHECK((*result)[0].labels == Labels{{"__name__", "testmetric"}, {"src", "source-value-10"}});
  // A new label is added.
  auto added = replace(kTestMetric, "new", "$1", "src", "source-value-(.*)");
  CHECK(dst_values(added, "new") == std::vector<std::string>{"10", "20"});
}

TEST_CASE("label_replace: replacements expand as Go's Regexp.Expand") {
  CHECK(expanded("ab", "(a)(b)", "$2$1") == "ba");
  CHECK(expanded("ab", "(a)(b)", "${1}x") == "ax");
  CHECK(expanded("ab", "(a)(b)", "$1x") == "");  // the group named "1x": none
  CHECK(expanded("ab", "(a)(b)", "$$1") == "$1");
  CHECK(expanded("ab", "(a)(b)", "cost: $") == "cost: $");  // malformed: the $ stays
  CHECK(expanded("ab", "(a)(b)", "${1") == "${1");
  CHECK(expanded("ab", "(a)(b)", "$-") == "$-");
  CHECK(expanded("ab", "(a)(b)", "$0") == "ab");
  CHECK(expanded("ab", "(a)(b)", "$3.$01") == ".");  // no group 3; 01 is a name, not 1
  CHECK(expanded("ab", "(?P<first>a)(b)", "$first-${first}-$2") == "a-a-b");
  CHECK(expanded("ab", "(?P<first>a)(b)", "$missing") == "");
  CHECK(expanded("a", "(a)|(b)", "[$2]") == "[]");  // a group that did not take part
  CHECK(expanded("a\nb", "a.b", "matched") == "");  // "." stops at a newline, as in Go
}

TEST_CASE("label_replace: a bad regex or destination fails, even for an empty vector") {
  auto bad_regex = replace(Vector{}, "dst", "value-$1", "src", "(.*");
  REQUIRE_FALSE(bad_regex.is_ok());
  CHECK(bad_regex.error() == "invalid regular expression in label_replace(): (.*");
  auto bad_name = replace(kTestMetric, "invalid-label-name", "", "src", "(.*)");
  REQUIRE_FALSE(bad_name.is_ok());
  CHECK(bad_name.error() ==
        "invalid destination label name in label_replace(): invalid-label-name");
  auto empty_name = replace(kTestMetric, "", "", "src", "(.*)");
  CHECK_FALSE(empty_name.is_ok());
  auto missing =
      FunctionStep{"label_replace(x, \"a\", \"b\", \"c\", \"d\")", {kTestMetric, string("dst")}}
          .run();
  REQUIRE_FALSE(missing.is_ok());
  CHECK(missing.error() == "internal error: argument 3 of label_replace() is not a string");
}

const Vector kJoinMetric{VectorSample{Labels{{"__name__", "testmetric"},
                                             {"src", "a"},
                                             {"src1", "b"},
                                             {"src2", "c"},
                                             {"dst", "original-destination-value"}},
                                      0, 0},
                         VectorSample{Labels{{"__name__", "testmetric"},
                                             {"src", "d"},
                                             {"src1", "e"},
                                             {"src2", "f"},
                                             {"dst", "original-destination-value"}},
                                      0, 1}};

Result<Vector> join(const Vector& input, const std::vector<std::string>& strings) {
  std::vector<Value> args{input};
  for (const std::string& s : strings) args.push_back(string(s));
  return FunctionStep{"label_join(x, \"a\", \"b\")", std::move(args)}.run();
}

TEST_CASE("label_join: joins the sources in order, absent ones as empty") {
  CHECK(dst_values(join(kJoinMetric, {"dst", "-", "src", "src1", "src2"})) ==
        std::vector<std::string>{"a-b-c", "d-e-f"});
  CHECK(dst_values(join(kJoinMetric, {"dst", "-", "src", "src3", "src1"})) ==
        std::vector<std::string>{"a--b", "d--e"});
  auto result = join(kJoinMetric, {"new", ", ", "src", "src1"});
  CHECK(dst_values(result, "new") == std::vector<std::string>{"a, b", "d, e"});
  CHECK((*result)[0].labels.metric_name() == "testmetric");
}

TEST_CASE("label_join: an empty result removes the destination") {
  auto result = join(kJoinMetric, {"dst", "", "emptysrc", "emptysrc1"});
  REQUIRE(result.is_ok());
  CHECK_FALSE((*result)[0].labels.has("dst"));
  auto no_sources = join(kJoinMetric, {"dst", ", "});
  REQUIRE(no_sources.is_ok());
  CHECK_FALSE((*no_sources)[1].labels.has("dst"));
}

TEST_CASE("label_join: invalid label names fail, the sources' first") {
  auto bad_source = join(kJoinMetric, {"invalid-dst", "-", "src", "bad-src"});
  REQUIRE_FALSE(bad_source.is_ok());
  CHECK(bad_source.error() == "invalid source label name in label_join(): bad-src");
  auto bad_destination = join(Vector{}, {"1dst", "-", "src"});
  REQUIRE_FALSE(bad_destination.is_ok());
  CHECK(bad_destination.error() == "invalid destination label name in label_join(): 1dst");
}

}  // namespace
}  // namespace mc::query
