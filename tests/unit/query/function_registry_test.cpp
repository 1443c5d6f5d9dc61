#include <catch2/catch.hpp>

#include "common/query/function_call.hpp"
#include "common/query/functions.hpp"

namespace mc::query {
namespace {

TEST_CASE("find_function_impl: every function of the parser's table but absent_over_time") {
  for (const Function& function : all_functions()) {
    INFO(function.name);
    if (function.name == "absent_over_time") {
      CHECK(find_function_impl(function.name) == nullptr);  // the engine's own
    } else {
      CHECK(find_function_impl(function.name) != nullptr);
    }
  }
}

TEST_CASE("find_function_impl: nothing for names that are not functions") {
  for (const char* name : {"", "Rate", "sum", "xrate", "mad_over_time", "rate "}) {
    INFO(name);
    CHECK(find_function_impl(name) == nullptr);
  }
  CHECK(find_function_impl("rate") != find_function_impl("irate"));
}

}  // namespace
}  // namespace mc::query
