// HttpScraper's body buffer: a target's page is held while it arrives and is
// parsed, then released (issue 14: kept between scrapes, one page a target
// was 65 of the daemon's 640 B a series at 50 targets of 10,000 series). The
// next body, with or without a Content-Length, is read whole, and one
// without is sized from the last body instead of grown by doubling.
#include <curl/curl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "collector/scrape/http_scraper.hpp"
#include "common/config/config.hpp"
#include "exporter/gzip.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/loopback_listener.hpp"

namespace mc::test {
namespace http_scraper_body_test {

// A page of `series` lines, about 40 bytes each.
std::string page_of(int series) {
  std::string page = "# TYPE body_test_series gauge\n";
  for (int i = 0; i < series; ++i) {
    page += "body_test_series{index=\"" + std::to_string(i) + "\"} " + std::to_string(i) + "\n";
  }
  return page;
}

// One transfer as the scheduler runs it, on the scraper's own easy handle.
std::string scrape_once(HttpScraper& scraper) {
  CURL* handle = scraper.prepare();
  const CURLcode result = curl_easy_perform(handle);
  const ScrapeResponse response = scraper.finish(result);
  REQUIRE(response.status.is_ok());
  return std::string(response.body);
}

// Scrapes on the plain client, its socket in an epoll set of the test's, as
// the scheduler drives it.
class PlainScrapes {
 public:
  PlainScrapes() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) { REQUIRE(epoll_fd_ >= 0); }
  ~PlainScrapes() { close(epoll_fd_); }
  PlainScrapes(const PlainScrapes&) = delete;
  PlainScrapes& operator=(const PlainScrapes&) = delete;

  ScrapeResponse scrape(HttpScraper& scraper) {
    REQUIRE(scraper.uses_plain_client());
    bool ended = scraper.start_plain(epoll_fd_, &scraper);
    for (int waits = 0; !ended && waits < 100; ++waits) {  // 10 s at most
      epoll_event events[4];
      const int ready = epoll_wait(epoll_fd_, events, 4, 100);
      for (int i = 0; i < ready && !ended; ++i) ended = scraper.on_plain_ready(events[i].events);
    }
    REQUIRE(ended);
    return scraper.finish();
  }

 private:
  int epoll_fd_;
};

// A target on 127.0.0.1 that answers each request with the bytes it was
// given in one send() and keeps the connection unless told to close it, so
// the head and the start of the page arrive in the scraper's first read, as
// from an exporter (HttpTestServer sends the head and the body apart, and
// closes). One connection at a time.
class OneWriteTarget {
 public:
  OneWriteTarget() : thread_([this] { serve(); }) {}
  ~OneWriteTarget() {
    stopping_ = true;
    thread_.join();
  }
  OneWriteTarget(const OneWriteTarget&) = delete;
  OneWriteTarget& operator=(const OneWriteTarget&) = delete;

  std::string address() const { return listener_.address(); }
  // The bytes every request from now on gets.
  void answer(std::string response) {
    std::lock_guard lock(mutex_);
    response_ = std::move(response);
  }
  int connections() const { return connections_.load(); }

