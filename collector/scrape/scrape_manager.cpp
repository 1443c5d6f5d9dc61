#include "collector/scrape/scrape_manager.hpp"

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "collector/scrape/http_scraper.hpp"
#include "collector/scrape/scrape_loop.hpp"
#include "collector/scrape/scrape_metrics.hpp"
#include "common/util/logger.hpp"
#include "common/util/wall_clock.hpp"
#include "common/util/worker_pool.hpp"

namespace mc {

namespace {

using SteadyClock = std::chrono::steady_clock;

// libcurl's global init is not thread-safe; do it once before any handle exists.
void ensure_curl_global_init() {
  static const bool initialised = [] {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  }();
  (void)initialised;
}

}  // namespace

class ScrapeManager::Impl {
 public:
  Impl(Config config, Storage& storage, prometheus::Registry& registry,
       ScrapeManagerOptions options)
      : config_(std::move(config)), metrics_(registry, config_), options_(options) {
    ensure_curl_global_init();
    for (const auto& job : config_.scrape_configs) {
      for (const auto& group : job.static_configs) {
        for (const auto& address : group.targets) {
          auto state = std::make_unique<TargetState>();
          state->job = &job;
          state->loop =
              std::make_unique<ScrapeLoop>(ScrapeTarget(job, address, group.labels), job, storage);
          state->http = std::make_unique<HttpScraper>(state->loop->target(), job.scrape_timeout,
                                                      job.body_size_limit, job.sample_limit);
          targets_.push_back(std::move(state));
        }
      }
      metrics_.job(job.job_name).targets->Set(static_cast<double>(count_targets(job)));
    }
  }

  ~Impl() { stop(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void start() {
    if (running_) return;
    running_ = true;
    multi_ = curl_multi_init();
    workers_ = std::make_unique<WorkerPool>(options_.worker_threads);
    auto now_steady = SteadyClock::now();
    int64_t now_wall = wall_clock_ms();
    for (size_t i = 0; i < targets_.size(); ++i) {
      auto& state = *targets_[i];
      // First scrape at the next instant whose wall-clock time modulo the interval
      // equals the target's offset; then every interval.
      int64_t interval = state.job->scrape_interval.count();
      int64_t offset = state.loop->target().offset(state.job->scrape_interval).count();
      int64_t delay = ((offset - now_wall % interval) % interval + interval) % interval;
      state.next_due = now_steady + std::chrono::milliseconds(delay);
      timetable_.push({state.next_due, i});
    }
    scheduler_ = std::thread([this] { run_scheduler(); });
    log::info("scrape manager started",
              {{"targets", targets_.size()}, {"jobs", config_.scrape_configs.size()}});
  }

  void stop() {
    if (!running_) return;
    stopping_ = true;
    curl_multi_wakeup(multi_);
    scheduler_.join();
    workers_.reset();  // finishes scrapes being processed
    for (auto& state : targets_) {
      if (state->in_transfer) curl_multi_remove_handle(multi_, state->http->handle());
      state->loop->mark_all_stale(wall_clock_ms());
    }
    curl_multi_cleanup(multi_);
    multi_ = nullptr;
    running_ = false;
  }

  size_t target_count() const { return targets_.size(); }

 private:
  struct TargetState {
    const ScrapeConfig* job = nullptr;
    std::unique_ptr<ScrapeLoop> loop;
    std::unique_ptr<HttpScraper> http;
    SteadyClock::time_point next_due;
    SteadyClock::time_point started_steady;
    int64_t started_wall_ms = 0;
    bool in_transfer = false;        // scheduler thread only
    std::atomic<bool> busy = false;  // transfer or processing under way
  };
  struct Due {
    SteadyClock::time_point when;
    size_t target;
    bool operator>(const Due& other) const { return when > other.when; }
  };

  static size_t count_targets(const ScrapeConfig& job) {
    size_t n = 0;
    for (const auto& group : job.static_configs) n += group.targets.size();
    return n;
  }

  void run_scheduler() {
    while (!stopping_) {
      start_due_scrapes();
      int running = 0;
      curl_multi_perform(multi_, &running);
      collect_finished_transfers();
      int wait_ms = 1000;
      if (!timetable_.empty()) {
        // Rounded up: rounded down, the wait ended just before the slot and
        // the loop spun through about ten zero-timeout polls until it came.
        auto until =
            std::chrono::ceil<std::chrono::milliseconds>(timetable_.top().when - SteadyClock::now())
                .count();
        wait_ms = static_cast<int>(std::clamp<int64_t>(until, 0, 1000));
      }
      curl_multi_poll(multi_, nullptr, 0, wait_ms, nullptr);
    }
  }

  void start_due_scrapes() {
    auto now = SteadyClock::now();
    while (!timetable_.empty() && timetable_.top().when <= now) {
      size_t index = timetable_.top().target;
      timetable_.pop();
      auto& state = *targets_[index];
      auto interval = state.job->scrape_interval;
      const SteadyClock::time_point slot = state.next_due;
      // Keep the grid: the next slot after now, skipping slots already past.
      int slots_passed = 0;
      do {
        state.next_due += interval;
        ++slots_passed;
      } while (state.next_due <= now);
      timetable_.push({state.next_due, index});
      auto& job_metrics = metrics_.job(state.job->job_name);
      if (slots_passed > 1) job_metrics.missed->Increment(slots_passed - 1);

      if (state.busy) {
        job_metrics.skipped->Increment();
        log::warn("scrape skipped: the previous scrape of the target is still running",
                  {{"job", state.job->job_name}, {"target", state.loop->target().url()}});
        continue;
      }
      job_metrics.lag->Observe(std::chrono::duration<double>(now - slot).count());
      state.busy = true;
      state.in_transfer = true;
      state.started_steady = now;
      state.started_wall_ms = wall_clock_ms();
      CURL* handle = state.http->prepare();
      curl_easy_setopt(handle, CURLOPT_PRIVATE, &state);
      curl_multi_add_handle(multi_, handle);
    }
  }

  void collect_finished_transfers() {
    int remaining = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &remaining)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* handle = message->easy_handle;
      CURLcode result = message->data.result;
      curl_multi_remove_handle(multi_, handle);
      TargetState* state = find_target(handle);
      if (state == nullptr) continue;
      state->in_transfer = false;
      workers_->submit([this, state, result] { process(*state, result); });
    }
  }

