#include "common/util/logger.hpp"

#include <atomic>
#include <chrono>
#include <ctime>
#include <iostream>
#include <mutex>

#include "common/util/json_string.hpp"
#include "common/util/rfc3339.hpp"
#include "common/util/wall_clock.hpp"

namespace mc::log {

namespace {

std::atomic<Level> g_level{Level::info};
Format g_format = Format::logfmt;
std::ostream* g_out = nullptr;
std::mutex g_mutex;

std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}

std::string timestamp_now() { return format_rfc3339_ms(wall_clock_ms()); }

// A double-quoted string with JSON's escapes; logfmt quotes the same way.
void append_quoted(std::string& out, std::string_view value) { append_json_string(out, value); }

// logfmt quotes a value that is empty or holds a space, '=', '"' or a control
// byte, as go-logfmt (which Prometheus logs with) does.
void append_logfmt_value(std::string& out, std::string_view value) {
  bool needs_quotes = value.empty();
  for (unsigned char c : value) {
    if (c <= ' ' || c == '=' || c == '"') needs_quotes = true;
  }
  if (needs_quotes) {
    append_quoted(out, value);
  } else {
    out += value;
  }
}

}  // namespace

Result<Level> parse_level(std::string_view text) {
  for (auto level : {Level::debug, Level::info, Level::warn, Level::error}) {
    if (level_name(level) == text) return level;
  }
  return Status::error(
      fmt::format("unrecognized log level \"{}\" (want debug, info, warn or error)", text));
}

Result<Format> parse_format(std::string_view text) {
  if (text == "logfmt") return Format::logfmt;
  if (text == "json") return Format::json;
  return Status::error(fmt::format("unrecognized log format \"{}\" (want logfmt or json)", text));
}

void configure(Level level, Format format, std::ostream* out) {
  std::lock_guard lock(g_mutex);
  g_level = level;
  g_format = format;
  g_out = out;
}

bool enabled(Level level) { return level >= g_level.load(std::memory_order_relaxed); }

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  std::string line;
  line.reserve(128);
  if (g_format == Format::json) {
    line += "{\"ts\":";
    append_quoted(line, timestamp_now());
    line += ",\"level\":";
    append_quoted(line, level_name(level));
    line += ",\"msg\":";
    append_quoted(line, message);
    for (const auto& field : fields) {
      line += ',';
      append_quoted(line, field.key);
      line += ':';
      if (field.kind == Field::Kind::string) {
        append_quoted(line, field.value);
      } else {
        line += field.value;
      }
    }
    line += "}\n";
  } else {
    line += "ts=";
    line += timestamp_now();
    line += " level=";
    line += level_name(level);
    line += " msg=";
    append_logfmt_value(line, message);
    for (const auto& field : fields) {
      line += ' ';
      line += field.key;
      line += '=';
      append_logfmt_value(line, field.value);
    }
    line += '\n';
  }
  std::lock_guard lock(g_mutex);
  std::ostream& out = g_out ? *g_out : std::cerr;
  out << line;
  out.flush();
}

}  // namespace mc::log