 private:
  static bool readable(int fd) {
    pollfd ready{fd, POLLIN, 0};
    return poll(&ready, 1, 50) > 0;
  }
  void serve() {
    while (!stopping_) {
      if (!readable(listener_.fd)) continue;
      const int fd = accept4(listener_.fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++connections_;
      serve_connection(fd);
      close(fd);
    }
  }
  void serve_connection(int fd) {
    std::string request;
    while (!stopping_) {
      if (!readable(fd)) continue;
      char buffer[4096];
      const ssize_t received = recv(fd, buffer, sizeof(buffer), 0);
      if (received <= 0) return;  // the scraper closed it
      request.append(buffer, static_cast<size_t>(received));
      for (size_t end = request.find("\r\n\r\n"); end != std::string::npos;
           end = request.find("\r\n\r\n")) {
        request.erase(0, end + 4);
        std::string response;
        {
          std::lock_guard lock(mutex_);
          response = response_;
        }
        for (size_t sent = 0; sent < response.size();) {
          const ssize_t wrote =
              send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
          if (wrote <= 0) return;
          sent += static_cast<size_t>(wrote);
        }
      }
    }
  }

  LoopbackListener listener_;  // before thread_, which serves it
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::string response_;
  std::thread thread_;
};

// A 200 response framed by its Content-Length.
std::string by_length(const std::string& page) {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: " +
         std::to_string(page.size()) + "\r\n\r\n" + page;
}

ScrapeConfig body_job() {
  ScrapeConfig job;
  job.job_name = "body";
  job.scrape_interval = std::chrono::seconds(10);
  job.scrape_timeout = std::chrono::seconds(10);
  return job;
}

ScrapeTarget target_at(const ScrapeConfig& job, const std::string& address) {
  return ScrapeTarget(job, address, {});
}

}  // namespace http_scraper_body_test

using http_scraper_body_test::body_job;
using http_scraper_body_test::by_length;
using http_scraper_body_test::OneWriteTarget;
using http_scraper_body_test::page_of;
using http_scraper_body_test::PlainScrapes;
using http_scraper_body_test::scrape_once;
using http_scraper_body_test::target_at;

TEST_CASE("a scrape body is released after its scrape and the next one is read whole",
          "[http_scraper]") {
  const std::string page = page_of(5000);
  HttpTestServer server;
  server.set_response("/metrics", TestResponse{.body = page});
  const ScrapeConfig job = body_job();
  HttpScraper scraper(target_at(job, server.address()), std::chrono::seconds(10), 0);
  for (int scrape = 0; scrape < 3; ++scrape) {
    CHECK(scrape_once(scraper) == page);
    // Sized from Content-Length: the page and no more.
    CHECK(scraper.body_capacity() >= page.size());
    CHECK(scraper.body_capacity() < page.size() + page.size() / 8);
    scraper.release_body();
    CHECK(scraper.body_capacity() <= std::string().capacity());
    CHECK(scraper.body_size() == 0);
  }
}

TEST_CASE("a body without Content-Length is sized from the last body, not doubled",
          "[http_scraper]") {
  const std::string page = page_of(5000);
  HttpTestServer server;
  // Chunked, 1,000 bytes a piece, no Content-Length.
  server.set_response("/metrics",
                      TestResponse{.body_pieces = [&page](uint64_t piece) -> std::string {
                        const size_t at = piece * 1000;
                        return at < page.size() ? page.substr(at, 1000) : std::string();
                      }});
  const ScrapeConfig job = body_job();
  HttpScraper scraper(target_at(job, server.address()), std::chrono::seconds(10), 0);
  CHECK(scrape_once(scraper) == page);
  scraper.release_body();
  CHECK(scraper.body_capacity() <= std::string().capacity());
  for (int scrape = 0; scrape < 2; ++scrape) {
    CHECK(scrape_once(scraper) == page);
    // The last body's size and a sixteenth: no doubling (up to twice the page).
    CHECK(scraper.body_capacity() >= page.size());
    CHECK(scraper.body_capacity() <= page.size() + page.size() / 16 + 16);
    scraper.release_body();
  }
}

TEST_CASE("a body over body_size_limit still fails after a released body", "[http_scraper]") {
  const std::string page = page_of(5000);
  HttpTestServer server;
  server.set_response("/metrics", TestResponse{.body = page});
  const ScrapeConfig job = body_job();
  HttpScraper scraper(target_at(job, server.address()), std::chrono::seconds(10), page.size());
  CHECK(scrape_once(scraper) == page);
  scraper.release_body();
  server.set_response("/metrics", TestResponse{.body = page + "one_more 1\n"});
  CURL* handle = scraper.prepare();
  const CURLcode result = curl_easy_perform(handle);
  const ScrapeResponse response = scraper.finish(result);
  CHECK_FALSE(response.status.is_ok());
  CHECK(response.failure_reason == "body_size");
  CHECK(scraper.body_capacity() <= std::string().capacity());
}

TEST_CASE("the plain client receives a page where it is parsed, whatever the next page is like",
          "[http_scraper]") {
  // After a page framed by its Content-Length, the next response is received
  // whole into the body buffer (sized from that page), its head dropped from
  // the front. Each page below differs from the last in length or framing.
  HttpTestServer server;
  const ScrapeConfig job = body_job();
  HttpScraper scraper(target_at(job, server.address()), std::chrono::seconds(10), 0);
  PlainScrapes plain;
  const auto expect_page = [&](const TestResponse& response, const std::string& page) {
    server.set_response("/metrics", response);
    const ScrapeResponse scraped = plain.scrape(scraper);
    REQUIRE(scraped.status.is_ok());
    CHECK(scraped.body == page);
    scraper.release_body();
  };
  const std::string page = page_of(2000);
  std::string gzipped;
  REQUIRE(gzip_compress(page_of(3000), gzipped).is_ok());
  expect_page(TestResponse{.body = page}, page);  // no earlier page: through the shared buffer
  {
    // The room for the whole response: the last page, a sixteenth, a head.
    const ScrapeResponse scraped = plain.scrape(scraper);
    REQUIRE(scraped.status.is_ok());
    CHECK(scraped.body == page);
    CHECK(scraper.body_capacity() >= page.size() + page.size() / 16);
    scraper.release_body();
  }
  expect_page(TestResponse{.body = page_of(6000)}, page_of(6000));  // longer than the room
  expect_page(TestResponse{.body = page_of(10)}, page_of(10));      // much shorter
  expect_page(TestResponse{.body = page}, page);
  expect_page(TestResponse{.body_pieces = [&page](uint64_t piece) -> std::string {
                return piece == 0 ? page : std::string();
              }},
              page);  // chunked after a page by length
  expect_page(TestResponse{.body = page}, page);
  expect_page(TestResponse{.body = gzipped, .content_encoding = "gzip"}, page_of(3000));
  expect_page(TestResponse{.body = page}, page);
  expect_page(TestResponse{.body = ""}, "");
  expect_page(TestResponse{.body = page}, page);

  // A failed status after a page by length fails on the status alone.
  server.set_response("/metrics", TestResponse{.status = 500, .body = page});
  const ScrapeResponse failed = plain.scrape(scraper);
  CHECK_FALSE(failed.status.is_ok());
  CHECK(failed.failure_reason == "http_status");
  scraper.release_body();
  expect_page(TestResponse{.body = page}, page);

  // A page cut short, received into the room of the whole response.
  server.set_response("/metrics", TestResponse{.body = page, .close_after_bytes = 1000});
  const ScrapeResponse cut = plain.scrape(scraper);
  CHECK_FALSE(cut.status.is_ok());
  CHECK(cut.failure_reason == "connection");
  scraper.release_body();
  expect_page(TestResponse{.body = page}, page);
}

TEST_CASE("a page that arrives with its head is read where it arrived, on a kept connection",
          "[http_scraper]") {
  OneWriteTarget target;
  const ScrapeConfig job = body_job();
  HttpScraper scraper(target_at(job, target.address()), std::chrono::seconds(10), 0);
  PlainScrapes plain;
  const auto expect_page = [&](const std::string& page) {
    const ScrapeResponse scraped = plain.scrape(scraper);
    REQUIRE(scraped.status.is_ok());
    CHECK(scraped.body == page);
  };
  const std::string page = page_of(2000);
  target.answer(by_length(page));
  expect_page(page);
  scraper.release_body();
  for (int scrape = 0; scrape < 3; ++scrape) {
    expect_page(page);
    // Received into the room for the whole response, the head dropped in front.
    CHECK(scraper.body_capacity() >= page.size() + page.size() / 16);
    scraper.release_body();
  }
  // Longer than the room: the rest arrives behind what came first.
  const std::string longer = page_of(7000);
  target.answer(by_length(longer));
  expect_page(longer);
  scraper.release_body();
  // An interim response in front of the final one, in the same read.
  target.answer("HTTP/1.1 100 Continue\r\n\r\n" + by_length(page));
  expect_page(page);
  scraper.release_body();
  CHECK(target.connections() == 1);

  // Bytes past the response: the page is read, the connection not kept.
  const std::string small = page_of(10);
  target.answer(by_length(small));
  expect_page(small);
  scraper.release_body();
  target.answer(by_length(small) + "HTTP/1.1 200 OK\r\n");
  expect_page(small);
  scraper.release_body();
  target.answer(by_length(small));
  expect_page(small);
  scraper.release_body();
  CHECK(target.connections() == 2);
}

TEST_CASE("a page read where it arrived keeps to sample_limit", "[http_scraper]") {
  OneWriteTarget target;
  const ScrapeConfig job = body_job();
  HttpScraper scraper(target_at(job, target.address()), std::chrono::seconds(10), 0,
                      /*sample_limit=*/100);
  PlainScrapes plain;
  const std::string page = page_of(50);
  target.answer(by_length(page));
  const ScrapeResponse first = plain.scrape(scraper);
  REQUIRE(first.status.is_ok());
  CHECK(first.body == page);
  scraper.release_body();
  target.answer(by_length(page_of(2000)));
  const ScrapeResponse over = plain.scrape(scraper);
  CHECK_FALSE(over.status.is_ok());
  CHECK(over.failure_reason == "sample_limit");
  scraper.release_body();
  target.answer(by_length(page));
  const ScrapeResponse again = plain.scrape(scraper);
  REQUIRE(again.status.is_ok());
  CHECK(again.body == page);
}

TEST_CASE("a page received whole into the body keeps to body_size_limit", "[http_scraper]") {
  const std::string page = page_of(5000);
  HttpTestServer server;
  server.set_response("/metrics", TestResponse{.body = page});
  const ScrapeConfig job = body_job();
  HttpScraper scraper(target_at(job, server.address()), std::chrono::seconds(10), page.size());
  PlainScrapes plain;
  const ScrapeResponse first = plain.scrape(scraper);
  REQUIRE(first.status.is_ok());
  CHECK(first.body == page);
  scraper.release_body();
  server.set_response("/metrics", TestResponse{.body = page + "one_more 1\n"});
  const ScrapeResponse over = plain.scrape(scraper);
  CHECK_FALSE(over.status.is_ok());
  CHECK(over.failure_reason == "body_size");
  scraper.release_body();
  server.set_response("/metrics", TestResponse{.body = page});
  const ScrapeResponse again = plain.scrape(scraper);
  REQUIRE(again.status.is_ok());
  CHECK(again.body == page);
}

}  // namespace mc::test
