// The checks a rule passes before it runs, with Prometheus 2.42's defaults
// and its error texts (relabel.Config's UnmarshalYAML and Validate), so a
// config Prometheus refuses is refused here with the same words.
#include "common/relabel/relabel_config.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {

using mc::RelabelRuleFields;
using Names = std::vector<std::string>;

std::string error_of(const RelabelRuleFields& fields) {
  auto made = mc::make_relabel_config(fields);
  REQUIRE_FALSE(made);
  return made.error();
}

}  // namespace

TEST_CASE("relabel config: an empty rule is replace with Prometheus's defaults but needs a target",
          "[relabel]") {
  REQUIRE(error_of({}) == "relabel configuration for replace action requires 'target_label' value");
  auto made = mc::make_relabel_config({.target_label = "t"});
  REQUIRE(made);
  REQUIRE(made->action == mc::RelabelAction::replace);
  REQUIRE(made->separator == ";");
  REQUIRE(made->regex_text == "(.*)");
  REQUIRE(made->replacement == "$1");
  REQUIRE(made->modulus == 0);
  REQUIRE(made->source_labels.empty());
  REQUIRE(made->regex != nullptr);
}

TEST_CASE("relabel config: an unknown action is named", "[relabel]") {
  REQUIRE(error_of({.action = "rename"}) == "unknown relabel action \"rename\"");
}

TEST_CASE("relabel config: a regex that does not compile fails with Go's words", "[relabel]") {
  REQUIRE(error_of({.regex = "(a", .target_label = "t"}) ==
          "error parsing regexp: missing closing ): `^(?:(a)$`");
}

TEST_CASE("relabel config: source labels must be label names", "[relabel]") {
  REQUIRE(error_of({.source_labels = Names{"a-b"}, .target_label = "t"}) ==
          "\"a-b\" is not a valid label name");
}

TEST_CASE("relabel config: hashmod needs a modulus and a valid target", "[relabel]") {
  REQUIRE(error_of({.target_label = "t", .action = "hashmod"}) ==
          "relabel configuration for hashmod requires non-zero modulus");
  REQUIRE(error_of({.modulus = 2, .action = "hashmod"}) ==
          "relabel configuration for hashmod action requires 'target_label' value");
  REQUIRE(error_of({.modulus = 2, .target_label = "$1", .action = "hashmod"}) ==
          "\"$1\" is invalid 'target_label' for hashmod action");
}

TEST_CASE("relabel config: replace, lowercase, uppercase and the equal actions need a target",
          "[relabel]") {
  for (const char* action : {"replace", "lowercase", "uppercase", "keepequal", "dropequal"}) {
    REQUIRE(error_of({.action = action}) == std::string("relabel configuration for ") + action +
                                                " action requires 'target_label' value");
  }
}

TEST_CASE("relabel config: a replace target may be a template, not any text", "[relabel]") {
  REQUIRE(mc::make_relabel_config({.target_label = "${1}_suffix"}));
  REQUIRE(mc::make_relabel_config({.target_label = "prefix_$name"}));
  REQUIRE(error_of({.target_label = "a-b"}) ==
          "\"a-b\" is invalid 'target_label' for replace action");
  REQUIRE(error_of({.target_label = "1abc"}) ==
          "\"1abc\" is invalid 'target_label' for replace action");
}

TEST_CASE("relabel config: lowercase and uppercase take no replacement", "[relabel]") {
  REQUIRE(error_of({.target_label = "t", .replacement = "x", .action = "lowercase"}) ==
          "'replacement' can not be set for lowercase action");
  REQUIRE(error_of({.target_label = "t", .replacement = "x", .action = "uppercase"}) ==
          "'replacement' can not be set for uppercase action");
}

TEST_CASE("relabel config: keepequal and dropequal take only source labels and target",
          "[relabel]") {
  REQUIRE(error_of({.target_label = "t", .replacement = "x", .action = "keepequal"}) ==
          "'replacement' can not be set for keepequal action");
  // Prometheus compares the regex by identity: any regex written counts as set.
  REQUIRE(error_of({.regex = "(.*)", .target_label = "t", .action = "dropequal"}) ==
          "dropequal action requires only 'source_labels' and `target_label`, and no other "
          "fields");
  REQUIRE(error_of({.separator = ",", .target_label = "t", .action = "keepequal"}) ==
          "keepequal action requires only 'source_labels' and `target_label`, and no other "
          "fields");
  REQUIRE(error_of({.modulus = 3, .target_label = "t", .action = "keepequal"}) ==
          "keepequal action requires only 'source_labels' and `target_label`, and no other "
          "fields");
  REQUIRE(mc::make_relabel_config(
      {.source_labels = Names{"a"}, .target_label = "t", .action = "keepequal"}));
}

TEST_CASE("relabel config: labeldrop and labelkeep take only a regex", "[relabel]") {
  REQUIRE(mc::make_relabel_config({.regex = "tmp_.*", .action = "labeldrop"}));
  REQUIRE(error_of({.source_labels = Names{"a"}, .action = "labeldrop"}) ==
          "labeldrop action requires only 'regex', and no other fields");
  REQUIRE(error_of({.source_labels = Names{}, .action = "labelkeep"}) ==
          "labelkeep action requires only 'regex', and no other fields");
  REQUIRE(error_of({.target_label = "t", .action = "labelkeep"}) ==
          "labelkeep action requires only 'regex', and no other fields");
  REQUIRE(error_of({.separator = ",", .action = "labeldrop"}) ==
          "labeldrop action requires only 'regex', and no other fields");
  REQUIRE(error_of({.replacement = "x", .action = "labeldrop"}) ==
          "labeldrop action requires only 'regex', and no other fields");
  REQUIRE(error_of({.modulus = 1, .action = "labeldrop"}) ==
          "labeldrop action requires only 'regex', and no other fields");
}

TEST_CASE("relabel config: a labelmap replacement must be a name template", "[relabel]") {
  REQUIRE(mc::make_relabel_config({.regex = "__meta_(.+)", .action = "labelmap"}));
  REQUIRE(error_of({.regex = "__meta_(.+)", .replacement = "a-$1", .action = "labelmap"}) ==
          "\"a-$1\" is invalid 'replacement' for labelmap action");
}

TEST_CASE("relabel config: keep and drop need nothing but what they read", "[relabel]") {
  REQUIRE(mc::make_relabel_config({.action = "keep"}));
  REQUIRE(mc::make_relabel_config({.source_labels = Names{"a"}, .action = "drop"}));
}

TEST_CASE("relabel config: rules compare by their fields and regex text", "[relabel]") {
  auto a = mc::make_relabel_config({.regex = "x", .action = "keep"});
  auto b = mc::make_relabel_config({.regex = "x", .action = "keep"});
  auto c = mc::make_relabel_config({.regex = "y", .action = "keep"});
  REQUIRE((a && b && c));
  REQUIRE(*a == *b);
  REQUIRE_FALSE(*a == *c);
}
