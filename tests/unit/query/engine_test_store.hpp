// A HeadStorage filled through its appender, and a QueryEngine over it, for
// the engine's tests; series written as "name{label=value}" with samples.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "common/model/labels.hpp"
#include "common/model/sample_value.hpp"
#include "common/query/engine.hpp"
#include "common/store/head_storage.hpp"

namespace mc::query::testing {

inline constexpr int64_t kSecond = 1000;
inline constexpr int64_t kMinute = 60 * kSecond;

struct EngineTestStore {
  HeadStorage head;

  void add(const Labels& labels, std::initializer_list<Sample> samples) {
    auto appender = head.appender();
    for (const Sample& sample : samples) {
      REQUIRE(appender->append(0, labels, sample.t_ms, sample.v).error == AppendError::none);
    }
    REQUIRE(appender->commit().is_ok());
  }

  // One sample every `interval_ms` from 0: value = index * step.
  void add_series(const Labels& labels, int count, int64_t interval_ms, double step) {
    auto appender = head.appender();
    for (int i = 0; i < count; ++i) {
      REQUIRE(appender->append(0, labels, i * interval_ms, i * step).error == AppendError::none);
    }
    REQUIRE(appender->commit().is_ok());
  }
};

inline Vector vector_of(const QueryResult& result) {
  INFO((result.error ? result.error->message : ""));
  REQUIRE(result.ok());
  REQUIRE(std::holds_alternative<Vector>(result.value));
  return std::get<Vector>(result.value);
}

inline Matrix matrix_of(const QueryResult& result) {
  INFO((result.error ? result.error->message : ""));
  REQUIRE(result.ok());
  REQUIRE(std::holds_alternative<Matrix>(result.value));
  return std::get<Matrix>(result.value);
}

inline double scalar_of(const QueryResult& result) {
  INFO((result.error ? result.error->message : ""));
  REQUIRE(result.ok());
  REQUIRE(std::holds_alternative<ScalarValue>(result.value));
  return std::get<ScalarValue>(result.value).v;
}

// The values of a one-series instant vector; empty when there is none.
inline std::vector<double> values_of(const QueryResult& result) {
  std::vector<double> values;
  for (const VectorSample& sample : vector_of(result)) values.push_back(sample.v);
  return values;
}

}  // namespace mc::query::testing
