#include "common/query/histogram_quantile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <vector>

#include "common/query/function_args.hpp"
#include "common/query/go_parse_float.hpp"

namespace mc::query {
namespace {

constexpr std::string_view kBucketLabel = "le";

struct Bucket {
  double upper_bound = 0;
  double count = 0;
};

struct Histogram {
  Labels labels;  // the output's: without __name__ and le
  std::vector<Bucket> buckets;
};

// bucketQuantile of 2.42.
double bucket_quantile(double phi, std::vector<Bucket>& buckets) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (std::isnan(phi)) return kNaN;
  if (phi < 0) return -kInf;
  if (phi > 1) return kInf;
  // A NaN bound sorts last, so such a histogram lacks its +Inf bucket (Go's
  // sort leaves it wherever its comparisons happen to put it).
  std::sort(buckets.begin(), buckets.end(), [](const Bucket& a, const Bucket& b) {
    if (std::isnan(a.upper_bound)) return false;
    if (std::isnan(b.upper_bound)) return true;
    return a.upper_bound < b.upper_bound;
  });
  if (buckets.back().upper_bound != kInf) return kNaN;

  // One bound written two ways (le="1" and le="1.0") is one bucket.
  std::vector<Bucket> merged;
  for (const Bucket& bucket : buckets) {
    if (!merged.empty() && merged.back().upper_bound == bucket.upper_bound) {
      merged.back().count += bucket.count;
    } else {
      merged.push_back(bucket);
    }
  }
  // Buckets scraped at different moments may count fewer than a lower one;
  // the binary search below needs them non-decreasing.
  double max = merged.front().count;
  for (size_t i = 1; i < merged.size(); ++i) {
    if (merged[i].count > max) {
      max = merged[i].count;
    } else if (merged[i].count < max) {
      merged[i].count = max;
    }
  }

  if (merged.size() < 2) return kNaN;
  const double observations = merged.back().count;
  if (observations == 0) return kNaN;
  double rank = phi * observations;
  // The first bucket, +Inf excluded, holding at least `rank` observations:
  // Go's sort.Search step for step, so NaN counts land where they land there.
  size_t b = 0;
  for (size_t end = merged.size() - 1; b < end;) {
    const size_t middle = (b + end) / 2;
    if (merged[middle].count >= rank) {
      end = middle;
    } else {
      b = middle + 1;
    }
  }
  if (b == merged.size() - 1) return merged[merged.size() - 2].upper_bound;
  if (b == 0 && merged[0].upper_bound <= 0) return merged[0].upper_bound;

  double bucket_start = 0;
  const double bucket_end = merged[b].upper_bound;
  double count = merged[b].count;
  if (b > 0) {
    bucket_start = merged[b - 1].upper_bound;
    count -= merged[b - 1].count;
    rank -= merged[b - 1].count;
  }
  return bucket_start + (bucket_end - bucket_start) * (rank / count);
}

}  // namespace

Result<Vector> histogram_quantile_function(const FunctionInput& input) {
  auto phi = scalar_arg(input, 0);
  if (!phi) return phi.status();
  auto vector = vector_arg(input, 1);
  if (!vector) return vector.status();

  // In order of first appearance, so the output's order is stable.
  std::vector<Histogram> histograms;
  std::unordered_map<Labels, size_t, LabelsHash> index_by_identity;
  for (const VectorSample& sample : **vector) {
    const std::optional<double> upper_bound = go_parse_float(sample.labels.get(kBucketLabel));
    if (!upper_bound) continue;  // no le, or not a number: not a bucket
    Labels identity = LabelsBuilder(sample.labels).remove(kBucketLabel).labels();
    auto [it, inserted] = index_by_identity.try_emplace(std::move(identity), histograms.size());
    if (inserted) {
      histograms.push_back(
          Histogram{LabelsBuilder(it->first).remove(kMetricNameLabel).labels(), {}});
    }
    histograms[it->second].buckets.push_back(Bucket{*upper_bound, sample.v});
  }

  Vector out;
  out.reserve(histograms.size());
  for (Histogram& histogram : histograms) {
    out.push_back(
        VectorSample{std::move(histogram.labels), 0, bucket_quantile(*phi, histogram.buckets)});
  }
  return out;
}

// Native histograms only in 2.42: every float sample is skipped.
Result<Vector> histogram_count_function(const FunctionInput& input) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  return Vector{};
}

Result<Vector> histogram_sum_function(const FunctionInput& input) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  return Vector{};
}

Result<Vector> histogram_fraction_function(const FunctionInput& input) {
  auto lower = scalar_arg(input, 0);
  if (!lower) return lower.status();
  auto upper = scalar_arg(input, 1);
  if (!upper) return upper.status();
  auto vector = vector_arg(input, 2);
  if (!vector) return vector.status();
  return Vector{};
}

}  // namespace mc::query
