// HeadSpareBuffers: finished appenders' buffers kept, with their capacity,
// for the next appenders, and no more of them than kMaxSpares.
#include "common/store/head_appender_buffers.hpp"

#include <catch2/catch.hpp>
#include <cstddef>
#include <vector>

using mc::HeadAppenderBuffers;
using mc::HeadSpareBuffers;

namespace head_appender_buffers_test {

HeadAppenderBuffers grown_buffers(size_t slots) {
  HeadAppenderBuffers buffers;
  buffers.slots.reserve(slots);
  buffers.slot_table.assign(2 * slots, 0);
  buffers.pending.reserve(slots);
  return buffers;
}

}  // namespace head_appender_buffers_test

TEST_CASE("spare append buffers come back with their capacity, newest first",
          "[store][head][appender]") {
  using head_appender_buffers_test::grown_buffers;
  HeadSpareBuffers spares;
  REQUIRE(spares.take().slots.capacity() == 0);  // none yet: empty buffers

  spares.give_back(grown_buffers(100));
  spares.give_back(grown_buffers(1000));
  REQUIRE(spares.size() == 2);
  HeadAppenderBuffers newest = spares.take();
  REQUIRE(newest.slots.capacity() >= 1000);
  REQUIRE(newest.pending.capacity() >= 1000);
  REQUIRE(newest.slot_table.size() == 2000);
  REQUIRE(spares.take().slots.capacity() >= 100);
  REQUIRE(spares.size() == 0);
}

TEST_CASE("spare append buffers are bounded in number", "[store][head][appender]") {
  using head_appender_buffers_test::grown_buffers;
  HeadSpareBuffers spares;
  for (size_t i = 0; i < HeadSpareBuffers::kMaxSpares + 5; ++i) spares.give_back(grown_buffers(8));
  REQUIRE(spares.size() == HeadSpareBuffers::kMaxSpares);
}
