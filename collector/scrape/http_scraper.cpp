#include "collector/scrape/http_scraper.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "collector/http_client/http_status_text.hpp"
#include "common/exposition/exposition_format.hpp"
#include "common/util/build_version.hpp"

namespace mc {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string failure_reason_of(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return "connection";
    case CURLE_BAD_CONTENT_ENCODING:
      return "encoding";
    // The handshake or the certificates (tls_config): the error text says which.
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CLIENTCERT:
      return "tls";
    default:
      return "other";
  }
}

}  // namespace

HttpScraper::HttpScraper(const ScrapeTarget& target, Duration timeout, uint64_t body_size_limit,
                         uint64_t sample_limit, const HttpClientConfig& http_client)
    : handle_(curl_easy_init()),
      client_(http_client),
      url_(target.url()),
      body_size_limit_(body_size_limit),
      sample_limit_(sample_limit) {
  if (handle_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  // The target's own connection cache, which keeps its connection alive
  // between scrapes, as Prometheus does. The multi handle's cache would not:
  // it holds 4 connections per handle *currently added*, and a target's
  // handle is added only while it scrapes, so with 50 targets every scrape
  // connected anew. And once a second libcurl polls every idle connection in
  // a cache for a hang-up: 50 syscalls a second there, one per scrape here.
  connections_ = curl_share_init();
  if (connections_ == nullptr) throw std::runtime_error("curl_share_init failed");
  curl_share_setopt(connections_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_easy_setopt(handle_, CURLOPT_SHARE, connections_);
  request_headers_ = {fmt::format("Accept: {}", kScrapeAcceptHeader),
                      fmt::format("X-Prometheus-Scrape-Timeout-Seconds: {:g}",
                                  static_cast<double>(timeout.count()) / 1000.0)};
  const std::string user_agent = fmt::format("metrics-collector/{}", build_version());
  curl_easy_setopt(handle_, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(handle_, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, "http,https");
  // libcurl reads a plain socket once per curl_multi_perform(), so its 16 KiB
  // default costs a poll and a perform per 16 KiB of page. 128 KiB takes a
  // 1,000-series node_exporter page (88 KB) in one read: about 3 fewer system
  // calls per scrape than 64 KiB, for a few KiB more RSS per target (at most
  // 64 KiB, touched only by pages that large; bench/scrape/README.md).
  curl_easy_setopt(handle_, CURLOPT_BUFFERSIZE, 128L * 1024);
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &HttpScraper::on_body);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &HttpScraper::on_header);
  curl_easy_setopt(handle_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_buffer_);
}

HttpScraper::~HttpScraper() {
  curl_easy_cleanup(handle_);
  curl_share_cleanup(connections_);  // after the handle that uses it
}

CURL* HttpScraper::prepare() {
  body_.clear();  // empty already when the last body was released
  content_type_.clear();
  body_too_large_ = false;
  too_many_samples_ = false;
  sample_lines_.reset();
  newlines_ = 0;
  counting_sample_lines_ = false;
  error_buffer_[0] = '\0';
  status_text_.clear();
  setup_error_ = client_.apply(handle_, url_, request_headers_);
  if (!setup_error_) {
    // A URL of a protocol the handle refuses ends the transfer at once,
    // before any connection, and finish() reports setup_error_ instead.
    curl_easy_setopt(handle_, CURLOPT_URL, "file:///");
  }
  return handle_;
}

size_t HttpScraper::on_body(char* data, size_t size, size_t count, void* self) {
  auto* scraper = static_cast<HttpScraper*>(self);
  if (scraper->body_size_limit_ != 0 &&
      scraper->body_.size() + size * count > scraper->body_size_limit_) {
    scraper->body_too_large_ = true;
    return 0;  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
  }
  if (scraper->sample_limit_ != 0) {
    const std::string_view piece(data, size * count);
    scraper->newlines_ += count_newlines(piece);
    // Newlines bound the sample lines (see count_newlines): the exact count
    // starts, over the body so far, only once they reach the limit.
    if (scraper->newlines_ >= scraper->sample_limit_) {
      if (!scraper->counting_sample_lines_) {
        scraper->sample_lines_.add(scraper->body_);
        scraper->counting_sample_lines_ = true;
      }
      scraper->sample_lines_.add(piece);
      if (scraper->sample_lines_.count() > scraper->sample_limit_) {
        scraper->too_many_samples_ = true;
        return 0;
      }
    }
  }
  if (scraper->body_.capacity() < scraper->last_body_size_) {
    // Values change between scrapes and with them a page's length: a little
    // room keeps a slightly longer body from doubling the buffer.
    scraper->reserve_body_bytes(scraper->last_body_size_ + scraper->last_body_size_ / 16);
  }
  scraper->body_.append(data, size * count);
  return size * count;
}

void HttpScraper::release_body() {
  last_body_size_ = body_.size();
  std::string().swap(body_);
}

void HttpScraper::reserve_body(std::string_view content_length) {
  uint64_t length = 0;
  const auto [end, error] =
      std::from_chars(content_length.data(), content_length.data() + content_length.size(), length);
  if (error != std::errc() || end != content_length.data() + content_length.size()) return;
  reserve_body_bytes(length);
}

void HttpScraper::reserve_body_bytes(uint64_t bytes) {
  // A Content-Length is the target's word only (and of the encoded size, when
  // gzipped): never reserve past the body size limit, nor past a bound that a
  // lying target could make us allocate for nothing.
  constexpr uint64_t kMaxReservedBytes = uint64_t{16} << 20;
  uint64_t bound = kMaxReservedBytes;
  if (body_size_limit_ != 0 && body_size_limit_ < bound) bound = body_size_limit_;
  body_.reserve(static_cast<size_t>(std::min(bytes, bound)));
}

size_t HttpScraper::on_header(char* data, size_t size, size_t count, void* self) {
  auto* scraper = static_cast<HttpScraper*>(self);
  std::string_view line(data, size * count);
  // "HTTP/1.1 401 Unauthorized": each response's status line (a redirect's
  // comes first; the last one stays).
  if (line.starts_with("HTTP/")) {
    std::string_view rest = trim(line.substr(std::min(line.find(' '), line.size())));
    const size_t space = rest.find(' ');
    scraper->status_text_ =
        space == std::string_view::npos ? std::string() : std::string(trim(rest.substr(space + 1)));
  }
  constexpr std::string_view kName = "content-type:";
  if (line.size() > kName.size() && strncasecmp(line.data(), kName.data(), kName.size()) == 0) {
    scraper->content_type_ = std::string(trim(line.substr(kName.size())));
  }
  constexpr std::string_view kLength = "content-length:";
  if (line.size() > kLength.size() &&
      strncasecmp(line.data(), kLength.data(), kLength.size()) == 0) {
    scraper->reserve_body(trim(line.substr(kLength.size())));
  }
  // A redirect's headers come first; the final response's Content-Type wins.
  return size * count;
}

ScrapeResponse HttpScraper::finish(CURLcode result) {
  ScrapeResponse response;
  if (!setup_error_) {
    response.status = setup_error_;
    response.failure_reason = "other";
    return response;
  }
  if (body_too_large_) {
    response.status =
        Status::error(fmt::format("body size limit of {} bytes exceeded", body_size_limit_));
    response.failure_reason = "body_size";
    body_.clear();
    body_.shrink_to_fit();  // do not keep the limit's worth of memory for this target
    return response;
  }
  if (too_many_samples_) {
    // Begins with the words ScrapeLoop uses when it counts a whole body's samples.
    response.status = Status::error(
        fmt::format("sample_limit exceeded: the target exposed more than the limit of {} samples "
                    "(the body was cut there)",
                    sample_limit_));
    response.failure_reason = "sample_limit";
    body_.clear();
    body_.shrink_to_fit();
    return response;
  }
  if (result != CURLE_OK) {
    std::string detail = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(result);
    response.status = Status::error(detail);
    response.failure_reason = failure_reason_of(result);
    return response;
  }
  long status_code = 0;
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status_code);
  if (status_code != 200) {
    // Go's resp.Status: the server's reason phrase, else the standard text.
    std::string_view text = status_text_;
    if (text.empty()) text = http_status_text(status_code);
    response.status = Status::error(
        text.empty() ? fmt::format("server returned HTTP status {}", status_code)
                     : fmt::format("server returned HTTP status {} {}", status_code, text));
    response.failure_reason = "http_status";
    return response;
  }
  response.body = body_;
  response.content_type = content_type_;
  return response;
}

}  // namespace mc
