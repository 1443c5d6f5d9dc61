// Scrape targets that misbehave on purpose, against the real daemon on
// 127.0.0.1: bodies of gigabytes, gzip bombs, trickles, silence, millions of
// series, bytes no exposition allows. Whatever a target sends, the daemon must
// keep its memory bounded, keep scraping its other targets on time, say what
// went wrong (a log line and a counter with a reason), and scrape the target
// normally once it behaves again.
//
// Each case runs its own daemon with one hostile and one good target, so the
// peak memory read from /proc is that case's alone. The figures are printed
// ("[hostile] <case>: ...") for the record.
#include <zlib.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/sanitizer_build.hpp"
#include "tests/support/scoped_environment.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 15s;  // how long a test waits for a scrape to show up
// Far above the ~10-30 MB the daemon needs here, far below what holding a
// hostile body whole would take.
constexpr uint64_t kMemoryBoundBytes = uint64_t{300} << 20;
constexpr uint64_t kMiB = uint64_t{1} << 20;

const char* kGoodPage =
    "# TYPE requests_total counter\n"
    "requests_total{code=\"200\"} 1027\n"
    "temperature_celsius 21.5\n";
// What a hostile target serves once it behaves.
const char* kRecoveredPage = "recovered_metric 1\n";

std::string up_series(const std::string& job, const std::string& instance) {
  return fmt::format("up{{instance=\"{}\",job=\"{}\"}}", instance, job);
}

// A line of the status file (e.g. "VmHWM:	  24576 kB") in bytes; 0 when absent.
uint64_t status_bytes(pid_t pid, const std::string& field) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(field + ":")) return std::stoull(line.substr(field.size() + 1)) * 1024;
  }
  return 0;
}

// Pieces of a body of `total_bytes` (rounded up to whole pieces): the same
// 64 KiB of one sample line repeated, built once.
std::function<std::string(uint64_t)> repeated_lines(uint64_t total_bytes) {
  std::string piece;
  while (piece.size() < 64 * 1024) piece += "big_body_filler{instance_of=\"filler\"} 1\n";
  const uint64_t pieces = (total_bytes + piece.size() - 1) / piece.size();
  return [piece, pieces](uint64_t index) { return index < pieces ? piece : std::string(); };
}

// Pieces of a body of `series` distinct series, 10,000 lines a piece.
std::function<std::string(uint64_t)> distinct_series(uint64_t series) {
  constexpr uint64_t kPerPiece = 10'000;
  return [series](uint64_t index) {
    std::string piece;
    for (uint64_t id = index * kPerPiece; id < std::min(series, (index + 1) * kPerPiece); ++id) {
      fmt::format_to(std::back_inserter(piece), "hostile_series{{id=\"{}\"}} 1\n", id);
    }
    return piece;
  };
}

// A gzip stream that inflates to `inflated_mib` MiB of zeros, produced piece by
// piece. After a full flush deflate starts afresh, so each fully flushed MiB of
// zeros compresses to the same bytes: compress three, keep the first (it holds
// the gzip header) and the second, and repeat the second. The trailer's CRC and
// size are those of the whole stream, so it is a well-formed gzip file.
struct GzipBomb {
  std::string first;
  std::string repeated;
  std::string trailer;
  uint64_t inflated_mib = 0;

  uint64_t compressed_bytes() const {
    return first.size() + repeated.size() * (inflated_mib - 1) + trailer.size();
  }
  std::function<std::string(uint64_t)> pieces() const {
    return [bomb = *this](uint64_t index) {
      if (index == 0) return bomb.first;
      if (index < bomb.inflated_mib) return bomb.repeated;
      return index == bomb.inflated_mib ? bomb.trailer : std::string();
    };
  }
};

