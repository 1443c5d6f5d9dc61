#include "common/query/label_functions.hpp"

#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "common/model/label_name.hpp"
#include "common/query/function_args.hpp"
#include "common/util/regex_expand.hpp"

namespace mc::query {
namespace {

// The compiled regex of label_replace, kept for the thread's next call: the
// engine calls once per step with the same pattern, as Prometheus compiles
// once per query node. One entry, so the cache stays bounded.
const RE2& compiled_label_regex(std::string_view pattern) {
  thread_local std::string cached_pattern;
  thread_local std::unique_ptr<RE2> cached;
  if (cached == nullptr || cached_pattern != pattern) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_dot_nl(false);  // Go's "." does not match a newline either
    cached = std::make_unique<RE2>("^(?:" + std::string(pattern) + ")$", options);
    cached_pattern = pattern;
  }
  return *cached;
}

}  // namespace

Result<Vector> label_replace_function(const FunctionInput& input) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  auto destination = string_arg(input, 1);
  if (!destination) return destination.status();
  auto replacement = string_arg(input, 2);
  if (!replacement) return replacement.status();
  auto source = string_arg(input, 3);
  if (!source) return source.status();
  auto pattern = string_arg(input, 4);
  if (!pattern) return pattern.status();

  const RE2& regex = compiled_label_regex(*pattern);
  if (!regex.ok()) {
    return Status::error("invalid regular expression in label_replace(): " + std::string(*pattern));
  }
  if (!is_valid_label_name(*destination)) {
    return Status::error("invalid destination label name in label_replace(): " +
                         std::string(*destination));
  }

  std::vector<re2::StringPiece> groups(static_cast<size_t>(regex.NumberOfCapturingGroups()) + 1);
  Vector out;
  out.reserve((*vector)->size());
  for (const VectorSample& sample : **vector) {
    // A copy: an absent label is "", and RE2 wants text whose data is not null.
    const std::string value(sample.labels.get(*source));
    if (!regex.Match(value, 0, value.size(), RE2::UNANCHORED, groups.data(),
                     static_cast<int>(groups.size()))) {
      out.push_back(sample);
      continue;
    }
    const std::string result = expand_regex_template(regex, *replacement, groups);
    LabelsBuilder builder(sample.labels);
    builder.remove(*destination);
    if (!result.empty()) builder.set(*destination, result);
    out.push_back(VectorSample{builder.labels(), sample.t_ms, sample.v});
  }
  return out;
}

Result<Vector> label_join_function(const FunctionInput& input) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  auto destination = string_arg(input, 1);
  if (!destination) return destination.status();
  auto separator = string_arg(input, 2);
  if (!separator) return separator.status();
  std::vector<std::string_view> sources;
  for (size_t i = 3; i < input.args.size(); ++i) {
    auto source = string_arg(input, i);
    if (!source) return source.status();
    if (!is_valid_label_name(*source)) {
      return Status::error("invalid source label name in label_join(): " + std::string(*source));
    }
    sources.push_back(*source);
  }
  if (!is_valid_label_name(*destination)) {
    return Status::error("invalid destination label name in label_join(): " +
                         std::string(*destination));
  }

  Vector out;
  out.reserve((*vector)->size());
  for (const VectorSample& sample : **vector) {
    std::string joined;
    for (size_t i = 0; i < sources.size(); ++i) {
      if (i > 0) joined.append(*separator);
      joined.append(sample.labels.get(sources[i]));
    }
    LabelsBuilder builder(sample.labels);
    if (joined.empty()) {
      builder.remove(*destination);
    } else {
      builder.set(*destination, joined);
    }
    out.push_back(VectorSample{builder.labels(), sample.t_ms, sample.v});
  }
  return out;
}

}  // namespace mc::query
