// The shared UTF-8 rule (common/util/utf8.hpp): the config loader, the
// exposition parsers and the SQL collector all apply it to label values.
#include "common/util/utf8.hpp"

#include <catch2/catch.hpp>

#include <string>

TEST_CASE("UTF-8 validation matches Go's utf8.ValidString", "[utf8]") {
  CHECK(mc::is_valid_utf8(""));
  CHECK(mc::is_valid_utf8("plain ascii"));
  CHECK(mc::is_valid_utf8("ünïcode ✓ 𝄞"));
  CHECK(mc::is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  CHECK(mc::is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF, a noncharacter but valid
  CHECK_FALSE(mc::is_valid_utf8("\xFF"));
  CHECK_FALSE(mc::is_valid_utf8("\xC3"));              // truncated
  CHECK_FALSE(mc::is_valid_utf8("\xE2\x9C"));          // truncated three-byte form
  CHECK_FALSE(mc::is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(mc::is_valid_utf8("\xE0\x80\xAF"));      // overlong '/'
  CHECK_FALSE(mc::is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  CHECK_FALSE(mc::is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(mc::is_valid_utf8("a\x80z"));            // stray continuation byte
}

TEST_CASE("UTF-8 validation finds a bad byte wherever it sits in long ASCII text", "[utf8]") {
  // ASCII is checked eight bytes at a time: put the byte before, inside and
  // after every word, and at both ends.
  for (size_t length = 1; length <= 40; ++length) {
    for (size_t at = 0; at < length; ++at) {
      std::string text(length, 'a');
      text[at] = '\xFF';
      INFO("length " << length << ", bad byte at " << at);
      CHECK_FALSE(mc::is_valid_utf8(text));
      text[at] = '\xC3';  // a two-byte form, truncated unless a continuation follows
      CHECK_FALSE(mc::is_valid_utf8(text));
      if (at + 1 < length) {
        text[at + 1] = '\xA9';  // completes it: é
        CHECK(mc::is_valid_utf8(text));
      }
    }
    CHECK(mc::is_valid_utf8(std::string(length, 'a')));
  }
}

TEST_CASE("utf8_length counts code points", "[utf8]") {
  CHECK(mc::utf8_length("") == 0);
  CHECK(mc::utf8_length("abc") == 3);
  CHECK(mc::utf8_length("ünï ✓ 𝄞") == 7);
}

TEST_CASE("append_utf8 writes one to four bytes and round-trips as valid UTF-8", "[utf8]") {
  std::string out;
  mc::append_utf8(out, U'A');
  mc::append_utf8(out, U'\u00e9');
  mc::append_utf8(out, U'\u20ac');
  mc::append_utf8(out, U'\U0001F600');
  CHECK(out == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  CHECK(mc::is_valid_utf8(out));
  CHECK(mc::utf8_length(out) == 4);
}
