// target_farm: K scrape targets in one process, for the side-by-side scrape
// benchmark (bench/scrape/compare.sh).
//
// Every scraper under test must see the same work, and the farm must cost
// little next to it. So one single-threaded epoll loop serves K ports on
// 127.0.0.1; each target's page is rendered once from a node_exporter page
// into fixed text pieces, and each request only writes fresh values between
// them (counters grow, gauges walk), so no scraper can skip a scrape as
// unchanged. Pages are sent uncompressed, whatever the scraper accepts.
//
// The same binary, started with --sink-port, is the minimal remote-write
// receiver vmagent needs: it reads each request and answers 204. It runs as a
// process of its own so that its CPU is reported apart from the farm's.
//
// GET /-/stats on any port answers the totals served so far (requests,
// samples, bytes), so the harness can cross-check what a scraper reports.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

volatile std::sig_atomic_t stop_requested = 0;

void request_stop(int) { stop_requested = 1; }

// xorshift64*: values only need to differ between scrapes, not to be good random numbers.
struct FastRandom {
  uint64_t state;
  uint64_t next() {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ULL;
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

// Integral values stay integral and others keep about as many digits as
// node_exporter writes, so the pages compress as real ones do.
enum class ValueKind { counter_integer, counter_float, gauge_integer, gauge_float };

struct TemplateSample {
  std::string text_before;  // comment lines of a new family, then "name{labels} "
  double initial_value;
  ValueKind kind;
};

struct ModelFamily {
  std::string comments;  // "# HELP" and "# TYPE" lines
  std::string type;
  std::vector<std::pair<std::string, double>> series;  // "name{labels}" and value
};

std::vector<ModelFamily> read_model_page(const std::string& path) {
  std::ifstream file(path);
  std::vector<ModelFamily> families;
  std::string line;
  bool last_was_sample = true;
  while (std::getline(file, line)) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (last_was_sample || families.empty()) families.emplace_back();
      last_was_sample = false;
      families.back().comments += line + '\n';
      if (line.starts_with("# TYPE ")) families.back().type = line.substr(line.rfind(' ') + 1);
      continue;
    }
    if (families.empty()) families.emplace_back();
    last_was_sample = true;
    auto space = line.rfind(' ');
    families.back().series.emplace_back(line.substr(0, space),
                                        std::strtod(line.c_str() + space + 1, nullptr));
  }
  return families;
}

// "name{a="b"}" with the label copy="n" added, so that copies are distinct series.
std::string with_copy_label(const std::string& series, int copy) {
  if (copy == 0) return series;
  std::string label = "farm_copy=\"" + std::to_string(copy) + "\"";
  if (series.back() == '}') return series.substr(0, series.size() - 1) + "," + label + "}";
  return series + "{" + label + "}";
}

ValueKind kind_of(const ModelFamily& family, const std::string& series, double value) {
  std::string_view name(series.data(), std::min(series.find('{'), series.size()));
  bool monotonic =
      family.type == "counter" || name.ends_with("_total") ||
      ((family.type == "summary" || family.type == "histogram") &&
       (name.ends_with("_count") || name.ends_with("_sum") || name.ends_with("_bucket")));
  bool integral = value == static_cast<double>(static_cast<int64_t>(value)) && value < 1e15;
  if (!monotonic) return integral ? ValueKind::gauge_integer : ValueKind::gauge_float;
  return integral ? ValueKind::counter_integer : ValueKind::counter_float;
}

