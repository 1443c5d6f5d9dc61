#include "exporter/form_params.hpp"

namespace mc {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> decode_form_component(std::string_view encoded) {
  std::string decoded;
  decoded.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '+') {
      decoded += ' ';
    } else if (c != '%') {
      decoded += c;
    } else {
      const bool two_digits_follow = i + 2 < encoded.size();
      const int high = two_digits_follow ? hex_digit(encoded[i + 1]) : -1;
      const int low = two_digits_follow ? hex_digit(encoded[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return Status::error("invalid percent-encoding \"" + std::string(encoded.substr(i, 3)) +
                             "\"");
      }
      decoded += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return decoded;
}

Status FormParams::add_encoded(std::string_view encoded) {
  while (!encoded.empty()) {
    const size_t end = encoded.find('&');
    const std::string_view piece = encoded.substr(0, end);
    encoded = end == std::string_view::npos ? std::string_view() : encoded.substr(end + 1);
    if (piece.empty()) continue;
    const size_t equals = piece.find('=');
    const std::string_view raw_name = piece.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view() : piece.substr(equals + 1);
    auto name = decode_form_component(raw_name);
    if (!name) {
      return Status::error("parameter \"" + std::string(raw_name) + "\": " + name.error());
    }
    auto value = decode_form_component(raw_value);
    if (!value) return Status::error("parameter \"" + *name + "\": " + value.error());
    params_.emplace_back(std::move(*name), std::move(*value));
  }
  return Status::ok();
}

void FormParams::add(std::string name, std::string value) {
  params_.emplace_back(std::move(name), std::move(value));
}

std::vector<std::string_view> FormParams::values(std::string_view name) const {
  std::vector<std::string_view> found;
  for (const auto& [param_name, param_value] : params_) {
    if (param_name == name) found.emplace_back(param_value);
  }
  return found;
}

std::optional<std::string_view> FormParams::value(std::string_view name) const {
  for (const auto& [param_name, param_value] : params_) {
    if (param_name == name) return std::string_view(param_value);
  }
  return std::nullopt;
}

}  // namespace mc
