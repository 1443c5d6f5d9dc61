// kubernetes_sd_configs against a stand-in API server on 127.0.0.1 that
// speaks the Kubernetes API's wire format over HTTPS (no real cluster: Debian
// has no API server): list then watch, events adding, modifying and deleting
// targets, a closed watch resumed, 410 Gone relisting, a token rotated on
// disk, a CA that does not match, selectors and namespaces in the request
// URLs, in-cluster and kubeconfig connections.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <streambuf>
#include <string>
#include <thread>

#include "collector/discovery/kubernetes_discoverer.hpp"
#include "common/util/logger.hpp"
#include "tests/support/kubernetes_api_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificates.hpp"

namespace mc {
namespace {

using namespace std::chrono_literals;
using test::KubernetesApiServer;

// The log as the discoverer's threads write it; readable while they run.
class CapturedLog {
 public:
  CapturedLog() : stream_(&buffer_) {
    log::configure(log::Level::info, log::Format::logfmt, &stream_);
  }
  ~CapturedLog() { log::configure(log::Level::info, log::Format::logfmt); }
  std::string text() const { return buffer_.text(); }

 private:
  class LockedBuffer : public std::streambuf {
   public:
    std::string text() const {
      std::lock_guard lock(mutex_);
      return text_;
    }

   protected:
    int overflow(int c) override {
      if (c == EOF) return 0;
      std::lock_guard lock(mutex_);
      text_.push_back(static_cast<char>(c));
      return c;
    }
    std::streamsize xsputn(const char* data, std::streamsize count) override {
      std::lock_guard lock(mutex_);
      text_.append(data, static_cast<size_t>(count));
      return count;
    }

   private:
    mutable std::mutex mutex_;
    std::string text_;
  };
  LockedBuffer buffer_;
  std::ostream stream_;
};

// What the discoverer published, group by group, as a DiscoveryManager keeps it.
class Published {
 public:
  Discoverer::Publish publisher() {
    return [this](std::vector<TargetGroup> changed) {
      std::lock_guard lock(mutex_);
      ++calls_;
      for (TargetGroup& group : changed) {
        if (group.targets.empty()) {
          groups_.erase(group.source);
        } else {
          groups_[group.source] = std::move(group);
        }
      }
    };
  }
  // Polls every 20 ms for at most 10 s.
  bool wait_for(const std::function<bool(const std::map<std::string, TargetGroup>&)>& done) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mutex_);
        if (done(groups_)) return true;
      }
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  std::map<std::string, TargetGroup> groups() {
    std::lock_guard lock(mutex_);
    return groups_;
  }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, TargetGroup> groups_;
  int calls_ = 0;
};

std::string label(const std::vector<Label>& labels, const std::string& name) {
  for (const Label& l : labels) {
    if (l.name == name) return l.value;
  }
  return "";
}

bool wait_until(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

std::string pod_json(const std::string& ns, const std::string& name, const std::string& ip,
                     const std::string& app = "web") {
  return R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":")" + name + R"(","namespace":")" +
         ns + R"(","uid":"uid-)" + name + R"(","labels":{"app":")" + app +
         R"("}},"spec":{"nodeName":"node-a","containers":[{"name":"web","image":"nginx:1.25",)"
         R"("ports":[{"name":"metrics","containerPort":9113,"protocol":"TCP"}]}]},)"
         R"("status":{"phase":"Running","podIP":")" +
         ip + R"(","hostIP":"10.0.0.5","conditions":[{"type":"Ready","status":"True"}]}})";
}

struct Fixture {
  test::TempDir dir;
  test::TestCertificates certificates = test::TestCertificates::generate(dir.path());
  KubernetesApiServer server{certificates, "token-1"};
  std::filesystem::path token_file = dir.write_file("token", "token-1\n");
  Published published;
  CapturedLog log;

