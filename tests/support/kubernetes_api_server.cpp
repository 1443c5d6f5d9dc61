#include "tests/support/kubernetes_api_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

namespace mc::test {

namespace {

struct Target {
  std::string resource;
  std::string ns;
  std::map<std::string, std::string> query;
};

// "/api/v1/namespaces/default/pods?watch=1&..." -> pods, default, {watch: 1}.
Target parse_target(const std::string& target) {
  Target parsed;
  size_t question = target.find('?');
  std::string path = target.substr(0, question);
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (!segments.empty()) parsed.resource = segments.back();
  for (size_t i = 0; i + 1 < segments.size(); ++i) {
    if (segments[i] == "namespaces") parsed.ns = segments[i + 1];
  }
  if (question != std::string::npos) {
    std::string query = target.substr(question + 1);
    size_t at = 0;
    while (at < query.size()) {
      size_t amp = query.find('&', at);
      if (amp == std::string::npos) amp = query.size();
      std::string pair = query.substr(at, amp - at);
      size_t equals = pair.find('=');
      parsed.query[pair.substr(0, equals)] =
          equals == std::string::npos ? "" : pair.substr(equals + 1);
      at = amp + 1;
    }
  }
  return parsed;
}

std::string list_kind(const std::string& resource) {
  if (resource == "pods") return "PodList";
  if (resource == "services") return "ServiceList";
  if (resource == "endpoints") return "EndpointsList";
  if (resource == "endpointslices") return "EndpointSliceList";
  if (resource == "nodes") return "NodeList";
  if (resource == "ingresses") return "IngressList";
  return "List";
}

std::string api_version(const std::string& resource) {
  if (resource == "endpointslices") return "discovery.k8s.io/v1";
  if (resource == "ingresses") return "networking.k8s.io/v1";
  return "v1";
}

std::string status_json(int code, const std::string& reason, const std::string& message) {
  return fmt::format(R"({{"kind":"Status","apiVersion":"v1","metadata":{{}},"status":"Failure",)"
                     R"("message":"{}","reason":"{}","code":{}}})",
                     message, reason, code);
}

std::string reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 410:
      return "Gone";
    default:
      return "Error";
  }
}

bool ssl_write_all(SSL* ssl, std::string_view data) {
  while (!data.empty()) {
    int written = SSL_write(ssl, data.data(), static_cast<int>(data.size()));
    if (written <= 0) return false;
    data.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

bool send_reply(SSL* ssl, int status, const std::string& body) {
  std::string head = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n"
      "Connection: close\r\n\r\n",
      status, reason_phrase(status), body.size());
  return ssl_write_all(ssl, head + body);
}

bool send_chunk(SSL* ssl, const std::string& data) {
  return ssl_write_all(ssl, fmt::format("{:x}\r\n{}\r\n", data.size(), data));
}

bool send_stream_head(SSL* ssl) {
  return ssl_write_all(ssl,
                       "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
}

std::string expired_event(uint64_t asked, uint64_t oldest) {
  return fmt::format(R"({{"type":"ERROR","object":{}}})",
                     status_json(410, "Expired",
                                 fmt::format("too old resource version: {} ({})", asked, oldest))) +
         "\n";
}

}  // namespace

KubernetesApiServer::KubernetesApiServer(const TestCertificates& certificates, std::string token)
    : token_(std::move(token)) {
  // OpenSSL writes with write(2): a client that hangs up mid-stream must not
  // kill the test process with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  context_ = SSL_CTX_new(TLS_server_method());
  if (context_ == nullptr ||
      SSL_CTX_use_certificate_chain_file(context_, certificates.server_cert.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(context_, certificates.server_key.c_str(), SSL_FILETYPE_PEM) !=
          1) {
    throw std::runtime_error("KubernetesApiServer: cannot load the server certificate");
  }
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (listen_fd_ < 0 ||
      ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    throw std::runtime_error("KubernetesApiServer: cannot listen on 127.0.0.1");
  }
  socklen_t length = sizeof(address);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

KubernetesApiServer::~KubernetesApiServer() {
  stopping_ = true;
  changed_.notify_all();
  acceptor_.join();
  std::vector<std::thread> connections;
  {
    std::lock_guard lock(mutex_);
    connections.swap(connections_);
  }
  for (auto& connection : connections) connection.join();
  ::close(listen_fd_);
  SSL_CTX_free(context_);
}

void KubernetesApiServer::accept_loop() {
  while (!stopping_) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (::poll(&waiting, 1, 50) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    connections_.emplace_back([this, fd] {
      SSL* ssl = SSL_new(context_);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) == 1) {
        serve(ssl);
        SSL_shutdown(ssl);
      }
      SSL_free(ssl);
      ::close(fd);
    });
  }
}

void KubernetesApiServer::serve(SSL* ssl) {
  std::string head;
  char buffer[4096];
  // Bounded: a request head is small.
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
    int got = SSL_read(ssl, buffer, sizeof(buffer));
    if (got <= 0) return;
    head.append(buffer, static_cast<size_t>(got));
  }
  size_t line_end = head.find("\r\n");
  std::string request_line = head.substr(0, line_end);
  size_t first_space = request_line.find(' ');
  size_t second_space = request_line.find(' ', first_space + 1);
  std::string target = request_line.substr(first_space + 1, second_space - first_space - 1);
  std::string authorization;
  size_t at = line_end + 2;
  while (at < head.size()) {
    size_t end = head.find("\r\n", at);
    if (end == std::string::npos || end == at) break;
    std::string line = head.substr(at, end - at);
    std::string lower = line;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower.starts_with("authorization:")) {
      authorization = line.substr(14);
      authorization.erase(0, authorization.find_first_not_of(' '));
    }
    at = end + 2;
  }

  Target parsed = parse_target(target);
  bool authorized;
  {
    std::lock_guard lock(mutex_);
    authorized = authorization == "Bearer " + token_;
    requests_.push_back(Request{target, authorization, authorized ? 200 : 401});
  }
  if (!authorized) {
    send_reply(ssl, 401, status_json(401, "Unauthorized", "Unauthorized"));
    return;
  }
  if (parsed.query.contains("watch")) {
    uint64_t from =
        std::stoull(parsed.query["resourceVersion"].empty() ? std::string("0")
                                                            : parsed.query["resourceVersion"]);
    serve_watch(ssl, parsed.resource, parsed.ns, from);
  } else {
    serve_list(ssl, parsed.resource, parsed.ns);
  }
}

