// kubernetes_sd_configs in the real daemon: a pod the stand-in API server
// (tests/support/kubernetes_api_server) lists is scraped, with a label taken
// from its __meta_kubernetes_* labels by relabeling, and a pod deleted
// through the watch stops being a target.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "tests/support/child_process.hpp"
#include "tests/support/daemon_runner.hpp"
#include "tests/support/http_test_server.hpp"
#include "tests/support/kubernetes_api_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificates.hpp"

namespace mc::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kSettle = 30s;  // two shared cores

// A running pod whose one container serves /metrics at 127.0.0.1:<port>.
std::string pod_on(const std::string& name, uint16_t port) {
  return fmt::format(
      R"({{"kind":"Pod","apiVersion":"v1","metadata":{{"name":"{0}","namespace":"shop",)"
      R"("uid":"uid-{0}","labels":{{"app":"web"}}}},"spec":{{"containers":[{{"name":"web",)"
      R"("image":"nginx:1.25","ports":[{{"name":"metrics","containerPort":{1},)"
      R"("protocol":"TCP"}}]}}]}},"status":{{"phase":"Running","podIP":"127.0.0.1",)"
      R"("conditions":[{{"type":"Ready","status":"True"}}]}}}})",
      name, port);
}

TEST_CASE("daemon: pods found through kubernetes_sd are scraped and dropped when deleted",
          "[sd][daemon][kubernetes]") {
  TempDir dir;
  TestCertificates certificates = TestCertificates::generate(dir.path());
  KubernetesApiServer api(certificates, "sd-token");
  auto token_file = dir.write_file("token", "sd-token\n");
  HttpTestServer pod_a;
  HttpTestServer pod_b;
  for (HttpTestServer* pod : {&pod_a, &pod_b}) {
    pod->set_response("/metrics", TestResponse{.body = "# TYPE k8s_test_value gauge\n"
                                                       "k8s_test_value 1\n"});
  }
  api.upsert("pods", "shop", "web-a", pod_on("web-a", pod_a.port()));
  api.upsert("pods", "shop", "web-b", pod_on("web-b", pod_b.port()));

  DaemonRunner daemon(fmt::format(R"(scrape_configs:
  - job_name: kube
    scrape_interval: 1s
    scrape_timeout: 500ms
    kubernetes_sd_configs:
      - role: pod
        api_server: {}
        bearer_token_file: {}
        tls_config:
          ca_file: {}
        namespaces:
          names: [shop]
    relabel_configs:
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
)",
                                  api.url(), token_file.string(), certificates.ca_cert.string()));
  auto up_of = [&](const std::string& pod, uint16_t port) {
    return exposed_value(
        daemon.metrics(),
        fmt::format("up{{instance=\"127.0.0.1:{}\",job=\"kube\",pod=\"{}\"}}", port, pod));
  };
  REQUIRE(wait_until([&] { return up_of("web-a", pod_a.port()) == 1.0; }, kSettle));
  REQUIRE(wait_until([&] { return up_of("web-b", pod_b.port()) == 1.0; }, kSettle));

  // Deleted through the watch: no longer a target, no longer scraped.
  api.remove("pods", "shop", "web-b");
  REQUIRE(wait_until(
      [&] {
        return exposed_value(daemon.metrics(), "metrics_collector_targets{job=\"kube\"}") == 1.0;
      },
      kSettle));
  int scrapes = pod_b.request_count("/metrics");
  std::this_thread::sleep_for(2500ms);  // more than two scrape intervals
  CHECK(pod_b.request_count("/metrics") == scrapes);
  CHECK(up_of("web-a", pod_a.port()) == 1.0);
  CHECK(api.count_requests("/api/v1/namespaces/shop/pods?watch=1") >= 1);
  CHECK(daemon.log().find("sd-token") == std::string::npos);
}

}  // namespace
}  // namespace mc::test
