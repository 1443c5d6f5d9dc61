#include "collector/scrape/http_scraper.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <stdexcept>

#include "collector/http_client/http_status_text.hpp"
#include "common/exposition/exposition_format.hpp"
#include "common/util/build_version.hpp"
#include "common/util/http_header.hpp"

namespace mc {

namespace {

// A header line from libcurl, without its CRLF and the whitespace around it.
std::string_view trim(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  return trim_header_whitespace(line);
}

std::string_view failure_reason_of(CURLcode code) {
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

// MC_SCRAPE_HTTP_CLIENT=libcurl: every target through libcurl.
bool plain_client_allowed() {
  static const bool allowed = [] {
    const char* choice = std::getenv("MC_SCRAPE_HTTP_CLIENT");
    return choice == nullptr || std::string_view(choice) != "libcurl";
  }();
  return allowed;
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

HttpScraper::HttpScraper(const ScrapeTarget& target, Duration timeout, uint64_t body_size_limit,
                         uint64_t sample_limit, const HttpClientConfig& http_client)
    : client_(http_client),
      url_(target.url()),
      body_size_limit_(body_size_limit),
      sample_limit_(sample_limit),
      timeout_(timeout) {
  request_headers_ = {fmt::format("Accept: {}", kScrapeAcceptHeader),
                      fmt::format("X-Prometheus-Scrape-Timeout-Seconds: {:g}",
                                  static_cast<double>(timeout.count()) / 1000.0)};
  auto endpoint = PlainHttpEndpoint::of(url_);
  if (endpoint && plain_client_allowed() && http_client.proxy_url.empty() &&
      !http_client.basic_auth) {
    // The request libcurl would send, built once.
    plain_request_head_ = fmt::format(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: metrics-collector/{}\r\nAccept: {}\r\n"
        "Accept-Encoding: gzip\r\n{}\r\n\r\n",
        endpoint->request_target, endpoint->authority, build_version(), kScrapeAcceptHeader,
        request_headers_[1]);
    plain_ = std::make_unique<PlainHttpConnection>(std::move(*endpoint));
  }
}

void HttpScraper::create_curl_handle() {
  // Made at the first transfer that needs it: a target of the plain client
  // never does, and a libcurl handle with its connection cache is some
  // kilobytes a target.
  handle_ = curl_easy_init();
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
  const std::string user_agent = fmt::format("metrics-collector/{}", build_version());
  curl_easy_setopt(handle_, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(handle_, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, "http,https");
  // libcurl reads a plain socket once per curl_multi_perform(), so its 16 KiB
  // default costs a poll and a perform per 16 KiB of page. 128 KiB takes a
  // 1,000-series node_exporter page (88 KB) in one read: about 3 fewer system
  // calls per scrape than 64 KiB, for a few KiB more RSS per target (at most
  // 64 KiB, touched only by pages that large; bench/scrape/README.md).
  curl_easy_setopt(handle_, CURLOPT_BUFFERSIZE, 128L * 1024);
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &HttpScraper::on_curl_body);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &HttpScraper::on_curl_header);
  curl_easy_setopt(handle_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, error_buffer_);
}

HttpScraper::~HttpScraper() {
  if (handle_ != nullptr) curl_easy_cleanup(handle_);
  if (connections_ != nullptr) curl_share_cleanup(connections_);  // after the handle that uses it
}

void HttpScraper::reset_transfer() {
  body_.clear();  // empty already when the last body was released
  response_space_out_ = false;
  reserve_after_head_ = 0;
  content_type_.clear();
  body_too_large_ = false;
  too_many_samples_ = false;
  sample_lines_.reset();
  newlines_ = 0;
  counting_newlines_ = false;
  counting_sample_lines_ = false;
  error_buffer_[0] = '\0';
  status_text_.clear();
  transfer_error_.clear();
  transfer_failure_reason_ = {};
  status_code_ = 0;
  plain_status_only_ = false;
  setup_error_ = Status::ok();
}

CURL* HttpScraper::prepare() {
  if (handle_ == nullptr) create_curl_handle();
  reset_transfer();
  setup_error_ = client_.apply(handle_, url_, request_headers_);
  if (!setup_error_) {
    // A URL of a protocol the handle refuses ends the transfer at once,
    // before any connection, and finish() reports setup_error_ instead.
    curl_easy_setopt(handle_, CURLOPT_URL, "file:///");
  }
  return handle_;
}

size_t HttpScraper::on_curl_body(char* data, size_t size, size_t count, void* self) {
  // 0 makes libcurl abort the transfer with CURLE_WRITE_ERROR.
  return static_cast<HttpScraper*>(self)->take_body(std::string_view(data, size * count))
             ? size * count
             : 0;
}

bool HttpScraper::within_limits(std::string_view before, std::string_view piece) {
  if (body_size_limit_ != 0 && before.size() + piece.size() > body_size_limit_) {
    body_too_large_ = true;
    return false;
  }
  if (sample_limit_ != 0) {
    // A sample line takes at least 4 bytes with its newline ("a 1\n"), so a
    // body cannot pass the limit before it holds 4 bytes a sample: only then
    // are newlines counted (the default limit of a million starts at 4 MB).
    if (!counting_newlines_) {
      if ((before.size() + piece.size() + 1) / 4 <= sample_limit_) return true;
      counting_newlines_ = true;
      newlines_ = count_newlines(before);
    }
    newlines_ += count_newlines(piece);
    // Newlines bound the sample lines (see count_newlines): the exact count
    // starts, over the body so far, only once they reach the limit.
    if (newlines_ >= sample_limit_) {
      if (!counting_sample_lines_) {
        sample_lines_.add(before);
        counting_sample_lines_ = true;
      }
      sample_lines_.add(piece);
      if (sample_lines_.count() > sample_limit_) {
        too_many_samples_ = true;
        return false;
      }
    }
  }
  return true;
}

bool HttpScraper::take_body(std::string_view piece) {
  if (!within_limits(body_.view(), piece)) return false;
  if (body_.capacity() < last_body_size_) {
    // Values change between scrapes and with them a page's length: a little
    // room keeps a slightly longer body from doubling the buffer.
    reserve_body_bytes(last_body_size_ + last_body_size_ / 16);
  }
  body_.append(piece);
  return true;
}

std::span<char> HttpScraper::response_space() {
  if (!last_body_by_length_ || last_body_size_ == 0) return {};
  // Room for the last page, a sixteenth more (values change, and lengths with
  // them) and its head, so the whole response arrives where it is parsed.
  constexpr size_t kHeadBytes = 4096;
  reserve_body_bytes(last_body_size_ + last_body_size_ / 16 + kHeadBytes);
  if (body_.capacity() == 0) return {};
  in_place_start_ = 0;
  response_space_out_ = true;
  return body_.extend(body_.capacity());
}

std::span<char> HttpScraper::body_space(size_t bytes) {
  // Past the limit the piece goes through on_body(), which says so.
  if (body_size_limit_ != 0 && body_.size() + bytes > body_size_limit_) return {};
  in_place_start_ = body_.size();
  return body_.extend(bytes);
}

bool HttpScraper::on_body_in_place(size_t skip, size_t bytes) {
  body_.truncate(in_place_start_ + skip + bytes);
  body_.drop_front(skip);  // a response's head, in front of its body
  if (response_space_out_) {
    response_space_out_ = false;
    if (reserve_after_head_ != 0) reserve_body_bytes(reserve_after_head_);
    reserve_after_head_ = 0;
  }
  if (bytes == 0) return true;
  const std::string_view body = body_.view();
  return within_limits(body.substr(0, in_place_start_), body.substr(in_place_start_));
}

bool HttpScraper::on_body(std::string_view piece) { return take_body(piece); }

bool HttpScraper::on_head(const HttpResponseReader& response) {
  status_code_ = response.status_code();
  if (client_.config().follow_redirects && is_redirect(status_code_) &&
      !response.location().empty()) {
    plain_redirected_ = true;  // libcurl follows it, now and from now on
    return false;
  }
  if (status_code_ != 200) {
    // The scrape fails on the status alone; its body would only be read to
    // keep the connection, at the cost of the body limits' verdicts.
    status_text_ = response.reason_phrase();
    plain_status_only_ = true;
    return false;
  }
  content_type_ = response.content_type();
  last_body_by_length_ = response.content_length() && !response.gzipped();
  if (last_body_by_length_) {
    if (response_space_out_) {
      reserve_after_head_ = *response.content_length();
    } else {
      reserve_body_bytes(*response.content_length());
    }
  }
  return true;
}

bool HttpScraper::start_plain(int epoll_fd, void* tag) {
  reset_transfer();
  auto authorization = client_.authorization_header();
  if (!authorization) {
    setup_error_ = authorization.status();
    return true;
  }
  std::string_view request = plain_request_head_;
  if (!authorization->empty()) {
    plain_request_ = plain_request_head_;
    plain_request_.insert(plain_request_.size() - 2, *authorization + "\r\n");
    request = plain_request_;
  }
  if (!plain_->start(epoll_fd, tag, request, *this)) return false;
  plain_ended();
  return true;
}

bool HttpScraper::on_plain_ready(uint32_t events) {
  if (!plain_->on_ready(events)) return false;
  plain_ended();
  return true;
}

void HttpScraper::on_plain_idle_event() { plain_->on_idle_event(); }

void HttpScraper::time_out_plain(Duration timeout) {
  const uint64_t received = plain_->bytes_received();
  plain_->abort();
  transfer_error_ =
      fmt::format("scrape timed out after {} ms with {} bytes received", timeout.count(), received);
  transfer_failure_reason_ = "timeout";
}

void HttpScraper::close_plain_connection() {
  if (plain_) plain_->close();
}

void HttpScraper::plain_ended() {
  if (!plain_->failed()) return;                      // status_code_ came with the head
  if (plain_->failure_reason() == "stopped") return;  // a limit, a status or a redirect said stop
  transfer_error_ = plain_->error();
  transfer_failure_reason_ = plain_->failure_reason();
}

void HttpScraper::release_body() {
  last_body_size_ = body_.size();
  body_.release();
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

size_t HttpScraper::on_curl_header(char* data, size_t size, size_t count, void* self) {
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

void HttpScraper::curl_done(CURLcode result) {
  if (result != CURLE_OK) {
    transfer_error_ = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(result);
    transfer_failure_reason_ = failure_reason_of(result);
    return;
  }
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status_code_);
}

ScrapeResponse HttpScraper::finish() {
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
    body_.release();  // do not keep the limit's worth of memory for this target
    return response;
  }
  if (too_many_samples_) {
    // Begins with the words ScrapeLoop uses when it counts a whole body's samples.
    response.status = Status::error(
        fmt::format("sample_limit exceeded: the target exposed more than the limit of {} samples "
                    "(the body was cut there)",
                    sample_limit_));
    response.failure_reason = "sample_limit";
    body_.release();
    return response;
  }
  if (!transfer_error_.empty()) {
    response.status = Status::error(transfer_error_);
    response.failure_reason = std::string(transfer_failure_reason_);
    return response;
  }
  const long status_code = status_code_;
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
  response.body = body_.view();
  response.content_type = content_type_;
  return response;
}

}  // namespace mc
