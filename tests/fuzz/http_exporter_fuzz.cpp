// Fuzz target: the exporter's request handling end to end. One Exporter (over a
// HeadStorage holding a few series) listens on 127.0.0.1 for the whole fuzzing
// process; each input becomes one HTTP request on a fresh connection:
//   byte 0        the method (GET, HEAD, POST, ...)
//   line 1        the request target: path and query string, any bytes but CR/LF
//   later lines   header lines, sent as they are ("Accept: ...", or anything)
//   an empty line ends the headers; what follows is the body, with a
//                 Content-Length added when the headers have none
// Besides the built-in pages, the exporter serves a route registered from
// outside ("/api/v1/*", GET and POST, as the query API will be) that echoes
// the parameters it got, so the form decoding and prefix routing are fuzzed.
// The exporter must answer every request with a status line; a crash, a
// sanitizer report or a hang (libFuzzer's -timeout) is a finding.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include <prometheus/registry.h>

#include "common/model/labels.hpp"
#include "common/store/head_storage.hpp"
#include "exporter/exporter.hpp"
#include "tests/fuzz/quiet_logs.hpp"

namespace {

struct RunningExporter {
  mc::HeadStorage storage;
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  std::unique_ptr<mc::Exporter> exporter;

  RunningExporter() {
    mc::fuzz::quiet_logs();
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    auto appender = storage.appender();
    const mc::MetricMetadata metadata{"requests", mc::MetricType::counter, "Requests \"served\".",
                                      ""};
    for (int i = 0; i < 3; ++i) {
      auto appended = appender->append(0,
                                       mc::Labels({{"__name__", "requests_total"},
                                                   {"code", std::to_string(200 + i)},
                                                   {"path", "/a\\b\n\"c\""}}),
                                       now, i * 1.5);
      appender->update_metadata(appended.ref, metadata);
    }
    (void)appender->append(0, mc::Labels({{"__name__", "untyped_thing"}}), now, -0.0);
    if (!appender->commit().is_ok()) std::abort();

    mc::ExporterOptions options;
    options.listen_address = "127.0.0.1:0";
    options.worker_threads = 2;
    options.external_labels = {{"cluster", "fuzz"}};
    mc::Route api;
    api.pattern = "/api/v1/*";
    api.get = [](const mc::HttpRequest& request) {
      std::string body(request.path_suffix);
      for (const auto& [name, value] : request.params.all()) body += "\n" + name + "=" + value;
      return mc::HttpResponse::text(200, body);
    };
    api.post = api.get;
    options.routes.push_back(std::move(api));
    auto started = mc::Exporter::start(options, storage, registry);
    if (!started) std::abort();
    exporter = std::move(started).value();
    exporter->set_ready(true);
  }
};

constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"};

std::string build_request(std::string_view input) {
  std::string request;
  if (input.empty()) return "GET / HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n";
  request += kMethods[static_cast<unsigned char>(input.front()) % std::size(kMethods)];
  input.remove_prefix(1);
  const size_t end_of_target = input.find('\n');
  std::string target(input.substr(0, end_of_target));
  std::erase(target, '\r');
  if (target.empty() || target.front() != '/') target.insert(0, "/");
  request += " " + target + " HTTP/1.1\r\nHost: fuzz\r\n";
  input = end_of_target == std::string_view::npos ? "" : input.substr(end_of_target + 1);
  bool has_length = false;
  while (!input.empty()) {
    const size_t end = input.find('\n');
    std::string line(input.substr(0, end));
    input = end == std::string_view::npos ? "" : input.substr(end + 1);
    std::erase(line, '\r');
    if (line.empty()) break;  // the body follows
    has_length = has_length || line.starts_with("Content-Length:");
    request += line + "\r\n";
  }
  if (!input.empty() && !has_length) {
    request += "Content-Length: " + std::to_string(input.size()) + "\r\n";
  }
  request += "Connection: close\r\n\r\n";
  request += input;
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static RunningExporter running;
  const std::string request =
      build_request(std::string_view(reinterpret_cast<const char*>(data), size));

  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) std::abort();
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(running.exporter->port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) std::abort();
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early on a request it refuses
    sent += static_cast<size_t>(n);
  }
  // The end of the request: a Content-Length promising more body (or a
  // request cut short) must not leave the server waiting for bytes that never
  // come, which would turn every such input into a libFuzzer timeout.
  shutdown(fd, SHUT_WR);
  std::string response;
  char buffer[16384];
  for (ssize_t n; (n = recv(fd, buffer, sizeof(buffer), 0)) > 0;) response.append(buffer, n);
  close(fd);
  return 0;
}
