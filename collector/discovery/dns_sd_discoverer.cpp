#include "collector/discovery/dns_sd_discoverer.hpp"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <resolv.h>

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "collector/discovery/stop_wait.hpp"
#include "common/util/logger.hpp"

namespace mc {

namespace {

// Go's net.JoinHostPort: an address with a colon (IPv6) goes in brackets.
std::string host_port(const std::string& host, int port) {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

int record_type(const std::string& type) {
  if (type == "A") return ns_t_a;
  if (type == "AAAA") return ns_t_aaaa;
  if (type == "MX") return ns_t_mx;
  return ns_t_srv;
}

// A name in the answer's wire format, without the root's final dot.
std::optional<std::string> read_name(const ns_msg& message, const unsigned char* at) {
  std::array<char, NS_MAXDNAME> name{};
  if (ns_name_uncompress(ns_msg_base(message), ns_msg_end(message), at, name.data(), name.size()) <
      0) {
    return std::nullopt;
  }
  return std::string(name.data());
}

std::string h_errno_text(int error) {
  switch (error) {
    case TRY_AGAIN:
      return "temporary failure (no answer or SERVFAIL)";
    case NO_RECOVERY:
      return "non-recoverable failure (FORMERR, REFUSED or NOTIMP)";
    default:
      return hstrerror(error);
  }
}

}  // namespace

DnsSdDiscoverer::DnsSdDiscoverer(DnsSdConfig config, DiscoveryMetrics* metrics,
                                 std::optional<sockaddr_in> nameserver)
    : config_(std::move(config)), metrics_(metrics), nameserver_(nameserver) {}

Result<TargetGroup> DnsSdDiscoverer::lookup(const std::string& name) const {
  struct __res_state state {};
  if (res_ninit(&state) != 0) return Status::error("cannot initialise the resolver");
  struct Closer {
    struct __res_state* state;
    ~Closer() { res_nclose(state); }
  } closer{&state};
  if (nameserver_) {
    state.nscount = 1;
    state.nsaddr_list[0] = *nameserver_;
  }
  // At most about 2 s per name, so that a stop request is not held for long
  // by a server that does not answer (glibc's default is 5 s x 2 tries).
  state.retrans = 1;
  state.retry = 2;
  std::vector<unsigned char> answer(65536);
  const int type = record_type(config_.type);
  if (metrics_ != nullptr) metrics_->dns_lookup();
  const int size = res_nsearch(&state, name.c_str(), ns_c_in, type, answer.data(),
                               static_cast<int>(answer.size()));
  TargetGroup group;
  group.source = name;
  if (size < 0) {
    const int error = state.res_h_errno;
    // The name or the record does not exist: no targets, as Prometheus.
    if (error == HOST_NOT_FOUND || error == NO_DATA) return group;
    return Status::error(
        fmt::format("lookup of {} ({}) failed: {}", name, config_.type, h_errno_text(error)));
  }
  ns_msg message{};
  if (ns_initparse(answer.data(), size, &message) != 0) {
    return Status::error(fmt::format("lookup of {}: malformed answer", name));
  }
  const int count = ns_msg_count(message, ns_s_an);
  for (int i = 0; i < count; ++i) {
    ns_rr record{};
    if (ns_parserr(&message, ns_s_an, i, &record) != 0) {
      return Status::error(fmt::format("lookup of {}: malformed record {}", name, i));
    }
    const unsigned char* data = ns_rr_rdata(record);
    const size_t length = ns_rr_rdlen(record);
    std::vector<Label> target;
    switch (ns_rr_type(record)) {
      case ns_t_srv: {
        if (type != ns_t_srv || length < 7) continue;
        const int port = (data[4] << 8) | data[5];
        auto host = read_name(message, data + 6);
        if (!host) return Status::error(fmt::format("lookup of {}: malformed SRV record", name));
        target = {{"__address__", host_port(*host, port)},
                  {"__meta_dns_srv_record_port", std::to_string(port)},
                  {"__meta_dns_srv_record_target", *host + "."}};
        break;
      }
      case ns_t_mx: {
        if (type != ns_t_mx || length < 3) continue;
        auto host = read_name(message, data + 2);
        if (!host) return Status::error(fmt::format("lookup of {}: malformed MX record", name));
        target = {{"__address__", host_port(*host, config_.port)},
                  {"__meta_dns_mx_record_target", *host + "."}};
        break;
      }
      case ns_t_a: {
        if (type != ns_t_a || length != 4) continue;
        std::array<char, INET_ADDRSTRLEN> text{};
        inet_ntop(AF_INET, data, text.data(), text.size());
        target = {{"__address__", host_port(text.data(), config_.port)}};
        break;
      }
      case ns_t_aaaa: {
        if (type != ns_t_aaaa || length != 16) continue;
        std::array<char, INET6_ADDRSTRLEN> text{};
        inet_ntop(AF_INET6, data, text.data(), text.size());
        target = {{"__address__", host_port(text.data(), config_.port)}};
        break;
      }
      case ns_t_cname:
        continue;  // A and AAAA answers may carry the chain that led to them
      default:
        log::warn("dns_sd: invalid record", {{"name", name}, {"type", ns_rr_type(record)}});
        continue;
    }
    target.push_back({"__meta_dns_name", name});
    std::ranges::sort(target, [](const Label& a, const Label& b) { return a.name < b.name; });
    group.targets.push_back(std::move(target));
  }
  return group;
}

void DnsSdDiscoverer::run(std::stop_token stop, const Publish& publish) {
  std::map<std::string, TargetGroup> last;
  bool first = true;
  while (!stop.stop_requested()) {
    std::vector<TargetGroup> changed;
    bool failed = false;
    for (const auto& name : config_.names) {
      if (stop.stop_requested()) return;
      auto group = lookup(name);
      if (!group) {
        failed = true;
        if (metrics_ != nullptr) metrics_->dns_lookup_failure();
        log::error("dns_sd: error refreshing DNS targets, keeping the last ones",
                   {{"name", name}, {"err", group.error()}});
        continue;
      }
      auto previous = last.find(name);
      if (!first && previous != last.end() && previous->second.targets == group->targets) continue;
      last[name] = *group;
      changed.push_back(std::move(*group));
    }
    if (failed && metrics_ != nullptr) metrics_->refresh_failure("dns");
    if (first || !changed.empty()) publish(std::move(changed));
    first = false;
    if (wait_until_stopped(stop, config_.refresh_interval)) break;
  }
}

}  // namespace mc
