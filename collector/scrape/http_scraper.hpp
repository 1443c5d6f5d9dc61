// HttpScraper: the HTTP side of scraping one target, its connection kept
// alive between scrapes, by one of two clients:
//
// - An http:// target whose host is an IP address, with no proxy and no
//   basic_auth, goes through a client of our own (PlainHttpConnection): one
//   send and, for most pages, one recv a scrape, its socket in the
//   scheduler's epoll set. A redirect to follow hands the target to libcurl
//   from then on. MC_SCRAPE_HTTP_CLIENT=libcurl in the environment sends
//   every target through libcurl instead (a comparison, an escape hatch).
// - Every other target (TLS, names to resolve, proxies) uses a libcurl easy
//   handle: prepare() readies it for one transfer, the ScrapeScheduler runs
//   it on its curl multi handle and hands the result to curl_done().
//
// Either way finish() builds the response. The
// request carries the OpenMetrics-first Accept header, accepts gzip (libcurl
// decodes it), sends X-Prometheus-Scrape-Timeout-Seconds as Prometheus does,
// and enforces the scrape timeout and the body size limit (on the decoded
// body, as Prometheus's body_size_limit; a larger body fails the scrape as
// soon as the limit is passed, so it is never held whole). It also counts the
// sample lines as they arrive and stops at sample_limit: a target with millions
// of series fails there, after reading only the limit's worth of lines.
//
// The job's HttpClientConfig (TLS, authentication, proxy, redirects, HTTP/2)
// is applied before each scrape (collector/http_client), so a rotated token or
// certificate file is used at the next scrape. A status other than 200 fails
// the scrape in Prometheus's words ("server returned HTTP status 401
// Unauthorized").
//
// Thread-safety: not thread-safe; one transfer at a time.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collector/http_client/http_client_setup.hpp"
#include "collector/http_client/plain_http_connection.hpp"
#include "collector/scrape/sample_line_counter.hpp"
#include "collector/scrape/scrape_body_buffer.hpp"
#include "collector/scrape/scrape_loop.hpp"
#include "collector/scrape/scrape_target.hpp"
#include "common/config/config.hpp"

namespace mc {

class HttpScraper : private HttpResponseSink {
 public:
  // `body_size_limit`: bytes of (decoded) body to accept; `sample_limit`:
  // sample lines to accept (ScrapeLoop checks the exact count); 0 for no limit.
  HttpScraper(const ScrapeTarget& target, Duration timeout, uint64_t body_size_limit,
              uint64_t sample_limit = 0, const HttpClientConfig& http_client = {});
  ~HttpScraper();
  HttpScraper(const HttpScraper&) = delete;
  HttpScraper& operator=(const HttpScraper&) = delete;

  // Clears the buffers, applies the HTTP client settings and returns the easy
  // handle to add to a multi handle. When the settings cannot be applied (a
  // password file that cannot be read) the transfer fails at once, without
  // a request, and finish() reports why.
  CURL* prepare();
  // The handle prepare() readied (null before the first prepare()).
  CURL* handle() const { return handle_; }
  // libcurl's transfer of prepare()'s handle ended with `result`.
  void curl_done(CURLcode result);

  // Whether the next scrape goes through the plain client, not prepare().
  bool uses_plain_client() const { return plain_ != nullptr && !plain_redirected_; }
  // Starts a scrape on the plain client, its socket waiting in `epoll_fd`
  // under `tag`. True when it ended already; otherwise on_plain_ready() gets
  // the socket's events until it returns true.
  bool start_plain(int epoll_fd, void* tag);
  bool on_plain_ready(uint32_t events);
  // An event of the kept connection between scrapes (the server closed it).
  void on_plain_idle_event();
  // Ends the plain scrape under way at its timeout; finish() says so.
  void time_out_plain(Duration timeout);
  // Closes the plain client's kept connection (the scheduler stops, or lets
  // the target go).
  void close_plain_connection();
  // Whether the plain scrape that ended was a redirect to follow: it is done
  // again through prepare(), as is every later scrape of the target.
  bool plain_needs_libcurl() const { return plain_redirected_; }

