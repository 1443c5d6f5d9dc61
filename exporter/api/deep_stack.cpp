#include "exporter/api/deep_stack.hpp"

#include <pthread.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>

#include "common/util/errno_text.hpp"
#include "common/util/stack_guard.hpp"
#include "exporter/api/api_response.hpp"

namespace mc::api {

namespace {

// One handler call, waited for by the worker that asked.
struct Call {
  const std::function<HttpResponse()>* handler = nullptr;
  HttpResponse response;
  std::exception_ptr failure;
  bool done = false;
};

// The deep-stack threads are kept between requests rather than started per
// request: a new thread's malloc arena starts empty and grows again with
// every query (sysmalloc and its page faults were ~40% of a 7-day query's
// CPU), while a kept thread keeps its arena warm. A thread idle for
// kIdleExit ends, so a burst leaves nothing behind for long.
class DeepStackThreads {
 public:
  static DeepStackThreads& instance() {
    static auto* threads = new DeepStackThreads();  // never destroyed: detached threads use it
    return *threads;
  }

  // Runs `call` on a kept thread; an error text when no thread could start.
  std::string run(Call& call) {
    std::unique_lock lock(mutex_);
    queue_.push_back(&call);
    // Each idle thread takes one queued call; start one more when they are fewer.
    if (idle_ >= queue_.size()) {
      wake_.notify_one();
    } else if (std::string failed = start_thread(); !failed.empty()) {
      queue_.pop_back();
      return failed;
    }
    done_.wait(lock, [&] { return call.done; });
    return {};
  }

 private:
  static constexpr auto kIdleExit = std::chrono::minutes(5);

  std::string start_thread() {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, kDeepStackBytes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    const int failed = pthread_create(&thread, &attributes, &DeepStackThreads::serve, this);
    pthread_attr_destroy(&attributes);
    if (failed != 0) return "cannot start a thread for the request: " + errno_text(failed);
    return {};
  }

  static void* serve(void* self) {
    static_cast<DeepStackThreads*>(self)->serve_calls();
    return nullptr;
  }

  void serve_calls() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (queue_.empty()) {
        ++idle_;
        const bool woken = wake_.wait_for(lock, kIdleExit, [&] { return !queue_.empty(); });
        --idle_;
        if (!woken) return;
      }
      Call* call = queue_.front();
      queue_.pop_front();
      lock.unlock();
      try {
        call->response = (*call->handler)();
      } catch (...) {
        call->failure = std::current_exception();
      }
      lock.lock();
      call->done = true;
      done_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::deque<Call*> queue_;
  size_t idle_ = 0;  // threads waiting for a call
};

}  // namespace

HttpResponse run_on_deep_stack(const std::function<HttpResponse()>& handler) {
  Call call;
  call.handler = &handler;
  if (std::string failed = DeepStackThreads::instance().run(call); !failed.empty()) {
    return error(ApiErrorType::internal, failed);
  }
  if (call.failure) std::rethrow_exception(call.failure);
  return std::move(call.response);
}

HttpResponse run_here_or_on_deep_stack(const std::function<HttpResponse()>& handler) {
  try {
    return handler();
  } catch (const StackExhausted&) {
    // Unwound: nothing of the first run is left but its cost.
  }
  try {
    return run_on_deep_stack(handler);
  } catch (const StackExhausted&) {
    return error(ApiErrorType::internal, "the expression nests too deeply for the stack");
  }
}

}  // namespace mc::api
