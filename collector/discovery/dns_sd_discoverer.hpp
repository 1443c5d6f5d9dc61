// DnsSdDiscoverer: one dns_sd_configs entry, as Prometheus's discovery/dns.
// Every refresh_interval each name is looked up (glibc's res_nsearch, so the
// search list and ndots of /etc/resolv.conf apply, as Prometheus's own
// lookup does) and becomes one group, source = the name, whose targets are:
//   SRV   <target>:<port>  __meta_dns_srv_record_target="<target>."
//                          __meta_dns_srv_record_port="<port>"
//   MX    <exchange>:port  __meta_dns_mx_record_target="<exchange>."
//   A     <ip>:port        AAAA  [<ip6>]:port
// each with __meta_dns_name="<name as configured>". CNAMEs in the answer are
// skipped. A name that does not exist (NXDOMAIN) or has no such record gives
// an empty group; a lookup that fails (timeout, SERVFAIL) is logged, counts in
// metrics_collector_sd_dns_lookup_failures_total and keeps the name's last
// group.
//
// Thread-safety: run() on one thread at a time.
#pragma once

#include <netinet/in.h>

#include <optional>
#include <string>
#include <vector>

#include "collector/discovery/discoverer.hpp"
#include "collector/discovery/discovery_metrics.hpp"
#include "common/config/service_discovery_config.hpp"

namespace mc {

class DnsSdDiscoverer : public Discoverer {
 public:
  // `nameserver`, when set, replaces resolv.conf's servers: tests point it at
  // a responder on 127.0.0.1, there being no other way to serve test records
  // to glibc's resolver without root. `metrics` may be null.
  DnsSdDiscoverer(DnsSdConfig config, DiscoveryMetrics* metrics,
                  std::optional<sockaddr_in> nameserver = std::nullopt);

  void run(std::stop_token stop, const Publish& publish) override;

  // The group of one name, or the lookup's error. Public for tests.
  Result<TargetGroup> lookup(const std::string& name) const;

 private:
  DnsSdConfig config_;
  DiscoveryMetrics* metrics_;
  std::optional<sockaddr_in> nameserver_;
};

}  // namespace mc
