// The streamed /metrics (MetricsRenderer::stream: MetricsPage, the prefix
// cache, chunked HTTP, streamed gzip) against the sorted render it replaced:
// same samples, valid pages, and safe under concurrent scrapes and churn.
#include <catch2/catch.hpp>

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/exposition/parser.hpp"
#include "common/model/sample_value.hpp"
#include "common/store/head_storage.hpp"
#include "exporter/exporter.hpp"
#include "exporter/gzip.hpp"
#include "exporter/metrics_renderer.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/exporter/http_test_client.hpp"

namespace mc {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string value_text(double value) {
  if (std::isnan(value)) return "NaN";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return buffer;
}

// What a page says, line by line, in a form two orders of the same page
// share: one string per sample (family, type, name, sorted labels, value,
// timestamp), and per family how many TYPE blocks it got.
struct PageContent : ExpositionHandler {
  std::multiset<std::string> samples;
  std::map<std::string, int> type_lines;
  std::set<std::string> skip_value_of;  // families whose values change between renders
  std::string current_family;
  // OpenMetrics order: the Metrics of the current family, and the state of the open one.
  std::set<std::string> closed_metrics;
  std::string open_metric;
  int open_rank = -1;
  double open_bound = -INFINITY;
  std::vector<std::string> order_errors;

  void on_family(const FamilyView& family) override {
    ++type_lines[std::string(family.name)];
    current_family = std::string(family.name);
    closed_metrics.clear();
    open_metric.clear();
    open_rank = -1;
  }
  void on_sample(const SampleView& sample) override {
    std::vector<std::string> labels;
    std::string metric;
    double bound = 0;
    for (const auto& label : sample.labels) {
      labels.push_back(std::string(label.name) + "=" + std::string(label.value));
      if (label.name == "le" || label.name == "quantile") {
        bound = label.value == "+Inf" ? INFINITY
                                      : std::strtod(std::string(label.value).c_str(), nullptr);
      }
    }
    std::sort(labels.begin(), labels.end());
    for (const auto& label : labels) {
      if (!label.starts_with("le=") && !label.starts_with("quantile=")) metric += label + ",";
    }
    std::string line = std::string(sample.family) + "|" +
                       std::string(metric_type_name(sample.type)) + "|" + std::string(sample.name) +
                       "|";
    for (const auto& label : labels) line += label + ",";
    bool keep_value = true;
    for (const auto& prefix : skip_value_of) {
      if (sample.name.starts_with(prefix)) keep_value = false;
    }
    if (keep_value) {
      line += "|" + value_text(sample.value) + "|" +
              (sample.timestamp_ms ? std::to_string(*sample.timestamp_ms) : "-");
    }
    samples.insert(line);
    check_openmetrics_order(sample, metric, bound);
  }

  // The samples of one Metric adjacent, in order: buckets/quantiles by bound,
  // then _sum, _count, _created.
  void check_openmetrics_order(const SampleView& sample, const std::string& metric, double bound) {
    const std::string_view suffix = sample.name.size() > sample.family.size()
                                        ? sample.name.substr(sample.family.size())
                                        : std::string_view();
    const int rank = suffix == "_sum" || suffix == "_gsum"       ? 1
                     : suffix == "_count" || suffix == "_gcount" ? 2
                     : suffix == "_created"                      ? 3
                                                                 : 0;
    if (metric != open_metric) {
      if (closed_metrics.count(metric) != 0) {
        order_errors.push_back("Metric split: " + std::string(sample.name) + " " + metric);
      }
      closed_metrics.insert(open_metric);
      open_metric = metric;
      open_rank = -1;
      open_bound = -INFINITY;
    }
    if (rank < open_rank || (rank == open_rank && rank == 0 && bound < open_bound)) {
      order_errors.push_back("out of order: " + std::string(sample.name) + " " + metric);
    }
    open_rank = rank;
    open_bound = bound;
  }
};

PageContent content_of(const std::string& body, ExpositionFormat format) {
  PageContent content;
  content.skip_value_of = {"process_"};
  const Status status = parse_exposition(body, format, content);
  INFO(status.message());
  REQUIRE(status.is_ok());
  return content;
}

// The stored series' samples only: the meta-metrics of a served page change
// from request to request (the HTTP request counters).
std::multiset<std::string> stored_samples(const std::string& body) {
  std::multiset<std::string> stored;
  for (const auto& sample : content_of(body, ExpositionFormat::prometheus_text).samples) {
    if (sample.find("job=node,") != std::string::npos) stored.insert(sample);
  }
  return stored;
}

std::string streamed(MetricsRenderer& renderer, ExpositionFormat format, size_t* pieces = nullptr) {
  std::string body;
  renderer.stream(format, true, [&](std::string_view piece) {
    body += piece;
    if (pieces != nullptr) ++*pieces;
    return true;
  });
  return body;
}

// A store with a bit of everything /metrics has to get right, appended in a
// shuffled order so that the store's order is not the sorted one.
struct VariedStore {
  HeadStorage storage;
  std::vector<std::unique_ptr<MetricMetadata>> metadata;
  int64_t t = now_ms() - 2'000;

