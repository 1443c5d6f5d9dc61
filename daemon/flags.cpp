#include "daemon/flags.hpp"

#include <fmt/format.h>
#include <charconv>

#include "common/util/duration.hpp"
#include "common/util/usable_cpus.hpp"

namespace mc {

namespace {

// A whole number from `min` to `max`, or the flag's error.
template <typename Number>
Result<Number> number_flag(std::string_view name, std::string_view text, Number min, Number max) {
  Number number{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || number < min || number > max) {
    return Status::error(
        fmt::format("--{}: want a number from {} to {}, got \"{}\"", name, min, max, text));
  }
  return number;
}

// A positive Prometheus duration ("2m", "30s"), or the flag's error.
Result<std::chrono::milliseconds> duration_flag(std::string_view name, std::string_view text) {
  auto duration = parse_duration(text);
  if (!duration) return Status::error(fmt::format("--{}: {}", name, duration.error()));
  if (duration->count() <= 0) {
    return Status::error(fmt::format("--{}: want a positive duration, got \"{}\"", name, text));
  }
  return *duration;
}

}  // namespace

Result<Flags> parse_flags(std::span<const std::string_view> args) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      flags.show_help = true;
      continue;
    }
    if (arg == "--version") {
      flags.show_version = true;
      continue;
    }
    if (!arg.starts_with("--")) {
      return Status::error(fmt::format("unexpected argument \"{}\"", arg));
    }
    std::string_view name = arg.substr(2);
    std::string_view value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string_view::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    auto take_value = [&]() -> Result<std::string_view> {
      if (has_value) return value;
      if (i + 1 >= args.size()) {
        return Status::error(fmt::format("flag --{} needs a value", name));
      }
      return args[++i];
    };
    if (name == "web.enable-lifecycle" && !has_value) {
      flags.enable_lifecycle = true;
      continue;
    }
    if (name == "no-web.enable-lifecycle" && !has_value) {
      flags.enable_lifecycle = false;
      continue;
    }
    auto v = take_value();
    if (!v) return v.status();
    if (name == "config.file") {
      flags.config_file = std::string(*v);
    } else if (name == "web.listen-address") {
      flags.listen_address = std::string(*v);
    } else if (name == "web.config.file") {
      flags.web_config_file = std::string(*v);
    } else if (name == "web.enable-lifecycle") {
      if (*v != "true" && *v != "false") {
        return Status::error(
            fmt::format("--web.enable-lifecycle: want true or false, got \"{}\"", *v));
      }
      flags.enable_lifecycle = *v == "true";
    } else if (name == "log.level") {
      auto level = log::parse_level(*v);
      if (!level) return Status::error(fmt::format("--log.level: {}", level.error()));
      flags.log_level = *level;
    } else if (name == "log.format") {
      auto format = log::parse_format(*v);
      if (!format) return Status::error(fmt::format("--log.format: {}", format.error()));
      flags.log_format = *format;
    } else if (name == "storage.path") {
      if (v->empty()) return Status::error("--storage.path: must not be empty");
      flags.storage_path = std::string(*v);
    } else if (name == "scrape.workers") {
      size_t workers = 0;
      auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), workers);
      if (ec != std::errc() || end != v->data() + v->size() || workers == 0 || workers > 64) {
        return Status::error(
            fmt::format("--scrape.workers: want a number from 1 to 64, got \"{}\"", *v));
      }
      flags.scrape_workers = workers;
    } else if (name == "query.timeout") {
      auto timeout = duration_flag(name, *v);
      if (!timeout) return timeout.status();
      flags.query_timeout = *timeout;
    } else if (name == "query.lookback-delta") {
      auto lookback = duration_flag(name, *v);
      if (!lookback) return lookback.status();
      flags.query_lookback_delta = *lookback;
    } else if (name == "query.max-samples") {
      auto samples = number_flag<uint64_t>(name, *v, 1, UINT64_MAX);
      if (!samples) return samples.status();
      flags.query_max_samples = *samples;
    } else if (name == "query.max-concurrency") {
      auto concurrency = number_flag<int>(name, *v, 1, 1024);
      if (!concurrency) return concurrency.status();
      flags.query_max_concurrency = *concurrency;
    } else if (name == "query.workers") {
      auto workers = number_flag<int>(name, *v, 0, 64);
      if (!workers) return workers.status();
      flags.query_workers = *workers;
    } else {
      return Status::error(fmt::format("unknown flag --{}", name));
    }
  }
  return flags;
}

