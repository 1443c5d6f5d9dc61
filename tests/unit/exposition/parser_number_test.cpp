// The number grammar both text formats share, and the two timestamp forms.
#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "common/exposition/parse_chars.hpp"
#include "common/exposition/parse_number.hpp"

using mc::exposition_detail::parse_openmetrics_timestamp;
using mc::exposition_detail::parse_prometheus_timestamp;
using mc::exposition_detail::parse_sample_value;

TEST_CASE("sample values: Go ParseFloat spellings without hex or separators",
          "[exposition][number]") {
  CHECK(parse_sample_value("0") == 0.0);
  CHECK(parse_sample_value("123456789012345") == 123456789012345.0);
  CHECK(parse_sample_value("9223372036854775808") == 9223372036854775808.0);
  CHECK(parse_sample_value("+1.5") == 1.5);
  CHECK(parse_sample_value("-2.5e-3") == -0.0025);
  CHECK(parse_sample_value("1.") == 1.0);
  CHECK(parse_sample_value(".5") == 0.5);
  CHECK(parse_sample_value("1E5") == 100000.0);
  CHECK(parse_sample_value("0000000000000000000000000000000000000000001.2e-1") == 0.12);
  CHECK(parse_sample_value("0.013300656000000001") == 0.013300656000000001);
  CHECK(parse_sample_value("+Inf") == std::numeric_limits<double>::infinity());
  CHECK(parse_sample_value("-infinity") == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(*parse_sample_value("NaN")));
  CHECK(std::isnan(*parse_sample_value("nan")));
  CHECK(parse_sample_value("1e-400") == 0.0);
  for (const char* bad : {"", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "0x1", "0x1p-3", "1_0",
                          "+NaN", "Infx", " 1", "1 ", "1\r", "1e400", "--1", "one"}) {
    INFO(bad);
    CHECK_FALSE(parse_sample_value(bad));
  }
}

