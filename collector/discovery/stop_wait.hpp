// wait_until_stopped: a sleep that a stop request ends at once, so that a
// discoverer waiting out its refresh_interval stops within the Discoverer
// contract's second.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace mc {

// Sleeps for `duration` or until `stop` is requested; true when stop was requested.
inline bool wait_until_stopped(std::stop_token stop, std::chrono::milliseconds duration) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  return wake.wait_for(lock, stop, duration, [] { return false; }) || stop.stop_requested();
}

}  // namespace mc
