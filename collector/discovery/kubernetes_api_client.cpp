#include "collector/discovery/kubernetes_api_client.hpp"

#include <curl/curl.h>

#include <memory>

#include <fmt/format.h>

#include "collector/http_client/http_client_setup.hpp"
#include "common/util/build_version.hpp"

namespace mc::kubernetes {

namespace {

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
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

  // The job's TLS and authentication as every HTTP client of the daemon
  // applies them; a fresh setup per request re-reads the token file, so a
  // rotated token is used at once.
  HttpClientSetup setup(connection_.http_client);
  if (Status applied = setup.apply(curl, url, {"Accept: application/json"}); !applied) {
    return applied;
  }
  // Prometheus's Kubernetes client speaks HTTP/1.1 (WithHTTP2Disabled).
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count() * 1000));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  std::string user_agent = fmt::format("metrics-collector/{} (kubernetes_sd)", build_version());
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());

  // A kubeconfig's inline certificates (*-data), which no file holds.
  curl_blob ca_blob{};
  curl_blob cert_blob{};
  curl_blob key_blob{};
  if (!connection_.ca_pem.empty()) {
    ca_blob = curl_blob{const_cast<char*>(connection_.ca_pem.data()), connection_.ca_pem.size(),
                        CURL_BLOB_NOCOPY};
    curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca_blob);
  }
  if (!connection_.client_cert_pem.empty()) {
    cert_blob = curl_blob{const_cast<char*>(connection_.client_cert_pem.data()),
                          connection_.client_cert_pem.size(), CURL_BLOB_NOCOPY};
    curl_easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &cert_blob);
    curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
  }
  if (!connection_.client_key_pem.empty()) {
    key_blob = curl_blob{const_cast<char*>(connection_.client_key_pem.data()),
                         connection_.client_key_pem.size(), CURL_BLOB_NOCOPY};
    curl_easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key_blob);
    curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
  }

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
      if (depth_ == 0) continue;  // a stray closer between values: not ours to judge
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
