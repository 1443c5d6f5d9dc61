#include "common/store/block/meta_json.hpp"

#include <fmt/format.h>

#include <charconv>
#include <limits>

#include "common/util/json_string.hpp"
#include "common/util/utf8.hpp"

namespace mc::block {

namespace {

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  Result<JsonObject> object() {
    JsonObject result;
    skip_space();
    if (!consume('{')) return error("expected '{'");
    skip_space();
    if (consume('}')) return finish(std::move(result));
    while (true) {
      skip_space();
      const size_t key_position = position_;
      auto key = string();
      if (!key) return key.status();
      skip_space();
      if (!consume(':')) return error("expected ':'");
      skip_space();
      auto value = this->value();
      if (!value) return value.status();
      if (!result.emplace(std::move(*key), std::move(*value)).second) {
        return Status::error(fmt::format("byte {}: repeated key", key_position));
      }
      skip_space();
      if (consume('}')) return finish(std::move(result));
      if (!consume(',')) return error("expected ',' or '}'");
    }
  }

 private:
  Result<JsonObject> finish(JsonObject result) {
    skip_space();
    if (position_ != text_.size()) return error("trailing bytes after the object");
    return result;
  }

  Result<JsonValue> value() {
    if (peek() == '"') {
      auto s = string();
      if (!s) return s.status();
      return JsonValue(std::move(*s));
    }
    if (peek() == '[') {
      ++position_;
      std::vector<std::string> items;
      skip_space();
      if (consume(']')) return JsonValue(std::move(items));
      while (true) {
        skip_space();
        auto s = string();
        if (!s) return s.status();
        items.push_back(std::move(*s));
        skip_space();
        if (consume(']')) return JsonValue(std::move(items));
        if (!consume(',')) return error("expected ',' or ']'");
      }
    }
    return integer();
  }

  Result<JsonValue> integer() {
    const size_t start = position_;
    if (peek() == '-') ++position_;
    if (position_ >= text_.size() || text_[position_] < '0' || text_[position_] > '9') {
      return error("expected a string, an integer or an array of strings");
    }
    if (text_[position_] == '0' && position_ + 1 < text_.size() && text_[position_ + 1] >= '0' &&
        text_[position_ + 1] <= '9') {
      return error("leading zero in an integer");
    }
    while (position_ < text_.size() && text_[position_] >= '0' && text_[position_] <= '9') {
      ++position_;
    }
    if (peek() == '.' || peek() == 'e' || peek() == 'E') return error("only integers are allowed");
    int64_t value = 0;
    const auto [end, code] = std::from_chars(text_.data() + start, text_.data() + position_, value);
    if (code != std::errc() || end != text_.data() + position_) {
      return Status::error(fmt::format("byte {}: integer out of range", start));
    }
    return JsonValue(value);
  }

  Result<std::string> string() {
    if (!consume('"')) return error("expected '\"'");
    std::string out;
    while (true) {
      if (position_ >= text_.size()) return error("unterminated string");
      const char c = text_[position_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) {
        --position_;
        return error("control character in a string");
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (position_ >= text_.size()) return error("unterminated escape");
      const char e = text_[position_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          if (text_.size() - position_ < 4) return error("short \\u escape");
          unsigned code = 0;
          const auto [end, ec] =
              std::from_chars(text_.data() + position_, text_.data() + position_ + 4, code, 16);
          if (ec != std::errc() || end != text_.data() + position_ + 4) {
            return error("bad \\u escape");
          }
          if (code >= 0xd800 && code <= 0xdfff) return error("surrogate in \\u escape");
          position_ += 4;
          append_utf8(out, static_cast<char32_t>(code));
          break;
        }
        default:
          --position_;
          return error("unknown escape");
      }
    }
  }

  char peek() const { return position_ < text_.size() ? text_[position_] : '\0'; }
  bool consume(char c) {
    if (peek() != c || position_ >= text_.size()) return false;
    ++position_;
    return true;
  }
  void skip_space() {
    while (position_ < text_.size() && (text_[position_] == ' ' || text_[position_] == '\n' ||
                                        text_[position_] == '\t' || text_[position_] == '\r')) {
      ++position_;
    }
  }
  Status error(std::string_view what) const {
    return Status::error(fmt::format("byte {}: {}", position_, what));
  }

  std::string_view text_;
  size_t position_ = 0;
};

}  // namespace

Result<JsonObject> parse_json_object(std::string_view text) { return JsonParser(text).object(); }

std::string json_quote(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

}  // namespace mc::block