std::string KubernetesApiServer::with_version(const std::string& json, uint64_t version) const {
  std::string out = json;
  const std::string marker = "\"metadata\":{";
  size_t at = out.find(marker);
  if (at == std::string::npos) return out;
  at += marker.size();
  std::string field = fmt::format("\"resourceVersion\":\"{}\"", version);
  if (at < out.size() && out[at] != '}') field += ",";
  out.insert(at, field);
  return out;
}

void KubernetesApiServer::serve_list(SSL* ssl, const std::string& resource, const std::string& ns) {
  std::string items;
  uint64_t version;
  bool garble = false;
  {
    std::lock_guard lock(mutex_);
    version = version_;
    if (garbled_lists_ > 0) {
      --garbled_lists_;
      garble = true;
    }
    for (const Object& object : objects_) {
      if (object.resource != resource || (!ns.empty() && object.ns != ns)) continue;
      if (!items.empty()) items += ",";
      items += with_version(object.json, object.version);
    }
  }
  std::string body =
      fmt::format(R"({{"kind":"{}","apiVersion":"{}","metadata":{{"resourceVersion":"{}"}},)"
                  R"("items":[{}]}})",
                  list_kind(resource), api_version(resource), version, items);
  if (garble) body.resize(body.size() / 2);
  send_reply(ssl, 200, body);
}