  struct Point {
    Labels labels;
    const MetricMetadata* metadata;
    int64_t t_ms;
    double value;
  };
  std::vector<Point> points;

  const MetricMetadata* meta(std::string family, MetricType type, std::string help) {
    metadata.push_back(std::make_unique<MetricMetadata>(
        MetricMetadata{std::move(family), type, std::move(help), ""}));
    return metadata.back().get();
  }
  void add(std::string name, std::vector<Label> labels, const MetricMetadata* m, double value,
           std::string instance = "a:9100") {
    labels.push_back({std::string(kMetricNameLabel), std::move(name)});
    labels.push_back({"instance", std::move(instance)});
    labels.push_back({"job", "node"});
    points.push_back(Point{Labels(std::move(labels)), m, t, value});
  }

  VariedStore() {
    std::mt19937 random(14);
    for (const char* instance : {"a:9100", "b:9100"}) {
      const auto* requests = meta("requests", MetricType::counter, "Requests.");
      for (const char* code : {"200", "404", "500"}) {
        add("requests_total", {{"code", code}}, requests, 10, instance);
        add("requests_created", {{"code", code}}, requests, 1.7e9, instance);
      }
      const auto* latency = meta("latency_seconds", MetricType::histogram, "Latency.");
      for (const char* path : {"/a", "/b"}) {
        for (const char* le : {"0.1", "0.5", "1", "+Inf"}) {
          add("latency_seconds_bucket", {{"path", path}, {"le", le}}, latency, 3, instance);
        }
        add("latency_seconds_sum", {{"path", path}}, latency, 1.25, instance);
        add("latency_seconds_count", {{"path", path}}, latency, 3, instance);
        add("latency_seconds_created", {{"path", path}}, latency, 1.7e9, instance);
      }
      const auto* rpc = meta("rpc_seconds", MetricType::summary, "RPC time.");
      for (const char* q : {"0.5", "0.9", "0.99"}) {
        add("rpc_seconds", {{"quantile", q}}, rpc, 0.2, instance);
      }
      add("rpc_seconds_sum", {}, rpc, 8, instance);
      add("rpc_seconds_count", {}, rpc, 40, instance);
      const auto* queue = meta("queue", MetricType::gaugehistogram, "Queue.");
      add("queue_bucket", {{"le", "1"}}, queue, 1, instance);
      add("queue_bucket", {{"le", "+Inf"}}, queue, 2, instance);
      add("queue_gcount", {}, queue, 2, instance);
      add("queue_gsum", {}, queue, 1.5, instance);
      add("build_info", {{"version", "1.0"}}, meta("build", MetricType::info, "Build."), 1,
          instance);
      // A text-format counter without _total: an OpenMetrics misfit.
      add("legacy", {}, meta("legacy", MetricType::counter, "Old style."), 4, instance);
      add("no_metadata", {{"kind", "x"}}, nullptr, 7, instance);
      // Two targets disagreeing on HELP: one family, the smallest metadata.
      add("temperature", {{"room", "r"}},
          meta("temperature", MetricType::gauge, std::string("Temp ") + instance), 21, instance);
      // A stored copy of a meta-metric family (the daemon scraping itself).
      add("metrics_collector_head_series", {},
          meta("metrics_collector_head_series", MetricType::gauge, "Series in the head."), 5,
          instance);
    }
    const auto* odd = meta("odd_values", MetricType::gauge, "Odd values and labels.");
    const double values[] = {NAN, INFINITY, -INFINITY, -0.0, 1e-7, 123456789012.0, 0.1};
    const char* texts[] = {"quote\"d", "back\\slash", "new\nline", "ünïcode", "", "{}", ","};
    for (int i = 0; i < 7; ++i)
      add("odd_values", {{"text", texts[i]}, {"i", std::to_string(i)}}, odd, values[i]);
    for (int family = 0; family < 40; ++family) {
      const std::string name = "gauge_family_" + std::to_string(family);
      const auto* m = meta(name, MetricType::gauge, "Family " + std::to_string(family));
      const int series = 1 + static_cast<int>(random() % 30);
      for (int s = 0; s < series; ++s) {
        add(name, {{"s", std::to_string(s)}}, m, static_cast<double>(random() % 1000) / 7);
      }
    }
    std::shuffle(points.begin(), points.end(), random);
    append_all();
    // Left out: a stale series, and one outside the lookback.
    auto appender = storage.appender();
    const Labels stale{{std::string(kMetricNameLabel), "gone"}, {"job", "node"}};
    appender->append(0, stale, t - 1000, 1);
    appender->append(0, stale, t, stale_nan());
    appender->append(0, Labels{{std::string(kMetricNameLabel), "old"}}, now_ms() - 600'000, 1);
    REQUIRE(appender->commit().is_ok());
  }

  void append_all() {
    auto appender = storage.appender();
    for (const auto& point : points) {
      auto result = appender->append(0, point.labels, point.t_ms, point.value);
      if (point.metadata != nullptr) appender->update_metadata(result.ref, *point.metadata);
    }
    REQUIRE(appender->commit().is_ok());
  }
};

TEST_CASE("streamed /metrics holds exactly the samples of the sorted render",
          "[exporter][stream]") {
  VariedStore store;
  MetricsRenderer renderer({}, store.storage, std::make_shared<prometheus::Registry>());
  for (auto format : {ExpositionFormat::prometheus_text, ExpositionFormat::openmetrics}) {
    INFO("format " << static_cast<int>(format));
    const PageContent sorted = content_of(renderer.render(format, true), format);
    // Cold cache, warm cache, and warm again after more renders.
    for (int round = 0; round < 3; ++round) {
      INFO("round " << round);
      const std::string body = streamed(renderer, format);
      const PageContent page = content_of(body, format);
      CHECK(page.samples == sorted.samples);
      CHECK(page.type_lines == sorted.type_lines);
      for (const auto& [family, count] : page.type_lines) {
        INFO(family);
        CHECK(count == 1);
      }
      if (format == ExpositionFormat::openmetrics) {
        INFO(body);
        CHECK(page.order_errors.empty());
        CHECK_THAT(body, Catch::EndsWith("# EOF\n"));
      }
      CHECK(body.find("gone{") == std::string::npos);
      CHECK(body.find("\nold{") == std::string::npos);
      CHECK_THAT(body, Catch::Contains("text=\"quote\\\"d\""));
      CHECK_THAT(body, Catch::Contains("text=\"new\\nline\""));
    }
  }
  CHECK(renderer.cached_prefixes() > 300);
  CHECK(renderer.cached_prefix_bytes() > 0);
}

TEST_CASE("streamed /metrics with external labels drops the series they make equal",
          "[exporter][stream]") {
  HeadStorage storage;
  const int64_t t = now_ms() - 1000;
  auto appender = storage.appender();
  appender->append(0, Labels{{std::string(kMetricNameLabel), "x"}, {"a", "1"}}, t, 3);
  appender->append(0, Labels{{std::string(kMetricNameLabel), "x"}, {"a", "1"}, {"cluster", "c1"}},
                   t, 3);
  appender->append(0, Labels{{std::string(kMetricNameLabel), "y"}, {"cluster", "own"}}, t, 4);
  REQUIRE(appender->commit().is_ok());
  MetricsRendererOptions options;
  options.external_labels = {{"cluster", "c1"}};
  MetricsRenderer renderer(options, storage, std::make_shared<prometheus::Registry>());
  for (auto format : {ExpositionFormat::prometheus_text, ExpositionFormat::openmetrics}) {
    const PageContent sorted = content_of(renderer.render(format, true), format);
    for (int round = 0; round < 2; ++round) {
      const std::string body = streamed(renderer, format);
      INFO(body);
      CHECK(content_of(body, format).samples == sorted.samples);
      CHECK_THAT(body, Catch::Contains("x{a=\"1\",cluster=\"c1\"} 3"));
      CHECK_THAT(body, Catch::Contains("y{cluster=\"own\"} 4"));
      const size_t first = body.find("x{a=\"1\",cluster=\"c1\"}");
      CHECK(body.find("x{a=\"1\",cluster=\"c1\"}", first + 1) == std::string::npos);
    }
  }
}

TEST_CASE("the prefix cache drops series the store removed and stays within its bound",
          "[exporter][stream]") {
  HeadStorage storage;
  const int64_t t = now_ms() - 1000;
  auto append = [&](int from, int to, int64_t at) {
    auto appender = storage.appender();
    for (int i = from; i < to; ++i) {
      appender->append(0, Labels{{std::string(kMetricNameLabel), "m"}, {"i", std::to_string(i)}},
                       at, i);
    }
    REQUIRE(appender->commit().is_ok());
  };
  append(0, 100, t - 60'000);
  append(100, 200, t);
  MetricsRenderer renderer({}, storage, std::make_shared<prometheus::Registry>());
  streamed(renderer, ExpositionFormat::prometheus_text);
  CHECK(renderer.cached_prefixes() == 200);
  REQUIRE(storage.truncate(t - 30'000) == 100);
  // Gone from the store: out of the page at once, out of the cache at the next sweep.
  for (uint64_t i = 0; i < SeriesPrefixCache::kSweepEvery; ++i) {
    const std::string body = streamed(renderer, ExpositionFormat::prometheus_text);
    CHECK(body.find("m{i=\"5\"}") == std::string::npos);
    CHECK_THAT(body, Catch::Contains("m{i=\"150\"} 150"));
  }
  CHECK(renderer.cached_prefixes() == 100);

  MetricsRendererOptions small;
  small.prefix_cache_bytes = 4096;
  MetricsRenderer bounded(small, storage, std::make_shared<prometheus::Registry>());
  const PageContent full = content_of(renderer.render(ExpositionFormat::prometheus_text, true),
                                      ExpositionFormat::prometheus_text);
  for (int round = 0; round < 2; ++round) {
    CHECK(content_of(streamed(bounded, ExpositionFormat::prometheus_text),
                     ExpositionFormat::prometheus_text)
              .samples == full.samples);
  }
  CHECK(bounded.cached_prefix_bytes() < 4096 + 512);
  CHECK(bounded.cached_prefixes() < 100);
}

TEST_CASE("after most series go, the prefix cache copies the rest into a new arena, pages intact",
          "[exporter][stream]") {
  // 2,000 series of about 150 bytes each (300 KB of text); 1,800 dropped
  // leave 30 KB live, far under half the arena: the sweep rebuilds it.
  HeadStorage storage;
  const int64_t t = now_ms() - 1000;
  const std::string padding(120, 'p');
  auto append = [&](int from, int to, int64_t at) {
    auto appender = storage.appender();
    for (int i = from; i < to; ++i) {
      appender->append(0,
                       Labels{{std::string(kMetricNameLabel), i % 2 ? "odd" : "even"},
                              {"i", std::to_string(i)},
                              {"pad", padding}},
                       at, i);
    }
    REQUIRE(appender->commit().is_ok());
  };
  append(0, 1800, t - 60'000);
  append(1800, 2000, t);
  MetricsRenderer renderer({}, storage, std::make_shared<prometheus::Registry>());
  streamed(renderer, ExpositionFormat::prometheus_text);
  const size_t bytes_before = renderer.cached_prefix_bytes();
  CHECK(bytes_before > 300'000);
  REQUIRE(storage.truncate(t - 30'000) == 1800);
  // The stored series' samples (the meta-metrics change between renders).
  auto stored_of = [](const std::string& body, ExpositionFormat format) {
    std::multiset<std::string> stored;
    for (const auto& sample : content_of(body, format).samples) {
      if (sample.find("pad=") != std::string::npos) stored.insert(sample);
    }
    return stored;
  };
  const auto expected = stored_of(renderer.render(ExpositionFormat::prometheus_text, true),
                                  ExpositionFormat::prometheus_text);
  REQUIRE(expected.size() == 200);
  for (uint64_t i = 0; i < SeriesPrefixCache::kSweepEvery + 2; ++i) {
    for (const auto format : {ExpositionFormat::prometheus_text, ExpositionFormat::openmetrics}) {
      const std::string body = streamed(renderer, format);
      CHECK(body.find("i=\"5\"") == std::string::npos);
      CHECK_THAT(body, Catch::Contains("odd{i=\"1999\",pad=\"" + padding + "\"} 1999"));
      if (format == ExpositionFormat::prometheus_text) CHECK(stored_of(body, format) == expected);
    }
  }
  CHECK(renderer.cached_prefixes() == 200);
  // The arena holds the live texts only: 200 of 2,000.
  CHECK(renderer.cached_prefix_bytes() < bytes_before / 5);
}

TEST_CASE("a render cut short by its reader or by a throw leaves the next one whole",
          "[exporter][stream]") {
  VariedStore store;
  {
    auto appender = store.storage.appender();
    for (int i = 0; i < 3000; ++i) {
      appender->append(0, Labels{{std::string(kMetricNameLabel), "bulk"}, {"i", std::to_string(i)}},
                       store.t, i);
    }
    REQUIRE(appender->commit().is_ok());
  }
  MetricsRenderer renderer({}, store.storage, std::make_shared<prometheus::Registry>());
  const PageContent full = content_of(renderer.render(ExpositionFormat::prometheus_text, true),
                                      ExpositionFormat::prometheus_text);
  size_t pieces = 0;
  streamed(renderer, ExpositionFormat::prometheus_text, &pieces);  // the cache is warm
  REQUIRE(pieces > 1);
  pieces = 0;
  renderer.stream(ExpositionFormat::prometheus_text, true, [&](std::string_view) {
    ++pieces;
    return false;  // the client is gone
  });
  CHECK(pieces == 1);  // asked once, then the writer stopped
  CHECK_THROWS_AS(
      renderer.stream(ExpositionFormat::prometheus_text, true,
                      [](std::string_view) -> bool { throw std::runtime_error("sink failed"); }),
      std::runtime_error);
  CHECK(content_of(streamed(renderer, ExpositionFormat::prometheus_text),
                   ExpositionFormat::prometheus_text)
            .samples == full.samples);
}

TEST_CASE("streamed /metrics goes out in pieces and passes promtool check metrics",
          "[exporter][stream][promtool]") {
  VariedStore store;
  {
    auto appender = store.storage.appender();
    for (int i = 0; i < 5000; ++i) {
      appender->append(0, Labels{{std::string(kMetricNameLabel), "bulk"}, {"i", std::to_string(i)}},
                       store.t, i);
    }
    REQUIRE(appender->commit().is_ok());
  }
  MetricsRenderer renderer({}, store.storage, std::make_shared<prometheus::Registry>());
  size_t pieces = 0;
  const std::string body = streamed(renderer, ExpositionFormat::prometheus_text, &pieces);
  CHECK(body.size() > 100'000);
  CHECK(pieces > 1);
  if (!std::filesystem::exists("/usr/bin/promtool")) {
    WARN("promtool not installed (/usr/bin/promtool); skipping its check");
    return;
  }
  test::TempDir dir;
  auto path = dir.write_file("metrics.txt", body);
  std::string command = "/usr/bin/promtool check metrics < '" + path.string() + "' 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[512];
  while (size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  const int status = ::pclose(pipe);
  INFO(output);
  REQUIRE(WIFEXITED(status));
  // 0: clean; 3: lint findings only (this store has no HELP on some families,
  // counters without _total on purpose). 1 would be a parse error.
  CHECK((WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3));
  CHECK(output.find("error while linting") == std::string::npos);
  CHECK(output.find("parsing error") == std::string::npos);
}

TEST_CASE("gzip_streamed output decompresses to what the producer wrote", "[exporter][gzip]") {
  std::string expected;
  std::mt19937 random(7);
  auto producer = [&](const BodySink& sink) {
    for (int i = 0; i < 400; ++i) {
      std::string piece;
      const int lines = static_cast<int>(random() % 300);
      for (int j = 0; j < lines; ++j) piece += "line " + std::to_string(random()) + "\n";
      expected += piece;
      if (!sink(piece)) return;
      if (i % 50 == 0 && !sink("")) return;  // an empty piece is harmless
    }
  };
  std::string compressed;
  size_t pieces = 0;
  gzip_streamed(producer)([&](std::string_view piece) {
    compressed += piece;
    ++pieces;
    return true;
  });
  bool ok = false;
  CHECK(test::gunzip(compressed, ok) == expected);
  CHECK(ok);
  CHECK(expected.size() > 500'000);
  CHECK(pieces > 1);

  std::string empty;
  gzip_streamed([](const BodySink&) {})([&](std::string_view piece) {
    empty += piece;
    return true;
  });
  CHECK(test::gunzip(empty, ok).empty());
  CHECK(ok);

  // A sink that fails stops the producer.
  int produced = 0;
  gzip_streamed([&](const BodySink& sink) {
    for (int i = 0; i < 1000; ++i) {
      ++produced;
      if (!sink(std::string(100'000, static_cast<char>('a' + random() % 26)))) return;
    }
  })([](std::string_view) { return false; });
  CHECK(produced < 1000);
}

// An exporter on 127.0.0.1 over `storage`.
std::unique_ptr<Exporter> start_exporter(Storage& storage) {
  ExporterOptions options;
  options.listen_address = "127.0.0.1:0";
  options.worker_threads = 4;
  auto started = Exporter::start(options, storage, std::make_shared<prometheus::Registry>());
  REQUIRE(started.is_ok());
  return std::move(started).value();
}

// A GET over HTTP/1.0 (test::http_request speaks 1.1): status, headers, body.
struct Http10Reply {
  long status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
};
Http10Reply http_1_0_get(const std::string& url, const char* header = nullptr) {
  Http10Reply reply;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_0);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 60000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &test::collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &test::collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
  curl_slist* headers = header != nullptr ? curl_slist_append(nullptr, header) : nullptr;
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  CHECK(curl_easy_perform(curl) == CURLE_OK);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return reply;
}

TEST_CASE("/metrics is chunked on HTTP/1.1, sized on HTTP/1.0 and HEAD, gzipped as it streams",
          "[exporter][stream]") {
  VariedStore store;
  auto exporter = start_exporter(store.storage);
  const std::string url = "http://127.0.0.1:" + std::to_string(exporter->port()) + "/metrics";

  auto plain = test::http_request(url);
  REQUIRE(plain.error.empty());
  CHECK(plain.status == 200);
  CHECK(plain.headers["transfer-encoding"] == "chunked");
  CHECK(plain.headers.count("content-length") == 0);

  auto zipped = test::http_request(url, "GET", {"Accept-Encoding: gzip"});
  REQUIRE(zipped.error.empty());
  CHECK(zipped.headers["content-encoding"] == "gzip");
  CHECK(zipped.headers["transfer-encoding"] == "chunked");
  bool ok = false;
  const std::string unzipped = test::gunzip(zipped.body, ok);
  REQUIRE(ok);
  CHECK(stored_samples(unzipped) == stored_samples(plain.body));
  CHECK(stored_samples(plain.body).size() > 100);

  auto head = test::http_request(url, "HEAD");
  CHECK(head.status == 200);
  CHECK(head.headers.count("content-length") == 1);

  auto old = http_1_0_get(url);
  CHECK(old.status == 200);
  CHECK(old.headers["content-length"] == std::to_string(old.body.size()));
  CHECK(stored_samples(old.body) == stored_samples(plain.body));

  // Two requests on one keep-alive connection: the chunked body ends cleanly.
  std::string both;
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &test::collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &both);
  for (int i = 0; i < 2; ++i) {
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    CHECK(curl_easy_perform(curl) == CURLE_OK);
  }
  long connections = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connections);
  curl_easy_cleanup(curl);
  CHECK(connections == 0);  // the second request reused the first's connection
  CHECK(both.size() > 2 * plain.body.size() / 2);
}

TEST_CASE("a render past its client's scrape timeout is given up, and the next is whole",
          "[exporter][stream]") {
  VariedStore store;
  {
    // More series than one deadline check covers, so the gathering stops too.
    auto appender = store.storage.appender();
    for (size_t i = 0; i < 3 * MetricsRenderer::kSeriesPerDeadlineCheck; ++i) {
      appender->append(0, Labels{{std::string(kMetricNameLabel), "bulk"}, {"i", std::to_string(i)}},
                       store.t, static_cast<double>(i));
    }
    REQUIRE(appender->commit().is_ok());
  }
  MetricsRenderer renderer({}, store.storage, std::make_shared<prometheus::Registry>());
  const PageContent full = content_of(renderer.render(ExpositionFormat::prometheus_text, true),
                                      ExpositionFormat::prometheus_text);
  const RenderDeadline passed = std::chrono::steady_clock::now() - std::chrono::milliseconds(1);
  for (int round = 0; round < 2; ++round) {  // a cold prefix cache, then a warm one
    size_t pieces = 0;
    CHECK_THROWS_AS(renderer.stream(
                        ExpositionFormat::prometheus_text, true,
                        [&](std::string_view) {
                          ++pieces;
                          return true;
                        },
                        passed),
                    RenderDeadlinePassed);
    CHECK(pieces == 0);
    CHECK(content_of(streamed(renderer, ExpositionFormat::prometheus_text),
                     ExpositionFormat::prometheus_text)
              .samples == full.samples);
  }

  auto exporter = start_exporter(store.storage);
  const std::string url = "http://127.0.0.1:" + std::to_string(exporter->port()) + "/metrics";
  const auto plain = test::http_request(url);
  REQUIRE(plain.error.empty());
  for (const char* encoding : {"identity", "gzip"}) {
    INFO(encoding);
    const std::string accept = std::string("Accept-Encoding: ") + encoding;
    // Prometheus's header with a timeout that has passed once the page is
    // gathered: the body is cut (no last chunk), never a short page that ends well.
    const auto late =
        test::http_request(url, "GET", {accept, "X-Prometheus-Scrape-Timeout-Seconds: 0.000001"});
    CHECK_FALSE(late.error.empty());
    // A generous one, a malformed one and none: whole pages.
    for (const char* header : {"X-Prometheus-Scrape-Timeout-Seconds: 60",
                               "X-Prometheus-Scrape-Timeout-Seconds: soon", "X-Other: 1"}) {
      INFO(header);
      const auto reply = test::http_request(url, "GET", {accept, header});
      REQUIRE(reply.error.empty());
      bool ok = true;
      const std::string body =
          std::string(encoding) == "gzip" ? test::gunzip(reply.body, ok) : reply.body;
      REQUIRE(ok);
      CHECK(stored_samples(body) == stored_samples(plain.body));
    }
  }
  // HTTP/1.0 sends a sized body, so nothing is out before the render: a 503.
  const auto old = http_1_0_get(url, "X-Prometheus-Scrape-Timeout-Seconds: 0.000001");
  CHECK(old.status == 503);
  CHECK_THAT(old.body, Catch::Contains("X-Prometheus-Scrape-Timeout-Seconds"));
}

TEST_CASE("a client that leaves mid-stream does not hurt the server", "[exporter][stream]") {
  HeadStorage storage;
  const int64_t t = now_ms() - 1000;
  {
    auto appender = storage.appender();
    for (int i = 0; i < 50'000; ++i) {
      appender->append(0, Labels{{std::string(kMetricNameLabel), "bulk"}, {"i", std::to_string(i)}},
                       t, i);
    }
    REQUIRE(appender->commit().is_ok());
  }
  auto exporter = start_exporter(storage);
  for (int i = 0; i < 3; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(exporter->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size()));
    char buffer[4096];
    CHECK(::recv(fd, buffer, sizeof(buffer), 0) > 0);
    ::close(fd);
  }
  // The workers may still be rendering for the clients that left: under
  // TSan on a loaded machine that took longer than the default 10 s.
  auto reply =
      test::http_request("http://127.0.0.1:" + std::to_string(exporter->port()) + "/metrics", "GET",
                         {}, "", std::chrono::seconds(60));
  REQUIRE(reply.error.empty());
  CHECK(reply.status == 200);
  CHECK_THAT(reply.body, Catch::Contains("bulk{i=\"49999\"} 49999"));
}

TEST_CASE("concurrent scrapes while series come and go", "[exporter][stream]") {
  HeadStorage storage;
  auto exporter = start_exporter(storage);
  MetricsRenderer direct({}, storage, std::make_shared<prometheus::Registry>());
  const std::string url = "http://127.0.0.1:" + std::to_string(exporter->port()) + "/metrics";
  std::atomic<bool> stop{false};
  std::atomic<int> failed_commits{0};
  std::thread churn([&] {
    int64_t t = now_ms() - 100'000;
    for (int round = 0; round < 200 && !stop.load(); ++round) {
      auto appender = storage.appender();
      for (int i = 0; i < 300; ++i) {
        appender->append(0,
                         Labels{{std::string(kMetricNameLabel), "churn"},
                                {"round", std::to_string(round)},
                                {"i", std::to_string(i)}},
                         t, i);
      }
      if (!appender->commit().is_ok()) ++failed_commits;  // Catch's REQUIRE is not thread-safe
      t += 400;
      // Rounds older than 20 go away.
      if (round % 5 == 0) storage.truncate(t - 20 * 400);
    }
  });
  std::vector<std::string> failures;
  std::mutex failures_mutex;
  auto scraper = [&](int id) {
    for (int i = 0; i < 15; ++i) {
      std::string body;
      const auto format =
          (i + id) % 2 == 0 ? ExpositionFormat::prometheus_text : ExpositionFormat::openmetrics;
      if (id == 2) {
        body = streamed(direct, format);
      } else {
        std::vector<std::string> headers = {"Accept-Encoding: gzip"};
        if (format == ExpositionFormat::openmetrics) {
          headers.push_back("Accept: " + std::string(kScrapeAcceptHeader));
        }
        auto reply = test::http_request(url, "GET", headers);
        bool ok = false;
        body = test::gunzip(reply.body, ok);
        if (!reply.error.empty() || reply.status != 200 || !ok) {
          std::lock_guard lock(failures_mutex);
          failures.push_back("request failed: " + reply.error);
          continue;
        }
      }
      PageContent page;
      const Status parsed = parse_exposition(body, format, page);
      std::lock_guard lock(failures_mutex);
      if (!parsed) failures.push_back(parsed.message());
      for (const auto& [family, count] : page.type_lines) {
        if (count != 1) failures.push_back("family twice: " + family);
      }
    }
  };
  std::vector<std::thread> scrapers;
  for (int id = 0; id < 3; ++id) scrapers.emplace_back(scraper, id);
  for (auto& thread : scrapers) thread.join();
  stop.store(true);
  churn.join();
  INFO((failures.empty() ? "" : failures.front()));
  CHECK(failures.empty());
  CHECK(failed_commits.load() == 0);
}

}  // namespace
}  // namespace mc
