#include "common/query/concurrency_gate.hpp"

namespace mc::query {

ConcurrencyGate::ConcurrencyGate(int slots)
    : free_slots_(slots < 1 ? 1 : slots), slots_(slots < 1 ? 1 : slots) {}

bool ConcurrencyGate::enter(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  if (!freed_.wait_until(lock, deadline, [this] { return free_slots_ > 0; })) return false;
  --free_slots_;
  return true;
}

void ConcurrencyGate::leave() {
  {
    std::lock_guard lock(mutex_);
    ++free_slots_;
  }
  freed_.notify_one();
}

int ConcurrencyGate::in_use() const {
  std::lock_guard lock(mutex_);
  return slots_ - free_slots_;
}

}  // namespace mc::query
