#include "exporter/api/api_config_yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "common/config/proxy_url.hpp"
#include "common/util/byte_size.hpp"
#include "common/util/duration.hpp"

namespace mc::api {

namespace {

constexpr std::string_view kSecret = "<secret>";

// Text YAML would read as something other than a string: a bool, a null,
// a number.
bool reads_as_non_string(std::string_view text) {
  static constexpr std::string_view kWords[] = {"true", "false", "yes",   "no",   "on",    "off",
                                                "null", "True",  "False", "Yes",  "No",    "On",
                                                "Off",  "Null",  "NULL",  "TRUE", "FALSE", "~"};
  for (std::string_view word : kWords) {
    if (text == word) return true;
  }
  const bool number_like = std::ranges::all_of(text, [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '+' ||
           c == 'e' || c == 'E' || c == '_';
  });
  const char first = text.front();
  return number_like || first == '-' || first == '.';
}

// A scalar plain when YAML reads it back as the same string, else double-quoted.
std::string scalar(std::string_view text) {
  bool plain = !text.empty() && !reads_as_non_string(text);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // '@' (a URL's user info) only where it cannot start a YAML token.
    const bool safe = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '/' ||
                      c == '.' || c == '-' || c == ':' || c == '<' || c == '>' ||
                      (c == '@' && i > 0);
    if (!safe) plain = false;
  }
  // A host:port, a path, a duration are plain in Prometheus's output.
  if (plain) return std::string(text);
  std::string quoted = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\n':
        quoted += "\\n";
        break;
      case '\t':
        quoted += "\\t";
        break;
      default:
        if (c < 0x20) {
          quoted += fmt::format("\\x{:02x}", c);
        } else {
          quoted += static_cast<char>(c);
        }
    }
  }
  quoted += '"';
  return quoted;
}

class YamlWriter {
 public:
  void key(int indent, std::string_view name) { line(indent, std::string(name) + ":"); }
  void value(int indent, std::string_view name, std::string_view text) {
    line(indent, std::string(name) + ": " + scalar(text));
  }
  void duration(int indent, std::string_view name, Duration d) {
    value(indent, name, format_duration(d));
  }
  void boolean(int indent, std::string_view name, bool b) {
    line(indent, std::string(name) + ": " + (b ? "true" : "false"));
  }
  void number(int indent, std::string_view name, uint64_t n) {
    line(indent, std::string(name) + ": " + std::to_string(n));
  }
  void item(int indent, std::string_view text) { line(indent, "- " + scalar(text)); }
  // An item written as it is: a flow sequence "[a, b]".
  void raw_item(int indent, const std::string& text) { line(indent, "- " + text); }
  void labels(int indent, std::string_view name, const std::vector<Label>& labels) {
    if (labels.empty()) return;
    key(indent, name);
    for (const Label& label : labels) value(indent + 2, label.name, label.value);
  }
  void strings(int indent, std::string_view name, const std::vector<std::string>& items) {
    if (items.empty()) return;
    key(indent, name);
    for (const std::string& item_text : items) item(indent, item_text);
  }
  // Writes "- " at `indent`; the item's first key follows on the same line.
  void list_item(int indent) { pending_dash_ = indent; }
  std::string take() { return std::move(out_); }

 private:
  void line(int indent, const std::string& text) {
    if (pending_dash_ >= 0) {
      out_.append(static_cast<size_t>(pending_dash_), ' ');
      out_ += "- ";
      pending_dash_ = -1;
    } else {
      out_.append(static_cast<size_t>(indent), ' ');
    }
    out_ += text;
    out_ += '\n';
  }
  std::string out_;
  int pending_dash_ = -1;
};

void write_limits(YamlWriter& yaml, int indent, uint64_t body_size_limit, uint64_t sample_limit,
                  uint64_t label_limit, uint64_t label_name_length_limit,
                  uint64_t label_value_length_limit) {
  if (body_size_limit != 0)
    yaml.value(indent, "body_size_limit", format_byte_size(body_size_limit));
  if (sample_limit != 0) yaml.number(indent, "sample_limit", sample_limit);
  if (label_limit != 0) yaml.number(indent, "label_limit", label_limit);
  if (label_name_length_limit != 0) {
    yaml.number(indent, "label_name_length_limit", label_name_length_limit);
  }
  if (label_value_length_limit != 0) {
    yaml.number(indent, "label_value_length_limit", label_value_length_limit);
  }
}