// Exactly `series_wanted` series: whole copies of the model page, then single
// samples of counter, gauge and untyped families (any subset of those is a
// valid page) until the count is reached.
std::vector<TemplateSample> build_template(const std::vector<ModelFamily>& model,
                                           size_t series_wanted) {
  size_t model_series = 0;
  for (const auto& family : model) model_series += family.series.size();
  const size_t whole_copies = series_wanted / model_series;
  size_t remainder = series_wanted - whole_copies * model_series;

  std::vector<TemplateSample> samples;
  for (const auto& family : model) {
    bool splittable = family.type != "summary" && family.type != "histogram";
    size_t extra = 0;
    if (splittable && remainder > 0) {
      extra = std::min(remainder, family.series.size());
      remainder -= extra;
    }
    bool first = true;
    auto add = [&](const std::pair<std::string, double>& series, int copy) {
      TemplateSample sample;
      if (first) sample.text_before = family.comments;
      first = false;
      sample.text_before += with_copy_label(series.first, copy) + ' ';
      sample.initial_value = series.second;
      sample.kind = kind_of(family, series.first, series.second);
      samples.push_back(std::move(sample));
    };
    for (size_t copy = 0; copy < whole_copies; ++copy)
      for (const auto& series : family.series) add(series, static_cast<int>(copy));
    for (size_t i = 0; i < extra; ++i) add(family.series[i], static_cast<int>(whole_copies));
  }
  return samples;
}

// One target's page: shared template text, its own current values.
class TargetPage {
 public:
  TargetPage(const std::vector<TemplateSample>& layout, uint64_t seed)
      : layout_(&layout), random_{seed | 1} {
    values_.reserve(layout.size());
    for (const auto& sample : layout) values_.push_back(sample.initial_value);
  }

  void render_fresh(std::string& out) {
    out.clear();
    for (size_t i = 0; i < values_.size(); ++i) {
      const TemplateSample& sample = (*layout_)[i];
      double& value = values_[i];
      switch (sample.kind) {
        case ValueKind::counter_integer:
          value += static_cast<double>(1 + (random_.next() & 63));
          break;
        case ValueKind::counter_float:
          value += random_.unit() * (value > 1 ? value * 1e-3 : 1.0);
          break;
        case ValueKind::gauge_integer: {
          uint64_t bits = random_.next();
          double step = static_cast<double>(1 + (bits & 1));
          value += (bits & 2) && value >= step ? -step : step;
          break;
        }
        case ValueKind::gauge_float:
          value = value == 0 ? random_.unit() : value * (1.0 + (random_.unit() - 0.5) * 0.02);
          break;
      }
      out += sample.text_before;
      char number[32];
      bool integral =
          sample.kind == ValueKind::counter_integer || sample.kind == ValueKind::gauge_integer;
      auto [end, ec] = integral ? std::to_chars(number, number + sizeof number, value)
                                : std::to_chars(number, number + sizeof number, value,
                                                std::chars_format::general, 9);
      out.append(number, end);
      out += '\n';
    }
  }

  size_t series() const { return values_.size(); }

 private:
  const std::vector<TemplateSample>* layout_;
  std::vector<double> values_;
  FastRandom random_;
};

struct Totals {
  uint64_t requests = 0;
  uint64_t samples = 0;
  uint64_t bytes = 0;
};

struct Connection {
  int fd = -1;
  int target = -1;  // -1: the sink port
  std::string input;
  std::string output;
  size_t output_sent = 0;
  bool close_after_write = false;
};

