// CommitFeed: how consumers other than the write-ahead log follow what is
// committed (remote write, a live stream). Any number of CommitSubscribers
// register on a store's feed; each is called with every batch that becomes
// visible after it subscribed, with the batch's series (labels included),
// metadata changes and samples.
//
// The WAL is not a subscriber: it is the head's CommitLog, called before a
// batch becomes visible and able to fail it. A subscriber is told afterwards
// and cannot.
//
// Ordering guarantees:
// - Batches reach subscribers one at a time, in the order the head's commit
//   log records them (a head without a log orders them the same way), each
//   once, after all of it is visible to readers. CommittedBatch::sequence
//   counts them; a subscriber sees consecutive numbers from its first batch
//   until it unsubscribes.
// - A subscriber sees every non-empty batch whose commit() starts after
//   subscribe() returns, none that finished before subscribe() was called, and no calls
//   once unsubscribe() has returned. Batches rolled back, or failed by the
//   commit log, are never delivered.
// - The samples of a batch are those it made visible, in the order they were
//   appended; a sample another appender overtook meanwhile (see HeadAppender)
//   is not in it. While anyone subscribes, commits apply their batches one at
//   a time in that same order, so a series' samples arrive in time order
//   across batches.
// - Only commits through appenders are delivered: a store restoring its head
//   from the WAL at open has no subscribers yet, and restore_* calls deliver
//   nothing.
//
// Threading: subscribers are called on the committing thread, before its
// commit() returns, never two at once; other commits wait for their turn
// before applying their batch. A subscriber should copy or enqueue what it
// needs and return: a slow one delays every commit. It must not commit to the
// same store, nor subscribe or unsubscribe, from on_commit() (that deadlocks);
// it may read the store. subscribe() and unsubscribe() may be called from any
// thread.
//
// Cost: when nobody subscribes, a commit costs one atomic load more and
// commits apply in parallel as before. With subscribers, a commit also copies
// each series' labels pointer (shared) and its samples' (ref, t, v), and
// commits apply one at a time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/shared_labels.hpp"
#include "common/store/commit_log.hpp"

namespace mc {

// A series of a committed batch. Every series with samples or metadata in the
// batch is listed, not only those new to the store, so a subscriber that
// joined late can name every ref; refs never change, so it may cache them.
struct CommittedSeries {
  SeriesRef ref;
  SharedLabels labels;  // may be kept past the call
};

struct CommittedBatch {
  uint64_t sequence = 0;  // 1, 2, ... in delivery order
  std::span<const CommittedSeries> series;
  // Metadata that changed with this batch; the pointers live as the store.
  std::span<const LoggedMetadata> metadata;
  std::span<const LoggedSample> samples;
};

class CommitSubscriber {
 public:
  virtual ~CommitSubscriber() = default;
  // The spans are valid during the call only.
  virtual void on_commit(const CommittedBatch& batch) = 0;
};

class CommitFeed {
 public:
  CommitFeed() = default;
  CommitFeed(const CommitFeed&) = delete;
  CommitFeed& operator=(const CommitFeed&) = delete;

  // `subscriber` must stay alive until unsubscribe() returns. Subscribing
  // twice is one subscription.
  void subscribe(CommitSubscriber& subscriber);
  // No call reaches `subscriber` after this returns. Unknown: ignored.
  void unsubscribe(CommitSubscriber& subscriber);

  // For the store that owns the feed. Whether anyone listens (a hint: a
  // commit that finds none skips building the batch).
  bool followed() const { return subscribers_count_.load(std::memory_order_acquire) > 0; }
  // A commit's place in the order. REQUIRES: called in log order (under the
  // head's commit log lock), after the batch can no longer fail, and followed
  // by exactly one apply_and_deliver() with the ticket.
  uint64_t take_ticket() { return next_ticket_.fetch_add(1, std::memory_order_relaxed); }
  // Waits until the batches of earlier tickets are delivered, then runs
  // `apply` (which makes the batch visible and returns what became visible)
  // and calls every subscriber with its result.
  void apply_and_deliver(uint64_t ticket, const std::function<CommittedBatch()>& apply);

 private:
  // Guards subscribers_ and next_delivery_; held while a batch is applied and
  // delivered.
  std::mutex mutex_;
  std::condition_variable turn_;
  std::vector<CommitSubscriber*> subscribers_;
  std::atomic<size_t> subscribers_count_{0};
  std::atomic<uint64_t> next_ticket_{1};
  uint64_t next_delivery_ = 1;
};

}  // namespace mc
