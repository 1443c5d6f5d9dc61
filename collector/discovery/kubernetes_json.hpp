// JsonValue: the Kubernetes API's JSON (a PodList, a WatchEvent, a Status)
// read into a tree that the role builders walk. The project carries no JSON
// library; this reader takes RFC 8259 JSON whole (objects, arrays, strings
// with every escape, numbers, true/false/null) and is strict about it, so a
// truncated or garbled answer from an API server is an error naming the byte
// offset, never a half-read object.
//
// Lookups are forgiving on purpose: a missing key or a value of another kind
// reads as null / "" / 0, because the API leaves out empty fields (omitempty)
// and a builder would otherwise test every step.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/util/status.hpp"

namespace mc::kubernetes {

class JsonValue {
 public:
  enum class Kind { null, boolean, number, string, array, object };

  JsonValue() = default;

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_object() const { return kind_ == Kind::object; }
  bool is_array() const { return kind_ == Kind::array; }

  // The member `key` of an object; a shared null when absent or not an object.
  const JsonValue& operator[](std::string_view key) const;
  // The items of an array (empty for anything else).
  const std::vector<JsonValue>& items() const;
  // The members of an object in document order (empty for anything else).
  const std::vector<std::pair<std::string, JsonValue>>& members() const;

  // A string's text; "" for anything else.
  const std::string& str() const;
  // A number as an integer (truncated); 0 for anything else.
  int64_t integer() const;
  // true only for the JSON literal true.
  bool boolean() const { return kind_ == Kind::boolean && boolean_; }
  // Whether `key` is present (even as null) in an object.
  bool has(std::string_view key) const;

  static Result<JsonValue> parse(std::string_view text);

 private:
  friend class JsonParser;

  Kind kind_ = Kind::null;
  bool boolean_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> items_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

}  // namespace mc::kubernetes
