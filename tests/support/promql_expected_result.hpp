// Whether a query's result is what an eval command of a PromQL test script
// (promql_test_script.hpp) expects, judged as Prometheus 2.42's promql/test.go
// judges it: exactly the expected series (by labels), each value within a
// relative error of 1e-6 (NaN equal to NaN), at its expected place for
// eval_ordered; a scalar within the same tolerance.
//
// Pure functions; the messages follow test.go's wording so that a failure
// reads the same as Prometheus's would.
#pragma once

#include <optional>
#include <string>

#include "common/query/value.hpp"
#include "tests/support/promql_test_script.hpp"

namespace mc::test {

// test.go's almostEqual.
bool almost_equal(double expected, double got);

// Empty when `result` is what `eval` expects; otherwise why it is not.
std::optional<std::string> result_mismatch(const EvalCommand& eval, const query::Value& result);

// test.go also runs each eval that is neither eval_ordered nor eval_fail as a
// range query from t-1m to t+1m, step 1m, and wants its middle step to agree:
// the points at eval.t_ms of `range_result`, judged as result_mismatch judges
// (a scalar expression's one series as the scalar).
std::optional<std::string> range_middle_mismatch(const EvalCommand& eval,
                                                 const query::Value& range_result);

// A result in a line or a few, for failure reports: "scalar 2",
// "vector of 2: {a="b"} 1, ...", at most `max_samples` samples shown.
std::string describe_value(const query::Value& value, size_t max_samples = 8);

}  // namespace mc::test
