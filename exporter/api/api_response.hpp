// api_response: the envelope every /api/v1 answer has, as Prometheus 2.42
// writes it, and the HTTP status each error type maps to:
//
//   {"status":"success","data":<data>[,"warnings":["..."]]}              200
//   {"status":"error","errorType":"bad_data","error":"<message>"}        400
//   execution 422, timeout and canceled 503, internal 500, not_found 404
//
// Content-Type application/json; gzipped when the client accepts it, as
// Prometheus's API handler compresses.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exporter/http_response.hpp"

namespace mc::api {

enum class ApiErrorType { bad_data, execution, timeout, canceled, internal, not_found };

std::string_view error_type_name(ApiErrorType type);
int error_http_status(ApiErrorType type);

// `data_json` is written as it is: the caller built valid JSON.
HttpResponse success(std::string_view data_json, const std::vector<std::string>& warnings = {});
// The same envelope built in place, for data too large to copy once more (a
// range query's matrix): begin_success() gives the body's start, the caller
// appends the data's JSON to it, finish_success() closes it.
std::string begin_success();
HttpResponse finish_success(std::string body, const std::vector<std::string>& warnings = {});
HttpResponse error(ApiErrorType type, std::string_view message);

// `invalid parameter "<name>": <why>`, the bad_data answer for a parameter.
HttpResponse invalid_parameter(std::string_view name, std::string_view why);

}  // namespace mc::api
