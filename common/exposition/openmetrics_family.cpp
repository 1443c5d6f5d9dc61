#include "common/exposition/openmetrics_family.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <span>

#include "common/exposition/parse_chars.hpp"

namespace mc::exposition_detail {
namespace {

Status line_error(uint32_t line, std::string_view message) {
  return Status::error(fmt::format("line {}: {}", line, message));
}

// The sample names a family of each type owns, as suffixes of the family name.
std::span<const std::string_view> type_suffixes(MetricType type) {
  static constexpr std::array<std::string_view, 2> kCounter = {"_total", "_created"};
  static constexpr std::array<std::string_view, 4> kSummary = {"", "_count", "_sum", "_created"};
  static constexpr std::array<std::string_view, 4> kHistogram = {"_count", "_sum", "_bucket",
                                                                 "_created"};
  static constexpr std::array<std::string_view, 3> kGaugeHistogram = {"_gcount", "_gsum",
                                                                      "_bucket"};
  static constexpr std::array<std::string_view, 1> kInfo = {"_info"};
  static constexpr std::array<std::string_view, 1> kBare = {""};
  switch (type) {
    case MetricType::counter:
      return kCounter;
    case MetricType::summary:
      return kSummary;
    case MetricType::histogram:
      return kHistogram;
    case MetricType::gaugehistogram:
      return kGaugeHistogram;
    case MetricType::info:
      return kInfo;
    default:
      return kBare;
  }
}

bool is_histogram_type(MetricType type) {
  return type == MetricType::histogram || type == MetricType::gaugehistogram;
}

std::optional<MetricType> parse_openmetrics_type(std::string_view word) {
  if (word == "counter") return MetricType::counter;
  if (word == "gauge") return MetricType::gauge;
  if (word == "histogram") return MetricType::histogram;
  if (word == "gaugehistogram") return MetricType::gaugehistogram;
  if (word == "summary") return MetricType::summary;
  if (word == "info") return MetricType::info;
  if (word == "stateset") return MetricType::stateset;
  if (word == "unknown") return MetricType::unknown;
  return std::nullopt;
}

uint64_t mix(uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

const LabelView* find_label(std::span<const LabelView> labels, std::string_view name) {
  for (const LabelView& label : labels) {
    if (label.name == name) return &label;
  }
  return nullptr;
}

// OpenMetrics HELP escapes: \\, \" and \n; any other pair is kept as written.
void append_unescaped_help(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char escaped = text[++i];
    if (escaped == '\\' || escaped == '"') {
      out += escaped;
    } else if (escaped == 'n') {
      out += '\n';
    } else {
      out += '\\';
      out += escaped;
    }
  }
}

}  // namespace

bool OpenMetricsFamilyRules::GroupSet::contains(uint64_t key) const {
  if (slots_.empty()) return false;
  key = key == 0 ? 1 : key;
  const size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    if (slots_[i] == key) return true;
    if (slots_[i] == 0) return false;
  }
}

void OpenMetricsFamilyRules::GroupSet::insert(uint64_t key) {
  key = key == 0 ? 1 : key;
  if ((size_ + 1) * 2 > slots_.size()) {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, 0);
    size_ = 0;
    for (uint64_t existing : old) {
      if (existing != 0) insert(existing);
    }
  }
  const size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    if (slots_[i] == key) return;
    if (slots_[i] == 0) {
      slots_[i] = key;
      ++size_;
      return;
    }
  }
}

void OpenMetricsFamilyRules::GroupSet::clear() {
  if (size_ == 0) return;
  // A family with many groups must not make every later clear() expensive.
  if (slots_.size() > 1024) {
    slots_.assign(16, 0);
  } else {
    std::fill(slots_.begin(), slots_.end(), 0);
  }
  size_ = 0;
}

bool OpenMetricsFamilyRules::allows_sample_name(std::string_view sample_name) const {
  if (!sample_name.starts_with(family_.name)) return false;
  const std::string_view suffix = sample_name.substr(family_.name.size());
  // A family declared only by HELP or UNIT has no type yet and owns its bare name.
  if (!family_.has_type) return suffix.empty();
  return std::ranges::any_of(type_suffixes(family_.type),
                             [suffix](std::string_view allowed) { return suffix == allowed; });
}