  KubernetesSdConfig config(const std::string& role) const {
    KubernetesSdConfig config;
    config.role = role;
    config.api_server = server.url();
    config.http_client.tls_config.ca_file = certificates.ca_cert.string();
    config.http_client.authorization = Authorization{};
    config.http_client.authorization->credentials_file = token_file.string();
    return config;
  }

  static KubernetesDiscoveryOptions fast_options() {
    KubernetesDiscoveryOptions options;
    options.min_backoff = 50ms;
    options.max_backoff = 200ms;
    return options;
  }

  std::jthread start(const KubernetesSdConfig& config,
                     KubernetesDiscoveryOptions options = fast_options()) {
    std::shared_ptr<Discoverer> discoverer =
        make_kubernetes_discoverer(config, "kube-job", std::move(options));
    return std::jthread([discoverer, publish = published.publisher()](std::stop_token stop) {
      discoverer->run(stop, publish);
    });
  }
};

TEST_CASE("kubernetes sd: pods are listed then watch events add and modify and delete targets") {
  Fixture f;
  f.server.upsert("pods", "shop", "web-1", pod_json("shop", "web-1", "10.244.1.7"));
  f.server.upsert("pods", "other", "db-1", pod_json("other", "db-1", "10.244.9.9", "db"));
  KubernetesSdConfig config = f.config("pod");
  config.namespaces = {"shop"};
  auto discoverer = f.start(config);

  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-1"); }));
  auto group = f.published.groups()["pod/shop/web-1"];
  CHECK(label(group.labels, "__meta_kubernetes_pod_name") == "web-1");
  CHECK(label(group.labels, "__meta_kubernetes_pod_label_app") == "web");
  REQUIRE(group.targets.size() == 1);
  CHECK(label(group.targets[0], "__address__") == "10.244.1.7:9113");
  CHECK_FALSE(f.published.groups().contains("pod/other/db-1"));  // another namespace

  // Added.
  f.server.upsert("pods", "shop", "web-2", pod_json("shop", "web-2", "10.244.1.8"));
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-2"); }));
  // Modified: a new label reaches the group.
  f.server.upsert("pods", "shop", "web-1", pod_json("shop", "web-1", "10.244.1.7", "web-v2"));
  REQUIRE(f.published.wait_for([](const auto& groups) {
    auto found = groups.find("pod/shop/web-1");
    return found != groups.end() &&
           label(found->second.labels, "__meta_kubernetes_pod_label_app") == "web-v2";
  }));
  // Deleted: the source is published with no targets.
  f.server.remove("pods", "shop", "web-2");
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return !groups.contains("pod/shop/web-2"); }));

  // The Discoverer contract: run() returns within about a second of the
  // stop request, even with a watch open and idle.
  REQUIRE(wait_until([&] { return f.server.open_watches() == 1; }));
  auto asked = std::chrono::steady_clock::now();
  discoverer.request_stop();
  discoverer.join();
  CHECK(std::chrono::steady_clock::now() - asked < 1500ms);

  // One list, then watches from its resourceVersion with bookmarks.
  CHECK(f.server.count_requests("/api/v1/namespaces/shop/pods?limit=500") == 1);
  CHECK(f.server.count_requests("/api/v1/namespaces/shop/pods?watch=1&resourceVersion=102",
                                "&allowWatchBookmarks=true&timeoutSeconds=300") >= 1);
}

