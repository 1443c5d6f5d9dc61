#include "collector/scrape/scrape_scheduler.hpp"

#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <mutex>
#include <queue>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "collector/scrape/scheduled_target.hpp"
#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"
#include "common/util/worker_pool.hpp"

namespace mc {

namespace {

using SteadyClock = std::chrono::steady_clock;
using TargetPtr = std::shared_ptr<ScheduledTarget>;

// About 2,500 series of a node_exporter-like page: about a millisecond of
// parsing and appending (bench/scrape/README.md).
constexpr size_t kProcessHereMaxBodyBytes = size_t{256} * 1024;

// libcurl's global init sets up OpenSSL: about 2 MB of the daemon's RSS
// (libcrypto's pages) that a daemon whose targets all go through the plain
// client never needs, so it waits for the first libcurl transfer. It is
// thread-safe since libcurl 7.84 (Debian 12 has 7.88), and done once.
void ensure_curl_global_init() {
  static const bool initialised = [] {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  }();
  (void)initialised;
}

// The first instant from `now` whose wall-clock time modulo the interval is
// the target's offset.
SteadyClock::time_point first_slot(const ScheduledTarget& target, SteadyClock::time_point now,
                                   int64_t now_wall_ms) {
  int64_t interval = target.loop.target().interval().count();
  int64_t offset = target.loop.target().offset(target.loop.target().interval()).count();
  int64_t delay = ((offset - now_wall_ms % interval) % interval + interval) % interval;
  return now + std::chrono::milliseconds(delay);
}

}  // namespace

class ScrapeScheduler::Impl {
 public:
  Impl(ScrapeMetrics& metrics, size_t worker_threads)
      : metrics_(metrics), worker_threads_(worker_threads) {}

  ~Impl() { stop(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void start() {
    std::lock_guard lock(control_mutex_);
    if (running_) return;
    // The plain client's sockets and the wake-up of update() and stop() wait
    // in one epoll set; libcurl's own sockets wait in its multi handle, which
    // is asked only while it has transfers.
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0)
      throw std::runtime_error("cannot create the scrape epoll set");
    epoll_event wake{};
    wake.events = EPOLLIN;
    wake.data.ptr = nullptr;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake);
    workers_ = std::make_unique<WorkerPool>(worker_threads_);
    timetable_ = {};
    auto now = SteadyClock::now();
    int64_t now_wall = wall_clock_ms();
    for (const auto& [raw, target] : targets_) schedule(target, now, now_wall);
    stopping_ = false;
    running_ = true;
    scheduler_ = std::thread([this] { run(); });
    log::info("scrape scheduler started", {{"targets", targets_.size()}});
  }

  void stop() {
    {
      std::lock_guard lock(control_mutex_);
      if (!running_) return;
      stopping_ = true;
    }
    wake();
    scheduler_.join();
    workers_.reset();  // finishes the scrapes being processed
    std::lock_guard lock(control_mutex_);
    for (const auto& [raw, target] : targets_) {
      if (target->in_transfer) end_transfer(*target);
      // Its socket is in this epoll set: the next start() connects anew.
      target->http.close_plain_connection();
    }
    plain_in_flight_.clear();
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    multi_ = nullptr;
    ::close(epoll_fd_);
    ::close(wake_fd_);
    epoll_fd_ = wake_fd_ = -1;
    running_ = false;
    // Updates that came while the thread ended; nothing else runs now.
    apply_pending_updates();
  }

  void update(std::vector<TargetPtr> added, std::vector<TargetPtr> removed) {
    std::unique_lock lock(control_mutex_);
    if (!running_) {
      apply(added, removed);
      return;
    }
    PendingUpdate pending{std::move(added), std::move(removed), {}};
    std::future<void> applied = pending.applied.get_future();
    pending_.push_back(std::move(pending));
    // Under the lock: stop() closes the wake-up under it.
    wake();
    lock.unlock();
    applied.wait();
  }

  size_t target_count() const {
    std::lock_guard lock(control_mutex_);
    return target_count_;
  }

 private:
  struct Due {
    SteadyClock::time_point when;
    TargetPtr target;
    bool operator>(const Due& other) const { return when > other.when; }
  };
  struct PendingUpdate {
    std::vector<TargetPtr> added;
    std::vector<TargetPtr> removed;
    std::promise<void> applied;
  };

