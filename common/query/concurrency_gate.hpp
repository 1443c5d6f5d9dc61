// At most N queries evaluate at once (--query.max-concurrency); the others
// wait for a slot until their deadline, as Prometheus's active query tracker
// makes them wait ("query timed out in query queue").
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace mc::query {

class ConcurrencyGate {
 public:
  // `slots` < 1 is taken as 1: a gate that never opens would hang every query.
  explicit ConcurrencyGate(int slots);

  // Takes a slot; false when none freed up before `deadline`.
  bool enter(std::chrono::steady_clock::time_point deadline);
  void leave();
  int in_use() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int free_slots_;
  int slots_;
};

// Holds a slot for a scope.
class GateSlot {
 public:
  GateSlot(ConcurrencyGate& gate, std::chrono::steady_clock::time_point deadline)
      : gate_(gate), held_(gate.enter(deadline)) {}
  ~GateSlot() {
    if (held_) gate_.leave();
  }
  GateSlot(const GateSlot&) = delete;
  GateSlot& operator=(const GateSlot&) = delete;

  bool held() const { return held_; }

 private:
  ConcurrencyGate& gate_;
  bool held_;
};

}  // namespace mc::query