Status OpenMetricsFamilyRules::start_family(std::string_view name, uint32_t line) {
  if (Status status = finish_family(line); !status) return status;
  family_ = Family{};
  family_.active = true;
  family_.name = name;
  seen_groups_.clear();
  has_group_ = false;
  group_timestamp_.reset();
  histogram_run_ = HistogramRun{};
  return Status::ok();
}

Status OpenMetricsFamilyRules::finish_family(uint32_t line) {
  if (!family_.active) return Status::ok();
  if (Status status = announce_family(line); !status) return status;
  if (histogram_run_.active) {
    if (Status status = check_histogram_run(histogram_run_.last_line); !status) return status;
  }
  family_.active = false;
  return Status::ok();
}

Status OpenMetricsFamilyRules::announce_family(uint32_t line) {
  if (family_.announced) return Status::ok();
  family_.announced = true;
  if (!allow_repeated_families_) {
    for (std::string_view suffix : type_suffixes(family_.type)) {
      for (std::string_view reserved : {suffix, std::string_view()}) {
        name_key_.assign(family_.name);
        name_key_.append(reserved);
        if (seen_names_.contains(name_key_)) {
          return line_error(
              line, fmt::format("metric name \"{}\" clashes with an earlier family", name_key_));
        }
      }
    }
    for (std::string_view suffix : type_suffixes(family_.type)) {
      seen_names_.emplace(std::string(family_.name).append(suffix));
    }
    seen_names_.emplace(family_.name);
  }
  if (family_.unit && !family_.unit->empty()) {
    const std::string_view unit = *family_.unit;
    const std::string_view name = family_.name;
    if (name.size() <= unit.size() || !name.ends_with(unit) ||
        name[name.size() - unit.size() - 1] != '_') {
      return line_error(
          family_.unit_line,
          fmt::format(R"(unit "{}" must be the suffix of metric family "{}")", unit, name));
    }
    if (family_.type == MetricType::info || family_.type == MetricType::stateset) {
      return line_error(family_.unit_line, fmt::format("{} metric family \"{}\" cannot have a unit",
                                                       metric_type_name(family_.type), name));
    }
  }
  handler_.on_family(
      FamilyView{family_.name, family_.type, family_.help, family_.unit.value_or("")});
  return Status::ok();
}

Status OpenMetricsFamilyRules::on_metadata(MetadataKind kind, std::string_view name,
                                           std::string_view text, uint32_t line) {
  if (!is_valid_metric_name(name)) {
    return line_error(line, fmt::format("invalid metric name {}", quote_for_message(name)));
  }
  if (family_.active && family_.name == name && family_.has_samples) {
    return line_error(line, fmt::format("metadata for \"{}\" after its samples", name));
  }
  if (!family_.active || family_.name != name) {
    if (Status status = start_family(name, line); !status) return status;
  }
  switch (kind) {
    case MetadataKind::help:
      if (family_.help) return line_error(line, fmt::format("second # HELP for \"{}\"", name));
      if (!is_valid_utf8(text)) return line_error(line, "HELP text is not valid UTF-8");
      if (text.find('\\') == std::string_view::npos) {
        family_.help = text;
      } else {
        help_scratch_.clear();
        append_unescaped_help(help_scratch_, text);
        family_.help = std::string_view(help_scratch_);
      }
      return Status::ok();
    case MetadataKind::type: {
      if (family_.has_type) return line_error(line, fmt::format("second # TYPE for \"{}\"", name));
      if (text == "untyped") {
        return line_error(line, R"(type "untyped" is not OpenMetrics (use "unknown"))");
      }
      const auto type = parse_openmetrics_type(text);
      if (!type) {
        return line_error(line, fmt::format("invalid metric type {}", quote_for_message(text)));
      }
      family_.type = *type;
      family_.has_type = true;
      return Status::ok();
    }
    case MetadataKind::unit:
      if (family_.unit) return line_error(line, fmt::format("second # UNIT for \"{}\"", name));
      family_.unit = text;
      family_.unit_line = line;
      return Status::ok();
  }
  return Status::ok();
}

