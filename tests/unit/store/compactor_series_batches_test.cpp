// for_each_named_series_in_order over a real head: the same series in the
// same order as one select() of every named series, whatever the batch size,
// with metric names a regex would misread, a label name sorting before
// __name__, and an error from the visitor.
#include "common/store/compactor_series_batches.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/store/head_storage.hpp"

using mc::HeadStorage;
using mc::Labels;
using mc::Matcher;
using mc::Series;
using mc::Status;

namespace {

void add(HeadStorage& head, const std::vector<Labels>& all) {
  auto appender = head.appender();
  for (const auto& labels : all) appender->append(0, labels, 1000, 1.0);
  REQUIRE(appender->commit().is_ok());
}

std::vector<std::string> in_one_select(HeadStorage& head) {
  auto named = Matcher::make(Matcher::Kind::regex, "__name__", ".+");
  REQUIRE(named.is_ok());
  std::vector<std::string> out;
  for (const auto& series : head.querier(0, 10'000)->select({*named})) {
    out.push_back(series->labels().to_string());
  }
  return out;
}

std::vector<std::string> in_batches(HeadStorage& head, size_t batch_series) {
  std::vector<std::string> out;
  const Status status = mc::for_each_named_series_in_order(
      *head.querier(0, 10'000), batch_series, [&](const Series& series) {
        out.push_back(series.labels().to_string());
        return Status::ok();
      });
  REQUIRE(status.is_ok());
  return out;
}

// Families of 1, 2 and 5 series; names that are regex syntax ("a+" would
// match "a" and "aa" unquoted), and one series without a name, which a cut
// never read.
std::vector<Labels> mixed_series() {
  std::vector<Labels> all;
  for (const std::string name : {"a", "a+", "aa", "b.c", "bxc", "node_cpu", "up", "z"}) {
    const int members = name == "node_cpu" ? 5 : name == "up" ? 2 : 1;
    for (int i = 0; i < members; ++i) {
      all.push_back({{"__name__", name}, {"instance", "host" + std::to_string(i)}});
    }
  }
  all.push_back({{"instance", "nameless"}});
  return all;
}

}  // namespace

TEST_CASE("compactor series batches: every named series once, in label order, at any batch size") {
  HeadStorage head;
  add(head, mixed_series());
  const std::vector<std::string> expected = in_one_select(head);
  REQUIRE(expected.size() == 13);
  for (const size_t batch_series : {1, 2, 3, 7, 1000}) {
    INFO("batch_series " << batch_series);
    CHECK(in_batches(head, batch_series) == expected);
  }
}

TEST_CASE("compactor series batches: a label name before __name__ reads everything at once") {
  HeadStorage head;
  std::vector<Labels> all = mixed_series();
  // "Zone" < "__name__": these sort by zone first, not by metric name.
  all.push_back({{"__name__", "a"}, {"Zone", "2"}});
  all.push_back({{"__name__", "z"}, {"Zone", "1"}});
  add(head, all);
  const std::vector<std::string> expected = in_one_select(head);
  REQUIRE(expected.size() == 15);
  CHECK(expected.front() == Labels({{"Zone", "1"}, {"__name__", "z"}}).to_string());
  CHECK(in_batches(head, 1) == expected);
}

TEST_CASE("compactor series batches: the visitor's error stops the walk") {
  HeadStorage head;
  add(head, mixed_series());
  int visited = 0;
  const Status status = mc::for_each_named_series_in_order(
      *head.querier(0, 10'000), 2,
      [&](const Series&) { return ++visited == 4 ? Status::error("disk full") : Status::ok(); });
  CHECK(status.message() == "disk full");
  CHECK(visited == 4);
}
