// histogram_quantile(φ, buckets) over classic histograms, as Prometheus 2.42
// computes it (promql/functions.go, quantile.go): the input's samples are
// grouped into histograms by their labels without "le" (the metric name
// included, so two histograms differing only in name stay apart), each
// histogram's buckets sorted by le, buckets with the same bound merged,
// decreasing counts raised to their predecessor's (racing scrapes), and the
// quantile interpolated linearly inside its bucket.
//
// Per histogram: -Inf for φ < 0, +Inf for φ > 1, NaN for a NaN φ, no +Inf
// bucket, fewer than two buckets, or no observations. A sample whose le
// Go's ParseFloat does not read is skipped. The output drops the metric name
// and le.
//
// Also histogram_count, histogram_sum and histogram_fraction, which in 2.42
// read native histograms only and skip float samples: over this store's
// float samples they return nothing, as 2.42 does for classic histograms.
//
// FunctionImpls (function_call.hpp). Pure; safe from any thread.
#pragma once

#include <vector>

#include "common/query/function_call.hpp"

namespace mc::query {

// One bucket of a classic histogram at one step: its le and its count.
struct HistogramBucket {
  double upper_bound = 0;
  double count = 0;
};

// bucketQuantile of 2.42 over one histogram's buckets in any order (sorted
// and merged in place).
double bucket_quantile(double phi, std::vector<HistogramBucket>& buckets);

// The histograms the series of `buckets` make up, grouped as above, in the
// order of their first member: for each, its output labels and its members
// (indexes into `buckets`, in order) with their bounds. Series without a le
// Go reads as a number are in none.
struct HistogramSeries {
  Labels labels;
  std::vector<size_t> members;
  std::vector<double> upper_bounds;
};
std::vector<HistogramSeries> group_histogram_series(const Matrix& buckets);

Result<Vector> histogram_quantile_function(const FunctionInput& input);
Result<Vector> histogram_count_function(const FunctionInput& input);
Result<Vector> histogram_sum_function(const FunctionInput& input);
Result<Vector> histogram_fraction_function(const FunctionInput& input);

}  // namespace mc::query