std::string flags_usage() {
  return R"(usage: metrics-collector [flags]
       metrics-collector check exposition [--format=openmetrics|prometheus] < file
       metrics-collector check config FILE...
       metrics-collector store import --openmetrics FILE --dir DIR [--block-duration=2h]
       metrics-collector store stats --dir DIR
       metrics-collector store verify --dir DIR

Scrapes Prometheus /metrics endpoints, stores the samples and re-exposes them.

Flags:
  --config.file=metrics-collector.yml  Configuration file (YAML, like prometheus.yml).
  --web.listen-address=:9993           Address to serve /metrics, /-/healthy, /-/ready on.
  --web.config.file=""                 TLS and basic auth (exporter-toolkit web config format).
  --web.enable-lifecycle               Allow POST /-/reload and /-/quit.
  --log.level=info                     debug, info, warn or error.
  --log.format=logfmt                  logfmt or json.
  --storage.path=data                  Directory of the store (blocks, write-ahead log).
  --scrape.workers=2                   Threads that parse and store scraped bodies.
  --query.timeout=2m                   Longest a PromQL query may run (/api/v1/query...).
  --query.max-samples=50000000         Most samples one query may hold in memory at once.
  --query.max-concurrency=20           PromQL queries that run at once; others wait.
  --query.lookback-delta=5m            How far back PromQL and /federate look for a sample.
  --query.workers=CPUS-1               Threads (0 to 64) that share a long query's series with
                                       the thread that runs it, shared by all queries; CPUS
                                       counts a cgroup's CPU limit.
  --version                            Print the version and exit.
  -h, --help                           Print this help and exit.

Environment:
  METRICS_TICK_DURATION=1m             How often the sql: queries run (a duration: 15s, 1m30s);
                                       a query's own interval: wins. Checked at start even
                                       without an sql: section; a bad value exits with status 2.
  DATABASE_URL, ...                    The DSN of an sql: database whose config names the
                                       variable with dsn_env: (e.g. dsn_env: DATABASE_URL).
                                       Unset or empty, the daemon exits with status 2.

Exit status: 0 after a clean shutdown (SIGTERM, SIGINT or POST /-/quit); 2 for bad flags,
a bad config, web config or environment; 1 for other start-up failures (the store, the port).
)";
}

int default_query_workers() { return usable_cpus() - 1; }

std::vector<std::pair<std::string, std::string>> flag_values(const Flags& flags) {
  constexpr std::string_view kLevels[] = {"debug", "info", "warn", "error"};
  constexpr std::string_view kFormats[] = {"logfmt", "json"};
  return {
      {"config.file", flags.config_file},
      {"web.listen-address", flags.listen_address},
      {"web.config.file", flags.web_config_file},
      {"web.enable-lifecycle", flags.enable_lifecycle ? "true" : "false"},
      {"log.level", std::string(kLevels[static_cast<int>(flags.log_level)])},
      {"log.format", std::string(kFormats[static_cast<int>(flags.log_format)])},
      {"storage.path", flags.storage_path},
      {"scrape.workers", std::to_string(flags.scrape_workers)},
      {"query.timeout", format_duration(flags.query_timeout)},
      {"query.max-samples", std::to_string(flags.query_max_samples)},
      {"query.max-concurrency", std::to_string(flags.query_max_concurrency)},
      {"query.lookback-delta", format_duration(flags.query_lookback_delta)},
      {"query.workers",
       std::to_string(flags.query_workers >= 0 ? flags.query_workers : default_query_workers())},
  };
}

}  // namespace mc
