#include "exporter/api/api_json.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <type_traits>

#include <fmt/format.h>

#include "common/exposition/format_value.hpp"
#include "common/util/utf8.hpp"

namespace mc::api {

namespace {

// jsoniter's float cut-offs, which Prometheus keeps for its sample values.
constexpr double kSmallestFixed = 1e-6;
constexpr double kLargestFixedExclusive = 1e21;

// Bytes in the UTF-8 sequence `lead` starts; 1 for a byte that starts none.
size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

}  // namespace

void append_string(std::string& out, std::string_view value) {
  out += '"';
  for (size_t i = 0; i < value.size();) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x80) {
      const size_t length = sequence_length(c);
      const std::string_view sequence = value.substr(i, length);
      if (length == 1 || !is_valid_utf8(sequence)) {
        out += "\\ufffd";
        ++i;
      } else if (sequence == "\u2028" || sequence == "\u2029") {
        out += sequence == "\u2028" ? "\\u2028" : "\\u2029";
        i += length;
      } else {
        out += sequence;
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '<':
      case '>':
      case '&':
        out += fmt::format("\\u{:04x}", c);
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

void append_sample_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  const double magnitude = std::fabs(v);
  // The shortest digits that read back as v, as Go's 'e' and 'f' with
  // precision -1 both start from; std::to_chars's fixed form may print every
  // exact digit of a large value instead (999999999999999868928 for 1e21-1e5).
  char buffer[64];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::scientific);
  const std::string_view scientific(buffer, ec == std::errc() ? end - buffer : 0);
  const bool exponent_form =
      magnitude != 0 && (magnitude < kSmallestFixed || magnitude >= kLargestFixedExclusive);
  if (exponent_form || scientific.empty()) {
    out += scientific;
    return;
  }
  // "-1.2345e+02" -> sign, digits "12345", exponent 2 -> "-123.45". A range
  // query writes this once per point, so the digits stay in a stack buffer.
  const size_t e = scientific.find('e');
  std::string_view mantissa = scientific.substr(0, e);
  int exponent = 0;
  std::from_chars(scientific.data() + e + (scientific[e + 1] == '+' ? 2 : 1),
                  scientific.data() + scientific.size(), exponent);
  if (mantissa.front() == '-') {
    out += '-';
    mantissa.remove_prefix(1);
  }
  char digit_buffer[32];
  size_t digit_count = 0;
  for (const char c : mantissa) {
    if (c != '.') digit_buffer[digit_count++] = c;
  }
  const std::string_view digits(digit_buffer, digit_count);
  if (exponent < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exponent - 1), '0');
    out += digits;
    return;
  }
  const auto integer_digits = static_cast<size_t>(exponent) + 1;
  if (digits.size() <= integer_digits) {
    out += digits;
    out.append(integer_digits - digits.size(), '0');
    return;
  }
  out += digits.substr(0, integer_digits);
  out += '.';
  out += digits.substr(integer_digits);
}

void append_timestamp(std::string& out, int64_t t_ms) {
  // Prometheus writes seconds with the milliseconds' trailing zeros cut
  // (jsonutil.MarshalTimestamp): OpenMetrics' timestamp text, to the byte.
  append_openmetrics_timestamp(out, t_ms);
}

void append_point(std::string& out, int64_t t_ms, double v) {
  out += '[';
  append_timestamp(out, t_ms);
  out += ",\"";
  append_sample_value(out, v);
  out += "\"]";
}

void append_label_set(std::string& out, const Labels& labels) {
  out += '{';
  bool first = true;
  for (const LabelView label : labels) {
    if (!first) out += ',';
    first = false;
    append_string(out, label.name);
    out += ':';
    append_string(out, label.value);
  }
  out += '}';
}

void append_string_array(std::string& out, const std::vector<std::string>& values) {
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    append_string(out, values[i]);
  }
  out += ']';
}

void append_query_data(std::string& out, const query::Value& value) {
  std::visit(
      [&out](const auto& result) {
        using T = std::decay_t<decltype(result)>;
        if constexpr (std::is_same_v<T, query::ScalarValue>) {
          out += "{\"resultType\":\"scalar\",\"result\":";
          append_point(out, result.t_ms, result.v);
        } else if constexpr (std::is_same_v<T, query::StringValue>) {
          out += "{\"resultType\":\"string\",\"result\":[";
          append_timestamp(out, result.t_ms);
          out += ',';
          append_string(out, result.v);
          out += ']';
        } else if constexpr (std::is_same_v<T, query::Vector>) {
          out += "{\"resultType\":\"vector\",\"result\":[";
          for (size_t i = 0; i < result.size(); ++i) {
            if (i > 0) out += ',';
            out += "{\"metric\":";
            append_label_set(out, result[i].labels);
            out += ",\"value\":";
            append_point(out, result[i].t_ms, result[i].v);
            out += '}';
          }
          out += ']';
        } else {
          // A point is ~30 bytes ("[1796492780,\"0.123456789\"],"): grown once
          // rather than doubled through the whole answer.
          size_t points = 0;
          for (const query::MatrixSeries& series : result) points += series.points.size();
          out.reserve(out.size() + points * 32 + result.size() * 128);
          out += "{\"resultType\":\"matrix\",\"result\":[";
          for (size_t i = 0; i < result.size(); ++i) {
            if (i > 0) out += ',';
            out += "{\"metric\":";
            append_label_set(out, result[i].labels);
            out += ",\"values\":[";
            const std::vector<Sample>& points = result[i].points;
            for (size_t p = 0; p < points.size(); ++p) {
              if (p > 0) out += ',';
              append_point(out, points[p].t_ms, points[p].v);
            }
            out += "]}";
          }
          out += ']';
        }
      },
      value);
  out += '}';
}

}  // namespace mc::api