  void wake() {
    const uint64_t one = 1;
    if (wake_fd_ >= 0) (void)!::write(wake_fd_, &one, sizeof(one));
  }

  // Drops the transfer under way of `target`, by either client.
  void end_transfer(ScheduledTarget& target) {
    if (target.via_curl) {
      curl_multi_remove_handle(multi_, target.http.handle());
      --curl_transfers_;
    } else {
      target.http.close_plain_connection();
      std::erase(plain_in_flight_, &target);
    }
    target.in_transfer = false;
    target.busy = false;
  }

  // The scheduler thread, or any thread while it does not run; control_mutex_ held.
  void apply(const std::vector<TargetPtr>& added, const std::vector<TargetPtr>& removed) {
    for (const auto& target : removed) {
      if (targets_.erase(target.get()) == 0) continue;
      target->scheduled = false;
      if (target->in_transfer) end_transfer(*target);
      // Its kept socket's events name the target: none may come once it is let go.
      if (running_) target->http.close_plain_connection();
    }
    auto now = SteadyClock::now();
    int64_t now_wall = wall_clock_ms();
    for (const auto& target : added) {
      if (!targets_.emplace(target.get(), target).second) continue;
      target->scheduled = true;
      if (running_) schedule(target, now, now_wall);
    }
    target_count_ = targets_.size();
  }

  void apply_pending_updates() {
    for (auto& pending : pending_) {
      apply(pending.added, pending.removed);
      pending.applied.set_value();
    }
    pending_.clear();
  }

  void schedule(const TargetPtr& target, SteadyClock::time_point now, int64_t now_wall_ms) {
    target->scheduled = true;
    target->next_due = first_slot(*target, now, now_wall_ms);
    timetable_.push({target->next_due, target});
  }

  void run() {
    while (true) {
      {
        std::lock_guard lock(control_mutex_);
        if (stopping_) break;
        apply_pending_updates();
      }
      start_due_scrapes();
      if (curl_transfers_ > 0) {
        int running = 0;
        curl_multi_perform(multi_, &running);
        collect_finished_transfers(running);
      }
      const SteadyClock::time_point now = SteadyClock::now();
      SteadyClock::time_point wake_at = now + std::chrono::seconds(1);
      if (!timetable_.empty()) wake_at = std::min(wake_at, timetable_.top().when);
      wake_at = std::min(wake_at, time_out_plain_transfers(now));
      // Rounded up: rounded down, the wait ended just before the slot and
      // the loop spun through about ten zero-timeout polls until it came.
      const auto until = std::chrono::ceil<std::chrono::milliseconds>(wake_at - now).count();
      const int wait_ms = static_cast<int>(std::clamp<int64_t>(until, 0, 1000));
      int ready = 0;
      if (curl_transfers_ > 0) {
        // libcurl's sockets and ours: its poll includes our epoll set.
        curl_waitfd ours{epoll_fd_, CURL_WAIT_POLLIN, 0};
        curl_multi_poll(multi_, &ours, 1, wait_ms, nullptr);
        if (ours.revents != 0) ready = epoll_wait(epoll_fd_, events_.data(), kEvents, 0);
      } else {
        ready = epoll_wait(epoll_fd_, events_.data(), kEvents, wait_ms);
      }
      handle_events(ready);
    }
  }

  // Ends the plain transfers past their scrape timeout; returns when the
  // next one times out.
  SteadyClock::time_point time_out_plain_transfers(SteadyClock::time_point now) {
    SteadyClock::time_point next = SteadyClock::time_point::max();
    for (size_t i = 0; i < plain_in_flight_.size();) {
      ScheduledTarget& state = *plain_in_flight_[i];
      const auto timeout = state.loop.target().timeout();
      const SteadyClock::time_point deadline = state.started_steady + timeout;
      if (deadline > now) {
        next = std::min(next, deadline);
        ++i;
        continue;
      }
      state.http.time_out_plain(timeout);
      plain_transfer_ended(state, 0);  // takes it out of plain_in_flight_
    }
    return next;
  }

