#include "common/config/diagnostics.hpp"

#include <algorithm>
#include <charconv>

namespace mc {

Diagnostics::Message Diagnostics::locate(std::string text) const {
  // Messages come from YamlReader::error_at: "source:line:col: ...".
  Message message;
  std::string_view rest(text);
  if (rest.starts_with(source_name_) && rest.substr(source_name_.size()).starts_with(':')) {
    rest.remove_prefix(source_name_.size() + 1);
    int line = 0;
    int column = 0;
    auto [line_end, line_error] = std::from_chars(rest.data(), rest.data() + rest.size(), line);
    if (line_error == std::errc() && line_end != rest.data() + rest.size() && *line_end == ':') {
      const char* column_start = line_end + 1;
      auto [column_end, column_error] =
          std::from_chars(column_start, rest.data() + rest.size(), column);
      if (column_error == std::errc() && column_end != column_start) {
        message.line = line;
        message.column = column;
      }
    }
  }
  message.text = std::move(text);
  return message;
}

void Diagnostics::add_error(const Status& error) {
  const bool known = std::ranges::any_of(
      errors_, [&](const Message& message) { return message.text == error.message(); });
  if (!known) errors_.push_back(locate(error.message()));
}

void Diagnostics::add_warning(std::string message) {
  warnings_.push_back(locate(std::move(message)));
}

std::vector<Diagnostics::Message> Diagnostics::in_file_order(std::vector<Message> messages) {
  std::ranges::stable_sort(messages, [](const Message& a, const Message& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return messages;
}

Status Diagnostics::errors() const {
  if (errors_.empty()) return Status::ok();
  std::string joined;
  for (const Message& message : in_file_order(errors_)) {
    if (!joined.empty()) joined += '\n';
    joined += message.text;
  }
  return Status::error(std::move(joined));
}

std::vector<std::string> Diagnostics::warnings() const {
  std::vector<std::string> texts;
  for (Message& message : in_file_order(warnings_)) texts.push_back(std::move(message.text));
  return texts;
}

}  // namespace mc