void KubernetesApiServer::serve_watch(SSL* ssl, const std::string& resource, const std::string& ns,
                                      uint64_t from_version) {
  uint64_t sent = from_version;
  uint64_t close_generation, expire_generation, bookmark_generation, garbage_generation;
  {
    std::unique_lock lock(mutex_);
    if (from_version < oldest_valid_) {
      uint64_t oldest = oldest_valid_;
      bool as_status = gone_as_http_status_;
      lock.unlock();
      if (as_status) {
        send_reply(
            ssl, 410,
            status_json(410, "Expired",
                        fmt::format("too old resource version: {} ({})", from_version, oldest)));
      } else if (send_stream_head(ssl) && send_chunk(ssl, expired_event(from_version, oldest))) {
        ssl_write_all(ssl, "0\r\n\r\n");
      }
      return;
    }
    close_generation = close_generation_;
    expire_generation = expire_generation_;
    bookmark_generation = bookmark_generation_;
    garbage_generation = garbage_generation_;
  }
  if (!send_stream_head(ssl)) return;
  ++open_watches_;
  // Bounded by the server's life and by the generations a test bumps.
  while (!stopping_) {
    std::vector<std::string> out;
    bool end = false;
    {
      std::unique_lock lock(mutex_);
      for (const Event& event : events_) {
        if (event.version <= sent || event.resource != resource) continue;
        if (!ns.empty() && event.ns != ns) continue;
        out.push_back(fmt::format(R"({{"type":"{}","object":{}}})", event.type, event.json) + "\n");
        sent = event.version;
      }
      if (garbage_generation != garbage_generation_) {
        garbage_generation = garbage_generation_;
        out.push_back("{\"type\":\"ADDED\",\"object\":{\"metadata\":tru}}\n");
      }
      if (expire_generation != expire_generation_) {
        out.push_back(expired_event(sent, oldest_valid_));
        end = true;
      } else if (close_generation != close_generation_) {
        end = true;
      } else if (bookmark_generation != bookmark_generation_) {
        bookmark_generation = bookmark_generation_;
        std::string kind = list_kind(resource);
        kind.resize(kind.size() - 4);  // "PodList" -> "Pod"
        out.push_back(fmt::format(R"({{"type":"BOOKMARK","object":{{"kind":"{}","apiVersion":)"
                                  R"("{}","metadata":{{"resourceVersion":"{}"}}}}}})",
                                  kind, api_version(resource), version_) +
                      "\n");
        sent = std::max(sent, version_);
      }
      if (out.empty() && !end) {
        changed_.wait_for(lock, std::chrono::milliseconds(50));
        continue;
      }
    }
    bool ok = true;
    for (const std::string& chunk : out) ok = ok && send_chunk(ssl, chunk);
    if (!ok) break;
    if (end) {
      ssl_write_all(ssl, "0\r\n\r\n");
      break;
    }
  }
  --open_watches_;
}

void KubernetesApiServer::upsert(const std::string& resource, const std::string& ns,
                                 const std::string& name, const std::string& object) {
  {
    std::lock_guard lock(mutex_);
    uint64_t version = ++version_;
    auto found = std::find_if(objects_.begin(), objects_.end(), [&](const Object& o) {
      return o.resource == resource && o.ns == ns && o.name == name;
    });
    std::string type = found == objects_.end() ? "ADDED" : "MODIFIED";
    if (found == objects_.end()) {
      objects_.push_back(Object{resource, ns, name, object, version});
    } else {
      found->json = object;
      found->version = version;
    }
    events_.push_back(Event{version, resource, ns, type, with_version(object, version)});
  }
  changed_.notify_all();
}

void KubernetesApiServer::remove(const std::string& resource, const std::string& ns,
                                 const std::string& name) {
  {
    std::lock_guard lock(mutex_);
    auto found = std::find_if(objects_.begin(), objects_.end(), [&](const Object& o) {
      return o.resource == resource && o.ns == ns && o.name == name;
    });
    if (found == objects_.end()) return;
    uint64_t version = ++version_;
    events_.push_back(Event{version, resource, ns, "DELETED", with_version(found->json, version)});
    objects_.erase(found);
  }
  changed_.notify_all();
}

void KubernetesApiServer::close_watches() {
  {
    std::lock_guard lock(mutex_);
    ++close_generation_;
  }
  changed_.notify_all();
}

void KubernetesApiServer::expire_versions(bool as_http_status) {
  {
    std::lock_guard lock(mutex_);
    // As a compaction: the versions so far are gone, a list starts anew.
    oldest_valid_ = ++version_;
    events_.clear();
    gone_as_http_status_ = as_http_status;
    // Open watches learn it from an ERROR event, or, for the HTTP status,
    // from the 410 their resumption gets.
    if (as_http_status) {
      ++close_generation_;
    } else {
      ++expire_generation_;
    }
  }
  changed_.notify_all();
}

void KubernetesApiServer::set_token(std::string token) {
  std::lock_guard lock(mutex_);
  token_ = std::move(token);
}

void KubernetesApiServer::garble_next_lists(int count) {
  std::lock_guard lock(mutex_);
  garbled_lists_ = count;
}

void KubernetesApiServer::send_garbled_event() {
  {
    std::lock_guard lock(mutex_);
    ++garbage_generation_;
  }
  changed_.notify_all();
}

void KubernetesApiServer::send_bookmarks() {
  {
    std::lock_guard lock(mutex_);
    ++bookmark_generation_;
  }
  changed_.notify_all();
}

std::vector<KubernetesApiServer::Request> KubernetesApiServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

int KubernetesApiServer::count_requests(const std::string& prefix,
                                        const std::string& fragment) const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::count_if(requests_.begin(), requests_.end(), [&](const Request& r) {
    return r.target.starts_with(prefix) && r.target.find(fragment) != std::string::npos;
  }));
}

}  // namespace mc::test