int listen_on(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(fd, 512) != 0) {
    std::fprintf(stderr, "target_farm: cannot listen on 127.0.0.1:%u: %s\n", port,
                 std::strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

std::string header_value(std::string_view head, std::string_view name) {
  size_t position = 0;
  while ((position = head.find("\r\n", position)) != std::string_view::npos) {
    position += 2;
    if (head.size() - position < name.size() + 1) break;
    if (strncasecmp(head.data() + position, name.data(), name.size()) == 0 &&
        head[position + name.size()] == ':') {
      size_t start = position + name.size() + 1;
      size_t end = head.find("\r\n", start);
      std::string_view value = head.substr(start, end - start);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return std::string(value);
    }
  }
  return {};
}

class Farm {
 public:
  Farm(std::vector<TemplateSample> layout, int targets, uint64_t seed)
      : layout_(std::move(layout)) {
    for (int i = 0; i < targets; ++i)
      pages_.emplace_back(layout_, seed + 0x9e3779b97f4a7c15ULL * (i + 1));
  }

  // Handles every complete request in the connection's input; false to close.
  bool handle_requests(Connection& connection) {
    for (;;) {
      size_t head_end = connection.input.find("\r\n\r\n");
      if (head_end == std::string::npos) return connection.input.size() < 65536;
      std::string_view head(connection.input.data(), head_end + 2);
      std::string length_text = header_value(head, "Content-Length");
      size_t body_length =
          length_text.empty() ? 0 : std::strtoull(length_text.c_str(), nullptr, 10);
      size_t request_length = head_end + 4 + body_length;
      if (connection.input.size() < request_length) return true;
      std::string connection_header = header_value(head, "Connection");
      if (strncasecmp(connection_header.c_str(), "close", 5) == 0 ||
          head.find(" HTTP/1.0\r\n") != std::string_view::npos)
        connection.close_after_write = true;

      size_t method_end = head.find(' ');
      size_t path_end = head.find(' ', method_end + 1);
      std::string_view method = head.substr(0, method_end);
      std::string_view path = head.substr(method_end + 1, path_end - method_end - 1);
      respond(connection, method, path, body_length);
      connection.input.erase(0, request_length);
    }
  }

  size_t series_per_target() const { return layout_.size(); }

 private:
  void respond(Connection& connection, std::string_view method, std::string_view path,
               size_t body_length) {
    ++totals_.requests;
    if (connection.target < 0) {  // the remote-write sink
      totals_.bytes += body_length;
      connection.output += "HTTP/1.1 204 No Content\r\n\r\n";
      return;
    }
    std::string_view route = path.substr(0, path.find('?'));
    if (method == "GET" && route == "/metrics") {
      --totals_.requests;  // counted below with its samples
      TargetPage& page = pages_[connection.target];
      page.render_fresh(body_);
      ++totals_.requests;
      totals_.samples += page.series();
      totals_.bytes += body_.size();
      write_response(connection, "200 OK", "text/plain; version=0.0.4; charset=utf-8", body_);
    } else if (method == "GET" && route == "/-/stats") {
      --totals_.requests;  // the harness's own look is not a scrape
      std::string stats = "requests " + std::to_string(totals_.requests) + "\nsamples " +
                          std::to_string(totals_.samples) + "\nbytes " +
                          std::to_string(totals_.bytes) + "\n";
      write_response(connection, "200 OK", "text/plain", stats);
    } else {
      --totals_.requests;
      write_response(connection, "404 Not Found", "text/plain", "not found\n");
    }
  }

  static void write_response(Connection& connection, std::string_view status,
                             std::string_view content_type, std::string_view body) {
    std::string& out = connection.output;
    out += "HTTP/1.1 ";
    out += status;
    out += "\r\nContent-Type: ";
    out += content_type;
    out += "\r\nContent-Length: ";
    out += std::to_string(body.size());
    out += "\r\n\r\n";
    out += body;
  }

  std::vector<TemplateSample> layout_;
  std::vector<TargetPage> pages_;
  std::string body_;

 public:
  Totals totals_;
};

struct Options {
  int targets = 0;
  size_t series = 1000;
  uint16_t base_port = 0;
  uint16_t sink_port = 0;
  std::string page_path;
  uint64_t seed = 1;
};

bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto eq = arg.find('=');
    if (!arg.starts_with("--") || eq == std::string_view::npos) return false;
    std::string_view name = arg.substr(2, eq - 2);
    std::string value(arg.substr(eq + 1));
    if (name == "targets") {
      options.targets = std::atoi(value.c_str());
    } else if (name == "series") {
      options.series = std::strtoull(value.c_str(), nullptr, 10);
    } else if (name == "base-port") {
      options.base_port = static_cast<uint16_t>(std::atoi(value.c_str()));
    } else if (name == "sink-port") {
      options.sink_port = static_cast<uint16_t>(std::atoi(value.c_str()));
    } else if (name == "page") {
      options.page_path = value;
    } else if (name == "seed") {
      options.seed = std::strtoull(value.c_str(), nullptr, 10);
    } else {
      return false;
    }
  }
  if (options.sink_port != 0) return options.targets == 0;
  return options.targets > 0 && options.series > 0 && options.base_port > 0 &&
         !options.page_path.empty() && options.base_port + options.targets <= 65536;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: target_farm --targets=K --series=M --base-port=P --page=FILE [--seed=N]\n"
                 "       target_farm --sink-port=P   (remote-write receiver: answers 204)\n"
                 "Serves K targets on 127.0.0.1:P..P+K-1, each /metrics with M series whose\n"
                 "values change on every request; GET /-/stats gives the totals served.\n");
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGTERM, request_stop);
  std::signal(SIGINT, request_stop);

  std::vector<TemplateSample> layout;
  if (options.sink_port == 0) {
    auto model = read_model_page(options.page_path);
    if (model.empty()) {
      std::fprintf(stderr, "target_farm: no samples in %s\n", options.page_path.c_str());
      return 1;
    }
    layout = build_template(model, options.series);
  }
  Farm farm(std::move(layout), options.targets, options.seed);

  int epoll = epoll_create1(EPOLL_CLOEXEC);
  // Listening sockets are told apart from connections by this map.
  std::unordered_map<int, int> listener_target;
  auto add_listener = [&](uint16_t port, int target) {
    int fd = listen_on(port);
    if (fd < 0) return false;
    listener_target[fd] = target;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
    return true;
  };
  if (options.sink_port != 0) {
    if (!add_listener(options.sink_port, -1)) return 1;
  } else {
    for (int i = 0; i < options.targets; ++i)
      if (!add_listener(static_cast<uint16_t>(options.base_port + i), i)) return 1;
  }
  std::printf("ready targets=%d series_per_target=%zu\n", options.targets,
              farm.series_per_target());
  std::fflush(stdout);

  std::unordered_map<int, std::unique_ptr<Connection>> connections;
  auto close_connection = [&](int fd) {
    epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    connections.erase(fd);
  };
  // Writes what it can; asks for EPOLLOUT while output is left. False when closed.
  auto flush_output = [&](Connection& connection) {
    while (connection.output_sent < connection.output.size()) {
      ssize_t sent = send(connection.fd, connection.output.data() + connection.output_sent,
                          connection.output.size() - connection.output_sent, MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        return false;
      }
      connection.output_sent += static_cast<size_t>(sent);
    }
    bool pending = connection.output_sent < connection.output.size();
    if (!pending) {
      connection.output.clear();
      connection.output_sent = 0;
      if (connection.close_after_write) return false;
    }
    epoll_event event{};
    event.events = EPOLLIN | (pending ? EPOLLOUT : 0u);
    event.data.fd = connection.fd;
    epoll_ctl(epoll, EPOLL_CTL_MOD, connection.fd, &event);
    return true;
  };

  std::vector<epoll_event> events(256);
  std::vector<char> buffer(1 << 16);
  while (!stop_requested) {
    int ready = epoll_wait(epoll, events.data(), static_cast<int>(events.size()), 500);
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < ready; ++i) {
      int fd = events[i].data.fd;
      if (auto listener = listener_target.find(fd); listener != listener_target.end()) {
        for (;;) {
          int client = accept4(fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (client < 0) break;
          int one = 1;
          setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          auto connection = std::make_unique<Connection>();
          connection->fd = client;
          connection->target = listener->second;
          epoll_event event{};
          event.events = EPOLLIN;
          event.data.fd = client;
          epoll_ctl(epoll, EPOLL_CTL_ADD, client, &event);
          connections[client] = std::move(connection);
        }
        continue;
      }
      auto found = connections.find(fd);
      if (found == connections.end()) continue;
      Connection& connection = *found->second;
      bool keep = true;
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        for (;;) {
          ssize_t got = recv(fd, buffer.data(), buffer.size(), 0);
          if (got > 0) {
            connection.input.append(buffer.data(), static_cast<size_t>(got));
            continue;
          }
          if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) keep = false;
          break;
        }
        // A request that came whole is answered even if the peer then closed its side.
        if (!farm.handle_requests(connection)) keep = false;
      }
      if (!connection.output.empty() && !flush_output(connection)) keep = false;
      if (!keep) close_connection(fd);
    }
  }
  std::printf("served requests=%llu samples=%llu bytes=%llu\n",
              static_cast<unsigned long long>(farm.totals_.requests),
              static_cast<unsigned long long>(farm.totals_.samples),
              static_cast<unsigned long long>(farm.totals_.bytes));
  return 0;
}
