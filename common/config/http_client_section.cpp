#include "common/config/http_client_section.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>

#include <fmt/format.h>

#include "common/config/field_readers.hpp"
#include "common/config/proxy_url.hpp"

namespace mc {

namespace {

// tls.VersionTLS10... as Prometheus's TLSVersions names them.
constexpr std::array<std::string_view, 4> kTlsVersions = {"TLS10", "TLS11", "TLS12", "TLS13"};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// Prometheus's JoinDir: an empty or absolute name stays; a relative one is
// taken from the config file's directory.
void resolve_against(const std::filesystem::path& directory, std::string& file) {
  if (file.empty() || directory.empty() || std::filesystem::path(file).is_absolute()) return;
  file = (directory / file).lexically_normal().string();
}

}  // namespace

HttpClientSection::HttpClientSection(const YamlReader& reader, std::string_view where,
                                     HttpClientConfig& config)
    : reader_(reader), where_(where), config_(config) {}

std::string HttpClientSection::path(std::string_view key) const { return join_path(where_, key); }

std::vector<YamlReader::Field> HttpClientSection::fields() {
  return {
      {"basic_auth", [this](const YAML::Node& value) { return read_basic_auth(value); }},
      {"authorization", [this](const YAML::Node& value) { return read_authorization(value); }},
      {"bearer_token",
       [this](const YAML::Node& value) -> Status {
         MC_ASSIGN_OR_RETURN(bearer_token_.value, reader_.read_string(value, path("bearer_token")));
         bearer_token_node_ = value;
         return Status::ok();
       }},
      {"bearer_token_file",
       [this](const YAML::Node& value) -> Status {
         MC_ASSIGN_OR_RETURN(bearer_token_file_,
                             reader_.read_string(value, path("bearer_token_file")));
         bearer_token_file_node_ = value;
         return Status::ok();
       }},
      {"oauth2",
       [this](const YAML::Node& value) -> Status {
         return reader_.error_at(
             value, fmt::format("{}: \"oauth2\" is not supported by metrics-collector yet; use "
                                "authorization with a credentials_file that something else "
                                "keeps fresh",
                                where_));
       }},
      {"tls_config", [this](const YAML::Node& value) { return read_tls_config(value); }},
      {"proxy_url", [this](const YAML::Node& value) { return read_proxy_url(value); }},
      {"follow_redirects",
       [this](const YAML::Node& value) -> Status {
         MC_ASSIGN_OR_RETURN(config_.follow_redirects,
                             reader_.read_bool(value, path("follow_redirects")));
         return Status::ok();
       }},
      {"enable_http2",
       [this](const YAML::Node& value) -> Status {
         MC_ASSIGN_OR_RETURN(config_.enable_http2, reader_.read_bool(value, path("enable_http2")));
         return Status::ok();
       }},
  };
}

Status HttpClientSection::read_basic_auth(const YAML::Node& value) {
  basic_auth_node_ = value;
  BasicAuth& auth = config_.basic_auth.emplace();
  const std::string where = path("basic_auth");
  return reader_.read_fields(
      value, where,
      {
          {"username",
           [&](const YAML::Node& item) -> Status {
             MC_ASSIGN_OR_RETURN(auth.username,
                                 reader_.read_string(item, join_path(where, "username")));
             return Status::ok();
           }},
          {"password",
           [&](const YAML::Node& item) -> Status {
             MC_ASSIGN_OR_RETURN(auth.password.value,
                                 reader_.read_string(item, join_path(where, "password")));
             return Status::ok();
           }},
          {"password_file",
           [&](const YAML::Node& item) -> Status {
             MC_ASSIGN_OR_RETURN(auth.password_file,
                                 reader_.read_string(item, join_path(where, "password_file")));
             return Status::ok();
           }},
      });
}

Status HttpClientSection::read_authorization(const YAML::Node& value) {
  authorization_node_ = value;
  Authorization& auth = config_.authorization.emplace();
  const std::string where = path("authorization");
  return reader_.read_fields(
      value, where,
      {
          {"type",
           [&](const YAML::Node& item) -> Status {
             MC_ASSIGN_OR_RETURN(auth.type, reader_.read_string(item, join_path(where, "type")));
             authorization_type_node_ = item;
             return Status::ok();
           }},
          {"credentials",
           [&](const YAML::Node& item) -> Status {
             MC_ASSIGN_OR_RETURN(auth.credentials.value,
                                 reader_.read_string(item, join_path(where, "credentials")));
             return Status::ok();
           }},
          {"credentials_file",
           [&](const YAML::Node& item) -> Status {
             MC_ASSIGN_OR_RETURN(auth.credentials_file,
                                 reader_.read_string(item, join_path(where, "credentials_file")));
             return Status::ok();
           }},
      });
}

Status HttpClientSection::read_tls_config(const YAML::Node& value) {
  TlsConfig& tls = config_.tls_config;
  const std::string where = path("tls_config");
  auto string_field = [&](std::string_view key, std::string& out) -> YamlReader::Field {
    return {key, [&, key](const YAML::Node& item) -> Status {
              MC_ASSIGN_OR_RETURN(out, reader_.read_string(item, join_path(where, key)));
              return Status::ok();
            }};
  };
  auto version_field = [&](std::string_view key, std::string& out) -> YamlReader::Field {
    return {key, [&, key](const YAML::Node& item) -> Status {
              MC_ASSIGN_OR_RETURN(out, reader_.read_string(item, join_path(where, key)));
              if (std::ranges::find(kTlsVersions, out) == kTlsVersions.end()) {
                return reader_.error_at(item, fmt::format("{}: unknown TLS version: {} (want "
                                                          "TLS10, TLS11, TLS12 or TLS13)",
                                                          join_path(where, key), out));
              }
              return Status::ok();
            }};
  };
  Status read = reader_.read_fields(
      value, where,
      {
          string_field("ca_file", tls.ca_file),
          string_field("cert_file", tls.cert_file),
          string_field("key_file", tls.key_file),
          string_field("server_name", tls.server_name),
          {"insecure_skip_verify",
           [&](const YAML::Node& item) -> Status {
             MC_ASSIGN_OR_RETURN(tls.insecure_skip_verify,
                                 reader_.read_bool(item, join_path(where, "insecure_skip_verify")));
             return Status::ok();
           }},
          version_field("min_version", tls.min_version),
          version_field("max_version", tls.max_version),
      });
  if (!read) return read;
  // Prometheus finds these when it builds the client; a job that could never
  // scrape is refused at load, in the same words.
  if (!tls.cert_file.empty() && tls.key_file.empty()) {
    return reader_.error_at(value, fmt::format("{}: client cert file {:?} specified without "
                                               "client key file",
                                               where, tls.cert_file));
  }
  if (!tls.key_file.empty() && tls.cert_file.empty()) {
    return reader_.error_at(value, fmt::format("{}: client key file {:?} specified without "
                                               "client cert file",
                                               where, tls.key_file));
  }
  if (!tls.min_version.empty() && !tls.max_version.empty() &&
      tls.min_version > tls.max_version) {  // "TLS1x" sorts as the versions do
    return reader_.error_at(value, fmt::format("{}: max_version {} is lower than min_version {}",
                                               where, tls.max_version, tls.min_version));
  }
  return Status::ok();
}

Status HttpClientSection::read_proxy_url(const YAML::Node& value) {
  MC_ASSIGN_OR_RETURN(config_.proxy_url, reader_.read_string(value, path("proxy_url")));
  if (auto problem = go_url_parse_problem(config_.proxy_url); !problem.empty()) {
    return reader_.error_at(value, fmt::format("{}: {}", path("proxy_url"), problem));
  }
  return Status::ok();
}

Status HttpClientSection::finish(const YAML::Node& mapping) {
  auto at = [&](const YAML::Node& node) { return node.IsNull() ? mapping : node; };
  auto fail = [&](const YAML::Node& node, std::string_view rule) {
    return reader_.error_at(
        at(node), where_.empty() ? std::string(rule) : fmt::format("{}: {}", where_, rule));
  };
  const bool has_bearer = !bearer_token_.empty() || !bearer_token_file_.empty();
  if (!bearer_token_.empty() && !bearer_token_file_.empty()) {
    return fail(bearer_token_file_node_,
                "at most one of bearer_token & bearer_token_file must be configured");
  }
  if (config_.basic_auth && has_bearer) {
    return fail(bearer_token_.empty() ? bearer_token_file_node_ : bearer_token_node_,
                "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be "
                "configured");
  }
  if (config_.basic_auth && !config_.basic_auth->password.empty() &&
      !config_.basic_auth->password_file.empty()) {
    return fail(basic_auth_node_,
                "at most one of basic_auth password & password_file must be configured");
  }
  if (config_.authorization) {
    Authorization& auth = *config_.authorization;
    if (has_bearer) {
      return fail(authorization_node_,
                  "authorization is not compatible with bearer_token & bearer_token_file");
    }
    if (!auth.credentials.empty() && !auth.credentials_file.empty()) {
      return fail(authorization_node_,
                  "at most one of authorization credentials & credentials_file must be "
                  "configured");
    }
    auth.type = std::string(trim(auth.type));
    if (auth.type.empty()) auth.type = "Bearer";
    if (lowercase(auth.type) == "basic") {
      return fail(authorization_type_node_,
                  "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    if (config_.basic_auth) {
      return fail(authorization_node_,
                  "at most one of basic_auth, oauth2 & authorization must be configured");
    }
  } else if (has_bearer) {
    Authorization& auth = config_.authorization.emplace();  // type Bearer
    auth.credentials = bearer_token_;
    auth.credentials_file = bearer_token_file_;
  }
  const std::filesystem::path directory =
      std::filesystem::path(std::string(reader_.source_name())).parent_path();
  resolve_against(directory, config_.tls_config.ca_file);
  resolve_against(directory, config_.tls_config.cert_file);
  resolve_against(directory, config_.tls_config.key_file);
  if (config_.basic_auth) resolve_against(directory, config_.basic_auth->password_file);
  if (config_.authorization) resolve_against(directory, config_.authorization->credentials_file);
  return Status::ok();
}

}  // namespace mc
