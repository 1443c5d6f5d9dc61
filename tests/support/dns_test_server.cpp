#include "tests/support/dns_test_server.hpp"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace mc::test {

namespace {

std::string normalize(std::string name) {
  while (!name.empty() && name.back() == '.') name.pop_back();
  std::ranges::transform(name, name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name;
}

void put16(std::string& out, uint16_t value) {
  out.push_back(static_cast<char>(value >> 8));
  out.push_back(static_cast<char>(value & 0xff));
}

void put32(std::string& out, uint32_t value) {
  put16(out, static_cast<uint16_t>(value >> 16));
  put16(out, static_cast<uint16_t>(value & 0xffff));
}

// A name as labels, uncompressed.
std::string encode_name(const std::string& name) {
  std::string out;
  std::string rest = normalize(name);
  while (!rest.empty()) {
    size_t dot = rest.find('.');
    std::string label = rest.substr(0, dot);
    out.push_back(static_cast<char>(label.size()));
    out += label;
    rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
  }
  out.push_back('\0');
  return out;
}

constexpr uint16_t kA = 1, kMx = 15, kAaaa = 28, kSrv = 33;

}  // namespace

DnsTestServer::DnsTestServer() {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("DnsTestServer: cannot bind 127.0.0.1");
  }
  socklen_t length = sizeof address;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

DnsTestServer::~DnsTestServer() {
  stopping_ = true;
  thread_.join();
  ::close(fd_);
}

sockaddr_in DnsTestServer::address() const {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port_);
  return address;
}

void DnsTestServer::set_a(const std::string& name, std::vector<std::string> addresses) {
  std::lock_guard lock(mutex_);
  records_[normalize(name)].a = std::move(addresses);
}

void DnsTestServer::set_aaaa(const std::string& name, std::vector<std::string> addresses) {
  std::lock_guard lock(mutex_);
  records_[normalize(name)].aaaa = std::move(addresses);
}

void DnsTestServer::set_srv(const std::string& name, std::vector<DnsSrvRecord> records) {
  std::lock_guard lock(mutex_);
  records_[normalize(name)].srv = std::move(records);
}

void DnsTestServer::set_mx(const std::string& name,
                           std::vector<std::pair<uint16_t, std::string>> records) {
  std::lock_guard lock(mutex_);
  records_[normalize(name)].mx = std::move(records);
}

void DnsTestServer::set_failing(const std::string& name, bool failing) {
  std::lock_guard lock(mutex_);
  if (failing) {
    failing_.insert(normalize(name));
  } else {
    failing_.erase(normalize(name));
  }
}

std::string DnsTestServer::answer(const std::string& query) const {
  if (query.size() < 12) return "";
  // The question: labels up to the root, then type and class.
  size_t at = 12;
  std::string name;
  while (at < query.size() && query[at] != 0) {
    const size_t length = static_cast<unsigned char>(query[at]);
    if (at + 1 + length > query.size()) return "";
    if (!name.empty()) name += '.';
    name += query.substr(at + 1, length);
    at += 1 + length;
  }
  if (at + 5 > query.size()) return "";
  const uint16_t type = static_cast<uint16_t>((static_cast<unsigned char>(query[at + 1]) << 8) |
                                              static_cast<unsigned char>(query[at + 2]));
  const std::string question = query.substr(12, at + 5 - 12);
  name = normalize(name);

  std::vector<std::pair<uint16_t, std::string>> answers;  // type, rdata
  int rcode = 0;
  {
    std::lock_guard lock(mutex_);
    auto found = records_.find(name);
    if (failing_.contains(name)) {
      rcode = 2;  // SERVFAIL
    } else if (found == records_.end()) {
      rcode = 3;  // NXDOMAIN
    } else {
      const Records& records = found->second;
      if (type == kA) {
        for (const auto& text : records.a) {
          in_addr address{};
          inet_pton(AF_INET, text.c_str(), &address);
          answers.emplace_back(kA, std::string(reinterpret_cast<char*>(&address), 4));
        }
      } else if (type == kAaaa) {
        for (const auto& text : records.aaaa) {
          in6_addr address{};
          inet_pton(AF_INET6, text.c_str(), &address);
          answers.emplace_back(kAaaa, std::string(reinterpret_cast<char*>(&address), 16));
        }
      } else if (type == kSrv) {
        for (const auto& record : records.srv) {
          std::string rdata;
          put16(rdata, record.priority);
          put16(rdata, record.weight);
          put16(rdata, record.port);
          rdata += encode_name(record.target);
          answers.emplace_back(kSrv, rdata);
        }
      } else if (type == kMx) {
        for (const auto& [preference, exchange] : records.mx) {
          std::string rdata;
          put16(rdata, preference);
          rdata += encode_name(exchange);
          answers.emplace_back(kMx, rdata);
        }
      }
    }
  }
  std::string out = query.substr(0, 2);               // the query's id
  put16(out, static_cast<uint16_t>(0x8400 | rcode));  // response, authoritative
  put16(out, 1);
  put16(out, static_cast<uint16_t>(answers.size()));
  put16(out, 0);
  put16(out, 0);
  out += question;
  for (const auto& [answer_type, rdata] : answers) {
    put16(out, 0xc00c);  // the name: a pointer to the question's
    put16(out, answer_type);
    put16(out, 1);  // IN
    put32(out, 30);
    put16(out, static_cast<uint16_t>(rdata.size()));
    out += rdata;
  }
  return out;
}

void DnsTestServer::serve() {
  while (!stopping_) {
    pollfd pfd{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&pfd, 1, 50) <= 0) continue;
    char buffer[1500];
    sockaddr_in peer{};
    socklen_t peer_length = sizeof peer;
    ssize_t size =
        ::recvfrom(fd_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&peer), &peer_length);
    if (size <= 0) continue;
    ++queries_;
    std::string reply = answer(std::string(buffer, static_cast<size_t>(size)));
    if (reply.empty()) continue;
    ::sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&peer), peer_length);
  }
}

}  // namespace mc::test
