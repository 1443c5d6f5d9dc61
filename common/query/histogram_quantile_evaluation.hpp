// histogram_quantile(φ, buckets) over all steps of a range query at once:
// the bucket series are grouped into histograms and their le read once, not
// at every step. The per-step function (histogram_quantile.hpp) hashed every
// bucket's labels, parsed its le and built each histogram's output labels at
// each of the steps, which made the 1 h benchmark query per series slower
// than Prometheus. The answer is the per-step function's: the same buckets in
// the same order go to the same bucket_quantile, and two histograms with the
// same output labels at one step fail the query as they do there.
#pragma once

#include "common/query/ast.hpp"
#include "common/query/evaluator.hpp"

namespace mc::query {

// REQUIRES: `call` is histogram_quantile (a scalar and an instant vector).
Matrix eval_histogram_quantile(const Evaluator& ev, const Call& call);

}  // namespace mc::query
