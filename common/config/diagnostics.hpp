// Diagnostics: the errors and warnings of one config document, collected while
// it is read so that a user sees all of them at once, in file order, instead
// of fixing one and rerunning to find the next.
//
// Every message reads "source:line:col: message" (or "source: message" when it
// has no position). An error reached twice (a nested reader returns it and its
// caller reports it again) is kept once.
//
// Private to common/config. Not thread-safe: one document, one reader.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/util/status.hpp"

namespace mc {

class Diagnostics {
 public:
  explicit Diagnostics(std::string_view source_name) : source_name_(source_name) {}

  // REQUIRES: !error.is_ok()
  void add_error(const Status& error);
  void add_warning(std::string message);

  bool has_errors() const { return !errors_.empty(); }
  // The errors, one a line, in file order.
  Status errors() const;
  // The warnings, in file order.
  std::vector<std::string> warnings() const;

 private:
  struct Message {
    int line = 0;  // 0: no position; sorts first
    int column = 0;
    std::string text;
  };
  Message locate(std::string text) const;
  static std::vector<Message> in_file_order(std::vector<Message> messages);

  std::string source_name_;
  std::vector<Message> errors_;
  std::vector<Message> warnings_;
};

}  // namespace mc
