// ScopedEnvironment: sets an environment variable for the processes a test
// starts (a child inherits it at fork) and restores the old value at the end
// of the scope. The SQL tests hand the daemon its DSN this way; the
// hostile-target tests its sanitizer options.
#pragma once

#include <optional>
#include <string>

namespace mc::test {

class ScopedEnvironment {
 public:
  ScopedEnvironment(std::string name, const std::string& value);
  ~ScopedEnvironment();
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_value_;
};

}  // namespace mc::test
