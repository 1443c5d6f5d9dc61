// HttpScraper: the HTTP side of scraping one target with a reusable libcurl
// easy handle (so connections are kept alive between scrapes).
//
// prepare() readies the handle for one transfer; the ScrapeScheduler runs it
// on its curl multi handle and calls finish() with the transfer's result. The
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

#include <string>
#include <string_view>
#include <vector>

#include "collector/http_client/http_client_setup.hpp"
#include "collector/scrape/sample_line_counter.hpp"
#include "collector/scrape/scrape_loop.hpp"
#include "collector/scrape/scrape_target.hpp"
#include "common/config/config.hpp"

namespace mc {

class HttpScraper {
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
  CURL* handle() const { return handle_; }
  // Bytes of (decoded) body received by the current transfer so far.
  size_t body_size() const { return body_.size(); }
  // Bytes reserved for the body (at most std::string's inline few once released).
  size_t body_capacity() const { return body_.capacity(); }
  // Builds the response from the finished transfer; its views point into this
  // object and stay valid until release_body() or the next prepare().
  ScrapeResponse finish(CURLcode result);
  // Frees the body once its response is processed: a page is held while it
  // arrives and is parsed, not between scrapes (kept, one page a target was 65
  // of the daemon's 640 B a series at 50 targets of 10,000 series,
  // bench/memory). Freed bodies go back to malloc, where the next target's
  // transfer finds them: Prometheus and vmagent pool theirs the same way.
  void release_body();

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* self);
  static size_t on_header(char* data, size_t size, size_t count, void* self);
  // Sizes the body buffer once from a Content-Length header, instead of
  // growing it while the body arrives.
  void reserve_body(std::string_view content_length);
  // Reserves `bytes` for the body, within the body size limit and a bound a
  // lying Content-Length cannot pass.
  void reserve_body_bytes(uint64_t bytes);

  CURL* handle_;
  HttpClientSetup client_;
  std::vector<std::string> request_headers_;
  Status setup_error_;             // from the last prepare()
  CURLSH* connections_ = nullptr;  // this target's connection cache (kept-alive connection)
  std::string url_;
  std::string body_;
  // The last body's size: without a Content-Length (a gzipped or chunked
  // body), the next body's buffer is sized from it, not grown by doubling.
  size_t last_body_size_ = 0;
  std::string content_type_;
  std::string status_text_;  // the final response's reason phrase
  uint64_t body_size_limit_;
  uint64_t sample_limit_;
  SampleLineCounter sample_lines_;  // runs once newlines_ reaches sample_limit_
  uint64_t newlines_ = 0;
  bool counting_sample_lines_ = false;
  bool body_too_large_ = false;
  bool too_many_samples_ = false;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace mc