GzipBomb make_gzip_bomb(uint64_t inflated_mib) {
  const std::string zeros(kMiB, '\0');
  z_stream stream{};
  REQUIRE(deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) ==
          Z_OK);
  auto deflate_step = [&](const std::string& input, int flush) {
    std::string out(deflateBound(&stream, input.size()) + 64, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream.avail_in = static_cast<uInt>(input.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&stream, flush) != Z_STREAM_ERROR);
    REQUIRE(stream.avail_in == 0);
    out.resize(out.size() - stream.avail_out);
    return out;
  };
  GzipBomb bomb;
  bomb.inflated_mib = inflated_mib;
  bomb.first = deflate_step(zeros, Z_FULL_FLUSH);
  bomb.repeated = deflate_step(zeros, Z_FULL_FLUSH);
  REQUIRE(deflate_step(zeros, Z_FULL_FLUSH) == bomb.repeated);
  bomb.trailer = deflate_step("", Z_FINISH);
  deflateEnd(&stream);

  // The trailer ends with CRC-32 and size (mod 2^32), little-endian.
  REQUIRE(bomb.trailer.size() >= 8);
  const uLong mib_crc = crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), kMiB);
  uLong crc = mib_crc;
  for (uint64_t i = 1; i < inflated_mib; ++i) crc = crc32_combine(crc, mib_crc, kMiB);
  const auto size = static_cast<uint32_t>(inflated_mib * kMiB);
  char* end = bomb.trailer.data() + bomb.trailer.size() - 8;
  for (int i = 0; i < 4; ++i) end[i] = static_cast<char>((crc >> (8 * i)) & 0xff);
  for (int i = 0; i < 4; ++i) end[4 + i] = static_cast<char>((size >> (8 * i)) & 0xff);
  return bomb;
}

// One misbehaving target and what the daemon should make of it.
struct HostileCase {
  std::string name;
  TestResponse response;
  // The failure reason expected on the log line and the counter; empty when
  // the scrape succeeds (up 1) despite the oddity.
  std::string reason;
  std::string error_contains;  // in the log line (a failure's err, or a warning)
  std::string job_extra;       // YAML lines for the hostile job (limits)
  // A volume the daemon must read up to a limit gets more time than 500 ms:
  // under ASan a scrape reads 10 MB or parses 100,000 lines in about that.
  std::string scrape_interval = "1s";
  std::string scrape_timeout = "500ms";
  // For a scrape that succeeds: a counter of the daemon that must rise.
  std::string counter;
};

std::string job_yaml(const std::string& job, const std::string& target, const std::string& extra,
                     const std::string& interval = "1s", const std::string& timeout = "500ms") {
  return fmt::format(
      "  - job_name: {}\n    scrape_interval: {}\n    scrape_timeout: {}\n{}"
      "    static_configs:\n      - targets: [\"{}\"]\n",
      job, interval, timeout, extra, target);
}

// The first log line that contains all of `parts`; "" when none.
std::string log_line_with(const std::string& log, const std::vector<std::string>& parts) {
  size_t start = 0;
  while (start < log.size()) {
    size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    std::string_view line(log.data() + start, end - start);
    bool all = true;
    for (const auto& part : parts) all = all && line.find(part) != std::string_view::npos;
    if (all) return std::string(line);
    start = end + 1;
  }
  return "";
}

// Under AddressSanitizer a freed block waits in a quarantine (256 MB by
// default) before it is reused, and VmHWM counts it: on an idle machine the
// daemon freed enough in a few seconds to reach 316-364 MB against the bound,
// 217 MB with a 32 MB quarantine. The daemon gets a small one here, so the
// bound measures the daemon's memory, not the sanitizer's.
std::string asan_options_for_daemon() {
  const char* inherited = std::getenv("ASAN_OPTIONS");
  std::string options = inherited != nullptr ? inherited : "";
  if (!options.empty()) options += ':';
  return options + "quarantine_size_mb=16";
}