  static TargetState* find_target(CURL* handle) {
    char* state = nullptr;  // set as the handle's private pointer in start_due_scrapes()
    curl_easy_getinfo(handle, CURLINFO_PRIVATE, &state);
    return reinterpret_cast<TargetState*>(state);
  }

  void process(TargetState& state, CURLcode result) {
    ScrapeResponse response = state.http->finish(result);
    double duration =
        std::chrono::duration<double>(SteadyClock::now() - state.started_steady).count();
    ScrapeReport report = state.loop->process(response, state.started_wall_ms, duration);
    auto& job_metrics = metrics_.job(state.job->job_name);
    job_metrics.scrapes->Increment();
    job_metrics.duration->Observe(
        std::chrono::duration<double>(SteadyClock::now() - state.started_steady).count());
    if (!report.up) {
      metrics_.failures(state.job->job_name, report.failure_reason).Increment();
      log::warn("scrape failed", {{"job", state.job->job_name},
                                  {"target", state.loop->target().url()},
                                  {"reason", report.failure_reason},
                                  {"err", report.error}});
    } else if (report.out_of_order + report.duplicate_timestamp > 0) {
      log::warn("scrape had samples the store rejected",
                {{"job", state.job->job_name},
                 {"target", state.loop->target().url()},
                 {"out_of_order", report.out_of_order},
                 {"duplicate_timestamp", report.duplicate_timestamp}});
    }
    state.busy = false;
  }

  Config config_;
  ScrapeMetrics metrics_;
  ScrapeManagerOptions options_;
  std::vector<std::unique_ptr<TargetState>> targets_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> timetable_;  // scheduler thread
  CURLM* multi_ = nullptr;
  std::unique_ptr<WorkerPool> workers_;
  std::thread scheduler_;
  std::atomic<bool> stopping_ = false;
  bool running_ = false;
};

ScrapeManager::ScrapeManager(const Config& config, Storage& storage, prometheus::Registry& registry,
                             ScrapeManagerOptions options)
    : impl_(std::make_unique<Impl>(config, storage, registry, options)) {}

ScrapeManager::~ScrapeManager() = default;

void ScrapeManager::start() { impl_->start(); }
void ScrapeManager::stop() { impl_->stop(); }
size_t ScrapeManager::target_count() const { return impl_->target_count(); }

}  // namespace mc
