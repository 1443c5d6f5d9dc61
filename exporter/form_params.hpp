// FormParams: the parameters of a request, from its query string and its
// application/x-www-form-urlencoded body, as Go's url.ParseQuery reads them,
// so the Prometheus HTTP API (issue 12) gets `match[]=a&match[]=b` as two
// values of one name, in order.
//
// Decoding: '+' is a space, %XX a byte; a '%' not followed by two hex digits
// is an error naming the parameter, as Go's ParseQuery refuses it (Prometheus
// answers 400). Empty pieces ("a=1&&b=2") are skipped; a name without '='
// has the value "".
//
// Thread-safety: a value type; const methods may be called from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/util/status.hpp"

namespace mc {

class FormParams {
 public:
  // Decodes `encoded` ("a=1&b=x%20y") and appends its parameters after those
  // already held. On an error the parameters decoded before it are kept.
  Status add_encoded(std::string_view encoded);
  void add(std::string name, std::string value);

  // Every value of `name`, in the order they came.
  std::vector<std::string_view> values(std::string_view name) const;
  // The first value of `name`, as Go's FormValue; nullopt when absent.
  std::optional<std::string_view> value(std::string_view name) const;
  bool has(std::string_view name) const { return value(name).has_value(); }

  const std::vector<std::pair<std::string, std::string>>& all() const { return params_; }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

// Decodes one name or value of a form: '+' -> ' ', %XX -> the byte.
// Fails on a '%' without two hex digits after it.
Result<std::string> decode_form_component(std::string_view encoded);

}  // namespace mc
