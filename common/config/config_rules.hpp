// Value rules of the config that are not about YAML and not shared with the
// rest of the daemon: the address form of a static target. (Label names and
// UTF-8 are in common/model/label_name.hpp and common/util/utf8.hpp.)
//
// Private to common/config. Pure functions; callable from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mc {

// Why `target` cannot be a static target, or nullopt when it can. Prometheus
// rejects a target holding '/' (a URL instead of an address) when it loads the
// config; we also reject what can never be scraped: an empty target, blanks
// or control characters, a missing host, and a port that is not a number from
// 0 to 65535. A missing port is allowed, as in Prometheus, which scrapes such
// a target on the scheme's default port.
std::optional<std::string> target_address_problem(std::string_view target);

}  // namespace mc
