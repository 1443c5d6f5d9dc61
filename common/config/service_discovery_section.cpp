#include "common/config/service_discovery_section.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>

#include <fmt/format.h>

#include "common/config/field_readers.hpp"
#include "common/config/http_client_section.hpp"

namespace mc {

namespace {

// Prometheus's patFileSDName: a glob only in the last path element, and one of
// the extensions the discoverer knows how to read.
bool is_valid_file_sd_pattern(const std::string& name) {
  static const std::regex kPattern(R"(^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$)");
  return std::regex_match(name, kPattern);
}

YamlReader::Field refresh_interval_field(const YamlReader& reader, std::string where,
                                         std::chrono::milliseconds& out) {
  return {"refresh_interval",
          [&reader, where = std::move(where), &out](const YAML::Node& value) -> Status {
            MC_ASSIGN_OR_RETURN(out, reader.read_duration(value, where));
            if (out.count() <= 0) {
              return reader.error_at(value, fmt::format("{}: refresh_interval must be greater "
                                                        "than 0",
                                                        where));
            }
            return Status::ok();
          }};
}

// What Go's url.Parse and http_sd's checks refuse: the scheme, then the host.
std::optional<std::string> http_sd_url_problem(const std::string& url) {
  const size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  std::string lower = scheme;
  std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower != "http" && lower != "https") return "URL scheme must be 'http' or 'https'";
  const std::string rest = url.substr(scheme_end + 3);
  const size_t host_end = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, host_end);
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (authority.empty() || authority.front() == ':') return "host is missing in URL";
  if (url.find_first_of(" \t\r\n") != std::string::npos) {
    return fmt::format("parse {:?}: invalid character in URL", url);
  }
  return std::nullopt;
}

}  // namespace

Status read_file_sd_configs(const YamlReader& reader, const YAML::Node& node,
                            std::string_view where, std::vector<FileSdConfig>& out) {
  return reader.for_each_item(node, where, [&](const YAML::Node& item, size_t index) -> Status {
    const std::string item_path = index_path(where, index);
    FileSdConfig config;
    YAML::Node files_node;
    Status status = reader.read_fields(
        item, item_path,
        {
            {"files",
             [&](const YAML::Node& value) -> Status {
               files_node = value;
               return reader.for_each_item(
                   value, join_path(item_path, "files"),
                   [&](const YAML::Node& file, size_t file_index) -> Status {
                     auto name = reader.read_string(
                         file, index_path(join_path(item_path, "files"), file_index));
                     if (!name) return name.status();
                     if (!is_valid_file_sd_pattern(*name)) {
                       return reader.error_at(
                           file, fmt::format("{}: path name {:?} is not valid for file discovery "
                                             "(want a .json, .yml or .yaml file, with a glob "
                                             "only in the last path element)",
                                             item_path, *name));
                     }
                     config.files.push_back(std::move(*name));
                     return Status::ok();
                   });
             }},
            refresh_interval_field(reader, join_path(item_path, "refresh_interval"),
                                   config.refresh_interval),
        });
    if (!status) return status;
    if (config.files.empty()) {
      return reader.error_at(
          files_node.IsNull() ? item : files_node,
          fmt::format("{}: file service discovery config must contain at least one path name",
                      item_path));
    }
    out.push_back(std::move(config));
    return Status::ok();
  });
}

Status read_http_sd_configs(const YamlReader& reader, const YAML::Node& node,
                            std::string_view where, std::vector<HttpSdConfig>& out) {
  return reader.for_each_item(node, where, [&](const YAML::Node& item, size_t index) -> Status {
    const std::string item_path = index_path(where, index);
    HttpSdConfig config;
    YAML::Node url_node;
    HttpClientSection http_client(reader, item_path, config.http_client);
    const std::vector<YamlReader::Field> http_client_fields = http_client.fields();
    Status status = reader.read_fields(
        item, item_path,
        {
            {"url",
             [&](const YAML::Node& value) -> Status {
               url_node = value;
               MC_ASSIGN_OR_RETURN(config.url,
                                   reader.read_string(value, join_path(item_path, "url")));
               return Status::ok();
             }},
            refresh_interval_field(reader, join_path(item_path, "refresh_interval"),
                                   config.refresh_interval),
        },
        http_client_fields);
    if (status) status = http_client.finish(item);
    if (!status) return status;
    if (config.url.empty()) {
      return reader.error_at(url_node.IsNull() ? item : url_node,
                             fmt::format("{}: URL is missing", item_path));
    }
    if (auto problem = http_sd_url_problem(config.url)) {
      return reader.error_at(url_node, fmt::format("{}.url: {}", item_path, *problem));
    }
    out.push_back(std::move(config));
    return Status::ok();
  });
}

Status read_dns_sd_configs(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                           std::vector<DnsSdConfig>& out) {
  return reader.for_each_item(node, where, [&](const YAML::Node& item, size_t index) -> Status {
    const std::string item_path = index_path(where, index);
    DnsSdConfig config;
    YAML::Node names_node;
    YAML::Node type_node;
    Status status = reader.read_fields(
        item, item_path,
        {
            {"names",
             [&](const YAML::Node& value) -> Status {
               names_node = value;
               MC_ASSIGN_OR_RETURN(config.names,
                                   reader.read_string_list(value, join_path(item_path, "names")));
               return Status::ok();
             }},
            {"type",
             [&](const YAML::Node& value) -> Status {
               type_node = value;
               MC_ASSIGN_OR_RETURN(config.type,
                                   reader.read_string(value, join_path(item_path, "type")));
               return Status::ok();
             }},
            {"port",
             [&](const YAML::Node& value) -> Status {
               auto port = reader.read_int(value, join_path(item_path, "port"), 0, 65535);
               if (!port) return port.status();
               config.port = static_cast<int>(*port);
               return Status::ok();
             }},
            refresh_interval_field(reader, join_path(item_path, "refresh_interval"),
                                   config.refresh_interval),
        });
    if (!status) return status;
    if (config.names.empty()) {
      return reader.error_at(
          names_node.IsNull() ? item : names_node,
          fmt::format("{}: DNS-SD config must contain at least one SRV record name", item_path));
    }
    // Prometheus compares the type without case and keeps it as written.
    std::string type = config.type;
    std::ranges::transform(type, type.begin(), [](unsigned char c) { return std::toupper(c); });
    if (type != "SRV" && type != "A" && type != "AAAA" && type != "MX") {
      return reader.error_at(type_node, fmt::format("{}: invalid DNS-SD records type {} (want "
                                                    "SRV, A, AAAA or MX)",
                                                    item_path, config.type));
    }
    config.type = type;
    if (type != "SRV" && config.port == 0) {
      return reader.error_at(item, fmt::format("{}: a port is required in DNS-SD configs for all "
                                               "record types except SRV",
                                               item_path));
    }
    out.push_back(std::move(config));
    return Status::ok();
  });
}

}  // namespace mc
