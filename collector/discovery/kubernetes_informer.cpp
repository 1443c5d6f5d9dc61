#include "collector/discovery/kubernetes_informer.hpp"

#include <condition_variable>
#include <mutex>

#include <fmt/format.h>

#include "common/util/logger.hpp"

namespace mc::kubernetes {

namespace {

// RFC 3986 unreserved characters stay; everything else is %XX, so that a
// selector's '=', '!', ',' and spaces reach the server as written.
std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// A Status object's message and code, for an error reply or an ERROR event.
std::string status_text(const JsonValue& status) {
  const std::string& message = status["message"].str();
  if (message.empty()) return fmt::format("code {}", status["code"].integer());
  return fmt::format("{} (code {})", message, status["code"].integer());
}

std::string reply_text(const KubernetesApiClient::Reply& reply) {
  auto parsed = JsonValue::parse(reply.body);
  if (parsed && parsed->is_object() && parsed->has("code")) {
    return fmt::format("HTTP {}: {}", reply.status, status_text(*parsed));
  }
  std::string body = reply.body.substr(0, 200);
  return fmt::format("HTTP {}: {}", reply.status, body);
}

}  // namespace

bool sleep_unless_stopped(std::stop_token stop, std::chrono::milliseconds duration) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  return !wake.wait_for(lock, stop, duration, [] { return false; }) && !stop.stop_requested();
}

KubernetesInformer::KubernetesInformer(const KubernetesApiClient& client, InformerSettings settings,
                                       size_t index)
    : client_(client), settings_(std::move(settings)), index_(index) {}

std::string KubernetesInformer::base_path() const {
  std::string path(settings_.kind.api_prefix);
  if (settings_.kind.namespaced && !settings_.namespace_name.empty()) {
    path += "/namespaces/" + url_encode(settings_.namespace_name);
  }
  path += "/";
  path += settings_.kind.plural;
  return path;
}

std::string KubernetesInformer::list_path(std::string_view continue_token) const {
  std::vector<std::string> query;
  if (!settings_.label_selector.empty()) {
    query.push_back("labelSelector=" + url_encode(settings_.label_selector));
  }
  if (!settings_.field_selector.empty()) {
    query.push_back("fieldSelector=" + url_encode(settings_.field_selector));
  }
  query.push_back("limit=500");
  if (!continue_token.empty()) query.push_back("continue=" + url_encode(continue_token));
  return base_path() + "?" + fmt::format("{}", fmt::join(query, "&"));
}

std::string KubernetesInformer::watch_path(std::string_view resource_version) const {
  std::vector<std::string> query;
  if (!settings_.label_selector.empty()) {
    query.push_back("labelSelector=" + url_encode(settings_.label_selector));
  }
  if (!settings_.field_selector.empty()) {
    query.push_back("fieldSelector=" + url_encode(settings_.field_selector));
  }
  query.push_back("watch=1");
  query.push_back("resourceVersion=" + url_encode(resource_version));
  query.push_back("allowWatchBookmarks=true");
  query.push_back(fmt::format("timeoutSeconds={}", settings_.watch_timeout.count()));
  return base_path() + "?" + fmt::format("{}", fmt::join(query, "&"));
}

void KubernetesInformer::log_failure(std::string_view what, std::string_view error) const {
  log::error(what, {{"job", settings_.job},
                    {"role", settings_.role},
                    {"api_server", client_.server()},
                    {"resource", settings_.kind.plural},
                    {"namespace", settings_.namespace_name.empty() ? std::string("(all)")
                                                                   : settings_.namespace_name},
                    {"err", error}});
}

