// bind_failure_reason: why an address cannot be listened on, in errno's words
// ("Address already in use", "Permission denied", ...).
//
// civetweb reports a port it cannot bind only as "Failed to setup server
// ports" and writes the reason to its log a line earlier, so the error the
// daemon ends with would not say why. After civetweb fails, the server tries
// the same bind and listen itself to learn the reason.
//
// Thread-safety: a stateless function.
#pragma once

#include <string>
#include <string_view>

namespace mc {

// `civetweb_port` as the server hands it to civetweb: "9993" (all IPv4
// interfaces), "127.0.0.1:9993" or "[::1]:9993". "" when the address binds
// after all, or is not one of these forms.
std::string bind_failure_reason(std::string_view civetweb_port);

}  // namespace mc