  void handle_events(int ready) {
    for (int i = 0; i < ready; ++i) {
      auto* state = static_cast<ScheduledTarget*>(events_[i].data.ptr);
      if (state == nullptr) {
        uint64_t count = 0;
        (void)!::read(wake_fd_, &count, sizeof(count));
        continue;
      }
      if (!state->in_transfer || state->via_curl) {
        state->http.on_plain_idle_event();
        continue;
      }
      if (state->http.on_plain_ready(events_[i].events)) {
        plain_transfer_ended(*state, ready - i - 1);
      }
    }
  }

  // A plain transfer ended; `others_ready`: events still to handle after it.
  void plain_transfer_ended(ScheduledTarget& state, int others_ready) {
    std::erase(plain_in_flight_, &state);
    if (state.http.plain_needs_libcurl()) {
      start_curl_transfer(state);  // the redirect is libcurl's to follow
      return;
    }
    state.in_transfer = false;
    auto found = targets_.find(&state);
    if (found == targets_.end()) return;
    const int running = static_cast<int>(plain_in_flight_.size()) + curl_transfers_;
    if (process_here(state, running, others_ready)) {
      process(state);
    } else {
      workers_->submit([this, target = found->second] { process(*target); });
    }
  }

  void start_curl_transfer(ScheduledTarget& state) {
    if (multi_ == nullptr) {  // the first libcurl transfer since start()
      ensure_curl_global_init();
      multi_ = curl_multi_init();
    }
    state.via_curl = true;
    CURL* handle = state.http.prepare();
    curl_easy_setopt(handle, CURLOPT_PRIVATE, &state);
    curl_multi_add_handle(multi_, handle);
    ++curl_transfers_;
  }

  void start_due_scrapes() {
    auto now = SteadyClock::now();
    while (!timetable_.empty() && timetable_.top().when <= now) {
      TargetPtr target = timetable_.top().target;
      timetable_.pop();
      if (!target->scheduled) continue;  // its pool let it go
      ScheduledTarget& state = *target;
      auto interval = state.loop.target().interval();
      const SteadyClock::time_point slot = state.next_due;
      // Keep the grid: the next slot after now, skipping slots already past.
      int slots_passed = 0;
      do {
        state.next_due += interval;
        ++slots_passed;
      } while (state.next_due <= now);
      timetable_.push({state.next_due, target});
      auto& job_metrics = state.job_metrics;
      if (slots_passed > 1) job_metrics.missed->Increment(slots_passed - 1);

      if (state.busy) {
        job_metrics.skipped->Increment();
        log::warn("scrape skipped: the previous scrape of the target is still running",
                  {{"job", state.job->job_name}, {"target", state.loop.target().url()}});
        continue;
      }
      job_metrics.lag->Observe(std::chrono::duration<double>(now - slot).count());
      state.busy = true;
      state.in_transfer = true;
      state.started_steady = now;
      state.started_wall_ms = wall_clock_ms();
      if (!state.http.uses_plain_client()) {
        start_curl_transfer(state);
        continue;
      }
      state.via_curl = false;
      plain_in_flight_.push_back(&state);
      if (state.http.start_plain(epoll_fd_, &state)) plain_transfer_ended(state, 0);
    }
  }