TEST_CASE("kubernetes sd: a watch the server closes is resumed from the last resourceVersion") {
  Fixture f;
  f.server.upsert("pods", "shop", "web-1", pod_json("shop", "web-1", "10.244.1.7"));  // rv 101
  auto discoverer = f.start(f.config("pod"));
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-1"); }));
  REQUIRE(wait_until([&] { return f.server.open_watches() == 1; }));
  f.server.upsert("pods", "shop", "web-2", pod_json("shop", "web-2", "10.244.1.8"));  // rv 102
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-2"); }));

  f.server.close_watches();
  // The resumed watch starts at the version of the last event seen, not over.
  REQUIRE(wait_until(
      [&] { return f.server.count_requests("/api/v1/pods?watch=1&resourceVersion=102") == 1; }));
  f.server.upsert("pods", "shop", "web-3", pod_json("shop", "web-3", "10.244.1.9"));
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-3"); }));
  CHECK(f.server.count_requests("/api/v1/pods?limit=500") == 1);  // never listed again

  // A bookmark moves the version on without an object change.
  f.server.send_bookmarks();
  f.server.upsert("services", "shop", "unrelated", R"({"metadata":{"name":"unrelated"}})");
  f.server.send_bookmarks();
  REQUIRE(wait_until([&] { return f.server.open_watches() == 1; }));
  std::this_thread::sleep_for(100ms);
  f.server.close_watches();
  REQUIRE(wait_until(
      [&] { return f.server.count_requests("/api/v1/pods?watch=1&resourceVersion=104") == 1; }));
}

TEST_CASE("kubernetes sd: 410 Gone as an ERROR event or as the HTTP status forces a relist") {
  bool as_http_status = GENERATE(false, true);
  INFO("410 as HTTP status: " << as_http_status);
  Fixture f;
  f.server.upsert("pods", "shop", "web-1", pod_json("shop", "web-1", "10.244.1.7"));
  auto discoverer = f.start(f.config("pod"));
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-1"); }));
  REQUIRE(wait_until([&] { return f.server.open_watches() == 1; }));

  f.server.expire_versions(as_http_status);
  REQUIRE(wait_until([&] { return f.server.count_requests("/api/v1/pods?limit=500") == 2; }));
  if (as_http_status) {
    CHECK(wait_until([&] {
      for (const auto& request : f.server.requests()) {
        if (request.target.starts_with("/api/v1/pods?watch=1&resourceVersion=101")) return true;
      }
      return false;
    }));
  }
  // After the relist the watch goes on from the new list's version.
  f.server.upsert("pods", "shop", "web-2", pod_json("shop", "web-2", "10.244.1.8"));
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-2"); }));
  CHECK(f.published.groups().contains("pod/shop/web-1"));
}

TEST_CASE("kubernetes sd: a relist drops the objects deleted while the watch was away") {
  Fixture f;
  f.server.upsert("pods", "shop", "web-1", pod_json("shop", "web-1", "10.244.1.7"));
  f.server.upsert("pods", "shop", "web-2", pod_json("shop", "web-2", "10.244.1.8"));
  auto discoverer = f.start(f.config("pod"));
  REQUIRE(f.published.wait_for([](const auto& groups) { return groups.size() == 2; }));
  REQUIRE(wait_until([&] { return f.server.open_watches() == 1; }));
  // The deletion is forgotten with the history: only the relist can show it.
  f.server.set_token("nobody");  // holds the client off while the history goes
  f.server.close_watches();
  REQUIRE(wait_until([&] { return f.server.open_watches() == 0; }));
  f.server.remove("pods", "shop", "web-2");
  f.server.expire_versions(true);
  f.server.set_token("token-1");
  REQUIRE(f.published.wait_for(
      [](const auto& groups) { return groups.size() == 1 && groups.contains("pod/shop/web-1"); }));
}

TEST_CASE("kubernetes sd: a token rotated on disk is used at the next request") {
  Fixture f;
  f.server.upsert("pods", "shop", "web-1", pod_json("shop", "web-1", "10.244.1.7"));
  auto discoverer = f.start(f.config("pod"));
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-1"); }));
  REQUIRE(wait_until([&] { return f.server.open_watches() == 1; }));

  // The kubelet writes the new token; the server accepts only it from now on.
  f.dir.write_file("token", "token-2\n");
  f.server.set_token("token-2");
  f.server.close_watches();
  REQUIRE(wait_until([&] {
    for (const auto& request : f.server.requests()) {
      if (request.authorization == "Bearer token-2") return true;
    }
    return false;
  }));
  f.server.upsert("pods", "shop", "web-2", pod_json("shop", "web-2", "10.244.1.8"));
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-2"); }));
  auto requests = f.server.requests();
  REQUIRE(requests.size() >= 3);
  CHECK(requests.front().authorization == "Bearer token-1");
  CHECK(requests.back().authorization == "Bearer token-2");
  CHECK(requests.back().status == 200);
  for (const auto& request : requests) CHECK(request.status == 200);  // never refused
}

