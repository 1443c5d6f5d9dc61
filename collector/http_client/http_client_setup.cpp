#include "collector/http_client/http_client_setup.hpp"

#include <fmt/format.h>

#include <string_view>

namespace mc {

namespace {

// Go's redirect policy: the 11th redirect fails the request.
constexpr long kMaxRedirects = 10;

long min_tls_version(std::string_view name) {
  if (name == "TLS10") return CURL_SSLVERSION_TLSv1_0;
  if (name == "TLS11") return CURL_SSLVERSION_TLSv1_1;
  if (name == "TLS13") return CURL_SSLVERSION_TLSv1_3;
  return CURL_SSLVERSION_TLSv1_2;  // also when unset: Go's client accepts 1.2 and later
}

long max_tls_version(std::string_view name) {
  if (name == "TLS10") return CURL_SSLVERSION_MAX_TLSv1_0;
  if (name == "TLS11") return CURL_SSLVERSION_MAX_TLSv1_1;
  if (name == "TLS12") return CURL_SSLVERSION_MAX_TLSv1_2;
  if (name == "TLS13") return CURL_SSLVERSION_MAX_TLSv1_3;
  return CURL_SSLVERSION_MAX_DEFAULT;
}

// Go's socks5 dialer hands the name to the proxy; libcurl's socks5h does.
std::string curl_proxy(std::string_view proxy_url) {
  constexpr std::string_view kSocks5 = "socks5://";
  if (proxy_url.starts_with(kSocks5)) {
    return fmt::format("socks5h://{}", proxy_url.substr(kSocks5.size()));
  }
  return std::string(proxy_url);
}

// "https://host:port/path" -> the scheme's "://" end, the host ("[::1]" keeps
// its brackets) and the port; nullopt when the URL has no explicit port
// (scrape targets always have one).
struct UrlAuthority {
  size_t start = 0;  // after "://"
  size_t end = 0;    // at the path, query or the end
  std::string_view host;
  std::string_view port;
};

std::optional<UrlAuthority> authority_of(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  UrlAuthority authority;
  authority.start = scheme_end + 3;
  authority.end = std::min(url.find_first_of("/?#", authority.start), url.size());
  std::string_view text = url.substr(authority.start, authority.end - authority.start);
  if (text.find('@') != std::string_view::npos) return std::nullopt;
  const size_t colon = text.rfind(':');
  const size_t bracket = text.rfind(']');
  if (colon == std::string_view::npos || (bracket != std::string_view::npos && bracket > colon)) {
    return std::nullopt;
  }
  authority.host = text.substr(0, colon);
  authority.port = text.substr(colon + 1);
  return authority;
}

}  // namespace

HttpClientSetup::HttpClientSetup(HttpClientConfig config) : config_(std::move(config)) {
  if (config_.basic_auth && !config_.basic_auth->password_file.empty()) {
    password_file_.emplace(config_.basic_auth->password_file);
  }
  if (config_.authorization && !config_.authorization->credentials_file.empty()) {
    credentials_file_.emplace(config_.authorization->credentials_file);
  }
  proxy_ = curl_proxy(config_.proxy_url);
}

HttpClientSetup::~HttpClientSetup() {
  curl_slist_free_all(headers_);
  curl_slist_free_all(connect_to_);
}

Result<std::string> HttpClientSetup::authorization_header() {
  if (!config_.authorization) return std::string();
  std::string credentials = config_.authorization->credentials.value;
  if (credentials_file_) {
    auto read = credentials_file_->read();
    if (!read) {
      return Status::error(fmt::format("unable to read authorization credentials file {}: {}",
                                       credentials_file_->path(), read.error()));
    }
    credentials = std::move(*read);
  }
  return fmt::format("Authorization: {} {}", config_.authorization->type, credentials);
}

bool HttpClientSetup::tls_files_changed() {
  std::vector<std::optional<FileStamp>> stamps;
  for (const std::string* file :
       {&config_.tls_config.ca_file, &config_.tls_config.cert_file, &config_.tls_config.key_file}) {
    stamps.push_back(file->empty() ? std::nullopt : FileStamp::of(*file));
  }
  const bool changed = !first_request_ && stamps != tls_file_stamps_;
  tls_file_stamps_ = std::move(stamps);
  first_request_ = false;
  return changed;
}

Status HttpClientSetup::apply(CURL* handle, const std::string& url,
                              const std::vector<std::string>& headers) {
  if (config_.basic_auth) {
    password_ = config_.basic_auth->password.value;
    if (password_file_) {
      auto read = password_file_->read();
      if (!read) {
        return Status::error(fmt::format("unable to read basic auth password file {}: {}",
                                         password_file_->path(), read.error()));
      }
      password_ = std::move(*read);
    }
    curl_easy_setopt(handle, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(handle, CURLOPT_USERNAME, config_.basic_auth->username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, password_.c_str());
  }
  auto authorization = authorization_header();
  if (!authorization) return authorization.status();

  // server_name: the URL names it (SNI, and the name verified), CONNECT_TO
  // sends the connection to the target's own address.
  std::string host_header;
  const std::string& server_name = config_.tls_config.server_name;
  auto authority = authority_of(url);
  std::string connect_to;
  if (!server_name.empty() && url.starts_with("https://") && authority) {
    const std::string name =
        server_name.find(':') != std::string::npos ? fmt::format("[{}]", server_name) : server_name;
    url_ = fmt::format("https://{}:{}{}", name, authority->port, url.substr(authority->end));
    connect_to =
        fmt::format("{}:{}:{}:{}", name, authority->port, authority->host, authority->port);
    host_header = fmt::format("Host: {}:{}", authority->host, authority->port);
  } else {
    url_ = url;
  }
  if (connect_to_ == nullptr || connect_to != connect_to_->data) {
    curl_slist_free_all(connect_to_);
    connect_to_ = nullptr;
    if (!connect_to.empty()) connect_to_ = curl_slist_append(nullptr, connect_to.c_str());
  }

  std::string header_key = *authorization + '\n' + host_header;
  for (const std::string& header : headers) header_key += '\n' + header;
  if (header_key != header_key_ || headers_ == nullptr) {
    curl_slist_free_all(headers_);
    headers_ = nullptr;
    for (const std::string& header : headers)
      headers_ = curl_slist_append(headers_, header.c_str());
    if (!authorization->empty()) headers_ = curl_slist_append(headers_, authorization->c_str());
    if (!host_header.empty()) headers_ = curl_slist_append(headers_, host_header.c_str());
    header_key_ = std::move(header_key);
  }
  curl_easy_setopt(handle, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(handle, CURLOPT_CONNECT_TO, connect_to_);

  const TlsConfig& tls = config_.tls_config;
  // Only when set: a null CAINFO would drop the system's CA bundle.
  if (!tls.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) curl_easy_setopt(handle, CURLOPT_SSLCERT, tls.cert_file.c_str());
  if (!tls.key_file.empty()) curl_easy_setopt(handle, CURLOPT_SSLKEY, tls.key_file.c_str());
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, tls.insecure_skip_verify ? 0L : 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, tls.insecure_skip_verify ? 0L : 2L);
  curl_easy_setopt(handle, CURLOPT_SSLVERSION,
                   min_tls_version(tls.min_version) | max_tls_version(tls.max_version));
  curl_easy_setopt(handle, CURLOPT_SSL_SESSIONID_CACHE, 0L);
#if LIBCURL_VERSION_NUM >= 0x075700  // 7.87.0
  curl_easy_setopt(handle, CURLOPT_CA_CACHE_TIMEOUT, 0L);
#endif
  curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, tls_files_changed() ? 1L : 0L);

  // An empty proxy turns off the *_proxy environment variables.
  curl_easy_setopt(handle, CURLOPT_PROXY, proxy_.c_str());
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, config_.follow_redirects ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_MAXREDIRS, kMaxRedirects);
  curl_easy_setopt(handle, CURLOPT_HTTP_VERSION,
                   config_.enable_http2 ? static_cast<long>(CURL_HTTP_VERSION_2TLS)
                                        : static_cast<long>(CURL_HTTP_VERSION_1_1));
  return Status::ok();
}

}  // namespace mc