bool KubernetesInformer::list(std::stop_token stop, const Sink& sink,
                              std::string& resource_version) const {
  InformerEvent event{InformerEvent::Type::replace, index_, {}};
  std::string continue_token;
  // Bounded: a server that keeps handing `continue` forever is cut off.
  for (int page = 0; page < 100000; ++page) {
    auto reply = client_.get(list_path(continue_token), stop);
    if (stop.stop_requested()) return false;
    if (!reply) {
      log_failure("kubernetes discovery: list failed", reply.error());
      return false;
    }
    if (reply->status != 200) {
      log_failure("kubernetes discovery: list failed", reply_text(*reply));
      return false;
    }
    auto list = JsonValue::parse(reply->body);
    if (!list) {
      log_failure("kubernetes discovery: list failed", list.error());
      return false;
    }
    for (const JsonValue& item : (*list)["items"].items()) event.objects.push_back(item);
    resource_version = (*list)["metadata"]["resourceVersion"].str();
    continue_token = (*list)["metadata"]["continue"].str();
    if (continue_token.empty()) {
      sink(std::move(event));
      return true;
    }
  }
  log_failure("kubernetes discovery: list failed", "too many pages");
  return false;
}

KubernetesInformer::WatchEnd KubernetesInformer::watch(std::stop_token stop, const Sink& sink,
                                                       std::string& resource_version) const {
  WatchEnd end = WatchEnd::resume;
  std::string problem;
  auto on_object = [&](std::string_view text) -> bool {
    auto event = JsonValue::parse(text);
    if (!event) {
      problem = "watch event: " + event.error();
      end = WatchEnd::failed;
      return false;
    }
    const std::string& type = (*event)["type"].str();
    const JsonValue& object = (*event)["object"];
    if (type == "ERROR") {
      if (object["code"].integer() == 410) {
        log::info("kubernetes discovery: watch expired, listing again",
                  {{"job", settings_.job},
                   {"role", settings_.role},
                   {"resource", settings_.kind.plural},
                   {"err", status_text(object)}});
        end = WatchEnd::relist;
      } else {
        problem = "watch error event: " + status_text(object);
        end = WatchEnd::failed;
      }
      return false;
    }
    std::string version = object["metadata"]["resourceVersion"].str();
    if (!version.empty()) resource_version = version;
    if (type == "BOOKMARK") return true;
    InformerEvent out{InformerEvent::Type::upsert, index_, {}};
    if (type == "DELETED") {
      out.type = InformerEvent::Type::remove;
    } else if (type != "ADDED" && type != "MODIFIED") {
      problem = fmt::format("watch event of unknown type {:?}", type);
      end = WatchEnd::failed;
      return false;
    }
    out.objects.push_back(object);
    sink(std::move(out));
    return true;
  };
  auto reply = client_.watch(watch_path(resource_version), stop,
                             settings_.watch_timeout + std::chrono::seconds(30), on_object);
  if (stop.stop_requested()) return WatchEnd::stopped;
  if (!reply) {
    log_failure("kubernetes discovery: watch failed", reply.error());
    return WatchEnd::failed;
  }
  if (reply->status == 410) return WatchEnd::relist;
  if (reply->status != 200) {
    log_failure("kubernetes discovery: watch failed", reply_text(*reply));
    return WatchEnd::failed;
  }
  if (end == WatchEnd::failed) log_failure("kubernetes discovery: watch failed", problem);
  return end;
}

void KubernetesInformer::run(std::stop_token stop, const Sink& sink) const {
  std::chrono::milliseconds backoff = settings_.min_backoff;
  auto back_off = [&]() -> bool {
    bool awake = sleep_unless_stopped(stop, backoff);
    backoff = std::min(backoff * 2, settings_.max_backoff);
    return awake;
  };
  while (!stop.stop_requested()) {
    std::string resource_version;
    if (!list(stop, sink, resource_version)) {
      if (!back_off()) return;
      continue;
    }
    backoff = settings_.min_backoff;
    // Watch until the version expires; a closed watch resumes where it was.
    while (!stop.stop_requested()) {
      auto started = std::chrono::steady_clock::now();
      WatchEnd end = watch(stop, sink, resource_version);
      if (end == WatchEnd::stopped || end == WatchEnd::relist) break;
      if (end == WatchEnd::failed) {
        if (!back_off()) return;
        continue;
      }
      backoff = settings_.min_backoff;
      // A server that closes every watch at once must not be asked in a tight loop.
      if (std::chrono::steady_clock::now() - started < std::chrono::seconds(1) &&
          !sleep_unless_stopped(stop, settings_.min_backoff)) {
        return;
      }
    }
  }
}

}  // namespace mc::kubernetes