  // Bytes of (decoded) body received by the current transfer so far.
  size_t body_size() const { return body_.size(); }
  // Bytes reserved for the body (at most std::string's inline few once released).
  size_t body_capacity() const { return body_.capacity(); }
  // Builds the response from the ended transfer (either client); its views
  // point into this object and stay valid until release_body() or the next
  // prepare() or start_plain().
  ScrapeResponse finish();
  ScrapeResponse finish(CURLcode result) {
    curl_done(result);
    return finish();
  }
  // Frees the body once its response is processed: a page is held while it
  // arrives and is parsed, not between scrapes (kept, one page a target was 65
  // of the daemon's 640 B a series at 50 targets of 10,000 series,
  // bench/memory). Freed bodies go back to malloc, where the next target's
  // transfer finds them: Prometheus and vmagent pool theirs the same way.
  void release_body();

 private:
  static size_t on_curl_body(char* data, size_t size, size_t count, void* self);
  static size_t on_curl_header(char* data, size_t size, size_t count, void* self);
  // HttpResponseSink, for the plain client.
  bool on_head(const HttpResponseReader& response) override;
  bool on_body(std::string_view piece) override;
  std::span<char> response_space() override;
  std::span<char> body_space(size_t bytes) override;
  bool on_body_in_place(size_t skip, size_t bytes) override;
  // Whether `piece`, after `before`, keeps the body within the body size and
  // sample limits; false (and the limit's flag set) when it must stop.
  bool within_limits(std::string_view before, std::string_view piece);
  // Appends a piece of decoded body within the body size and sample limits;
  // false (and the limit's flag set) when it must stop.
  bool take_body(std::string_view piece);
  // Readies the per-scrape state for a new transfer.
  void reset_transfer();
  void create_curl_handle();
  // The plain client's request ended: its outcome, in finish()'s terms.
  void plain_ended();
  // Sizes the body buffer once from a Content-Length header, instead of
  // growing it while the body arrives.
  void reserve_body(std::string_view content_length);
  // Reserves `bytes` for the body, within the body size limit and a bound a
  // lying Content-Length cannot pass.
  void reserve_body_bytes(uint64_t bytes);

  CURL* handle_ = nullptr;  // made by the first prepare()
  HttpClientSetup client_;
  std::vector<std::string> request_headers_;
  Status setup_error_;             // from the last prepare()
  CURLSH* connections_ = nullptr;  // this target's connection cache (kept-alive connection)
  std::string url_;
  ScrapeBodyBuffer body_;
  size_t in_place_start_ = 0;  // where the last body_space() began
  // A response_space() is out: the body must not move until it comes back,
  // so the head's Content-Length is reserved for only then.
  bool response_space_out_ = false;
  uint64_t reserve_after_head_ = 0;
  // The last plain response's body came by its Content-Length, not encoded:
  // the next one is guessed to, and received whole into the body.
  bool last_body_by_length_ = false;
  // The last body's size: without a Content-Length (a gzipped or chunked
  // body), the next body's buffer is sized from it, not grown by doubling.
  size_t last_body_size_ = 0;
  std::string content_type_;
  std::string status_text_;  // the final response's reason phrase
  uint64_t body_size_limit_;
  uint64_t sample_limit_;
  Duration timeout_;
  SampleLineCounter sample_lines_;  // runs once newlines_ reaches sample_limit_
  uint64_t newlines_ = 0;
  bool counting_newlines_ = false;  // the body is large enough to pass sample_limit
  bool counting_sample_lines_ = false;
  bool body_too_large_ = false;
  bool too_many_samples_ = false;
  char error_buffer_[CURL_ERROR_SIZE] = {};

  // The transfer's outcome, from either client: an error (with its failure
  // reason) or the response's status code.
  std::string transfer_error_;
  std::string_view transfer_failure_reason_;
  long status_code_ = 0;

  // The plain client: null when the target needs libcurl.
  std::unique_ptr<PlainHttpConnection> plain_;
  std::string plain_request_head_;  // the whole request without an Authorization line
  std::string plain_request_;       // with it, when the job has one
  bool plain_redirected_ = false;
  bool plain_status_only_ = false;  // a status other than 200: its body is not read
};

}  // namespace mc