uint64_t OpenMetricsFamilyRules::group_of(const SampleView& sample) const {
  // Info samples cannot be told apart by group (reference parser).
  if (family_.type == MetricType::info) return 0;
  std::string_view excluded;
  if (family_.type == MetricType::summary && sample.name == family_.name) {
    excluded = "quantile";
  } else if (family_.type == MetricType::stateset) {
    excluded = family_.name;
  } else if (is_histogram_type(family_.type) && sample.name.size() == family_.name.size() + 7 &&
             sample.name.ends_with("_bucket")) {
    excluded = "le";
  }
  // Order-independent: a group is a label set, whatever order it is written in.
  uint64_t sum = 0x9e3779b97f4a7c15ULL;
  const std::hash<std::string_view> hasher;
  for (const LabelView& label : sample.labels) {
    if (!excluded.empty() && label.name == excluded) continue;
    sum += mix(hasher(label.name) * 0x100000001b3ULL ^ hasher(label.value));
  }
  return mix(sum);
}

Status OpenMetricsFamilyRules::on_sample(SampleView& sample,
                                         const std::optional<OpenMetricsNanos>& timestamp,
                                         bool has_exemplar) {
  const uint32_t line = sample.line;
  if (!family_.active || !allows_sample_name(sample.name)) {
    if (Status status = start_family(sample.name, line); !status) return status;
    family_.has_type = true;  // an unknown family; later metadata for it is misplaced
  }
  if (Status status = announce_family(line); !status) return status;
  family_.has_samples = true;
  sample.family = family_.name;
  sample.type = family_.type;

  const MetricType type = family_.type;
  const std::string_view suffix = sample.name.substr(family_.name.size());
  if (type == MetricType::stateset && !find_label(sample.labels, family_.name)) {
    return line_error(line,
                      fmt::format("stateset sample must have a label named \"{}\"", family_.name));
  }
  if (is_histogram_type(type) && suffix == "_bucket") {
    const LabelView* le = find_label(sample.labels, "le");
    if (!le) return line_error(line, "histogram bucket must have an \"le\" label");
    const auto bound = parse_sample_value(le->value);
    if (!bound || std::isnan(*bound)) {
      return line_error(line, fmt::format("invalid le label {}", quote_for_message(le->value)));
    }
    if (*bound == std::numeric_limits<double>::infinity() && le->value != "+Inf") {
      return line_error(line, fmt::format("the +Inf bucket must be written le=\"+Inf\", not {}",
                                          quote_for_message(le->value)));
    }
  }
  if (type == MetricType::summary && suffix.empty()) {
    const LabelView* quantile = find_label(sample.labels, "quantile");
    const auto q = quantile ? parse_sample_value(quantile->value) : std::nullopt;
    if (!q || !(*q >= 0 && *q <= 1)) {
      return line_error(line, "summary quantile sample must have a quantile label between 0 and 1");
    }
  }

  const uint64_t group = group_of(sample);
  if (has_group_ && group != group_ && seen_groups_.contains(group)) {
    return line_error(line, fmt::format("samples of one series group must be contiguous; this "
                                        "label set appeared earlier in family \"{}\"",
                                        family_.name));
  }
  if (has_group_ && group == group_) {
    if (timestamp.has_value() != group_timestamp_.has_value()) {
      return line_error(line, "mix of samples with and without timestamps in one series group");
    }
    if (timestamp && *group_timestamp_ > *timestamp && type != MetricType::info) {
      return line_error(line, "timestamps must not go backwards within a series group");
    }
  }
  has_group_ = true;
  group_ = group;
  group_timestamp_ = timestamp;
  seen_groups_.insert(group);

  const double value = sample.value;
  if (type == MetricType::stateset && value != 0 && value != 1) {
    return line_error(line, "stateset value must be 0 or 1");
  }
  if (type == MetricType::info && value != 1) return line_error(line, "info value must be 1");
  if (type == MetricType::summary && suffix.empty() && value < 0) {
    return line_error(line, "quantile value must not be negative");
  }
  const bool counter_like =
      !suffix.empty() && (suffix == "_total" || suffix == "_sum" || suffix == "_count" ||
                          suffix == "_bucket" || suffix == "_gcount" || suffix == "_gsum");
  if (counter_like && std::isnan(value)) {
    return line_error(line, fmt::format("{} value must not be NaN", suffix));
  }
  if (counter_like && suffix != "_gsum" && value < 0) {
    return line_error(line, fmt::format("{} value must not be negative", suffix));
  }
  if (has_exemplar && !((is_histogram_type(type) && suffix == "_bucket") ||
                        (type == MetricType::counter && suffix == "_total"))) {
    return line_error(line, "exemplars are allowed only on histogram buckets and counter _total");
  }
  if (is_histogram_type(type)) return check_histogram_sample(sample, suffix, timestamp, group);
  return Status::ok();
}

