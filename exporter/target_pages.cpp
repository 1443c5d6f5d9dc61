#include "exporter/target_pages.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "common/util/wall_clock.hpp"
#include "exporter/html_escape.hpp"

namespace mc {

namespace {

constexpr std::string_view kStyle =
    "body{font-family:sans-serif;margin:1em 2em;color:#222}"
    "nav a{margin-right:1em}"
    "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
    "th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}"
    ".label{display:inline-block;background:#e8eef7;border-radius:3px;padding:0 4px;margin:1px;"
    "font-family:monospace;font-size:90%}"
    ".health{font-weight:bold;padding:1px 5px;border-radius:3px;color:#fff}"
    ".health.up{background:#2e7d32}.health.down{background:#c62828}"
    ".health.unknown{background:#757575}"
    ".dropped{color:#757575;font-style:italic}"
    ".error{color:#c62828;font-family:monospace;font-size:90%}"
    "details summary{cursor:pointer;color:#555;font-size:90%}"
    "form label{margin-right:1em}";

void append_head(std::string& out, std::string_view title) {
  out += "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>";
  out += title;
  out += " - metrics-collector</title><style>";
  out += kStyle;
  out +=
      "</style></head>\n<body><nav><a href=\"/\">metrics-collector</a>"
      "<a href=\"/targets\">Targets</a><a href=\"/service-discovery\">Service discovery</a>"
      "</nav>\n<h1>";
  out += title;
  out += "</h1>\n";
}

void append_labels(std::string& out, const Labels& labels) {
  for (const LabelView label : labels) {
    out += "<span class=\"label\">";
    append_html_escaped(out, label.name);
    out += "=&quot;";
    append_html_escaped(out, label.value);
    out += "&quot;</span> ";
  }
}

// `name="value", ...` for a title attribute (escaped by the caller).
std::string labels_text(const Labels& labels) {
  std::string text;
  for (const LabelView label : labels) {
    if (!text.empty()) text += ", ";
    text += fmt::format("{}=\"{}\"", label.name, label.value);
  }
  return text;
}

// "850ms", "12.3s", "4m 5s", "2h 3m".
std::string human_duration(double seconds) {
  if (seconds < 1) return fmt::format("{:.3g}ms", seconds * 1000);
  if (seconds < 60) return fmt::format("{:.3g}s", seconds);
  const auto whole = static_cast<int64_t>(seconds);
  if (whole < 3600) return fmt::format("{}m {}s", whole / 60, whole % 60);
  return fmt::format("{}h {}m", whole / 3600, whole % 3600 / 60);
}

std::string_view health_word(TargetHealth health) {
  switch (health) {
    case TargetHealth::up:
      return "UP";
    case TargetHealth::down:
      return "DOWN";
    case TargetHealth::unknown:
      break;
  }
  return "UNKNOWN";
}

void append_target_row(std::string& out, const TargetStatus& target, int64_t now_ms) {
  const std::string_view health = target_health_name(target.health);
  out += R"(<tr class="target" data-health=")";
  out += health;
  out += R"("><td class="endpoint"><a href=")";
  append_html_escaped(out, target.scrape_url);
  out += "\">";
  append_html_escaped(out, target.scrape_url);
  out += R"(</a></td><td class="state"><span class="health )";
  out += health;
  out += "\">";
  out += health_word(target.health);
  out += R"(</span></td><td class="labels" title="Before relabeling: )";
  append_html_escaped(out, labels_text(target.discovered_labels));
  out += "\">";
  append_labels(out, target.labels);
  out += "<details class=\"discovered\"><summary>Before relabeling</summary>";
  append_labels(out, target.discovered_labels);
  out += "</details></td><td class=\"last-scrape\">";
  if (target.last_scrape_ms == 0) {
    out += "never";
  } else {
    const double ago = static_cast<double>(std::max<int64_t>(0, now_ms - target.last_scrape_ms));
    out += human_duration(ago / 1000);
    out += " ago";
  }
  out += "</td><td class=\"duration\">";
  if (target.last_scrape_ms != 0) out += human_duration(target.last_scrape_duration_seconds);
  out += "</td><td class=\"error\">";
  append_html_escaped(out, target.last_error);
  out += "</td></tr>\n";
}

void append_filter_form(std::string& out, const std::set<std::string>& jobs, std::string_view job,
                        bool unhealthy_only) {
  out +=
      "<form id=\"filter\" method=\"get\" action=\"/targets\"><label>Job <select name=\"job\">"
      "<option value=\"\">All jobs</option>";
  for (const std::string& name : jobs) {
    out += "<option value=\"";
    append_html_escaped(out, name);
    out += name == job ? "\" selected>" : "\">";
    append_html_escaped(out, name);
    out += "</option>";
  }
  out += R"(</select></label><label><input type="checkbox" name="health" value="unhealthy")";
  if (unhealthy_only) out += " checked";
  out +=
      "> Unhealthy only</label><button type=\"submit\">Filter</button></form>\n"
      "<script>for(const e of document.querySelectorAll('#filter select,#filter input'))"
      "e.addEventListener('change',()=>e.form.submit());</script>\n";
}

}  // namespace

