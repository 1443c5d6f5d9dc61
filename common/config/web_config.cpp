#include "common/config/web_config.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/config/yaml_reader.hpp"
#include "common/util/errno_text.hpp"
#include "common/util/read_file.hpp"

namespace mc {

namespace {

struct ClientAuthTypeName {
  std::string_view name;
  ClientAuthType type;
};

constexpr std::array<ClientAuthTypeName, 5> kClientAuthTypes = {{
    {"NoClientCert", ClientAuthType::no_client_cert},
    {"RequestClientCert", ClientAuthType::request_client_cert},
    {"RequireAnyClientCert", ClientAuthType::require_any_client_cert},
    {"VerifyClientCertIfGiven", ClientAuthType::verify_client_cert_if_given},
    {"RequireAndVerifyClientCert", ClientAuthType::require_and_verify_client_cert},
}};

struct TlsVersionName {
  std::string_view name;
  TlsVersion version;
};

constexpr std::array<TlsVersionName, 4> kTlsVersions = {{
    {"TLS10", TlsVersion::tls10},
    {"TLS11", TlsVersion::tls11},
    {"TLS12", TlsVersion::tls12},
    {"TLS13", TlsVersion::tls13},
}};

// exporter-toolkit keys we do not implement: refused by name, so the user
// learns that the restriction they asked for is not there.
constexpr std::array<std::string_view, 7> kUnsupportedTlsKeys = {"cert",
                                                                 "key",
                                                                 "client_ca",
                                                                 "cipher_suites",
                                                                 "curve_preferences",
                                                                 "prefer_server_cipher_suites",
                                                                 "client_allowed_sans"};
constexpr std::array<std::string_view, 2> kUnsupportedTopLevelKeys = {"http_server_config",
                                                                      "rate_limit"};

// Fields for keys that exist in exporter-toolkit but not here.
template <size_t N>
void add_unsupported(const YamlReader& reader, std::vector<YamlReader::Field>& fields,
                     const std::array<std::string_view, N>& keys, std::string_view where) {
  for (std::string_view key : keys) {
    fields.push_back({key, [&reader, key, where](const YAML::Node& value) -> Status {
                        return reader.error_at(
                            value, fmt::format("{}: {:?} is not supported by metrics-collector",
                                               where.empty() ? "web config" : where, key));
                      }});
  }
}

// YamlReader::read_fields with a field list built at run time (the
// unsupported keys are appended to the supported ones).
Status read_field_list(const YamlReader& reader, const YAML::Node& mapping, std::string_view where,
                       const std::vector<YamlReader::Field>& fields) {
  return reader.for_each_entry(
      mapping, where,
      [&](std::string_view key, const YAML::Node& key_node, const YAML::Node& value) -> Status {
        for (const auto& field : fields) {
          if (field.key != key) continue;
          if (value.IsNull()) return Status::ok();  // `key:` alone leaves the default
          return field.read(value);
        }
        if (where.empty()) {
          return reader.error_at(key_node, fmt::format("unknown field {:?} at top level", key));
        }
        return reader.error_at(key_node, fmt::format("unknown field {:?} in {}", key, where));
      });
}

std::string resolve_path(std::string_view path, std::string_view base_directory) {
  if (path.empty() || base_directory.empty() || path.front() == '/') return std::string(path);
  return (std::filesystem::path(base_directory) / std::filesystem::path(path)).string();
}

// The file must exist and be readable now; its content is the TLS setup's business.
Status check_readable_file(const YamlReader& reader, const YAML::Node& node, std::string_view where,
                           const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    return reader.error_at(node,
                           fmt::format("{}: cannot read {:?}: {}", where, path, errno_text()));
  }
  return Status::ok();
}

// A bcrypt hash as crypt(3) writes it: "$2b$10$" then 53 characters of
// bcrypt's base-64 (22 of salt, 31 of hash).
bool looks_like_bcrypt(std::string_view hash) {
  constexpr size_t kBcryptLength = 60;
  if (hash.size() != kBcryptLength || hash[0] != '$' || hash[1] != '2') return false;
  if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') return false;
  if (hash[3] != '$' || hash[6] != '$') return false;
  if (hash[4] < '0' || hash[4] > '3' || hash[5] < '0' || hash[5] > '9') return false;
  return std::ranges::all_of(hash.substr(7), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '/';
  });
}

