// QuerySeries: result rows → samples in a real HeadStorage, through a
// hand-built ResultTable (no database needed for the conversion rules).
#include "collector/sql/query_series.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <optional>

#include "common/model/sample_value.hpp"
#include "common/store/head_storage.hpp"
#include "tests/support/store_reading.hpp"

using namespace std::chrono_literals;

namespace {

constexpr uint32_t kText = 25;
constexpr uint32_t kInt8 = 20;
constexpr uint32_t kBool = 16;
constexpr uint32_t kInterval = 1186;

struct Column {
  std::string name;
  uint32_t type;
};

class TestTable final : public mc::ResultTable {
 public:
  TestTable(std::vector<Column> columns, std::vector<std::vector<std::optional<std::string>>> rows)
      : columns_(std::move(columns)), rows_(std::move(rows)) {}
  size_t row_count() const override { return rows_.size(); }
  size_t column_count() const override { return columns_.size(); }
  std::string_view column_name(size_t column) const override { return columns_[column].name; }
  uint32_t column_type(size_t column) const override { return columns_[column].type; }
  std::optional<std::string_view> cell(size_t row, size_t column) const override {
    const auto& value = rows_[row][column];
    if (!value) return std::nullopt;
    return std::string_view(*value);
  }

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::optional<std::string>>> rows_;
};

mc::SqlQueryConfig connections_query() {
  mc::SqlQueryConfig query;
  query.name = "connections";
  query.metric = "business_connections";
  query.help = "Connections by state.";
  query.sql = "SELECT ...";
  query.label_columns = {"state"};
  query.value_columns = {{"n", ""}, {"idle_for", "_idle_seconds"}};
  query.static_labels = {{"team", "core"}};
  query.initial_label_values = {{"waiting"}};
  return query;
}

TestTable connections_table(std::vector<std::vector<std::optional<std::string>>> rows) {
  return TestTable({{"state", kText}, {"n", kInt8}, {"idle_for", kInterval}}, std::move(rows));
}

mc::Labels series(const std::string& name, const std::string& state) {
  return mc::Labels{{"__name__", name}, {"state", state}, {"team", "core"}};
}

// Appends and commits one result; returns the run's error (empty when fine).
std::string run(mc::QuerySeries& query_series, mc::Storage& storage, const mc::ResultTable& table,
                int64_t t_ms, mc::QueryRunStats* stats_out = nullptr) {
  auto appender = storage.appender();
  mc::QueryRunStats stats;
  mc::Status status = query_series.append_result(table, *appender, t_ms, stats);
  if (stats_out != nullptr) *stats_out = stats;
  if (!status) {
    appender->rollback();
    return status.message();
  }
  REQUIRE(appender->commit().is_ok());
  return "";
}

std::optional<double> latest(mc::Storage& storage, const mc::Labels& labels) {
  auto samples = mc::test::samples_of(storage, labels);
  if (samples.empty()) return std::nullopt;
  return samples.back().v;
}

}  // namespace

TEST_CASE("rows become one series per value column, labelled by label columns", "[query_series]") {
  mc::HeadStorage storage;
  mc::QuerySeries query_series(connections_query(), 30s);
  mc::QueryRunStats stats;
  CHECK(run(query_series, storage,
            connections_table({{"active", "3", "PT1M"}, {"idle", "5", "P1DT0.5S"}}), 1000,
            &stats) == "");
  CHECK(mc::test::samples_of(storage, series("business_connections", "active")) ==
        std::vector<mc::Sample>{{1000, 3}});
  CHECK(latest(storage, series("business_connections_idle_seconds", "active")) == 60);
  CHECK(latest(storage, series("business_connections", "idle")) == 5);
  CHECK(latest(storage, series("business_connections_idle_seconds", "idle")) == 86400.5);
  // The declared 'waiting' is missing from the result: 0.
  CHECK(latest(storage, series("business_connections", "waiting")) == 0);
  CHECK(stats.rows == 2);
  CHECK(stats.samples == 4);
  CHECK(stats.zeros == 2);
  CHECK(stats.stale_markers == 0);

  // Metadata: the query's type and help, with the refresh interval.
  std::map<std::string, mc::MetricMetadata> metadata;
  storage.latest_samples().for_each_latest(0, 10'000, [&](const mc::LatestSample& sample) {
    REQUIRE(sample.metadata != nullptr);
    metadata[std::string(sample.labels.metric_name())] = *sample.metadata;
  });
  CHECK(metadata["business_connections"] ==
        mc::MetricMetadata{"business_connections", mc::MetricType::gauge,
                           "Connections by state. (refreshed every 30 seconds)", ""});
  CHECK(metadata["business_connections_idle_seconds"].family ==
        "business_connections_idle_seconds");
}

TEST_CASE("declared series are zero before any run, and vanished ones go stale", "[query_series]") {
  mc::HeadStorage storage;
  mc::QuerySeries query_series(connections_query(), 1500ms);
  CHECK(query_series.metadata()[0].help == "Connections by state. (refreshed every 1.5 seconds)");
  {
    auto appender = storage.appender();
    CHECK(query_series.append_declared_zeros(*appender, 500) == 2);
    REQUIRE(appender->commit().is_ok());
  }
  CHECK(latest(storage, series("business_connections", "waiting")) == 0);
  CHECK_FALSE(latest(storage, series("business_connections", "active")));

  REQUIRE(run(query_series, storage,
              connections_table({{"active", "3", "PT0S"}, {"waiting", "1", "PT0S"}}), 1000) == "");
  CHECK(latest(storage, series("business_connections", "waiting")) == 1);
  // 'active' leaves the result: a stale marker; 'waiting' leaves: back to 0.
  mc::QueryRunStats stats;
  REQUIRE(run(query_series, storage, connections_table({}), 2000, &stats) == "");
  CHECK(mc::is_stale_nan(*latest(storage, series("business_connections", "active"))));
  CHECK(latest(storage, series("business_connections", "waiting")) == 0);
  CHECK(stats.stale_markers == 2);
  CHECK(stats.zeros == 2);
  // Stale once only; it comes back when its row does.
  REQUIRE(run(query_series, storage, connections_table({}), 3000, &stats) == "");
  CHECK(stats.stale_markers == 0);
  REQUIRE(run(query_series, storage, connections_table({{"active", "4", "PT0S"}}), 4000) == "");
  CHECK(latest(storage, series("business_connections", "active")) == 4);
}