  // `running`: transfers still under way, from curl_multi_perform.
  void collect_finished_transfers(int running) {
    int remaining = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &remaining)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* handle = message->easy_handle;
      CURLcode result = message->data.result;
      curl_multi_remove_handle(multi_, handle);
      --curl_transfers_;
      ScheduledTarget* state = find_target(handle);
      if (state == nullptr) continue;
      state->in_transfer = false;
      // The worker's own reference keeps the target alive if its pool lets it go meanwhile.
      auto found = targets_.find(state);
      if (found == targets_.end()) continue;
      state->http.curl_done(result);
      if (process_here(*state, running + static_cast<int>(plain_in_flight_.size()), remaining)) {
        process(*state);
      } else {
        workers_->submit([this, target = found->second] { process(*target); });
      }
    }
  }

  // Whether to process a finished scrape on this thread instead of a worker's.
  // Handing it over costs a futex wake here and a wake-up there (about
  // 16 us each on this VM, a sizable part of a small scrape's fixed cost), and
  // the worker reads the body from another core's cache. Done here only when
  // nothing else waits on this thread for that long: no other transfer under
  // way or finished, no scrape queued for the workers, and a body small enough
  // that parsing it delays the next due scrape by a millisecond or two at most.
  bool process_here(const ScheduledTarget& state, int running, int finished_waiting) const {
    return running == 0 && finished_waiting == 0 &&
           state.http.body_size() <= kProcessHereMaxBodyBytes && workers_->queued() == 0;
  }

  static ScheduledTarget* find_target(CURL* handle) {
    char* state = nullptr;  // set as the handle's private pointer in start_due_scrapes()
    curl_easy_getinfo(handle, CURLINFO_PRIVATE, &state);
    return reinterpret_cast<ScheduledTarget*>(state);
  }

  // A worker thread, or the scheduler thread for a small scrape (process_here).
  void process(ScheduledTarget& state) {
    ScrapeResponse response = state.http.finish();
    double duration =
        std::chrono::duration<double>(SteadyClock::now() - state.started_steady).count();
    ScrapeReport report;
    {
      std::lock_guard lock(state.loop_mutex);
      if (state.retired) {  // its pool let it go and marked its series stale
        state.http.release_body();
        state.busy = false;
        return;
      }
      report = state.loop.process(response, state.started_wall_ms, duration);
    }
    state.http.release_body();  // the response's views end here
    auto& job_metrics = state.job_metrics;
    job_metrics.scrapes->Increment();
    job_metrics.duration->Observe(
        std::chrono::duration<double>(SteadyClock::now() - state.started_steady).count());
    const std::string& job = state.job->job_name;
    const std::string& url = state.loop.target().url();
    if (log::enabled(log::Level::debug)) {
      log::debug("scrape finished", {{"job", job},
                                     {"target", url},
                                     {"up", report.up ? 1 : 0},
                                     {"duration_seconds", duration},
                                     {"samples", report.samples_scraped},
                                     {"series_added", report.series_added},
                                     {"stale_markers", report.stale_markers}});
    }
    if (!report.up) {
      metrics_.failures(job, state.instance, report.failure_reason).Increment();
      log::warn("scrape failed", {{"job", job},
                                  {"target", url},
                                  {"reason", report.failure_reason},
                                  {"err", report.error}});
    } else if (report.out_of_order + report.duplicate_timestamp > 0) {
      log::warn("scrape had samples the store rejected",
                {{"job", job},
                 {"target", url},
                 {"out_of_order", report.out_of_order},
                 {"duplicate_timestamp", report.duplicate_timestamp}});
    }
    state.busy = false;
  }

  ScrapeMetrics& metrics_;
  const size_t worker_threads_;

  mutable std::mutex control_mutex_;
  bool running_ = false;               // guarded by control_mutex_
  bool stopping_ = false;              // guarded by control_mutex_
  std::deque<PendingUpdate> pending_;  // guarded by control_mutex_
  // Scheduler thread (changed under control_mutex_), or any thread while it does not run.
  std::unordered_map<ScheduledTarget*, TargetPtr> targets_;
  size_t target_count_ = 0;  // guarded by control_mutex_

  std::priority_queue<Due, std::vector<Due>, std::greater<>> timetable_;  // scheduler thread
  CURLM* multi_ = nullptr;  // made by the first libcurl transfer
  int curl_transfers_ = 0;  // handles in multi_
  int epoll_fd_ = -1;       // the plain client's sockets and wake_fd_
  int wake_fd_ = -1;        // an eventfd: update() and stop() wake the scheduler thread
  static constexpr int kEvents = 64;
  std::array<epoll_event, kEvents> events_{};
  std::vector<ScheduledTarget*> plain_in_flight_;  // plain transfers under way
  std::unique_ptr<WorkerPool> workers_;
  std::thread scheduler_;
};

ScrapeScheduler::ScrapeScheduler(ScrapeMetrics& metrics, size_t worker_threads)
    : impl_(std::make_unique<Impl>(metrics, worker_threads)) {}

ScrapeScheduler::~ScrapeScheduler() = default;

void ScrapeScheduler::start() { impl_->start(); }
void ScrapeScheduler::stop() { impl_->stop(); }
void ScrapeScheduler::update(std::vector<std::shared_ptr<ScheduledTarget>> added,
                             std::vector<std::shared_ptr<ScheduledTarget>> removed) {
  impl_->update(std::move(added), std::move(removed));
}
size_t ScrapeScheduler::target_count() const { return impl_->target_count(); }

}  // namespace mc
