// DnsTestServer: a tiny authoritative DNS responder on 127.0.0.1 (UDP, the
// real wire format of RFC 1035 and RFC 2782) for dns_sd tests. glibc's
// resolver reads its servers from /etc/resolv.conf, which a test cannot
// change without root; DnsSdDiscoverer takes the address of this server
// instead (its test-only nameserver option), and everything else, the query,
// the answer's parsing, is the real path.
//
// Names are matched without case and without the final dot; an unknown name
// gets NXDOMAIN, a known name without records of the asked type an empty
// NOERROR answer, and a name set to fail gets SERVFAIL.
//
// Thread-safety: the setters may be called while the server runs.
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace mc::test {

struct DnsSrvRecord {
  uint16_t priority = 0;
  uint16_t weight = 0;
  uint16_t port = 0;
  std::string target;
};

class DnsTestServer {
 public:
  DnsTestServer();  // binds 127.0.0.1 on a free UDP port and answers
  ~DnsTestServer();
  DnsTestServer(const DnsTestServer&) = delete;
  DnsTestServer& operator=(const DnsTestServer&) = delete;

  sockaddr_in address() const;
  void set_a(const std::string& name, std::vector<std::string> addresses);
  void set_aaaa(const std::string& name, std::vector<std::string> addresses);
  void set_srv(const std::string& name, std::vector<DnsSrvRecord> records);
  void set_mx(const std::string& name, std::vector<std::pair<uint16_t, std::string>> records);
  // The name answers SERVFAIL (true) or its records again (false).
  void set_failing(const std::string& name, bool failing);
  int query_count() const { return queries_.load(); }

 private:
  struct Records {
    std::vector<std::string> a, aaaa;
    std::vector<DnsSrvRecord> srv;
    std::vector<std::pair<uint16_t, std::string>> mx;
  };
  void serve();
  std::string answer(const std::string& query) const;

  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> queries_{0};
  mutable std::mutex mutex_;
  std::map<std::string, Records> records_;  // guarded by mutex_; lower case, no final dot
  std::set<std::string> failing_;           // guarded by mutex_
  std::thread thread_;
};

}  // namespace mc::test
