// errno_text: the message of an errno value, safe to call from any thread.
//
// std::strerror may return a buffer shared between threads (glibc documents it
// as MT-Unsafe); std::generic_category().message() uses strerror_r and returns
// its own string, with the same text.
#pragma once

#include <cerrno>
#include <string>
#include <system_error>

namespace mc {

inline std::string errno_text(int error_number) {
  return std::generic_category().message(error_number);
}

// The message of the current errno: read it before anything else can change it.
inline std::string errno_text() { return errno_text(errno); }

}  // namespace mc