TEST_CASE("kubernetes sd: a refused token and a CA that does not match are logged and retried") {
  Fixture f;
  f.server.upsert("pods", "shop", "web-1", pod_json("shop", "web-1", "10.244.1.7"));

  SECTION("wrong CA") {
    KubernetesSdConfig config = f.config("pod");
    config.http_client.tls_config.ca_file = f.certificates.stranger_cert.string();
    auto discoverer = f.start(config);
    REQUIRE(wait_until([&] {
      std::string text = f.log.text();
      return text.find("certificate") != std::string::npos &&
             text.find("kubernetes discovery: list failed") != std::string::npos;
    }));
    std::string text = f.log.text();
    CHECK(text.find("job=kube-job") != std::string::npos);
    CHECK(text.find("role=pod") != std::string::npos);
    CHECK(text.find("api_server=" + f.server.url()) != std::string::npos);
    // Backing off and trying again, and never getting through to HTTP.
    REQUIRE(wait_until([&] {
      std::string now = f.log.text();
      size_t first = now.find("list failed");
      return first != std::string::npos && now.find("list failed", first + 1) != std::string::npos;
    }));
    CHECK(f.server.requests().empty());
    CHECK(f.published.calls() == 0);
  }
  SECTION("refused token, then accepted") {
    f.server.set_token("something-else");
    auto discoverer = f.start(f.config("pod"));
    REQUIRE(wait_until(
        [&] { return f.log.text().find("HTTP 401: Unauthorized") != std::string::npos; }));
    CHECK(f.published.calls() == 0);
    CHECK(f.log.text().find("token-1") == std::string::npos);  // the secret is not logged
    f.server.set_token("token-1");
    REQUIRE(
        f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-1"); }));
  }
}

TEST_CASE("kubernetes sd: a garbled list or watch event is logged and read again") {
  Fixture f;
  f.server.upsert("pods", "shop", "web-1", pod_json("shop", "web-1", "10.244.1.7"));
  f.server.garble_next_lists(1);
  auto discoverer = f.start(f.config("pod"));
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-1"); }));
  CHECK(f.server.count_requests("/api/v1/pods?limit=500") == 2);
  std::string text = f.log.text();
  CHECK(text.find("msg=\"kubernetes discovery: list failed\"") != std::string::npos);
  CHECK(text.find("invalid JSON at byte") != std::string::npos);

  REQUIRE(wait_until([&] { return f.server.open_watches() == 1; }));
  f.server.send_garbled_event();
  REQUIRE(wait_until(
      [&] { return f.log.text().find("watch event: invalid JSON at byte") != std::string::npos; }));
  // The watch is taken up again from the version it had reached.
  f.server.upsert("pods", "shop", "web-2", pod_json("shop", "web-2", "10.244.1.8"));
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-2"); }));
  CHECK(f.server.count_requests("/api/v1/pods?watch=1&resourceVersion=101") == 2);
  CHECK(f.server.count_requests("/api/v1/pods?limit=500") == 2);
}

TEST_CASE(
    "kubernetes sd: selectors and namespaces reach the request URLs and endpoints join services "
    "and "
    "pods") {
  Fixture f;
  f.server.upsert("pods", "a", "web-1", pod_json("a", "web-1", "10.244.1.7"));
  f.server.upsert(
      "services", "a", "web",
      R"({"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"a"},)"
      R"("spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","ports":[{"name":"m",)"
      R"("port":9113,"protocol":"TCP"}]}})");
  f.server.upsert(
      "endpoints", "a", "web",
      R"({"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"web","namespace":"a"},)"
      R"("subsets":[{"addresses":[{"ip":"10.244.1.7","targetRef":{"kind":"Pod","namespace":"a",)"
      R"("name":"web-1"}}],"ports":[{"name":"m","port":9113,"protocol":"TCP"}]}]})");
  KubernetesSdConfig config = f.config("endpoints");
  config.namespaces = {"a", "b"};
  config.selectors = {{"endpoints", "app=web,tier!=db", ""}, {"pod", "", "status.phase=Running"}};
  auto discoverer = f.start(config);
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("endpoints/a/web"); }));
  auto group = f.published.groups()["endpoints/a/web"];
  CHECK(label(group.labels, "__meta_kubernetes_service_name") == "web");
  REQUIRE(group.targets.size() == 1);
  CHECK(label(group.targets[0], "__meta_kubernetes_pod_name") == "web-1");
  CHECK(label(group.targets[0], "__meta_kubernetes_pod_container_name") == "web");

  for (const char* ns : {"a", "b"}) {
    std::string base = std::string("/api/v1/namespaces/") + ns;
    CHECK(f.server.count_requests(
              base + "/endpoints?labelSelector=app%3Dweb%2Ctier%21%3Ddb&limit=500") == 1);
    CHECK(f.server.count_requests(base + "/pods?fieldSelector=status.phase%3DRunning&limit=500") ==
          1);
    CHECK(f.server.count_requests(base + "/services?limit=500") == 1);
  }
  CHECK(f.server.count_requests("/api/v1/endpoints") == 0);  // never cluster-wide

  // A pod change reaches the endpoints' targets.
  f.server.upsert("pods", "a", "web-1", pod_json("a", "web-1", "10.244.1.7", "web-v2"));
  REQUIRE(f.published.wait_for([](const auto& groups) {
    auto found = groups.find("endpoints/a/web");
    return found != groups.end() &&
           label(found->second.targets.at(0), "__meta_kubernetes_pod_label_app") == "web-v2";
  }));
}

