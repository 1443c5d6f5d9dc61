#include "collector/scrape/label_limits.hpp"

#include <fmt/format.h>

namespace mc {

namespace {

// Prometheus cuts names and values to 50 characters in these messages (%.50s).
std::string_view first_50(std::string_view text) { return text.substr(0, 50); }

}  // namespace

LabelLimits LabelLimits::of(const ScrapeConfig& job) {
  return LabelLimits{job.label_limit, job.label_name_length_limit, job.label_value_length_limit};
}

std::optional<std::string> label_limits_violation(const Labels& labels, const LabelLimits& limits) {
  std::string_view metric = labels.metric_name();
  if (limits.label_count != 0 && labels.size() > limits.label_count) {
    return fmt::format("label_limit exceeded (metric: {}, number of labels: {}, limit: {})",
                       first_50(metric), labels.size(), limits.label_count);
  }
  for (const auto& label : labels) {
    if (limits.label_name_length != 0 && label.name.size() > limits.label_name_length) {
      return fmt::format(
          "label_name_length_limit exceeded (metric: {}, label name: {}, length: {}, limit: {})",
          first_50(metric), first_50(label.name), label.name.size(), limits.label_name_length);
    }
    if (limits.label_value_length != 0 && label.value.size() > limits.label_value_length) {
      return fmt::format(
          "label_value_length_limit exceeded (metric: {}, label name: {}, value: {:?}, length: {}, "
          "limit: {})",
          first_50(metric), first_50(label.name), first_50(label.value), label.value.size(),
          limits.label_value_length);
    }
  }
  return std::nullopt;
}

}  // namespace mc