namespace parser_number_test {

// The value std::from_chars reads (correctly rounded), as parse_sample_value's
// general path reads it: no leading '+'.
double from_chars_value(const std::string& text) {
  double value = 0;
  const char* first = text.data() + (text[0] == '+' ? 1 : 0);
  std::from_chars(first, text.data() + text.size(), value);
  return value;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace parser_number_test

TEST_CASE("sample values: decimals read exactly as std::from_chars reads them, bit for bit",
          "[exposition][number]") {
  using parser_number_test::from_chars_value;
  using parser_number_test::same_bits;
  // The edges of the exact fast path (2^53, 10^22, 19 digits) and either side.
  for (const char* text : {"9007199254740992",
                           "9007199254740993",
                           "9007199254740992.0",
                           "9007199254740993e0",
                           "900719925474099.3",
                           "1e22",
                           "1e23",
                           "1e-22",
                           "1e-23",
                           "9007199254740992e22",
                           "9007199254740992e-22",
                           "0.1",
                           "0.3",
                           "2.675",
                           "-0",
                           "-0.0e5",
                           "+0.0",
                           "-.5",
                           "1234567890123456789",
                           "12345678901234567890",
                           "0.000000000000000000001234",
                           "1.7976931348623157e308",
                           "4.9e-324",
                           "0.1e1",
                           "100e-2",
                           "1.61348236e-05",
                           "123456.789e3",
                           "00000000000000000000000012.5"}) {
    INFO(text);
    const auto value = parse_sample_value(text);
    REQUIRE(value);
    CHECK(same_bits(*value, from_chars_value(text)));
  }
  // Out of range: below the smallest subnormal is zero (keeping the sign), above the largest an
  // error.
  CHECK(same_bits(*parse_sample_value("-1e-400"), -0.0));
  CHECK(same_bits(*parse_sample_value("123e-330"), 0.0));
  CHECK(same_bits(*parse_sample_value("0.00000123e-320"), 0.0));
  CHECK(same_bits(*parse_sample_value("000.0e999999999"), 0.0));
  CHECK(parse_sample_value("1000e305") == 1e308);
  CHECK_FALSE(parse_sample_value("10000e305"));
  CHECK_FALSE(parse_sample_value("0.01e311"));
  CHECK(parse_sample_value("0.01e310") == 1e308);
  // Random decimals of every shape the grammar allows.
  std::mt19937_64 random(20261207);
  int checked = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string text;
    const int sign = static_cast<int>(random() % 3);
    if (sign == 1) text += '-';
    if (sign == 2) text += '+';
    const int integer_digits = static_cast<int>(random() % 21);
    const int fraction_digits = static_cast<int>(random() % 21);
    for (int i = 0; i < integer_digits; ++i) text += static_cast<char>('0' + random() % 10);
    if (fraction_digits > 0 || random() % 4 == 0) {
      text += '.';
      for (int i = 0; i < fraction_digits; ++i) text += static_cast<char>('0' + random() % 10);
    }
    if (integer_digits == 0 && fraction_digits == 0) text += '7';
    if (random() % 2 == 0) {
      text += random() % 2 == 0 ? 'e' : 'E';
      const int exponent_sign = static_cast<int>(random() % 3);
      if (exponent_sign == 1) text += '-';
      if (exponent_sign == 2) text += '+';
      text += std::to_string(random() % 40);
    }
    const auto value = parse_sample_value(text);
    if (!value || !same_bits(*value, from_chars_value(text))) {
      FAIL_CHECK(text);
    }
    ++checked;
  }
  CHECK(checked == 200000);
}

TEST_CASE("text 0.0.4 timestamps: digits only, int64", "[exposition][number]") {
  CHECK(parse_prometheus_timestamp("0") == 0);
  CHECK(parse_prometheus_timestamp("9223372036854775807") == std::numeric_limits<int64_t>::max());
  CHECK_FALSE(parse_prometheus_timestamp("9223372036854775808"));
  CHECK_FALSE(parse_prometheus_timestamp("-1"));
  CHECK_FALSE(parse_prometheus_timestamp("1.5"));
  CHECK_FALSE(parse_prometheus_timestamp(""));
}

TEST_CASE("openmetrics timestamps: exact decimal seconds to ms and ns", "[exposition][number]") {
  const auto ts = parse_openmetrics_timestamp("1605281325.123456789");
  REQUIRE(ts);
  CHECK(ts->ms == 1605281325123);
  CHECK(ts->nanos == static_cast<mc::exposition_detail::OpenMetricsNanos>(1605281325123456789));
  CHECK(parse_openmetrics_timestamp("1.5e3")->ms == 1500000);
  CHECK(parse_openmetrics_timestamp("15e-1")->ms == 1500);
  CHECK(parse_openmetrics_timestamp("-0.0015")->ms == -1);
  CHECK(parse_openmetrics_timestamp("0.0000000001")->nanos == 0);
  CHECK(parse_openmetrics_timestamp("1e300")->ms == std::numeric_limits<int64_t>::max());
  CHECK(parse_openmetrics_timestamp("-1e300")->ms == std::numeric_limits<int64_t>::min());
  for (const char* bad : {"", "Inf", "NaN", "1_2", "1.1.1", "0x1p-3", "z", "1z"}) {
    INFO(bad);
    CHECK_FALSE(parse_openmetrics_timestamp(bad));
  }
}

TEST_CASE("a value token ends where the byte-by-byte scan ends it, at every offset",
          "[exposition][number]") {
  using mc::exposition_detail::find_value_end;
  using mc::exposition_detail::has_class;
  using mc::exposition_detail::kPrometheusValueEndChar;
  // Bytes a value has, bytes that end one, and bytes near them that do not
  // ('\r', control bytes, 0x21, 'z', '|', non-ASCII).
  const std::string alphabet = std::string("0123456789.eE+-InfNa") + ' ' + '\t' + '\n' + '{' +
                               '\r' + '\x01' + '\x1f' + '!' + 'z' + '|' + '\x80' + '\xff';
  std::mt19937_64 random(71207);
  for (int round = 0; round < 20000; ++round) {
    std::string text(random() % 40, '\0');
    for (char& c : text) {
      // Mostly value bytes, so that tokens run long enough to span words.
      c = random() % 4 == 0 ? alphabet[random() % alphabet.size()] : alphabet[random() % 20];
    }
    for (size_t from = 0; from <= text.size(); ++from) {
      const char* end = text.data() + text.size();
      const char* expected = text.data() + from;
      while (expected < end && !has_class(*expected, kPrometheusValueEndChar)) ++expected;
      if (find_value_end(text.data() + from, end) != expected) {
        FAIL_CHECK("from " << from << " in a text of " << text.size() << " bytes");
      }
    }
  }
}
