#include "exporter/api/api_status_routes.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>

#include "common/util/build_version.hpp"
#include "common/util/rfc3339.hpp"
#include "exporter/api/api_json.hpp"
#include "exporter/api/api_response.hpp"
#include "exporter/api/api_route.hpp"
#include "exporter/api/api_tsdb_stats.hpp"

namespace mc::api {

namespace {

// Go's time.Time in JSON (RFC 3339 with the fraction's trailing zeros cut):
// "2026-12-05T17:46:12.5Z", "2026-12-05T17:46:12Z".
void append_time(std::string& out, int64_t t_ms) {
  std::string text = format_rfc3339_ms(t_ms);  // ...:12.500Z
  const size_t dot = text.rfind('.');
  size_t cut = text.size() - 1;  // before 'Z'
  while (cut > dot + 1 && text[cut - 1] == '0') --cut;
  if (cut == dot + 1) cut = dot;
  text.erase(cut, text.size() - 1 - cut);
  append_string(out, text);
}

std::string compiler_version() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "";
#endif
}

HttpResponse serve_buildinfo() {
  std::string data = "{\"version\":";
  append_string(data, build_version());
  data += ",\"revision\":";
  append_string(data, build_revision());
  data += ",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":";
  append_string(data, compiler_version());
  data += '}';
  return success(data);
}

HttpResponse serve_flags(const ApiOptions& options) {
  std::vector<std::pair<std::string, std::string>> flags = options.flags;
  std::ranges::sort(flags);
  std::string data = "{";
  for (size_t i = 0; i < flags.size(); ++i) {
    if (i > 0) data += ',';
    append_string(data, flags[i].first);
    data += ':';
    append_string(data, flags[i].second);
  }
  data += '}';
  return success(data);
}

HttpResponse serve_config(const ApiOptions& options) {
  std::string data = "{\"yaml\":";
  append_string(data, options.config_yaml ? options.config_yaml() : std::string());
  data += '}';
  return success(data);
}

// Threads of this process, as the kernel counts them; 0 when unreadable.
uint64_t thread_count() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("Threads:")) return std::stoull(line.substr(8));
  }
  return 0;
}

int usable_cpus() {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  if (sched_getaffinity(0, sizeof cpus, &cpus) != 0) return 0;
  return CPU_COUNT(&cpus);
}

HttpResponse serve_runtimeinfo(Storage& storage, const ApiOptions& options) {
  const ConfigState config = options.config_state ? options.config_state() : ConfigState{};
  const StorageStats stats = storage.stats();
  std::string cwd(4096, '\0');
  if (::getcwd(cwd.data(), cwd.size()) == nullptr) cwd.clear();
  cwd.resize(cwd.find('\0') == std::string::npos ? cwd.size() : cwd.find('\0'));

  std::string data = "{\"startTime\":";
  append_time(data, options.start_time_ms);
  data += ",\"CWD\":";
  append_string(data, cwd);
  data += ",\"reloadConfigSuccess\":";
  data += config.reload_success ? "true" : "false";
  data += ",\"lastConfigTime\":";
  append_time(data, config.last_config_time_ms);
  data += ",\"corruptionCount\":";
  data += std::to_string(stats.disk ? stats.disk->wal_corruptions : 0);
  data += ",\"goroutineCount\":";
  data += std::to_string(thread_count());
  data += ",\"GOMAXPROCS\":";
  data += std::to_string(usable_cpus());
  data += ",\"GOGC\":\"\",\"GODEBUG\":\"\",\"storageRetention\":";
  append_string(data, options.storage_retention);
  data += '}';
  return success(data);
}

}  // namespace

std::vector<Route> status_routes(Storage& storage, const ApiOptions& options) {
  auto shared = std::make_shared<const ApiOptions>(options);
  std::vector<Route> routes;
  routes.push_back(api_route(
      "/api/v1/status/buildinfo", [](const HttpRequest&) { return serve_buildinfo(); },
      PostToo::no));
  routes.push_back(api_route(
      "/api/v1/status/config", [shared](const HttpRequest&) { return serve_config(*shared); },
      PostToo::no));
  routes.push_back(api_route(
      "/api/v1/status/flags", [shared](const HttpRequest&) { return serve_flags(*shared); },
      PostToo::no));
  routes.push_back(api_route(
      "/api/v1/status/runtimeinfo",
      [&storage, shared](const HttpRequest&) { return serve_runtimeinfo(storage, *shared); },
      PostToo::no));
  routes.push_back(api_route(
      "/api/v1/status/tsdb",
      [&storage](const HttpRequest&) { return success(tsdb_stats_json(read_tsdb_stats(storage))); },
      PostToo::no));
  return routes;
}

}  // namespace mc::api
