// The HTTP client keys that Prometheus 2.42 inlines into a scrape config, an
// http_sd_config and a kubernetes_sd_config (common/config's HTTPClientConfig):
// basic_auth, authorization, bearer_token, bearer_token_file, tls_config,
// proxy_url, follow_redirects, enable_http2; oauth2 is refused, naming it.
//
// A section that inlines them adds fields() to its own read_fields() and calls
// finish() once its mapping is read:
//
//   HttpClientSection http(reader, where, job.http_client);
//   Status read = reader.read_fields(node, where, {...its own keys...}, http.fields());
//   if (read) read = http.finish(node);
//
// finish() applies Prometheus's rules across keys, in Prometheus's words (at
// most one of basic_auth, authorization, bearer_token*, oauth2; a secret and
// its _file form not both; authorization type "basic" refused), turns
// bearer_token/bearer_token_file into authorization type Bearer, and resolves
// relative file names against the config file's directory, as Prometheus's
// SetDirectory does.
//
// Private to common/config. One object per mapping read; not thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config/http_client_config.hpp"
#include "common/config/yaml_reader.hpp"
#include "common/util/status.hpp"

namespace mc {

class HttpClientSection {
 public:
  // `config` is filled by the fields' readers and by finish(); both `reader`
  // and `config` must outlive this object.
  HttpClientSection(const YamlReader& reader, std::string_view where, HttpClientConfig& config);

  // The keys to read, for YamlReader::read_fields' extra fields. They refer
  // to this object, which must outlive the read.
  std::vector<YamlReader::Field> fields();

  // The rules across keys, once `mapping` (for error positions when a key
  // has none) is read without errors.
  Status finish(const YAML::Node& mapping);

 private:
  Status read_basic_auth(const YAML::Node& value);
  Status read_authorization(const YAML::Node& value);
  Status read_tls_config(const YAML::Node& value);
  Status read_proxy_url(const YAML::Node& value);
  std::string path(std::string_view key) const;

  const YamlReader& reader_;
  std::string where_;
  HttpClientConfig& config_;
  // Kept until finish(): the older spellings of authorization, and where each
  // key was, for the errors of rules across keys.
  Secret bearer_token_;
  std::string bearer_token_file_;
  YAML::Node basic_auth_node_, authorization_node_, bearer_token_node_, bearer_token_file_node_;
  YAML::Node authorization_type_node_;
};

}  // namespace mc
