#include "exporter/api/deep_stack.hpp"

#include <pthread.h>

#include <exception>
#include <string>

#include "common/util/errno_text.hpp"
#include "exporter/api/api_response.hpp"

namespace mc::api {

namespace {

struct Call {
  const std::function<HttpResponse()>* handler;
  HttpResponse response;
  std::exception_ptr failure;
};

void* run_call(void* argument) {
  auto* call = static_cast<Call*>(argument);
  try {
    call->response = (*call->handler)();
  } catch (...) {
    call->failure = std::current_exception();
  }
  return nullptr;
}

}  // namespace

HttpResponse run_on_deep_stack(const std::function<HttpResponse()>& handler) {
  Call call{&handler, {}, nullptr};
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, kDeepStackBytes);
  pthread_t thread;
  const int failed = pthread_create(&thread, &attributes, &run_call, &call);
  pthread_attr_destroy(&attributes);
  if (failed != 0) {
    return error(ApiErrorType::internal,
                 "cannot start a thread for the request: " + errno_text(failed));
  }
  pthread_join(thread, nullptr);
  if (call.failure) std::rethrow_exception(call.failure);
  return std::move(call.response);
}

}  // namespace mc::api
