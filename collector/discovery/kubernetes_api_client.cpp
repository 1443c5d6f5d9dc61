#include "collector/discovery/kubernetes_api_client.hpp"

#include <curl/curl.h>

#include <memory>

#include <fmt/format.h>

#include "common/util/build_version.hpp"
#include "common/util/read_file.hpp"

namespace mc::kubernetes {

namespace {

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// Go's strings.TrimSpace on a credentials file, as Prometheus reads it.
std::string trimmed(std::string text) {
  size_t end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  size_t start = text.find_first_not_of(" \t\r\n");
  return start == std::string::npos ? std::string() : text.substr(start);
}

struct Transfer {
  std::stop_token stop;
  const std::function<bool(std::string_view)>* on_object = nullptr;
  JsonStreamSplitter splitter;
  long status = 0;
  CURL* handle = nullptr;
  std::string body;
  bool ended_by_reader = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  if (transfer->status == 0) {
    curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &transfer->status);
  }
  if (transfer->on_object != nullptr && transfer->status == 200) {
    if (!transfer->splitter.feed(std::string_view(data, bytes), *transfer->on_object)) {
      transfer->ended_by_reader = true;
      return 0;  // aborts the transfer
    }
    return bytes;
  }
  transfer->body.append(data, bytes);
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  return transfer->stop.stop_requested() ? 1 : 0;
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

KubernetesApiClient::KubernetesApiClient(KubernetesConnection connection)
    : connection_(std::move(connection)) {
  static CurlGlobal global;
}

Result<KubernetesApiClient::Reply> KubernetesApiClient::get(std::string_view path_and_query,
                                                            std::stop_token stop) const {
  return perform(path_and_query, std::move(stop), std::chrono::seconds(60), nullptr);
}

Result<KubernetesApiClient::Reply> KubernetesApiClient::watch(
    std::string_view path_and_query, std::stop_token stop, std::chrono::seconds timeout,
    const std::function<bool(std::string_view object)>& on_object) const {
  return perform(path_and_query, std::move(stop), timeout, &on_object);
}

Result<KubernetesApiClient::Reply> KubernetesApiClient::perform(
    std::string_view path_and_query, std::stop_token stop, std::chrono::seconds timeout,
    const std::function<bool(std::string_view)>* on_object) const {
  std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
  if (!handle) return Status::error("curl_easy_init failed");
  CURL* curl = handle.get();
  std::string url = connection_.server + std::string(path_and_query);
  const HttpClientConfig& http = connection_.http_client;
  const TlsConfig& tls = http.tls_config;

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count() * 1000));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, http.follow_redirects ? 1L : 0L);
  // Environment proxies are not used; only proxy_url.
  curl_easy_setopt(curl, CURLOPT_PROXY, http.proxy_url.c_str());
  std::string user_agent = fmt::format("metrics-collector/{} (kubernetes_sd)", build_version());
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());

  curl_blob ca_blob{};
  curl_blob cert_blob{};
  curl_blob key_blob{};
  if (!connection_.ca_pem.empty()) {
    ca_blob = curl_blob{const_cast<char*>(connection_.ca_pem.data()), connection_.ca_pem.size(),
                        CURL_BLOB_NOCOPY};
    curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca_blob);
  } else if (!tls.ca_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_CAINFO, tls.ca_file.c_str());
  }
  if (tls.insecure_skip_verify) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!connection_.client_cert_pem.empty()) {
    cert_blob = curl_blob{const_cast<char*>(connection_.client_cert_pem.data()),
                          connection_.client_cert_pem.size(), CURL_BLOB_NOCOPY};
    curl_easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &cert_blob);
    curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
  } else if (!tls.cert_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT, tls.cert_file.c_str());
  }
  if (!connection_.client_key_pem.empty()) {
    key_blob = curl_blob{const_cast<char*>(connection_.client_key_pem.data()),
                         connection_.client_key_pem.size(), CURL_BLOB_NOCOPY};
    curl_easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key_blob);
    curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
  } else if (!tls.key_file.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLKEY, tls.key_file.c_str());
  }

  curl_slist* raw_headers = curl_slist_append(nullptr, "Accept: application/json");
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);
  if (http.authorization) {
    std::string credentials = http.authorization->credentials.value;
    if (!http.authorization->credentials_file.empty()) {
      // Read at every request: a rotated token is used at the next one.
      auto text = read_file(http.authorization->credentials_file);
      if (!text) {
        return Status::error(fmt::format("unable to read authorization credentials file {}: {}",
                                         http.authorization->credentials_file, text.error()));
      }
      credentials = trimmed(std::move(*text));
    }
    std::string header = fmt::format("Authorization: {} {}", http.authorization->type, credentials);
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  }
  std::string password;
  if (http.basic_auth) {
    password = http.basic_auth->password.value;
    if (!http.basic_auth->password_file.empty()) {
      auto text = read_file(http.basic_auth->password_file);
      if (!text) {
        return Status::error(fmt::format("unable to read basic auth password file {}: {}",
                                         http.basic_auth->password_file, text.error()));
      }
      password = trimmed(std::move(*text));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, http.basic_auth->username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

  Transfer transfer;
  transfer.stop = std::move(stop);
  transfer.on_object = on_object;
  transfer.handle = curl;
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);

  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &transfer.status);
  if (code == CURLE_WRITE_ERROR && transfer.ended_by_reader) code = CURLE_OK;
  if (code == CURLE_ABORTED_BY_CALLBACK && transfer.stop.stop_requested()) {
    return Status::error("stopped");
  }
  // A watch that runs into its own deadline ended normally: it is resumed.
  if (code == CURLE_OPERATION_TIMEDOUT && on_object != nullptr && transfer.status == 200) {
    code = CURLE_OK;
  }
  if (code != CURLE_OK) {
    std::string message = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return Status::error(fmt::format("Get \"{}\": {}", url, message));
  }
  return Reply{transfer.status, std::move(transfer.body)};
}

bool JsonStreamSplitter::feed(std::string_view bytes,
                              const std::function<bool(std::string_view)>& on_value) {
  pending_.append(bytes);
  size_t start = 0;
  for (size_t i = scanned_; i < pending_.size(); ++i) {
    char c = pending_[i];
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      continue;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      if (depth_ == 0) start = i;
      ++depth_;
    } else if (c == '}' || c == ']') {
      if (--depth_ == 0) {
        size_t value_start = pending_.find_first_not_of(" \t\r\n", start == 0 ? 0 : start);
        if (!on_value(std::string_view(pending_).substr(value_start, i + 1 - value_start))) {
          return false;
        }
        pending_.erase(0, i + 1);
        i = static_cast<size_t>(-1);  // the loop's ++ makes it 0
        start = 0;
        continue;
      }
    }
  }
  scanned_ = pending_.size();
  return true;
}

}  // namespace mc::kubernetes
