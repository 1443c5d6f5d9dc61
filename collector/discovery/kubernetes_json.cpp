#include "collector/discovery/kubernetes_json.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace mc::kubernetes {

namespace {

const JsonValue& null_value() {
  static const JsonValue kNull;
  return kNull;
}

const std::string& empty_string() {
  static const std::string kEmpty;
  return kEmpty;
}

// Deep enough for any Kubernetes object; bounded so that a hostile answer
// cannot exhaust the stack.
constexpr int kMaxDepth = 128;

void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

}  // namespace

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  Result<JsonValue> parse_document() {
    JsonValue value;
    if (Status status = parse_value(value, 0); !status) return status;
    skip_space();
    if (at_ < text_.size()) return fail("unexpected text after the JSON value");
    return value;
  }

 private:
  Status fail(std::string_view what) const {
    return Status::error(fmt::format("invalid JSON at byte {}: {}", at_, what));
  }

  void skip_space() {
    while (at_ < text_.size() &&
           (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }

  bool consume_word(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  Status parse_value(JsonValue& out, int depth) {
    if (depth > kMaxDepth) return fail("nested too deeply");
    skip_space();
    if (at_ >= text_.size()) return fail("unexpected end of input");
    char c = text_[at_];
    switch (c) {
      case '{':
        return parse_object(out, depth);
      case '[':
        return parse_array(out, depth);
      case '"':
        out.kind_ = JsonValue::Kind::string;
        return parse_string(out.string_);
      case 't':
        if (!consume_word("true")) return fail("expected true");
        out.kind_ = JsonValue::Kind::boolean;
        out.boolean_ = true;
        return Status::ok();
      case 'f':
        if (!consume_word("false")) return fail("expected false");
        out.kind_ = JsonValue::Kind::boolean;
        out.boolean_ = false;
        return Status::ok();
      case 'n':
        if (!consume_word("null")) return fail("expected null");
        out.kind_ = JsonValue::Kind::null;
        return Status::ok();
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return parse_number(out);
        return fail(fmt::format("unexpected character {:?}", c));
    }
  }

  Status parse_object(JsonValue& out, int depth) {
    out.kind_ = JsonValue::Kind::object;
    ++at_;  // '{'
    skip_space();
    if (at_ < text_.size() && text_[at_] == '}') {
      ++at_;
      return Status::ok();
    }
    while (true) {
      skip_space();
      if (at_ >= text_.size() || text_[at_] != '"') return fail("expected a member name");
      std::string key;
      if (Status status = parse_string(key); !status) return status;
      skip_space();
      if (at_ >= text_.size() || text_[at_] != ':') return fail("expected ':'");
      ++at_;
      JsonValue value;
      if (Status status = parse_value(value, depth + 1); !status) return status;
      out.members_.emplace_back(std::move(key), std::move(value));
      skip_space();
      if (at_ >= text_.size()) return fail("unexpected end of input in an object");
      if (text_[at_] == ',') {
        ++at_;
        continue;
      }
      if (text_[at_] == '}') {
        ++at_;
        return Status::ok();
      }
      return fail("expected ',' or '}'");
    }
  }

  Status parse_array(JsonValue& out, int depth) {
    out.kind_ = JsonValue::Kind::array;
    ++at_;  // '['
    skip_space();
    if (at_ < text_.size() && text_[at_] == ']') {
      ++at_;
      return Status::ok();
    }
    while (true) {
      JsonValue item;
      if (Status status = parse_value(item, depth + 1); !status) return status;
      out.items_.push_back(std::move(item));
      skip_space();
      if (at_ >= text_.size()) return fail("unexpected end of input in an array");
      if (text_[at_] == ',') {
        ++at_;
        continue;
      }
      if (text_[at_] == ']') {
        ++at_;
        return Status::ok();
      }
      return fail("expected ',' or ']'");
    }
  }

  Result<uint32_t> parse_hex4() {
    if (at_ + 4 > text_.size()) return fail("short \\u escape");
    uint32_t value = 0;
    auto [end, error] = std::from_chars(text_.data() + at_, text_.data() + at_ + 4, value, 16);
    if (error != std::errc() || end != text_.data() + at_ + 4) return fail("bad \\u escape");
    at_ += 4;
    return value;
  }

  Status parse_string(std::string& out) {
    ++at_;  // opening quote
    while (true) {
      if (at_ >= text_.size()) return fail("unterminated string");
      char c = text_[at_];
      if (c == '"') {
        ++at_;
        return Status::ok();
      }
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
      if (c != '\\') {
        out.push_back(c);
        ++at_;
        continue;
      }
      ++at_;
      if (at_ >= text_.size()) return fail("unterminated escape");
      char escape = text_[at_++];
      switch (escape) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          auto unit = parse_hex4();
          if (!unit) return unit.status();
          uint32_t code_point = *unit;
          if (code_point >= 0xD800 && code_point < 0xDC00) {
            // A high surrogate; Go's decoder writes U+FFFD for a lone one.
            if (text_.substr(at_, 2) == "\\u") {
              at_ += 2;
              auto low = parse_hex4();
              if (!low) return low.status();
              if (*low >= 0xDC00 && *low < 0xE000) {
                code_point = 0x10000 + ((code_point - 0xD800) << 10) + (*low - 0xDC00);
              } else {
                append_utf8(out, 0xFFFD);
                code_point = *low;
              }
            } else {
              code_point = 0xFFFD;
            }
          } else if (code_point >= 0xDC00 && code_point < 0xE000) {
            code_point = 0xFFFD;
          }
          append_utf8(out, code_point);
          break;
        }
        default:
          return fail(fmt::format("unknown escape \\{}", escape));
      }
    }
  }

  Status parse_number(JsonValue& out) {
    size_t start = at_;
    if (text_[at_] == '-') ++at_;
    auto digits = [&] {
      size_t first = at_;
      while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
      return at_ - first;
    };
    if (at_ >= text_.size()) return fail("bad number");
    if (text_[at_] == '0') {
      ++at_;
    } else if (digits() == 0) {
      return fail("bad number");
    }
    if (at_ < text_.size() && text_[at_] == '.') {
      ++at_;
      if (digits() == 0) return fail("bad number: no digits after '.'");
    }
    if (at_ < text_.size() && (text_[at_] == 'e' || text_[at_] == 'E')) {
      ++at_;
      if (at_ < text_.size() && (text_[at_] == '+' || text_[at_] == '-')) ++at_;
      if (digits() == 0) return fail("bad number: no exponent digits");
    }
    double value = 0;
    auto [end, error] = std::from_chars(text_.data() + start, text_.data() + at_, value);
    if (error != std::errc() || end != text_.data() + at_) return fail("bad number");
    out.kind_ = JsonValue::Kind::number;
    out.number_ = value;
    return Status::ok();
  }

  std::string_view text_;
  size_t at_ = 0;
};

const JsonValue& JsonValue::operator[](std::string_view key) const {
  for (const auto& [name, value] : members_) {
    if (name == key) return value;
  }
  return null_value();
}

const std::vector<JsonValue>& JsonValue::items() const {
  static const std::vector<JsonValue> kNone;
  return kind_ == Kind::array ? items_ : kNone;
}

const std::vector<std::pair<std::string, JsonValue>>& JsonValue::members() const {
  static const std::vector<std::pair<std::string, JsonValue>> kNone;
  return kind_ == Kind::object ? members_ : kNone;
}

const std::string& JsonValue::str() const {
  return kind_ == Kind::string ? string_ : empty_string();
}

int64_t JsonValue::integer() const {
  if (kind_ != Kind::number || !std::isfinite(number_)) return 0;
  return static_cast<int64_t>(number_);
}

bool JsonValue::has(std::string_view key) const {
  for (const auto& member : members_) {
    if (member.first == key) return true;
  }
  return false;
}

Result<JsonValue> JsonValue::parse(std::string_view text) {
  return JsonParser(text).parse_document();
}

}  // namespace mc::kubernetes
