// run_on_deep_stack: the handler's answer comes back, so does what it
// throws, and the stack it runs on holds what a worker's would not.
#include "exporter/api/deep_stack.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

namespace mc::api {
namespace {

// Uses about `depth` KiB of stack; the volatile buffer keeps the frames.
int recurse(int depth) {
  volatile char frame[1024] = {};
  frame[0] = static_cast<char>(depth);
  return depth == 0 ? frame[0] : recurse(depth - 1) + 1;
}

TEST_CASE("the handler's answer, from a deep stack", "[exporter][api]") {
  const HttpResponse response = run_on_deep_stack([] {
    // 32 MiB of frames: more than a default 8 MiB thread stack holds.
    return HttpResponse::text(200, std::to_string(recurse(32 * 1024)));
  });
  CHECK(response.status == 200);
  CHECK(response.body == "32768");
}

TEST_CASE("what the handler throws reaches the caller", "[exporter][api]") {
  CHECK_THROWS_WITH(run_on_deep_stack([]() -> HttpResponse { throw std::runtime_error("boom"); }),
                    "boom");
}

}  // namespace
}  // namespace mc::api
