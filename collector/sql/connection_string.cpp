#include "collector/sql/connection_string.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "collector/sql/connection_options_check.hpp"
#include "common/util/errno_text.hpp"
#include "common/util/read_file.hpp"

namespace mc {

namespace {

constexpr std::string_view kApplicationName = "metrics-collector";
constexpr std::string_view kRedacted = "xxxxx";

// libpq's key='value' quoting: backslash and single quote escaped.
void append_quoted(std::string& out, std::string_view value) {
  out += '\'';
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
}

// The password as written in a URL (percent-encoded), which libpq decodes:
// postgresql://user:SECRET@host/db. Empty for key=value strings.
std::string url_password(std::string_view dsn) {
  size_t scheme_end = dsn.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = dsn.substr(scheme_end + 3);
  size_t at = rest.rfind('@', rest.find_first_of("/?"));
  if (at == std::string_view::npos) return {};
  std::string_view user_info = rest.substr(0, at);
  size_t colon = user_info.find(':');
  if (colon == std::string_view::npos) return {};
  return std::string(user_info.substr(colon + 1));
}

std::string trim_trailing_whitespace(std::string text) {
  while (!text.empty() && std::strchr(" \t\r\n", text.back()) != nullptr) text.pop_back();
  return text;
}

}  // namespace

Result<ConnectionString> ConnectionString::resolve(const SqlDatabaseConfig& database,
                                                   const EnvironmentLookup& environment) {
  std::string dsn;
  std::string source;
  if (!database.dsn_env.empty()) {
    source = fmt::format("environment variable {}", database.dsn_env);
    auto value = environment(database.dsn_env);
    if (!value || value->empty()) {
      return Status::error(
          fmt::format("sql database {:?}: {} is not set or empty", database.name, source));
    }
    dsn = std::move(*value);
  } else if (!database.dsn_file.empty()) {
    source = fmt::format("file {:?}", database.dsn_file);
    auto content = read_file(database.dsn_file);
    if (!content) {
      return Status::error(fmt::format("sql database {:?}: cannot read DSN {}: {}", database.name,
                                       source, content.error()));
    }
    dsn = trim_trailing_whitespace(*content);
    if (dsn.empty()) {
      return Status::error(fmt::format("sql database {:?}: {} is empty", database.name, source));
    }
  } else {
    source = "dsn";
    dsn = database.dsn;
  }
  auto parsed = parse(dsn, database.connect_timeout);
  if (!parsed) {
    return Status::error(
        fmt::format("sql database {:?}: DSN from {}: {}", database.name, source, parsed.error()));
  }
  return parsed;
}

Result<ConnectionString> ConnectionString::parse(std::string_view dsn,
                                                 std::chrono::milliseconds connect_timeout) {
  ConnectionString result;
  if (std::string raw = url_password(dsn); !raw.empty()) result.secrets_.push_back(raw);

  char* error_message = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
      PQconninfoParse(std::string(dsn).c_str(), &error_message), &PQconninfoFree);
  if (!options) {
    std::string message = error_message != nullptr ? error_message : "out of memory";
    PQfreemem(error_message);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Status::error(fmt::format("invalid connection string: {}", result.redact(message)));
  }

  std::vector<std::pair<std::string, std::string>> checked;
  for (PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr || std::string_view(option->keyword) == "password") continue;
    checked.emplace_back(option->keyword, option->val);
  }
  if (Status usable = check_connection_options(checked); !usable) {
    return Status::error(
        fmt::format("unusable connection string: {}", result.redact(usable.message())));
  }

  bool has_application_name = false;
  bool has_connect_timeout = false;
  std::vector<std::pair<std::string_view, std::string_view>> shown;
  for (PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    std::string_view key = option->keyword;
    std::string_view value = option->val;
    if (key == "client_encoding") continue;  // ours, below
    if (key == "password") result.secrets_.emplace_back(value);
    if (key == "application_name" || key == "fallback_application_name") {
      has_application_name = true;
    }
    if (key == "connect_timeout") has_connect_timeout = true;
    if (key == "host" || key == "hostaddr" || key == "port" || key == "dbname" || key == "user") {
      shown.emplace_back(key, value);
    }
    if (!result.conninfo_.empty()) result.conninfo_ += ' ';
    result.conninfo_ += key;
    result.conninfo_ += '=';
    append_quoted(result.conninfo_, value);
  }
  if (!has_application_name) {
    result.conninfo_ += " fallback_application_name=";
    append_quoted(result.conninfo_, kApplicationName);
  }
  if (!has_connect_timeout) {
    // libpq counts whole seconds and treats 1 as 2; round up, at least 2.
    auto seconds = std::max<int64_t>(2, (connect_timeout.count() + 999) / 1000);
    result.conninfo_ += fmt::format(" connect_timeout={}", seconds);
  }
  result.conninfo_ += " client_encoding=UTF8";
  if (result.conninfo_.starts_with(' ')) result.conninfo_.erase(0, 1);

  // In the order a reader looks for them, whatever order the DSN used.
  for (std::string_view wanted : {"host", "hostaddr", "port", "dbname", "user"}) {
    for (const auto& [key, value] : shown) {
      if (key != wanted) continue;
      if (!result.description_.empty()) result.description_ += ' ';
      result.description_ += fmt::format("{}={}", key, value);
    }
  }
  if (result.description_.empty()) result.description_ = "(libpq defaults)";
  // A password that is also the user or database name would be "hidden" in
  // the description too; redact it there as well, to be safe.
  result.description_ = result.redact(result.description_);
  // Longest first, so a secret containing another is replaced whole.
  std::sort(result.secrets_.begin(), result.secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return result;
}

std::string ConnectionString::redact(std::string_view text) const {
  std::string out(text);
  for (const std::string& secret : secrets_) {
    if (secret.empty()) continue;
    for (size_t at = out.find(secret); at != std::string::npos;
         at = out.find(secret, at + kRedacted.size())) {
      out.replace(at, secret.size(), kRedacted);
    }
  }
  return out;
}

}  // namespace mc
