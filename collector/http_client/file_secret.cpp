#include "collector/http_client/file_secret.hpp"

#include <cctype>
#include <string_view>

#include "common/util/read_file.hpp"

namespace mc {

namespace {

std::string_view trim_space(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

Result<std::string> FileSecret::read() {
  std::optional<FileStamp> now = FileStamp::of(path_);
  if (now && stamp_ == now) return value_;
  auto content = read_file(path_);
  if (!content) {
    stamp_.reset();
    value_.clear();
    return content.status();
  }
  // Stamped before reading: a write racing the read shows as a change next time.
  stamp_ = now;
  value_ = std::string(trim_space(*content));
  return value_;
}

}  // namespace mc