TEST_CASE("NULLs skip samples and are counted, and NULL or empty labels are no label",
          "[query_series]") {
  mc::HeadStorage storage;
  mc::QuerySeries query_series(connections_query(), 60s);
  mc::QueryRunStats stats;
  REQUIRE(run(query_series, storage,
              connections_table({{"active", std::nullopt, "PT1S"},
                                 {"waiting", std::nullopt, std::nullopt},
                                 {std::nullopt, "9", std::nullopt}}),
              1000, &stats) == "");
  CHECK_FALSE(latest(storage, series("business_connections", "active")));
  CHECK(latest(storage, series("business_connections_idle_seconds", "active")) == 1);
  // Declared and NULL: 0, as if the row were missing.
  CHECK(latest(storage, series("business_connections", "waiting")) == 0);
  CHECK(latest(storage, mc::Labels{{"__name__", "business_connections"}, {"team", "core"}}) == 9);
  CHECK(stats.null_values == std::map<std::string, uint64_t>{{"n", 2}, {"idle_for", 2}});
}

TEST_CASE("an unlabelled query has one declared series", "[query_series]") {
  mc::SqlQueryConfig query;
  query.name = "active";
  query.help = "Active.";
  query.value_columns = {{"active", ""}, {"flag", "_flag"}};
  mc::HeadStorage storage;
  mc::QuerySeries query_series(query, 60s);
  {
    auto appender = storage.appender();
    CHECK(query_series.append_declared_zeros(*appender, 1) == 2);
    REQUIRE(appender->commit().is_ok());
  }
  CHECK(latest(storage, mc::Labels{{"__name__", "active"}}) == 0);
  TestTable table({{"active", kInt8}, {"flag", kBool}}, {{"12", "t"}});
  REQUIRE(run(query_series, storage, table, 1000) == "");
  CHECK(latest(storage, mc::Labels{{"__name__", "active"}}) == 12);
  CHECK(latest(storage, mc::Labels{{"__name__", "active_flag"}}) == 1);
  TestTable two_rows({{"active", kInt8}, {"flag", kBool}}, {{"1", "t"}, {"2", "f"}});
  CHECK(run(query_series, storage, two_rows, 2000) ==
        "row 2: a second row with the same labels active{} (label columns must identify a row)");
}

TEST_CASE("a result that cannot become samples fails the run and stores nothing",
          "[query_series]") {
  mc::HeadStorage storage;
  mc::QuerySeries query_series(connections_query(), 60s);
  CHECK(run(query_series, storage, TestTable({{"state", kText}, {"n", kInt8}}, {}), 1000) ==
        "column \"idle_for\" is not in the result (its columns: state, n)");
  CHECK(run(query_series, storage,
            TestTable({{"state", kText}, {"n", kText}, {"idle_for", kInterval}}, {}), 1000) ==
        "value column \"n\" has type text; want a number, boolean or interval (cast it in the "
        "SQL)");
  CHECK(run(query_series, storage, connections_table({{"a", "1", "PT0S"}, {"b", "x", "PT0S"}}),
            1000) == "row 2: value column \"n\": cannot convert \"x\" to a number");
  CHECK(run(query_series, storage, connections_table({{"bad\xff", "1", "PT0S"}}), 1000) ==
        "row 1: label column \"state\" is not valid UTF-8");
  CHECK(run(query_series, storage, connections_table({{"a", "1", "PT0S"}, {"a", "2", "PT0S"}}),
            1000) ==
        "row 2: a second row with the same labels business_connections{state=\"a\", "
        "team=\"core\"} (label columns must identify a row)");
  CHECK(mc::test::latest_samples(storage).empty());
  // A later good run works as if nothing happened.
  REQUIRE(run(query_series, storage, connections_table({{"a", "1", "PT0S"}}), 2000) == "");
  CHECK(latest(storage, series("business_connections", "a")) == 1);
}

TEST_CASE("check_columns checks the columns of a result without rows, as append_result does",
          "[query_series]") {
  mc::QuerySeries query_series(connections_query(), 60s);
  CHECK(query_series.check_columns(TestTable({{"state", kText}, {"n", kInt8}}, {})).message() ==
        "column \"idle_for\" is not in the result (its columns: state, n)");
  CHECK(query_series.check_columns(TestTable({{"n", kInt8}, {"idle_for", kInterval}}, {}))
            .message() == "column \"state\" is not in the result (its columns: n, idle_for)");
  CHECK(query_series
            .check_columns(TestTable({{"state", kText}, {"n", kText}, {"idle_for", kInterval}}, {}))
            .message() ==
        "value column \"n\" has type text; want a number, boolean or interval (cast it in the "
        "SQL)");
  CHECK(query_series
            .check_columns(TestTable({{"idle_for", kInterval}, {"n", kInt8}, {"state", kText}}, {}))
            .is_ok());
  // A check leaves the next run unaffected.
  mc::HeadStorage storage;
  REQUIRE(run(query_series, storage, connections_table({{"a", "1", "PT0S"}}), 2000) == "");
  CHECK(latest(storage, series("business_connections", "a")) == 1);
}
