#include "common/store/commit_feed.hpp"

#include <algorithm>

namespace mc {

void CommitFeed::subscribe(CommitSubscriber& subscriber) {
  std::lock_guard lock(mutex_);
  if (std::find(subscribers_.begin(), subscribers_.end(), &subscriber) != subscribers_.end()) {
    return;
  }
  subscribers_.push_back(&subscriber);
  subscribers_count_.store(subscribers_.size(), std::memory_order_release);
}

void CommitFeed::unsubscribe(CommitSubscriber& subscriber) {
  // Taking the mutex waits out a delivery in progress, which holds it.
  std::lock_guard lock(mutex_);
  std::erase(subscribers_, &subscriber);
  subscribers_count_.store(subscribers_.size(), std::memory_order_release);
}

void CommitFeed::apply_and_deliver(uint64_t ticket, const std::function<CommittedBatch()>& apply) {
  std::unique_lock lock(mutex_);
  turn_.wait(lock, [&] { return next_delivery_ == ticket; });
  // Applied in turn: a later batch's sample for a series cannot become visible
  // (and be delivered) before an earlier batch's.
  CommittedBatch batch = apply();
  batch.sequence = ticket;
  for (CommitSubscriber* subscriber : subscribers_) subscriber->on_commit(batch);
  ++next_delivery_;
  lock.unlock();
  // Every waiter checks its own ticket; commits that wait here are few (one
  // per committing thread).
  turn_.notify_all();
}

}  // namespace mc