// Nodes kept until the mapping is read, for errors that concern a combination.
struct TlsNodes {
  YAML::Node mapping;
  YAML::Node cert_file;
  YAML::Node key_file;
  YAML::Node client_auth_type;
  YAML::Node client_ca_file;
  YAML::Node min_version;
};

Result<TlsVersion> read_tls_version(const YamlReader& reader, const YAML::Node& node,
                                    std::string_view where) {
  auto text = reader.read_string(node, where);
  if (!text) return text.status();
  for (const auto& entry : kTlsVersions) {
    if (entry.name == *text) return entry.version;
  }
  return reader.error_at(
      node, fmt::format("{}: unknown TLS version {:?} (want TLS10, TLS11, TLS12 or TLS13)", where,
                        *text));
}

Status read_tls_server_config(const YamlReader& reader, const YAML::Node& node,
                              std::string_view base_directory, WebConfig& config) {
  constexpr std::string_view where = "tls_server_config";
  TlsServerConfig tls;
  TlsNodes nodes;
  nodes.mapping = node;
  auto file_field = [&](std::string_view key, std::string& out, YAML::Node& seen) {
    return YamlReader::Field{key, [&, key](const YAML::Node& value) -> Status {
                               const std::string path = join_path(where, key);
                               auto text = reader.read_string(value, path);
                               if (!text) return text.status();
                               out = resolve_path(*text, base_directory);
                               seen = value;
                               if (out.empty()) return Status::ok();
                               return check_readable_file(reader, value, path, out);
                             }};
  };
  std::vector<YamlReader::Field> fields = {
      file_field("cert_file", tls.cert_file, nodes.cert_file),
      file_field("key_file", tls.key_file, nodes.key_file),
      file_field("client_ca_file", tls.client_ca_file, nodes.client_ca_file),
      {"client_auth_type",
       [&](const YAML::Node& value) -> Status {
         const std::string path = join_path(where, "client_auth_type");
         auto text = reader.read_string(value, path);
         if (!text) return text.status();
         nodes.client_auth_type = value;
         for (const auto& entry : kClientAuthTypes) {
           if (entry.name != *text) continue;
           tls.client_auth_type = entry.type;
           return Status::ok();
         }
         return reader.error_at(
             value, fmt::format("{}: unknown client_auth_type {:?} (want NoClientCert, "
                                "RequestClientCert, RequireAnyClientCert, "
                                "VerifyClientCertIfGiven or RequireAndVerifyClientCert)",
                                path, *text));
       }},
      {"min_version",
       [&](const YAML::Node& value) -> Status {
         auto version = read_tls_version(reader, value, join_path(where, "min_version"));
         if (!version) return version.status();
         tls.min_version = *version;
         nodes.min_version = value;
         return Status::ok();
       }},
      {"max_version",
       [&](const YAML::Node& value) -> Status {
         auto version = read_tls_version(reader, value, join_path(where, "max_version"));
         if (!version) return version.status();
         tls.max_version = *version;
         return Status::ok();
       }},
  };
  add_unsupported(reader, fields, kUnsupportedTlsKeys, where);
  if (Status status = read_field_list(reader, node, where, fields); !status) return status;

  // As exporter-toolkit: a section with nothing in it means plain HTTP.
  if (tls.cert_file.empty() && tls.key_file.empty() && tls.client_ca_file.empty() &&
      nodes.client_auth_type.IsNull()) {
    return Status::ok();
  }
  if (tls.cert_file.empty()) {
    return reader.error_at(nodes.mapping, fmt::format("{}: missing cert_file", where));
  }
  if (tls.key_file.empty()) {
    return reader.error_at(nodes.mapping, fmt::format("{}: missing key_file", where));
  }
  const bool verifies = tls.client_auth_type == ClientAuthType::verify_client_cert_if_given ||
                        tls.client_auth_type == ClientAuthType::require_and_verify_client_cert;
  if (verifies && tls.client_ca_file.empty()) {
    return reader.error_at(nodes.client_auth_type,
                           fmt::format("{}: client_auth_type {} needs client_ca_file", where,
                                       client_auth_type_name(tls.client_auth_type)));
  }
  if (!tls.client_ca_file.empty() && tls.client_auth_type == ClientAuthType::no_client_cert) {
    return reader.error_at(nodes.client_ca_file,
                           fmt::format("{}: client_ca_file is set but client_auth_type is "
                                       "NoClientCert; set RequireAndVerifyClientCert for mutual "
                                       "TLS",
                                       where));
  }
  if (tls.min_version > tls.max_version) {
    return reader.error_at(
        nodes.min_version,
        fmt::format("{}: min_version {} is above max_version {}", where,
                    tls_version_name(tls.min_version), tls_version_name(tls.max_version)));
  }
  config.tls = std::move(tls);
  return Status::ok();
}