void write_global(YamlWriter& yaml, const GlobalConfig& global) {
  yaml.key(0, "global");
  yaml.duration(2, "scrape_interval", global.scrape_interval);
  yaml.duration(2, "scrape_timeout", global.scrape_timeout);
  write_limits(yaml, 2, global.body_size_limit, global.sample_limit, global.label_limit,
               global.label_name_length_limit, global.label_value_length_limit);
  yaml.labels(2, "external_labels", global.external_labels);
}

// Prometheus's HTTPClientConfig as its yaml.v2 writes it: secrets as
// "<secret>", a proxy's password as "xxxxx", files by name.
void write_http_client(YamlWriter& yaml, int indent, const HttpClientConfig& client) {
  if (client.basic_auth) {
    yaml.key(indent, "basic_auth");
    const BasicAuth& auth = *client.basic_auth;
    if (!auth.username.empty()) yaml.value(indent + 2, "username", auth.username);
    if (!auth.password.empty()) yaml.value(indent + 2, "password", kSecret);
    if (!auth.password_file.empty()) yaml.value(indent + 2, "password_file", auth.password_file);
  }
  if (client.authorization) {
    yaml.key(indent, "authorization");
    const Authorization& auth = *client.authorization;
    yaml.value(indent + 2, "type", auth.type);
    if (!auth.credentials.empty()) yaml.value(indent + 2, "credentials", kSecret);
    if (!auth.credentials_file.empty()) {
      yaml.value(indent + 2, "credentials_file", auth.credentials_file);
    }
  }
  if (!client.proxy_url.empty()) {
    yaml.value(indent, "proxy_url", redact_url_password(client.proxy_url));
  }
  const TlsConfig& tls = client.tls_config;
  if (tls != TlsConfig{}) {
    yaml.key(indent, "tls_config");
    if (!tls.ca_file.empty()) yaml.value(indent + 2, "ca_file", tls.ca_file);
    if (!tls.cert_file.empty()) yaml.value(indent + 2, "cert_file", tls.cert_file);
    if (!tls.key_file.empty()) yaml.value(indent + 2, "key_file", tls.key_file);
    if (!tls.server_name.empty()) yaml.value(indent + 2, "server_name", tls.server_name);
    yaml.boolean(indent + 2, "insecure_skip_verify", tls.insecure_skip_verify);
    // Prometheus 2.42 writes the number (771); the name reads back.
    if (!tls.min_version.empty()) yaml.value(indent + 2, "min_version", tls.min_version);
    if (!tls.max_version.empty()) yaml.value(indent + 2, "max_version", tls.max_version);
  }
  yaml.boolean(indent, "follow_redirects", client.follow_redirects);
  yaml.boolean(indent, "enable_http2", client.enable_http2);
}

void write_scrape_configs(YamlWriter& yaml, const std::vector<ScrapeConfig>& jobs) {
  if (jobs.empty()) return;
  yaml.key(0, "scrape_configs");
  for (const ScrapeConfig& job : jobs) {
    // Items sit at the parent's indent, as yaml.v2 writes lists.
    yaml.list_item(0);
    yaml.value(2, "job_name", job.job_name);
    if (job.honor_labels) yaml.boolean(2, "honor_labels", true);
    yaml.boolean(2, "honor_timestamps", job.honor_timestamps);
    if (!job.params.empty()) {
      yaml.key(2, "params");
      for (const auto& [name, values] : job.params) yaml.strings(4, name, values);
    }
    yaml.duration(2, "scrape_interval", job.scrape_interval);
    yaml.duration(2, "scrape_timeout", job.scrape_timeout);
    yaml.value(2, "metrics_path", job.metrics_path);
    yaml.value(2, "scheme", job.scheme);
    write_limits(yaml, 2, job.body_size_limit, job.sample_limit, job.label_limit,
                 job.label_name_length_limit, job.label_value_length_limit);
    write_http_client(yaml, 2, job.http_client);
    if (job.static_configs.empty()) continue;
    yaml.key(2, "static_configs");
    for (const StaticConfig& group : job.static_configs) {
      yaml.list_item(2);
      yaml.strings(4, "targets", group.targets);
      yaml.labels(4, "labels", group.labels);
    }
  }
}

