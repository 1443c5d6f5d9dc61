#include "exporter/landing_page.hpp"

#include <string_view>

namespace mc {

namespace {

constexpr std::string_view kLandingPage =
    "<!DOCTYPE html>\n"
    "<html><head><title>metrics-collector</title></head>\n"
    "<body><h1>metrics-collector</h1>\n"
    "<ul>\n"
    "<li><a href=\"/metrics\">/metrics</a>: the newest sample of every collected series, "
    "and the collector's own metrics</li>\n"
    "<li><a href=\"/metrics/self\">/metrics/self</a>: the collector's own metrics only</li>\n"
    "<li><a href=\"/targets\">/targets</a>: every scrape target, its health, labels and last "
    "error</li>\n"
    "<li><a href=\"/service-discovery\">/service-discovery</a>: the discovered targets and "
    "what relabeling made of them</li>\n"
    "<li><a href=\"/-/healthy\">/-/healthy</a>, <a href=\"/-/ready\">/-/ready</a></li>\n"
    "</ul></body></html>\n";

}  // namespace

Route landing_page_route() {
  Route route;
  route.pattern = "/";
  route.get = [](const HttpRequest&) {
    HttpResponse response;
    response.content_type = "text/html; charset=utf-8";
    response.body = kLandingPage;
    return response;
  };
  return route;
}

}  // namespace mc