Status read_basic_auth_users(const YamlReader& reader, const YAML::Node& node, WebConfig& config) {
  constexpr std::string_view where = "basic_auth_users";
  return reader.for_each_entry(
      node, where,
      [&](std::string_view user, const YAML::Node& user_node, const YAML::Node& value) -> Status {
        if (user.empty()) return reader.error_at(user_node, "basic_auth_users: empty user name");
        if (user.find(':') != std::string_view::npos) {
          // Basic auth splits "user:password" at the first colon.
          return reader.error_at(
              user_node, fmt::format("basic_auth_users: user name {:?} contains ':'", user));
        }
        // The hash is a secret: errors name the user, never the value.
        if (!value.IsScalar() || !looks_like_bcrypt(value.Scalar())) {
          return reader.error_at(
              value, fmt::format("basic_auth_users: the password of user {:?} is not a bcrypt "
                                 "hash ($2a$, $2b$ or $2y$, 60 characters; make one with "
                                 "`htpasswd -nBC 10 \"\" | tr -d ':\\n'`)",
                                 user));
        }
        config.basic_auth_users.emplace(std::string(user), value.Scalar());
        return Status::ok();
      });
}

Result<WebConfig> read_web_config(const YamlReader& reader, const YAML::Node& root,
                                  std::string_view base_directory) {
  WebConfig config;
  std::vector<YamlReader::Field> fields = {
      {"tls_server_config",
       [&](const YAML::Node& value) {
         return read_tls_server_config(reader, value, base_directory, config);
       }},
      {"basic_auth_users",
       [&](const YAML::Node& value) { return read_basic_auth_users(reader, value, config); }},
  };
  add_unsupported(reader, fields, kUnsupportedTopLevelKeys, "");
  if (Status status = read_field_list(reader, root, "", fields); !status) return status;
  return config;
}

}  // namespace

std::string_view client_auth_type_name(ClientAuthType type) {
  for (const auto& entry : kClientAuthTypes) {
    if (entry.type == type) return entry.name;
  }
  return "unknown";
}

std::string_view tls_version_name(TlsVersion version) {
  for (const auto& entry : kTlsVersions) {
    if (entry.version == version) return entry.name;
  }
  return "unknown";
}

Result<WebConfig> parse_web_config(std::string_view yaml, std::string_view source_name,
                                   std::string_view base_directory) {
  YamlReader reader(source_name);
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    return read_web_config(reader, root, base_directory);
  } catch (const YAML::Exception& error) {
    return reader.error_at(error.mark, error.msg);
  } catch (const std::exception& error) {
    return Status::error(fmt::format("{}: cannot parse web config: {}", source_name, error.what()));
  }
}

Result<WebConfig> load_web_config_file(const std::string& path) {
  auto content = read_file(path);
  if (!content) {
    return Status::error(
        fmt::format("cannot read web config file {:?}: {}", path, content.error()));
  }
  const std::string directory = std::filesystem::path(path).parent_path().string();
  return parse_web_config(*content, path, directory);
}

}  // namespace mc