void check_hostile_target(const HostileCase& test) {
  HttpTestServer good, hostile;  // declared first: destroyed after the daemon
  good.set_response("/metrics", TestResponse{.body = kGoodPage});
  hostile.set_response("/metrics", test.response);
  std::optional<ScopedEnvironment> asan_options;
  if (kSanitizerBuild) asan_options.emplace("ASAN_OPTIONS", asan_options_for_daemon());
  DaemonRunner daemon("global:\n  body_size_limit: 10MB\nscrape_configs:\n" +
                      job_yaml("good", good.address(), "") +
                      job_yaml("hostile", hostile.address(), test.job_extra, test.scrape_interval,
                               test.scrape_timeout));
  const std::string hostile_up = up_series("hostile", hostile.address());
  const std::string good_up = up_series("good", good.address());
  const std::string failures = fmt::format(
      "metrics_collector_scrape_failures_total{{instance=\"{}\",job=\"hostile\",reason=\"{}\"}}",
      hostile.address(), test.reason);
  const std::string target_field = "target=http://" + hostile.address() + "/metrics";

  // Two scrapes of the hostile target: it is not a one-off, and the daemon
  // lives through the second as through the first.
  std::string body, log, line;
  // The good target's schedule is measured from its first scrape.
  std::optional<std::chrono::steady_clock::time_point> first_good_scrape;
  bool seen = wait_until(
      [&] {
        if (!first_good_scrape && good.request_count("/metrics") > 0) {
          first_good_scrape = std::chrono::steady_clock::now();
        }
        body = daemon.metrics();
        log = daemon.log();
        if (exposed_value(body, "metrics_collector_scrapes_total{job=\"hostile\"}").value_or(0) <
            2) {
          return false;
        }
        if (test.reason.empty()) {
          // A scrape that succeeds logs only what it had to reject.
          line = log_line_with(log, {"job=hostile", target_field});
          return exposed_value(body, hostile_up) == 1.0 &&
                 exposed_value(body, test.counter).value_or(0) >= 1 &&
                 (test.error_contains.empty() || !line.empty());
        }
        line = log_line_with(log, {"msg=\"scrape failed\" job=hostile", target_field});
        return exposed_value(body, hostile_up) == 0.0 &&
               exposed_value(body, failures).value_or(0) >= 2 && !line.empty();
      },
      kSettle);
  INFO(body);
  INFO(log);
  REQUIRE(seen);
  REQUIRE(first_good_scrape);
  if (test.reason.empty()) {
    if (!test.error_contains.empty()) CHECK_THAT(line, Catch::Contains(test.error_contains));
  } else {
    CHECK_THAT(line,
               Catch::Contains("reason=" + test.reason) && Catch::Contains(test.error_contains));
    // The error names what went wrong; it does not carry the target's bytes.
    CHECK(line.size() < 1000);
  }
  // The hostile target's failed scrapes kept none of its samples.
  CHECK_THAT(body, !Catch::Contains("big_body_filler") && !Catch::Contains("hostile_series"));

  // The target behaves again: its next scrape works.
  hostile.set_response("/metrics", TestResponse{.body = kRecoveredPage});
  const std::string recovered =
      fmt::format("recovered_metric{{instance=\"{}\",job=\"hostile\"}}", hostile.address());
  CHECK(wait_until(
      [&] {
        body = daemon.metrics();
        return exposed_value(body, hostile_up) == 1.0 && exposed_value(body, recovered) == 1.0;
      },
      kSettle));

  // The good target kept its schedule all along: up, never failed, never
  // skipped, and scraped once a second (one scrape of slack: the window's ends
  // fall anywhere inside an interval).
  body = daemon.metrics();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - *first_good_scrape).count();
  const int good_requests = good.request_count("/metrics");
  CHECK(exposed_value(body, good_up) == 1.0);
  CHECK(exposed_value(body, "metrics_collector_scrapes_skipped_total{job=\"good\"}") == 0.0);
  CHECK(exposed_value(body, "metrics_collector_scrapes_missed_total{job=\"good\"}") == 0.0);
  // Every scrape started is timed against its slot (one may be in flight).
  CHECK(
      exposed_value(body, "metrics_collector_scrape_lag_seconds_count{job=\"good\"}").value_or(0) >=
      good_requests - 1);
  CHECK_THAT(body, !Catch::Contains(fmt::format(
                       "metrics_collector_scrape_failures_total{{instance=\"{}\",job=\"good\",",
                       good.address())));
  CHECK(good_requests >= static_cast<int>(seconds));

  const uint64_t resident = status_bytes(daemon.pid(), "VmRSS");
  const uint64_t peak = status_bytes(daemon.pid(), "VmHWM");
  std::printf("[hostile] %-34s VmRSS %5.1f MB, VmHWM %5.1f MB, good target %d scrapes in %.1f s\n",
              test.name.c_str(), static_cast<double>(resident) / kMiB,
              static_cast<double>(peak) / kMiB, good_requests, seconds);
  CHECK(peak > 0);
  CHECK(peak < kMemoryBoundBytes);
}

TEST_CASE("a target sending 1 GB is cut at body_size_limit", "[hostile]") {
  check_hostile_target({.name = "1 GB body",
                        .response = {.body_pieces = repeated_lines(1024 * kMiB)},
                        .reason = "body_size",
                        .error_contains = "body size limit of 10485760 bytes exceeded",
                        .scrape_interval = "2s",
                        .scrape_timeout = "1900ms"});
}

TEST_CASE("a gzip bomb is cut at body_size_limit while it inflates", "[hostile]") {
  const GzipBomb bomb = make_gzip_bomb(8 * 1024);  // 8 GiB of zeros
  std::printf("[hostile] gzip bomb: %.1f MB compressed, %llu MB inflated\n",
              static_cast<double>(bomb.compressed_bytes()) / kMiB,
              static_cast<unsigned long long>(bomb.inflated_mib));
  check_hostile_target({.name = "gzip bomb (8 GiB inflated)",
                        .response = {.content_encoding = "gzip", .body_pieces = bomb.pieces()},
                        .reason = "body_size",
                        .error_contains = "body size limit of 10485760 bytes exceeded",
                        .scrape_interval = "2s",
                        .scrape_timeout = "1900ms"});
}