Status OpenMetricsFamilyRules::check_histogram_sample(
    const SampleView& sample, std::string_view suffix,
    const std::optional<OpenMetricsNanos>& timestamp, uint64_t group) {
  HistogramRun& run = histogram_run_;
  if (run.active && (run.group != group || run.timestamp != timestamp)) {
    if (Status status = check_histogram_run(run.last_line); !status) return status;
    run = HistogramRun{};
  }
  run.active = true;
  run.group = group;
  run.timestamp = timestamp;
  run.last_line = sample.line;
  if (suffix == "_bucket") {
    // The le label was checked in on_sample.
    const double le = *parse_sample_value(find_label(sample.labels, "le")->value);
    if (le < 0) run.has_negative_buckets = true;
    if (run.has_bucket && le <= run.last_le) {
      return line_error(sample.line, "histogram buckets must be in increasing le order");
    }
    if (sample.value < run.last_bucket_value) {
      return line_error(sample.line, "histogram bucket counts must not decrease as le grows");
    }
    run.has_bucket = true;
    run.last_le = le;
    run.last_bucket_value = sample.value;
  } else if (suffix == "_count" || suffix == "_gcount") {
    run.count = sample.value;
  } else if (suffix == "_sum") {
    run.has_sum = true;
  } else if (suffix == "_gsum") {
    run.has_gsum = true;
    if (sample.value < 0) run.has_negative_gsum = true;
  }
  return Status::ok();
}

Status OpenMetricsFamilyRules::check_histogram_run(uint32_t line) const {
  const HistogramRun& run = histogram_run_;
  if (!run.has_bucket || run.last_le != std::numeric_limits<double>::infinity()) {
    return line_error(line, fmt::format("histogram \"{}\" has no +Inf bucket", family_.name));
  }
  if (run.count && *run.count != run.last_bucket_value) {
    return line_error(
        line, fmt::format("histogram \"{}\" count must equal its +Inf bucket", family_.name));
  }
  if (run.has_sum && !run.count) {
    return line_error(line, fmt::format("histogram \"{}\" has _sum without _count", family_.name));
  }
  if (run.has_gsum && !run.count) {
    return line_error(line,
                      fmt::format("gaugehistogram \"{}\" has _gsum without _gcount", family_.name));
  }
  if (!run.has_sum && !run.has_gsum && run.count) {
    return line_error(line,
                      fmt::format("histogram \"{}\" has a count without a sum", family_.name));
  }
  if (run.has_negative_buckets && run.has_sum) {
    return line_error(
        line, fmt::format("histogram \"{}\" with negative buckets cannot have _sum", family_.name));
  }
  if (!run.has_negative_buckets && run.has_negative_gsum) {
    return line_error(line, fmt::format("gaugehistogram \"{}\" has a negative _gsum but no "
                                        "negative buckets",
                                        family_.name));
  }
  return Status::ok();
}

Status OpenMetricsFamilyRules::finish(uint32_t line) { return finish_family(line); }

}  // namespace mc::exposition_detail