void write_sql(YamlWriter& yaml, const SqlConfig& sql) {
  if (sql.databases.empty()) return;
  yaml.key(0, "sql");
  yaml.key(2, "databases");
  for (const SqlDatabaseConfig& database : sql.databases) {
    yaml.list_item(2);
    yaml.value(4, "name", database.name);
    if (!database.dsn.empty()) yaml.value(4, "dsn", kSecret);
    if (!database.dsn_env.empty()) yaml.value(4, "dsn_env", database.dsn_env);
    if (!database.dsn_file.empty()) yaml.value(4, "dsn_file", database.dsn_file);
    yaml.number(4, "pool_size", static_cast<uint64_t>(database.pool_size));
    yaml.duration(4, "connect_timeout", database.connect_timeout);
    yaml.key(4, "queries");
    for (const SqlQueryConfig& query : database.queries) {
      yaml.list_item(4);
      yaml.value(6, "name", query.name);
      yaml.value(6, "metric", query.metric);
      yaml.value(6, "help", query.help);
      yaml.value(6, "type", metric_type_name(query.type));
      yaml.value(6, "sql", query.sql);
      yaml.strings(6, "label_columns", query.label_columns);
      yaml.key(6, "value_columns");
      for (const SqlValueColumn& column : query.value_columns) {
        yaml.list_item(6);
        yaml.value(8, "column", column.column);
        if (!column.suffix.empty()) yaml.value(8, "suffix", column.suffix);
      }
      yaml.labels(6, "static_labels", query.static_labels);
      if (query.interval.count() != 0) yaml.duration(6, "interval", query.interval);
      if (query.timeout.count() != 0) yaml.duration(6, "timeout", query.timeout);
      if (!query.initial_label_values.empty()) {
        yaml.key(6, "initial_label_values");
        for (const std::vector<std::string>& values : query.initial_label_values) {
          std::string flow = "[";
          for (size_t i = 0; i < values.size(); ++i) {
            if (i > 0) flow += ", ";
            flow += scalar(values[i]);
          }
          flow += "]";
          yaml.raw_item(6, flow);
        }
      }
    }
  }
}

void write_storage(YamlWriter& yaml, const StorageConfig& storage) {
  yaml.key(0, "storage");
  yaml.duration(2, "block_duration", storage.block_duration);
  switch (storage.wal_fsync) {
    case WalFsyncMode::always:
      yaml.value(2, "wal_fsync", "always");
      break;
    case WalFsyncMode::never:
      yaml.value(2, "wal_fsync", "never");
      break;
    case WalFsyncMode::interval:
      yaml.duration(2, "wal_fsync", storage.wal_fsync_interval);
      break;
  }
  yaml.key(2, "tiers");
  for (const StorageTierConfig& tier : storage.tiers) {
    yaml.list_item(2);
    if (tier.resolution.count() == 0) {
      yaml.value(4, "resolution", "raw");
    } else {
      yaml.duration(4, "resolution", tier.resolution);
    }
    yaml.duration(4, "retention", tier.retention);
    // The raw tier's blocks are storage.block_duration's, and the loader
    // refuses the key there.
    if (tier.resolution.count() != 0) yaml.duration(4, "block_duration", tier.block_duration);
  }
}

}  // namespace

std::string config_yaml(const Config& config) {
  YamlWriter yaml;
  write_global(yaml, config.global);
  write_scrape_configs(yaml, config.scrape_configs);
  write_sql(yaml, config.sql);
  write_storage(yaml, config.storage);
  return yaml.take();
}

}  // namespace mc::api
