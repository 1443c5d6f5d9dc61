// The daemon's configuration, read from YAML that a Prometheus user recognises
// (a subset of prometheus.yml plus our own sections as later issues add them).
//
// Loading is strict: an unknown key, a value of the wrong kind or a bad
// duration fails with "file:line:col: message", and a file's errors come all
// at once, one a line, in file order. Keys of a Prometheus 2.42 config that we
// do not act on are named: a warning (Config::warnings) where leaving them out
// is harmless, an error where it would change what is scraped or stored
// (prometheus_keys.hpp). Defaults follow Prometheus:
// scrape_interval 1m, scrape_timeout 10s (never longer than the interval),
// metrics_path /metrics, scheme http, honor_labels false, honor_timestamps true.
//
// The `sql:` section (business metrics from PostgreSQL, docs/business-metrics.md)
// is ours. Loading checks its shape and names only; a DSN taken from an
// environment variable or a file is read when the SQL collector starts.
//
// The `storage:` section (the block store: block length, WAL fsync, and the
// retention and downsampling tiers) is ours too. Loading fills its defaults
// (storage_defaults.hpp) and checks the tiers as the store needs them.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/http_client_config.hpp"
#include "common/config/service_discovery_config.hpp"
#include "common/model/labels.hpp"
#include "common/model/metric_metadata.hpp"
#include "common/relabel/relabel_config.hpp"
#include "common/util/status.hpp"

