// ScrapeBodyBuffer: a scrape's body, grown without zeroing, into which a whole
// response may be received and its head then dropped from the front. Every
// operation after drop_front() works on the body alone.
#include "collector/scrape/scrape_body_buffer.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>

TEST_CASE("a body buffer's head dropped from the front leaves the body to every operation",
          "[scrape_body_buffer]") {
  mc::ScrapeBodyBuffer buffer;
  buffer.reserve(64);
  REQUIRE(buffer.capacity() == 64);
  // A response received into the whole room: 10 bytes of head, then body.
  const std::string response = "HEAD:12345body-start";
  auto room = buffer.extend(buffer.capacity());
  std::memcpy(room.data(), response.data(), response.size());
  buffer.truncate(response.size());
  buffer.drop_front(10);
  CHECK(buffer.view() == "body-start");
  CHECK(buffer.size() == 10);
  CHECK(buffer.capacity() == 54);

  // More body received into the room behind it, part of it given back.
  auto more = buffer.extend(8);
  std::memcpy(more.data(), "-more-xx", 8);
  buffer.truncate(buffer.size() - 2);
  CHECK(buffer.view() == "body-start-more-");

  // Growing moves the body, not the dropped head, to the new memory's start.
  buffer.reserve(200);
  CHECK(buffer.capacity() == 200);
  CHECK(buffer.view() == "body-start-more-");
  buffer.append("end");
  CHECK(buffer.view() == "body-start-more-end");

  // Growing by extend() past the capacity keeps the body too.
  buffer.drop_front(5);
  CHECK(buffer.view() == "start-more-end");
  auto big = buffer.extend(500);
  CHECK(big.size() == 500);
  CHECK(buffer.size() == 514);
  CHECK(buffer.view().substr(0, 14) == "start-more-end");
  CHECK(buffer.capacity() >= 514);

  buffer.clear();
  CHECK(buffer.size() == 0);
  CHECK(buffer.view().empty());
  buffer.release();
  CHECK(buffer.capacity() == 0);
}
