// Relabeling as Prometheus 2.42's relabel.Process: every action, the defaults
// a rule gets, and the corner cases Prometheus's own tests pin (a template
// naming no group, an invalid target after expansion, an empty value deleting
// the label). hashmod values are the MD5 of the joined values, last 8 bytes
// big-endian, worked out independently (Python's hashlib) for these inputs.
#include "common/relabel/relabel.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/relabel/hashmod.hpp"

namespace {

using mc::Labels;
using mc::RelabelConfig;
using mc::RelabelRuleFields;

RelabelConfig rule(const RelabelRuleFields& fields) {
  auto made = mc::make_relabel_config(fields);
  INFO((made ? std::string() : made.error()));
  REQUIRE(made);
  return *made;
}

std::optional<Labels> run(const Labels& labels, const std::vector<RelabelConfig>& rules) {
  return mc::relabel(labels, rules);
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("relabel: no rules keep the set as it is", "[relabel]") {
  const Labels in{{"a", "1"}};
  REQUIRE(run(in, {}) == in);
}

TEST_CASE("relabel: replace with every default copies the first group", "[relabel]") {
  // regex (.*), replacement $1, separator ";"
  auto out = run({{"a", "foo"}, {"b", "bar"}},
                 {rule({.source_labels = Names{"a", "b"}, .target_label = "c"})});
  REQUIRE(out == Labels{{"a", "foo"}, {"b", "bar"}, {"c", "foo;bar"}});
}

TEST_CASE("relabel: replace with a regex, groups and a separator", "[relabel]") {
  auto out = run({{"a", "foo"}, {"b", "bar"}}, {rule({.source_labels = Names{"a", "b"},
                                                      .separator = "-",
                                                      .regex = "f(.*)-(b.*)",
                                                      .target_label = "d",
                                                      .replacement = "${1}x$2"})});
  REQUIRE(out == Labels{{"a", "foo"}, {"b", "bar"}, {"d", "ooxbar"}});
}

TEST_CASE("relabel: replace that does not match changes nothing", "[relabel]") {
  const Labels in{{"a", "foo"}};
  auto out = run(in, {rule({.source_labels = Names{"a"}, .regex = "bar", .target_label = "b"})});
  REQUIRE(out == in);
}

TEST_CASE("relabel: the regex is anchored at both ends", "[relabel]") {
  const Labels in{{"a", "xfoox"}};
  auto out = run(in, {rule({.source_labels = Names{"a"},
                            .regex = "foo",
                            .target_label = "b",
                            .replacement = "hit"})});
  REQUIRE(out == in);
  auto alternation = run({{"a", "xb"}}, {rule({.source_labels = Names{"a"},
                                               .regex = "a|b",
                                               .target_label = "b",
                                               .replacement = "hit"})});
  REQUIRE(alternation == Labels{{"a", "xb"}});
}

TEST_CASE("relabel: replace with an empty result deletes the target label", "[relabel]") {
  auto out = run({{"a", "foo"}, {"b", "old"}},
                 {rule({.source_labels = Names{"missing"}, .target_label = "b"})});
  REQUIRE(out == Labels{{"a", "foo"}});
}

TEST_CASE("relabel: replace without source labels sets a constant", "[relabel]") {
  auto out = run({{"a", "foo"}}, {rule({.target_label = "env", .replacement = "prod"})});
  REQUIRE(out == Labels{{"a", "foo"}, {"env", "prod"}});
}

TEST_CASE("relabel: a target label template takes its name from the match", "[relabel]") {
  auto out = run({{"a", "some-name-value"}}, {rule({.source_labels = Names{"a"},
                                                    .regex = "some-([^-]+)-([^,]+)",
                                                    .target_label = "${1}",
                                                    .replacement = "${2}"})});
  REQUIRE(out == Labels{{"a", "some-name-value"}, {"name", "value"}});
}

TEST_CASE("relabel: a target that expands to an invalid name is skipped", "[relabel]") {
  const Labels in{{"a", "some-1-value"}};
  auto out = run(in, {rule({.source_labels = Names{"a"},
                            .regex = "some-([^-]+)-([^,]+)",
                            .target_label = "${1}",
                            .replacement = "${2}"})});
  REQUIRE(out == in);  // "1" is no label name
  auto empty = run(in, {rule({.source_labels = Names{"a"},
                              .regex = "some-([^-]+)-([^,]+)",
                              .target_label = "${3}",
                              .replacement = "${2}"})});
  REQUIRE(empty == in);  // no group 3: an empty name
}

TEST_CASE("relabel: named groups and $$ in the replacement", "[relabel]") {
  auto out = run({{"a", "host:9100"}}, {rule({.source_labels = Names{"a"},
                                              .regex = "(?P<host>[^:]+):(?P<port>\\d+)",
                                              .target_label = "b",
                                              .replacement = "${port}$$${host}"})});
  REQUIRE(out == Labels{{"a", "host:9100"}, {"b", "9100$host"}});
}

TEST_CASE("relabel: $1x names the group \"1x\", which expands to nothing", "[relabel]") {
  auto out = run({{"a", "foo"}}, {rule({.source_labels = Names{"a"},
                                        .regex = "(f)(o)o",
                                        .target_label = "b",
                                        .replacement = "$1x-${1}x"})});
  REQUIRE(out == Labels{{"a", "foo"}, {"b", "-fx"}});
}

TEST_CASE("relabel: replace sees what the rules before it wrote", "[relabel]") {
  auto out = run({{"a", "foo"}},
                 {rule({.source_labels = Names{"a"}, .target_label = "b"}),
                  rule({.source_labels = Names{"b"}, .regex = "f(.*)", .target_label = "c"})});
  REQUIRE(out == Labels{{"a", "foo"}, {"b", "foo"}, {"c", "oo"}});
}

TEST_CASE("relabel: an absent source label joins as empty", "[relabel]") {
  auto out = run({{"b", "x"}}, {rule({.source_labels = Names{"a", "b"},
                                      .regex = ";x",
                                      .target_label = "c",
                                      .replacement = "matched"})});
  REQUIRE(out == Labels{{"b", "x"}, {"c", "matched"}});
}

TEST_CASE("relabel: replace can change __name__", "[relabel]") {
  auto out = run({{"__name__", "old_total"}}, {rule({.source_labels = Names{"__name__"},
                                                     .regex = "old_(.*)",
                                                     .target_label = "__name__",
                                                     .replacement = "new_$1"})});
  REQUIRE(out == Labels{{"__name__", "new_total"}});
}

TEST_CASE("relabel: keep keeps a match and drops the rest", "[relabel]") {
  const auto keep = rule({.source_labels = Names{"a"}, .regex = "f.*", .action = "keep"});
  REQUIRE(run({{"a", "foo"}}, {keep}) == Labels{{"a", "foo"}});
  REQUIRE_FALSE(run({{"a", "bar"}}, {keep}).has_value());
  REQUIRE_FALSE(run({{"b", "foo"}}, {keep}).has_value());  // absent: "" does not match f.*
}

TEST_CASE("relabel: drop drops a match and keeps the rest", "[relabel]") {
  const auto drop = rule({.source_labels = Names{"a"}, .regex = "f.*", .action = "drop"});
  REQUIRE_FALSE(run({{"a", "foo"}}, {drop}).has_value());
  REQUIRE(run({{"a", "bar"}}, {drop}) == Labels{{"a", "bar"}});
}

TEST_CASE("relabel: drop with the default regex drops everything", "[relabel]") {
  REQUIRE_FALSE(run({{"a", "foo"}}, {rule({.action = "drop"})}).has_value());
}

TEST_CASE("relabel: a dropped set stops the later rules", "[relabel]") {
  REQUIRE_FALSE(run({{"a", "foo"}}, {rule({.source_labels = Names{"a"}, .action = "drop"}),
                                     rule({.target_label = "b", .replacement = "x"})})
                    .has_value());
}

TEST_CASE("relabel: keepequal keeps when the target label equals the joined value", "[relabel]") {
  const auto keep = rule({.source_labels = Names{"a"}, .target_label = "b", .action = "keepequal"});
  REQUIRE(run({{"a", "x"}, {"b", "x"}}, {keep}).has_value());
  REQUIRE_FALSE(run({{"a", "x"}, {"b", "y"}}, {keep}).has_value());
  REQUIRE(run({{"c", "x"}}, {keep}).has_value());  // both absent: "" == ""
}

TEST_CASE("relabel: dropequal drops when the target label equals the joined value", "[relabel]") {
  const auto drop = rule({.source_labels = Names{"a"}, .target_label = "b", .action = "dropequal"});
  REQUIRE_FALSE(run({{"a", "x"}, {"b", "x"}}, {drop}).has_value());
  REQUIRE(run({{"a", "x"}, {"b", "y"}}, {drop}) == Labels{{"a", "x"}, {"b", "y"}});
}

TEST_CASE("relabel: keepequal compares the values joined with the separator", "[relabel]") {
  const auto keep =
      rule({.source_labels = Names{"a", "b"}, .target_label = "c", .action = "keepequal"});
  REQUIRE(run({{"a", "x"}, {"b", "y"}, {"c", "x;y"}}, {keep}).has_value());
}

TEST_CASE("relabel: hashmod writes md5(value)[8:16] big-endian mod modulus", "[relabel]") {
  auto out = run({{"a", "foo"}}, {rule({.source_labels = Names{"a"},
                                        .modulus = 1000,
                                        .target_label = "shard",
                                        .action = "hashmod"})});
  REQUIRE(out == Labels{{"a", "foo"}, {"shard", "696"}});
}

TEST_CASE("relabel: hashmod values for sharding targets", "[relabel]") {
  REQUIRE(mc::hashmod("localhost:9100", 2) == 1);
  REQUIRE(mc::hashmod("a;b", 7) == 2);
  REQUIRE(mc::hashmod("", 5) == 3);
  REQUIRE(mc::hashmod("10.0.0.1:80", 3) == 1);
  REQUIRE(mc::hashmod("anything", 1) == 0);
}

TEST_CASE("relabel: hashmod then keep selects one shard", "[relabel]") {
  const std::vector<RelabelConfig> shard0 = {
      rule({.source_labels = Names{"__address__"},
            .modulus = 2,
            .target_label = "__tmp_hash",
            .action = "hashmod"}),
      rule({.source_labels = Names{"__tmp_hash"}, .regex = "0", .action = "keep"})};
  REQUIRE_FALSE(run({{"__address__", "node-a:9100"}}, shard0).has_value());  // shard 1
  auto kept = run({{"__address__", "node-b:9100"}}, shard0);                 // shard 0
  REQUIRE(kept == Labels{{"__address__", "node-b:9100"}, {"__tmp_hash", "0"}});
}

TEST_CASE("relabel: labelmap copies matching labels under the new name", "[relabel]") {
  auto out = run({{"__meta_x_app", "web"}, {"__meta_x_zone", "a"}, {"other", "1"}},
                 {rule({.regex = "__meta_x_(.+)", .action = "labelmap"})});
  REQUIRE(out == Labels{{"__meta_x_app", "web"},
                        {"__meta_x_zone", "a"},
                        {"app", "web"},
                        {"other", "1"},
                        {"zone", "a"}});
}

TEST_CASE("relabel: labelmap with a replacement template", "[relabel]") {
  auto out = run({{"foo", "1"}, {"bar", "2"}},
                 {rule({.regex = "(f)(oo)", .replacement = "${2}_$1", .action = "labelmap"})});
  REQUIRE(out == Labels{{"bar", "2"}, {"foo", "1"}, {"oo_f", "1"}});
}

TEST_CASE("relabel: labelmap overwrites an existing label", "[relabel]") {
  auto out = run({{"__meta_app", "new"}, {"app", "old"}},
                 {rule({.regex = "__meta_(.+)", .action = "labelmap"})});
  REQUIRE(out == Labels{{"__meta_app", "new"}, {"app", "new"}});
}

TEST_CASE("relabel: labeldrop removes labels whose names match", "[relabel]") {
  auto out =
      run({{"a", "1"}, {"ab", "2"}, {"b", "3"}}, {rule({.regex = "a.*", .action = "labeldrop"})});
  REQUIRE(out == Labels{{"b", "3"}});
}

TEST_CASE("relabel: labeldrop names are matched anchored", "[relabel]") {
  auto out = run({{"a", "1"}, {"ba", "2"}}, {rule({.regex = "a", .action = "labeldrop"})});
  REQUIRE(out == Labels{{"ba", "2"}});
}

TEST_CASE("relabel: labelkeep removes labels whose names do not match", "[relabel]") {
  auto out = run({{"__name__", "m"}, {"a", "1"}, {"b", "2"}, {"c", "3"}},
                 {rule({.regex = "__name__|a|c", .action = "labelkeep"})});
  REQUIRE(out == Labels{{"__name__", "m"}, {"a", "1"}, {"c", "3"}});
}

TEST_CASE("relabel: labelkeep with the default regex keeps every label", "[relabel]") {
  const Labels in{{"a", "1"}, {"b", "2"}};
  REQUIRE(run(in, {rule({.action = "labelkeep"})}) == in);
}

TEST_CASE("relabel: lowercase writes the joined value in lower case", "[relabel]") {
  auto out =
      run({{"a", "FoO"}, {"b", "BaR"}},
          {rule({.source_labels = Names{"a", "b"}, .target_label = "low", .action = "lowercase"})});
  REQUIRE(out == Labels{{"a", "FoO"}, {"b", "BaR"}, {"low", "foo;bar"}});
}

TEST_CASE("relabel: uppercase writes the joined value in upper case", "[relabel]") {
  auto out = run({{"a", "foo-1"}},
                 {rule({.source_labels = Names{"a"}, .target_label = "a", .action = "uppercase"})});
  REQUIRE(out == Labels{{"a", "FOO-1"}});
}

TEST_CASE("relabel: lowercase of nothing deletes the target label", "[relabel]") {
  auto out =
      run({{"a", "x"}, {"t", "old"}},
          {rule({.source_labels = Names{"missing"}, .target_label = "t", .action = "lowercase"})});
  REQUIRE(out == Labels{{"a", "x"}});
}

TEST_CASE("relabel: the action is read whatever its case", "[relabel]") {
  const auto keep = rule({.source_labels = Names{"a"}, .regex = "x", .action = "KeEp"});
  REQUIRE(keep.action == mc::RelabelAction::keep);
  REQUIRE_FALSE(run({{"a", "y"}}, {keep}).has_value());
}

TEST_CASE("relabel: a regex with a newline-free dot, as Go's", "[relabel]") {
  const auto keep = rule({.source_labels = Names{"a"}, .regex = "a.b", .action = "keep"});
  REQUIRE_FALSE(run({{"a", "a\nb"}}, {keep}).has_value());
  REQUIRE(run({{"a", "a-b"}}, {keep}).has_value());
}

TEST_CASE("relabel: a set the rules left unchanged compares equal", "[relabel]") {
  const Labels in{{"a", "1"}};
  auto out = run(in, {rule({.regex = "zzz", .action = "labeldrop"})});
  REQUIRE(out == in);
  REQUIRE(out->hash() == in.hash());
}

TEST_CASE("relabel: the builder form leaves its result in the builder", "[relabel]") {
  mc::LabelsBuilder builder(Labels{{"a", "1"}});
  const std::vector<RelabelConfig> rules = {rule({.target_label = "b", .replacement = "2"})};
  REQUIRE(mc::relabel_builder(builder, rules));
  REQUIRE(builder.labels() == Labels{{"a", "1"}, {"b", "2"}});
}
