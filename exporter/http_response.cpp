#include "exporter/http_response.hpp"

#include "exporter/http_request.hpp"

namespace mc {

HttpResponse HttpResponse::text(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

std::string_view HttpResponse::header(std::string_view name) const {
  for (const auto& [header_name, header_value] : headers) {
    if (header_names_equal(header_name, name)) return header_value;
  }
  return {};
}

std::string HttpResponse::materialized_body() const {
  if (!stream_body) return body;
  std::string whole;
  stream_body([&whole](std::string_view piece) {
    whole += piece;
    return true;
  });
  return whole;
}

}  // namespace mc
