// Labels: the identity of a series, a set of name/value pairs sorted by name.
//
// The metric name is the label "__name__", as in Prometheus. A Labels value is
// immutable once built; build or change one with LabelsBuilder. The hash is
// computed once at construction, so looking a series up by its labels costs one
// hash-table probe and one comparison.
//
// Thread-safety: const methods may be called from any thread.
#pragma once

#include <compare>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace mc {

inline constexpr std::string_view kMetricNameLabel = "__name__";

struct Label {
  std::string name;
  std::string value;

  auto operator<=>(const Label&) const = default;
};

class Labels {
 public:
  Labels() : Labels(std::vector<Label>{}) {}
  // Sorts by name. REQUIRES: no name appears twice (LabelsBuilder guarantees it).
  explicit Labels(std::vector<Label> labels);
  Labels(std::initializer_list<Label> labels) : Labels(std::vector<Label>(labels)) {}

  // The value of `name`, or "" when absent (Prometheus treats both the same).
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  std::string_view metric_name() const { return get(kMetricNameLabel); }

  size_t size() const { return labels_.size(); }
  bool empty() const { return labels_.empty(); }
  auto begin() const { return labels_.begin(); }
  auto end() const { return labels_.end(); }
  const Label& operator[](size_t i) const { return labels_[i]; }

  uint64_t hash() const { return hash_; }

  bool operator==(const Labels& other) const {
    return hash_ == other.hash_ && labels_ == other.labels_;
  }
  std::strong_ordering operator<=>(const Labels& other) const { return labels_ <=> other.labels_; }

  // `name{a="1", b="2"}` with values escaped as in the text format; for logs and errors.
  std::string to_string() const;

  // Bytes held by this label set on the heap, for memory accounting.
  size_t heap_bytes() const;

 private:
  std::vector<Label> labels_;
  uint64_t hash_ = 0;
};

// Hash of a sequence of name/value pairs in sorted order; Labels::hash() uses it,
// and so may code that has the pairs but not yet a Labels.
class LabelsHasher {
 public:
  void add(std::string_view name, std::string_view value);
  uint64_t finish() const;

 private:
  uint64_t state_ = 0x9e3779b97f4a7c15ULL;
};

// Builds a Labels from a base set with names set or removed; setting an empty
// value removes the label, as in Prometheus.
class LabelsBuilder {
 public:
  LabelsBuilder() = default;
  explicit LabelsBuilder(const Labels& base);

  LabelsBuilder& set(std::string_view name, std::string_view value);
  LabelsBuilder& remove(std::string_view name);
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  Labels labels() const;

 private:
  std::vector<Label> labels_;  // unsorted while building; names unique
};

struct LabelsHash {
  size_t operator()(const Labels& labels) const { return labels.hash(); }
};

}  // namespace mc
