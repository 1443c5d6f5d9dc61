// api_json: the pieces of JSON the Prometheus HTTP API writes, byte for byte
// as Prometheus 2.42's jsoniter encoders write them (web/api/v1/api.go):
//
//   a sample value     "1", "0.5", "1.5e-07", "+Inf", "-Inf", "NaN" (a string:
//                      fixed notation, shortest round-trip digits; exponent
//                      notation below 1e-6 and from 1e21 on)
//   a timestamp        1796492780.123 (Unix seconds, milliseconds as a
//                      fraction without trailing zeros; -1 for -1000 ms)
//   a label set        {"__name__":"up","job":"api"} in label order
//   a query result     {"resultType":"vector","result":[...]} for each of
//                      scalar, string, vector and matrix
//
//   a string          as Go's encoding/json: <, > and & as \u003c \u003e
//                      \u0026, U+2028/9 escaped, bytes that are not UTF-8
//                      as \ufffd (Prometheus escapes HTML in its JSON)
//
// Appends to a caller's string, so one response is built in one buffer.
// Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/labels.hpp"
#include "common/query/value.hpp"

namespace mc::api {

void append_string(std::string& out, std::string_view value);
// The value inside its quotes: "1.5e-07".
void append_sample_value(std::string& out, double v);
void append_timestamp(std::string& out, int64_t t_ms);
// [<timestamp>,"<value>"]
void append_point(std::string& out, int64_t t_ms, double v);
void append_label_set(std::string& out, const Labels& labels);
// ["a","b"]
void append_string_array(std::string& out, const std::vector<std::string>& values);
// {"resultType":...,"result":...}
void append_query_data(std::string& out, const query::Value& value);

}  // namespace mc::api