namespace mc {

using Duration = std::chrono::milliseconds;

struct StaticConfig {
  std::vector<std::string> targets;  // host:port
  std::vector<Label> labels;         // extra target labels, sorted by name
};

// The body_size_limit a job gets when neither it nor global sets one. Unlike
// Prometheus (no limit), a sidecar must not be made to hold an endless body.
inline constexpr uint64_t kDefaultBodySizeLimit = uint64_t{64} << 20;
// Likewise for sample_limit: samples one scrape may expose.
inline constexpr uint64_t kDefaultSampleLimit = 1'000'000;

struct ScrapeConfig {
  std::string job_name;
  Duration scrape_interval{0};  // filled from global when not given
  Duration scrape_timeout{0};   // filled from global when not given
  std::string metrics_path = "/metrics";
  std::string scheme = "http";
  std::map<std::string, std::vector<std::string>> params;  // URL query parameters
  bool honor_labels = false;
  bool honor_timestamps = true;
  // Bytes of (uncompressed) body a scrape may read; more fails the scrape.
  // Inherited from global when not given; 0 = no limit.
  uint64_t body_size_limit = kDefaultBodySizeLimit;
  // Samples a scrape may expose; more fails the scrape, as in Prometheus.
  // Inherited from global when not given; 0 = no limit.
  uint64_t sample_limit = kDefaultSampleLimit;
  // Per series: labels (all of them), label name bytes, label value bytes.
  // A series over any of them fails the scrape. Inherited from global; 0 = no limit.
  uint64_t label_limit = 0;
  uint64_t label_name_length_limit = 0;
  uint64_t label_value_length_limit = 0;
  // How targets are reached: TLS, authentication, proxy, redirects.
  HttpClientConfig http_client;
  std::vector<StaticConfig> static_configs;
  // Targets that change while the daemon runs (collector/discovery).
  std::vector<FileSdConfig> file_sd_configs;
  std::vector<HttpSdConfig> http_sd_configs;
  std::vector<KubernetesSdConfig> kubernetes_sd_configs;
  std::vector<DnsSdConfig> dns_sd_configs;
  // Rules for each target's labels before it is scraped, and for each new
  // series' labels before it is stored (common/relabel/relabel.hpp).
  std::vector<RelabelConfig> relabel_configs;
  std::vector<RelabelConfig> metric_relabel_configs;
};

struct GlobalConfig {
  Duration scrape_interval = std::chrono::minutes(1);
  Duration scrape_timeout = std::chrono::seconds(10);
  uint64_t body_size_limit = kDefaultBodySizeLimit;  // bytes, uncompressed; 0 = no limit
  uint64_t sample_limit = kDefaultSampleLimit;       // 0 = no limit
  uint64_t label_limit = 0;                          // 0 = no limit
  uint64_t label_name_length_limit = 0;              // 0 = no limit
  uint64_t label_value_length_limit = 0;             // 0 = no limit
  std::vector<Label> external_labels;                // sorted by name
};

// One value column of an SQL query: it becomes the metric <metric><suffix>.
struct SqlValueColumn {
  std::string column;
  std::string suffix;  // may be empty
};

struct SqlQueryConfig {
  std::string name;    // unique in its database; the `query` label of the meta-metrics
  std::string metric;  // metric name before the value column's suffix; defaults to `name`
  std::string help;    // required; the collector appends how often the value is refreshed
  MetricType type = MetricType::gauge;  // gauge or counter
  std::string sql;
  std::vector<std::string> label_columns;     // columns whose values become labels
  std::vector<SqlValueColumn> value_columns;  // at least one
  std::vector<Label> static_labels;  // the database's, overridden by the query's; sorted by name
  Duration interval{0};              // 0: the collector's tick (METRICS_TICK_DURATION or 1m)
  // statement_timeout; 0: min(10s, interval). May exceed the interval: a run
  // still going at its next tick makes that tick skipped (and counted).
  Duration timeout{0};
  // Label value sets (one value per label column, in label_columns order)
  // whose series exist, at 0, from start-up and whenever the result lacks them.
  std::vector<std::vector<std::string>> initial_label_values;
};

struct SqlDatabaseConfig {
  std::string name;  // unique; the `database` label of the meta-metrics and log lines
  // Exactly one source of the libpq connection string (URL or key=value).
  std::string dsn;       // inline; its password is never logged
  std::string dsn_env;   // name of an environment variable holding it
  std::string dsn_file;  // path of a file holding it (trailing whitespace ignored)
  int pool_size = 1;     // connections (and queries running at once)
  Duration connect_timeout = std::chrono::seconds(10);
  std::vector<SqlQueryConfig> queries;  // at least one
};

struct SqlConfig {
  std::vector<SqlDatabaseConfig> databases;
};

// When the WAL is fsynced: after every commit, never (the kernel writes it
// back), or every `wal_fsync_interval`.
enum class WalFsyncMode { always, never, interval };

// One retention tier: data at one resolution, kept for `retention`.
struct StorageTierConfig {
  std::string name;            // "raw", else the resolution's shortest spelling ("5m", "1h")
  Duration resolution{0};      // 0 for raw
  Duration retention{0};       // a block goes once all of it is older
  Duration block_duration{0};  // raw: storage.block_duration; else given or derived
};

struct StorageConfig {
  Duration block_duration = std::chrono::hours(2);  // raw blocks
  WalFsyncMode wal_fsync = WalFsyncMode::interval;
  Duration wal_fsync_interval = std::chrono::seconds(1);  // for WalFsyncMode::interval
  // The parsed indexes of all open blocks are kept within this many bytes
  // (block::BlockIndexCache); an evicted one is parsed again from its file.
  uint64_t block_index_cache_bytes = uint64_t{64} << 20;
  // The decompressed chunk groups of all open blocks are kept within this
  // many bytes (block::GroupCache); an evicted one is read again from disk.
  uint64_t block_group_cache_bytes = uint64_t{64} << 20;
  // Raw first, each coarser than the one before. The loader fills the default
  // (raw 7d, 5m 30d, 1h 365d) when the file gives none.
  std::vector<StorageTierConfig> tiers;
};

struct Config {
  GlobalConfig global;
  std::vector<ScrapeConfig> scrape_configs;
  SqlConfig sql;
  StorageConfig storage;
  // "file:line:col: message", in file order: keys of a Prometheus config that
  // are ignored because leaving them out changes nothing that is scraped or
  // stored (evaluation_interval, ...). For the caller to log or print.
  std::vector<std::string> warnings;
};

// Parses YAML text; `source_name` prefixes every error ("config.yml:3:5: ...").
// A failed Status holds every error of the document, one a line.
Result<Config> parse_config(std::string_view yaml, std::string_view source_name);
// Reads and parses a file; a file that cannot be read is an error naming it.
Result<Config> load_config_file(const std::string& path);

}  // namespace mc