TEST_CASE("a target sending 10 million series fails at sample_limit, even with no body limit",
          "[hostile]") {
  // No body_size_limit: only sample_limit stands between the daemon and ~270 MB.
  check_hostile_target({.name = "10 million series",
                        .response = {.body_pieces = distinct_series(10'000'000)},
                        .reason = "sample_limit",
                        .error_contains = "sample_limit exceeded",
                        .job_extra = "    body_size_limit: 0\n    sample_limit: 100000\n",
                        .scrape_interval = "2s",
                        .scrape_timeout = "1900ms"});
}

TEST_CASE("a target trickling one byte a second is cut at scrape_timeout", "[hostile]") {
  check_hostile_target({.name = "trickle, 1 byte/s",
                        .response = {.body = kGoodPage, .trickle_interval = 1s},
                        .reason = "timeout",
                        .error_contains = "timed out"});
}

TEST_CASE("a target that accepts and never answers is cut at scrape_timeout", "[hostile]") {
  check_hostile_target({.name = "never answers",
                        .response = {.body = kGoodPage, .delay = std::chrono::hours(1)},
                        .reason = "timeout",
                        .error_contains = "timed out"});
}

TEST_CASE("a target that closes the connection mid-body fails the scrape", "[hostile]") {
  check_hostile_target({.name = "closes mid-body",
                        .response = {.body = kGoodPage, .close_after_bytes = 40},
                        .reason = "connection",
                        .error_contains = "transfer closed"});
}

TEST_CASE("a target whose Content-Encoding gzip is not gzip fails the scrape", "[hostile]") {
  check_hostile_target({.name = "gzip that is not gzip",
                        .response = {.body = std::string(4096, 'x'), .content_encoding = "gzip"},
                        .reason = "encoding",
                        .error_contains = "err="});
}

TEST_CASE("invalid UTF-8 in a label value fails the scrape with the line", "[hostile]") {
  check_hostile_target(
      {.name = "invalid UTF-8 label value",
       .response = {.body = "ok 1\nbad{path=\"/caf\xc3\x28\xff\"} 1\n"},
       .reason = "parse",
       .error_contains = "line 2: value of label \\\"path\\\" is not valid UTF-8"});
}

TEST_CASE("NUL bytes in a body fail the scrape with the line", "[hostile]") {
  check_hostile_target({.name = "NUL bytes",
                        .response = {.body = std::string("ok 1\n\0\0\0\0 1\nafter 2\n", 21)},
                        .reason = "parse",
                        .error_contains = "line 2: expected a metric name or a comment"});
}

TEST_CASE("a 1 MB line of garbage fails the scrape without the line in the log", "[hostile]") {
  check_hostile_target({.name = "1 MB garbage line",
                        .response = {.body = "ok 1\n" + std::string(kMiB, '%') + "\n"},
                        .reason = "parse",
                        .error_contains = "line 2: expected a metric name or a comment"});
}

TEST_CASE("a 1 MB label value over label_value_length_limit fails the scrape", "[hostile]") {
  check_hostile_target({.name = "1 MB label value, limit 1024",
                        .response = {.body = "long{value=\"" + std::string(kMiB, 'v') + "\"} 1\n"},
                        .reason = "label_limit",
                        .error_contains = "label_value_length_limit",
                        .job_extra = "    label_value_length_limit: 1024\n"});
}

TEST_CASE("a 1 MB label value without a length limit is stored, memory bounded", "[hostile]") {
  // Prometheus has no default label value limit either: the scrape succeeds.
  check_hostile_target({.name = "1 MB label value, no limit",
                        .response = {.body = "long{value=\"" + std::string(kMiB, 'v') + "\"} 1\n"},
                        .reason = "",
                        .error_contains = "",
                        .counter = "metrics_collector_scrapes_total{job=\"hostile\"}"});
}

TEST_CASE("a series exposed twice keeps the first sample; the second is counted and logged",
          "[hostile]") {
  // As Prometheus: the scrape succeeds, the duplicate is rejected by the store.
  check_hostile_target(
      {.name = "duplicate series",
       .response = {.body = "twice{a=\"1\"} 1\nother 5\ntwice{a=\"1\"} 2\n"},
       .reason = "",
       .error_contains = "msg=\"scrape had samples the store rejected\"",
       .counter = "metrics_collector_samples_rejected_total{reason=\"duplicate_timestamp\"}"});
}

}  // namespace
}  // namespace mc::test
