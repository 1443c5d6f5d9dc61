#include "exporter/route_table.hpp"

#include <algorithm>

namespace mc {

namespace {

constexpr std::string_view kPrefixMark = "/*";

bool is_prefix_pattern(std::string_view pattern) { return pattern.ends_with(kPrefixMark); }

// "/api/v1/label/*" -> "/api/v1/label/"
std::string_view prefix_of(std::string_view pattern) {
  return pattern.substr(0, pattern.size() - 1);
}

}  // namespace

Status RouteTable::add(Route route) {
  const std::string& pattern = route.pattern;
  auto refuse = [&](std::string_view why) {
    return Status::error("route \"" + pattern + "\": " + std::string(why));
  };
  if (!pattern.starts_with('/')) return refuse("a pattern starts with '/'");
  const size_t star = pattern.find('*');
  if (star != std::string::npos && star != pattern.size() - 1) {
    return refuse("'*' may only end a pattern, as \"/prefix/*\"");
  }
  if (star != std::string::npos && !is_prefix_pattern(pattern)) {
    return refuse("a prefix pattern ends with \"/*\"");
  }
  if (!route.get && !route.post) return refuse("no handler for any method");
  const bool taken =
      exact_.contains(pattern) ||
      std::ranges::any_of(prefixes_, [&](const Route& known) { return known.pattern == pattern; });
  if (taken) return refuse("registered twice");

  if (!is_prefix_pattern(pattern)) {
    exact_.emplace(pattern, std::move(route));
    return Status::ok();
  }
  prefixes_.push_back(std::move(route));
  std::ranges::stable_sort(prefixes_, [](const Route& a, const Route& b) {
    return a.pattern.size() > b.pattern.size();
  });
  return Status::ok();
}

std::optional<RouteTable::Match> RouteTable::find(std::string_view path) const {
  if (auto it = exact_.find(path); it != exact_.end()) return Match{&it->second, {}};
  for (const Route& route : prefixes_) {
    const std::string_view prefix = prefix_of(route.pattern);
    if (path.starts_with(prefix)) return Match{&route, path.substr(prefix.size())};
  }
  return std::nullopt;
}

std::vector<std::string> RouteTable::patterns() const {
  std::vector<std::string> all;
  for (const auto& [pattern, route] : exact_) all.push_back(pattern);
  for (const Route& route : prefixes_) all.push_back(route.pattern);
  return all;
}

const RouteHandler* RouteTable::handler_for(const Route& route, std::string_view method) {
  if ((method == "GET" || method == "HEAD") && route.get) return &route.get;
  if (method == "POST" && route.post) return &route.post;
  return nullptr;
}

std::string RouteTable::allowed_methods(const Route& route) {
  if (route.get && route.post) return "GET, HEAD, POST";
  return route.get ? "GET, HEAD" : "POST";
}

}  // namespace mc
