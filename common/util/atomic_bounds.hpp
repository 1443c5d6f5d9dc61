// Lock-free running minimum and maximum of an atomic: statistics (the WAL's
// slowest fsync) and bounds (the head's time range) that many threads update.
#pragma once

#include <atomic>

namespace mc {

// Sets `value` to `candidate` if that is lower; concurrent calls keep the lowest.
template <typename T>
void lower_atomic_to(std::atomic<T>& value, T candidate,
                     std::memory_order order = std::memory_order_acq_rel) {
  T current = value.load(std::memory_order_relaxed);
  while (candidate < current && !value.compare_exchange_weak(current, candidate, order)) {
  }
}

// Sets `value` to `candidate` if that is higher; concurrent calls keep the highest.
template <typename T>
void raise_atomic_to(std::atomic<T>& value, T candidate,
                     std::memory_order order = std::memory_order_acq_rel) {
  T current = value.load(std::memory_order_relaxed);
  while (candidate > current && !value.compare_exchange_weak(current, candidate, order)) {
  }
}

}  // namespace mc