TEST_CASE("kubernetes sd: nodes and endpointslices and ingresses through the API server") {
  Fixture f;
  f.server.upsert("nodes", "", "node-a",
                  R"({"kind":"Node","apiVersion":"v1","metadata":{"name":"node-a"},"spec":{},)"
                  R"("status":{"addresses":[{"type":"InternalIP","address":"10.0.0.5"}],)"
                  R"("daemonEndpoints":{"kubeletEndpoint":{"Port":10250}}}})");
  f.server.upsert("endpointslices", "a", "web-x",
                  R"({"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1",)"
                  R"("metadata":{"name":"web-x","namespace":"a"},"addressType":"IPv4",)"
                  R"("endpoints":[{"addresses":["10.244.1.7"],"conditions":{"ready":true}}],)"
                  R"("ports":[{"name":"m","port":9113,"protocol":"TCP"}]})");
  f.server.upsert("ingresses", "a", "shop",
                  R"({"kind":"Ingress","apiVersion":"networking.k8s.io/v1",)"
                  R"("metadata":{"name":"shop","namespace":"a"},)"
                  R"("spec":{"rules":[{"host":"shop.example.com"}]}})");
  auto ingresses = f.start(f.config("ingress"));
  auto nodes = f.start(f.config("node"));
  auto slices = f.start(f.config("endpointslice"));
  REQUIRE(f.published.wait_for([](const auto& groups) {
    return groups.contains("node/node-a") && groups.contains("endpointslice/a/web-x") &&
           groups.contains("ingress/a/shop");
  }));
  auto groups = f.published.groups();
  CHECK(label(groups["node/node-a"].targets.at(0), "__address__") == "10.0.0.5:10250");
  CHECK(label(groups["endpointslice/a/web-x"].targets.at(0), "__address__") == "10.244.1.7:9113");
  CHECK(f.server.count_requests("/apis/discovery.k8s.io/v1/endpointslices?limit=500") == 1);
  CHECK(f.server.count_requests("/api/v1/nodes?limit=500") == 1);
  CHECK(label(groups["ingress/a/shop"].targets.at(0), "__address__") == "shop.example.com");
  CHECK(f.server.count_requests("/apis/networking.k8s.io/v1/ingresses?limit=500") == 1);
}

