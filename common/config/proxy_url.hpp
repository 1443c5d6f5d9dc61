// proxy_url as Prometheus 2.42 takes it: a URL that Go's url.Parse accepts,
// printed (in /api/v1/status/config, errors and logs) without its password.
//
// Pure functions; callable from any thread.
#pragma once

#include <string>
#include <string_view>

namespace mc {

// Go's url.Parse verdict on `text`, in its words ("parse \"::\": missing
// protocol scheme", "invalid port \":x\" after host"), or "" when it parses.
// A password in the URL is not repeated in the message.
std::string go_url_parse_problem(std::string_view text);

// The URL with its password written as "xxxxx", as Go's URL.Redacted() (the
// way Prometheus prints proxy_url).
std::string redact_url_password(std::string_view url);

}  // namespace mc
