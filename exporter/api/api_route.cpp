#include "exporter/api/api_route.hpp"

#include "exporter/api/api_response.hpp"
#include "exporter/api/deep_stack.hpp"

namespace mc::api {

Route api_route(std::string pattern, RouteHandler handler, PostToo post) {
  RouteHandler checked = [handler = std::move(handler)](const HttpRequest& request) {
    if (!request.params_status) {
      return error(ApiErrorType::bad_data,
                   "error parsing form values: " + request.params_status.message());
    }
    // The handlers parse PromQL, which may recurse deeper than a worker's stack.
    return run_here_or_on_deep_stack([&] { return handler(request); });
  };
  Route route;
  route.pattern = std::move(pattern);
  if (post == PostToo::yes) route.post = checked;
  route.get = std::move(checked);
  return route;
}

}  // namespace mc::api
