// The logger writes logfmt or JSON lines that log pipelines parse; quoting and
// escaping are what keep a line one record.
#include "common/util/logger.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// Sends log lines to a string for the test's lifetime, then restores stderr.
class CapturedLog {
 public:
  explicit CapturedLog(mc::log::Format format, mc::log::Level level = mc::log::Level::debug) {
    mc::log::configure(level, format, &out_);
  }
  ~CapturedLog() { mc::log::configure(mc::log::Level::info, mc::log::Format::logfmt); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  std::string text() const { return out_.str(); }
  // The line without its "ts=..." or {"ts":"..." prefix, which changes every run.
  std::string line_after_timestamp() const {
    std::string line = out_.str();
    auto first_space = line.find(line.starts_with("{") ? ',' : ' ');
    return first_space == std::string::npos ? line : line.substr(first_space + 1);
  }

 private:
  std::ostringstream out_;
};

}  // namespace

TEST_CASE("logfmt line shape", "[logger]") {
  CapturedLog log(mc::log::Format::logfmt);
  mc::log::info("scrape done", {{"target", "localhost:9100"}, {"samples", 42}});
  std::string line = log.text();
  std::regex shape(R"(^ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=info msg="scrape done" )"
                   R"(target=localhost:9100 samples=42\n$)");
  CHECK(std::regex_match(line, shape));
}

TEST_CASE("logfmt quotes spaces, quotes, '=', newlines and empty values", "[logger]") {
  struct Case {
    std::string value;
    std::string written;
  };
  auto [value, written] = GENERATE(values<Case>({
      {"plain", "plain"},
      {"two words", "\"two words\""},
      {"say \"hi\"", R"("say \"hi\"")"},
      {"a=b", "\"a=b\""},
      {"line1\nline2", R"("line1\nline2")"},
      {"tab\there", R"("tab\there")"},
      {"cr\r", R"("cr\r")"},
      {std::string("bell\x07", 5), R"("bell\u0007")"},
      {"", "\"\""},
      {"ünïcode", "ünïcode"},
  }));
  CapturedLog log(mc::log::Format::logfmt);
  mc::log::info("m", {{"k", value}});
  CHECK(log.line_after_timestamp() == "level=info msg=m k=" + written + "\n");
}

TEST_CASE("json lines write numbers and booleans unquoted, logfmt the same text", "[logger]") {
  auto write_line = [] {
    mc::log::info("m", {{"count", 42},
                        {"negative", -3},
                        {"big", uint64_t{18446744073709551615ULL}},
                        {"ratio", 0.25},
                        {"ok", true},
                        {"failed", false},
                        {"nan", std::numeric_limits<double>::quiet_NaN()},
                        {"inf", -std::numeric_limits<double>::infinity()},
                        {"digits", "42"}});
  };
  {
    CapturedLog log(mc::log::Format::json);
    write_line();
    CHECK(log.line_after_timestamp() ==
          R"("level":"info","msg":"m","count":42,"negative":-3,"big":18446744073709551615,)"
          R"("ratio":0.25,"ok":true,"failed":false,"nan":"nan","inf":"-inf","digits":"42"})"
          "\n");
  }
  {
    CapturedLog log(mc::log::Format::logfmt);
    write_line();
    CHECK(log.line_after_timestamp() ==
          "level=info msg=m count=42 negative=-3 big=18446744073709551615 ratio=0.25 ok=true "
          "failed=false nan=nan inf=-inf digits=42\n");
  }
}

TEST_CASE("json lines escape strings", "[logger]") {
  CapturedLog log(mc::log::Format::json);
  mc::log::warn("quote \" backslash \\ newline \n",
                {{"path", "C:\\dir"}, {"ctrl", std::string("\x01\t", 2)}, {"n", 7}});
  std::string line = log.text();
  std::regex shape(R"(^\{"ts":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",.*\}\n$)");
  CHECK(std::regex_match(line, shape));
  CHECK(log.line_after_timestamp() ==
        R"("level":"warn","msg":"quote \" backslash \\ newline \n","path":"C:\\dir",)"
        R"("ctrl":"\u0001\t","n":7})"
        "\n");
}

TEST_CASE("levels below the configured one are dropped", "[logger]") {
  CapturedLog log(mc::log::Format::logfmt, mc::log::Level::warn);
  CHECK_FALSE(mc::log::enabled(mc::log::Level::debug));
  CHECK_FALSE(mc::log::enabled(mc::log::Level::info));
  CHECK(mc::log::enabled(mc::log::Level::warn));
  CHECK(mc::log::enabled(mc::log::Level::error));
  mc::log::debug("hidden");
  mc::log::info("hidden");
  CHECK(log.text().empty());
  mc::log::error("shown");
  CHECK(log.line_after_timestamp() == "level=error msg=shown\n");
}

TEST_CASE("parse_level and parse_format", "[logger]") {
  CHECK(*mc::log::parse_level("debug") == mc::log::Level::debug);
  CHECK(*mc::log::parse_level("info") == mc::log::Level::info);
  CHECK(*mc::log::parse_level("warn") == mc::log::Level::warn);
  CHECK(*mc::log::parse_level("error") == mc::log::Level::error);
  auto bad_level = mc::log::parse_level("verbose");
  REQUIRE_FALSE(bad_level.is_ok());
  CHECK(bad_level.error() ==
        "unrecognized log level \"verbose\" (want debug, info, warn or error)");
  CHECK(*mc::log::parse_format("logfmt") == mc::log::Format::logfmt);
  CHECK(*mc::log::parse_format("json") == mc::log::Format::json);
  auto bad_format = mc::log::parse_format("JSON");
  REQUIRE_FALSE(bad_format.is_ok());
  CHECK(bad_format.error() == "unrecognized log format \"JSON\" (want logfmt or json)");
}

TEST_CASE("lines from many threads are never interleaved", "[logger]") {
  CapturedLog log(mc::log::Format::logfmt);
  constexpr int kThreads = 4;
  constexpr int kLinesPerThread = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kLinesPerThread; ++i) {
        mc::log::info("concurrent line", {{"thread", t}, {"i", i}, {"pad", std::string(64, 'x')}});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::istringstream lines(log.text());
  std::regex shape(R"(^ts=\S+ level=info msg="concurrent line" thread=\d i=\d+ pad=x{64}$)");
  int count = 0;
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    CHECK(std::regex_match(line, shape));
    ++count;
  }
  CHECK(count == kThreads * kLinesPerThread);
}
