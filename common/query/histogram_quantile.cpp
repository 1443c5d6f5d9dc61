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

struct Histogram {
  const Labels* identity;  // a member's labels; the histogram is them without le
  uint64_t identity_hash;
  std::vector<HistogramBucket> buckets;
};

// The hash of `labels` without le: the histogram a bucket belongs to, found
// without building its label set (this runs for every bucket at every step).
uint64_t identity_hash(const Labels& labels) {
  LabelsHasher hasher;
  for (const LabelView label : labels) {
    if (label.name != kBucketLabel) hasher.add(label.name, label.value);
  }
  return hasher.finish();
}

// Whether two label sets are equal once le is left out of both.
bool same_identity(const Labels& a, const Labels& b) {
  auto at = a.begin();
  auto bt = b.begin();
  for (;;) {
    while (at != a.end() && at->name == kBucketLabel) ++at;
    while (bt != b.end() && bt->name == kBucketLabel) ++bt;
    if (at == a.end() || bt == b.end()) return at == a.end() && bt == b.end();
    if (*at != *bt) return false;
    ++at;
    ++bt;
  }
}

// The output's labels: the identity without __name__ (and le).
Labels output_labels(const Labels& identity) {
  std::vector<Label> kept;
  kept.reserve(identity.size());
  for (const LabelView label : identity) {
    if (label.name == kBucketLabel || label.name == kMetricNameLabel) continue;
    kept.push_back(Label{std::string(label.name), std::string(label.value)});
  }
  return Labels(std::move(kept));
}

}  // namespace

double bucket_quantile(double phi, std::vector<HistogramBucket>& buckets) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (std::isnan(phi)) return kNaN;
  if (phi < 0) return -kInf;
  if (phi > 1) return kInf;
  // A NaN bound sorts last, so such a histogram lacks its +Inf bucket (Go's
  // sort leaves it wherever its comparisons happen to put it).
  std::sort(buckets.begin(), buckets.end(), [](const HistogramBucket& a, const HistogramBucket& b) {
    if (std::isnan(a.upper_bound)) return false;
    if (std::isnan(b.upper_bound)) return true;
    return a.upper_bound < b.upper_bound;
  });
  if (buckets.back().upper_bound != kInf) return kNaN;

  // One bound written two ways (le="1" and le="1.0") is one bucket; merged
  // in place.
  std::vector<HistogramBucket>& merged = buckets;
  size_t kept = 1;
  for (size_t i = 1; i < buckets.size(); ++i) {
    if (merged[kept - 1].upper_bound == buckets[i].upper_bound) {
      merged[kept - 1].count += buckets[i].count;
    } else {
      merged[kept++] = buckets[i];
    }
  }
  merged.resize(kept);
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

Result<Vector> histogram_quantile_function(const FunctionInput& input) {
  auto phi = scalar_arg(input, 0);
  if (!phi) return phi.status();
  auto vector = vector_arg(input, 1);
  if (!vector) return vector.status();

  // In order of first appearance, so the output's order is stable. Found by
  // the hash of the labels without le, then compared (hashes may collide).
  std::vector<Histogram> histograms;
  std::unordered_multimap<uint64_t, size_t> index_by_hash;
  for (const VectorSample& sample : **vector) {
    const std::optional<double> upper_bound = go_parse_float(sample.labels.get(kBucketLabel));
    if (!upper_bound) continue;  // no le, or not a number: not a bucket
    const uint64_t hash = identity_hash(sample.labels);
    Histogram* histogram = nullptr;
    for (auto [it, last] = index_by_hash.equal_range(hash); it != last; ++it) {
      if (same_identity(*histograms[it->second].identity, sample.labels)) {
        histogram = &histograms[it->second];
        break;
      }
    }
    if (histogram == nullptr) {
      index_by_hash.emplace(hash, histograms.size());
      histogram = &histograms.emplace_back(Histogram{&sample.labels, hash, {}});
    }
    histogram->buckets.push_back(HistogramBucket{*upper_bound, sample.v});
  }

  Vector out;
  out.reserve(histograms.size());
  for (Histogram& histogram : histograms) {
    out.push_back(VectorSample{output_labels(*histogram.identity), 0,
                               bucket_quantile(*phi, histogram.buckets)});
  }
  return out;
}

std::vector<HistogramSeries> group_histogram_series(const Matrix& buckets) {
  std::vector<HistogramSeries> histograms;
  std::vector<const Labels*> identities;
  std::unordered_multimap<uint64_t, size_t> index_by_hash;
  for (size_t s = 0; s < buckets.size(); ++s) {
    const Labels& labels = buckets[s].labels;
    const std::optional<double> upper_bound = go_parse_float(labels.get(kBucketLabel));
    if (!upper_bound) continue;
    const uint64_t hash = identity_hash(labels);
    size_t found = histograms.size();
    for (auto [it, last] = index_by_hash.equal_range(hash); it != last; ++it) {
      if (same_identity(*identities[it->second], labels)) {
        found = it->second;
        break;
      }
    }
    if (found == histograms.size()) {
      index_by_hash.emplace(hash, found);
      identities.push_back(&labels);
      histograms.push_back(HistogramSeries{output_labels(labels), {}, {}});
    }
    histograms[found].members.push_back(s);
    histograms[found].upper_bounds.push_back(*upper_bound);
  }
  return histograms;
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
