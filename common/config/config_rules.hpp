// Value rules of the config that are not about YAML: label names and values,
// and the address form of a static target.
//
// Private to common/config. Pure functions; callable from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mc {

// [a-zA-Z_][a-zA-Z0-9_]*, Prometheus's classic label name rule.
bool is_valid_label_name(std::string_view name);

// Well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF): the rule Go's utf8.ValidString applies to label values.
bool is_valid_utf8(std::string_view text);

// Why `target` cannot be a static target, or nullopt when it can. Prometheus
// rejects a target holding '/' (a URL instead of an address) when it loads the
// config; we also reject what can never be scraped: an empty target, blanks
// or control characters, a missing host, and a port that is not a number from
// 0 to 65535. A missing port is allowed, as in Prometheus, which scrapes such
// a target on the scheme's default port.
std::optional<std::string> target_address_problem(std::string_view target);

}  // namespace mc
