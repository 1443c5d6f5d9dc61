#include "exporter/api/api_response.hpp"

#include "exporter/api/api_json.hpp"

namespace mc::api {

namespace {

HttpResponse json_response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  response.gzip_when_accepted = true;
  return response;
}

}  // namespace

std::string_view error_type_name(ApiErrorType type) {
  switch (type) {
    case ApiErrorType::bad_data:
      return "bad_data";
    case ApiErrorType::execution:
      return "execution";
    case ApiErrorType::timeout:
      return "timeout";
    case ApiErrorType::canceled:
      return "canceled";
    case ApiErrorType::internal:
      return "internal";
    case ApiErrorType::not_found:
      return "not_found";
  }
  return "internal";
}

int error_http_status(ApiErrorType type) {
  switch (type) {
    case ApiErrorType::bad_data:
      return 400;
    case ApiErrorType::execution:
      return 422;
    case ApiErrorType::timeout:
    case ApiErrorType::canceled:
      return 503;
    case ApiErrorType::internal:
      return 500;
    case ApiErrorType::not_found:
      return 404;
  }
  return 500;
}

std::string begin_success() { return "{\"status\":\"success\",\"data\":"; }

HttpResponse success(std::string_view data_json, const std::vector<std::string>& warnings) {
  std::string body = begin_success();
  body.reserve(body.size() + data_json.size() + 64);
  body += data_json;
  return finish_success(std::move(body), warnings);
}

HttpResponse finish_success(std::string body, const std::vector<std::string>& warnings) {
  if (!warnings.empty()) {
    body += ",\"warnings\":[";
    for (size_t i = 0; i < warnings.size(); ++i) {
      if (i > 0) body += ',';
      append_string(body, warnings[i]);
    }
    body += ']';
  }
  body += '}';
  return json_response(200, std::move(body));
}

HttpResponse error(ApiErrorType type, std::string_view message) {
  std::string body = "{\"status\":\"error\",\"errorType\":\"";
  body += error_type_name(type);
  body += "\",\"error\":";
  append_string(body, message);
  body += '}';
  return json_response(error_http_status(type), std::move(body));
}

HttpResponse invalid_parameter(std::string_view name, std::string_view why) {
  std::string message = "invalid parameter \"";
  message += name;
  message += "\": ";
  message += why;
  return error(ApiErrorType::bad_data, message);
}

}  // namespace mc::api