std::string targets_page_html(const TargetStatusSource& source, std::string_view job,
                              bool unhealthy_only, int64_t now_ms) {
  std::map<std::string, std::vector<TargetStatus>> pools;
  for (TargetStatus& target : source.active_targets()) {
    pools[target.scrape_pool].push_back(std::move(target));
  }
  std::set<std::string> jobs;
  for (const auto& [name, targets] : pools) jobs.insert(name);

  std::string out;
  append_head(out, "Targets");
  append_filter_form(out, jobs, job, unhealthy_only);
  size_t shown = 0;
  for (const auto& [name, targets] : pools) {
    if (!job.empty() && name != job) continue;
    size_t up = 0;
    for (const TargetStatus& target : targets) up += target.health == TargetHealth::up ? 1 : 0;
    if (unhealthy_only && up == targets.size()) continue;
    out += R"(<section class="pool" data-job=")";
    append_html_escaped(out, name);
    out += "\"><h2>";
    append_html_escaped(out, name);
    out += fmt::format(" <span class=\"count\">({}/{} up)</span></h2>\n", up, targets.size());
    out +=
        "<table><thead><tr><th>Endpoint</th><th>State</th><th>Labels</th><th>Last scrape</th>"
        "<th>Scrape duration</th><th>Error</th></tr></thead><tbody>\n";
    for (const TargetStatus& target : targets) {
      if (unhealthy_only && target.health == TargetHealth::up) continue;
      append_target_row(out, target, now_ms);
      ++shown;
    }
    out += "</tbody></table></section>\n";
  }
  if (shown == 0) out += "<p class=\"empty\">No targets to show.</p>\n";
  out += "</body></html>\n";
  return out;
}

std::string service_discovery_page_html(const TargetStatusSource& source) {
  struct Pool {
    std::vector<TargetStatus> active;
    std::vector<DroppedTarget> dropped;
  };
  std::map<std::string, Pool> pools;
  for (TargetStatus& target : source.active_targets()) {
    pools[target.scrape_pool].active.push_back(std::move(target));
  }
  for (DroppedTarget& target : source.dropped_targets()) {
    pools[target.scrape_pool].dropped.push_back(std::move(target));
  }

  std::string out;
  append_head(out, "Service discovery");
  if (pools.empty()) out += "<p class=\"empty\">No targets to show.</p>\n";
  for (const auto& [name, pool] : pools) {
    out += R"(<section class="pool" data-job=")";
    append_html_escaped(out, name);
    out += "\"><h2>";
    append_html_escaped(out, name);
    out += fmt::format(" <span class=\"count\">({} / {} active targets)</span></h2>\n",
                       pool.active.size(), pool.active.size() + pool.dropped.size());
    out +=
        "<table><thead><tr><th>Discovered labels</th><th>Target labels</th></tr></thead>"
        "<tbody>\n";
    for (const TargetStatus& target : pool.active) {
      out += R"(<tr class="active"><td class="discovered">)";
      append_labels(out, target.discovered_labels);
      out += "</td><td class=\"target-labels\">";
      append_labels(out, target.labels);
      out += "</td></tr>\n";
    }
    for (const DroppedTarget& target : pool.dropped) {
      out += R"(<tr class="dropped-target"><td class="discovered">)";
      append_labels(out, target.discovered_labels);
      out += "</td><td class=\"target-labels\"><span class=\"dropped\">Dropped</span></td></tr>\n";
    }
    out += "</tbody></table></section>\n";
  }
  out += "</body></html>\n";
  return out;
}

std::vector<Route> target_page_routes(const TargetStatusSource& source) {
  auto html = [](std::string body) {
    HttpResponse response;
    response.content_type = "text/html; charset=utf-8";
    response.body = std::move(body);
    return response;
  };
  std::vector<Route> routes(2);
  routes[0].pattern = "/targets";
  routes[0].get = [&source, html](const HttpRequest& request) {
    const std::string_view job = request.params.value("job").value_or("");
    const bool unhealthy_only = request.params.value("health").value_or("") == "unhealthy";
    return html(targets_page_html(source, job, unhealthy_only, wall_clock_ms()));
  };
  routes[1].pattern = "/service-discovery";
  routes[1].get = [&source, html](const HttpRequest&) {
    return html(service_discovery_page_html(source));
  };
  return routes;
}

}  // namespace mc