TEST_CASE("kubernetes sd: in-cluster the service account and own_namespace are used") {
  Fixture f;
  f.server.upsert("pods", "monitoring", "web-1", pod_json("monitoring", "web-1", "10.244.1.7"));
  std::filesystem::path account = f.dir.path() / "serviceaccount";
  std::filesystem::create_directories(account);
  std::filesystem::copy_file(f.certificates.ca_cert, account / "ca.crt");
  f.dir.write_file("serviceaccount/token", "token-1");
  f.dir.write_file("serviceaccount/namespace", "monitoring");
  std::string port = std::to_string(f.server.port());

  KubernetesSdConfig config;
  config.role = "pod";
  config.own_namespace = true;
  KubernetesDiscoveryOptions options = Fixture::fast_options();
  options.in_cluster.service_account_dir = account;
  options.in_cluster.getenv = [port](const char* name) -> const char* {
    static thread_local std::string value;
    if (std::string_view(name) == "KUBERNETES_SERVICE_HOST") return "127.0.0.1";
    if (std::string_view(name) == "KUBERNETES_SERVICE_PORT") {
      value = port;
      return value.c_str();
    }
    return nullptr;
  };
  auto discoverer = f.start(config, options);
  REQUIRE(f.published.wait_for(
      [](const auto& groups) { return groups.contains("pod/monitoring/web-1"); }));
  CHECK(f.server.count_requests("/api/v1/namespaces/monitoring/pods?limit=500") == 1);
  CHECK(f.log.text().find("in-cluster service account") != std::string::npos);
}

TEST_CASE("kubernetes sd: in-cluster without the environment is logged and not a crash") {
  Fixture f;
  KubernetesSdConfig config;
  config.role = "pod";
  KubernetesDiscoveryOptions options = Fixture::fast_options();
  options.in_cluster.service_account_dir = f.dir.path() / "absent";
  options.in_cluster.getenv = [](const char*) -> const char* { return nullptr; };
  auto discoverer = f.start(config, options);
  REQUIRE(wait_until([&] {
    return f.log.text().find(
               "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be "
               "defined") != std::string::npos;
  }));
  CHECK(f.log.text().find("job=kube-job") != std::string::npos);
}

std::string base64(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

TEST_CASE("kubernetes sd: a kubeconfig file's current context with an inline CA and a token file") {
  Fixture f;
  f.server.upsert("pods", "shop", "web-1", pod_json("shop", "web-1", "10.244.1.7"));
  std::ifstream ca(f.certificates.ca_cert);
  std::string ca_pem((std::istreambuf_iterator<char>(ca)), std::istreambuf_iterator<char>());
  std::filesystem::create_directories(f.dir.path() / "kube");
  f.dir.write_file("kube/token", "token-1\n");
  auto kubeconfig =
      f.dir.write_file("kube/config",
                       "apiVersion: v1\nkind: Config\ncurrent-context: test\n"
                       "clusters:\n- name: other\n  cluster: {server: 'https://192.0.2.1:6443'}\n"
                       "- name: local\n  cluster:\n    server: " +
                           f.server.url() + "\n    certificate-authority-data: " + base64(ca_pem) +
                           "\n"
                           "contexts:\n- name: test\n  context: {cluster: local, user: robot}\n"
                           "users:\n- name: robot\n  user: {tokenFile: token}\n");
  KubernetesSdConfig config;
  config.role = "pod";
  config.kubeconfig_file = kubeconfig.string();
  auto discoverer = f.start(config);
  REQUIRE(
      f.published.wait_for([](const auto& groups) { return groups.contains("pod/shop/web-1"); }));
  CHECK(f.server.requests().front().authorization == "Bearer token-1");
}

}  // namespace
}  // namespace mc
