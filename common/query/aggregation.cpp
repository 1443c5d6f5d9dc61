// aggregate() of common/query/operators.hpp, as Prometheus 2.42's
// evaluator.aggregation: groups in the order their first sample comes, each
// group's labels from that sample, the numerics step by step as 2.42 does.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/model/label_name.hpp"
#include "common/query/go_text.hpp"
#include "common/query/label_selection.hpp"
#include "common/query/operators.hpp"
#include "common/query/sample_quantile.hpp"
#include "common/query/top_k_selection.hpp"

namespace mc::query {
namespace {

// Prometheus's bounds for a float that converts to int64 (the largest
// double below 2^63, and -2^63).
constexpr double kMaxInt64AsDouble = 9223372036854774784.0;
constexpr double kMinInt64AsDouble = -9223372036854775808.0;

// What every aggregation without a parameter keeps of a group at one step.
struct Running {
  double value = 0;
  double mean = 0;
  int64_t count = 1;
};

struct Group : Running {
  Labels labels;
  int64_t t_ms = 0;
  std::optional<TopKSelection> top;  // topk, bottomk
  std::vector<double> values;        // quantile
};

// strconv.FormatFloat(v, 'f', -1, 64): the shortest digits that read back,
// never an exponent; count_values' label value.
std::string go_format_float_fixed(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[400];  // the longest fixed form of a double is about 330 characters
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return {buffer, result.ptr};
}

void add_to_average(Running& group, double v) {
  group.count++;
  if (std::isinf(group.mean)) {
    // An infinite mean stays as it is for a same-signed Inf or any finite
    // value; the update below would compute Inf - Inf = NaN.
    if (std::isinf(v) && (group.mean > 0) == (v > 0)) return;
    if (!std::isinf(v) && !std::isnan(v)) return;
  }
  // Each term divided by the count on its own, so that neither overflows.
  const auto count = static_cast<double>(group.count);
  group.mean += v / count - group.mean / count;
}

void add_to_variance(Running& group, double v) {
  group.count++;
  const double delta = v - group.mean;
  group.mean += delta / static_cast<double>(group.count);
  group.value += delta * (v - group.mean);
}

// The numerics of the aggregations without a parameter, shared by aggregate()
// and aggregate_steps() so both compute alike to the last bit.
void start_running(Running& group, TokenKind op, double v) {
  group.value = v;
  group.mean = v;
  group.count = 1;
  if (op == TokenKind::Stddev || op == TokenKind::Stdvar) group.value = 0;
  if (op == TokenKind::Group) group.value = 1;
}

void add_running(Running& group, TokenKind op, double v) {
  switch (op) {
    case TokenKind::Sum:
      group.value += v;
      break;
    case TokenKind::Avg:
      add_to_average(group, v);
      break;
    case TokenKind::Max:
      if (group.value < v || std::isnan(group.value)) group.value = v;
      break;
    case TokenKind::Min:
      if (group.value > v || std::isnan(group.value)) group.value = v;
      break;
    case TokenKind::Count:
    case TokenKind::CountValues:
      group.count++;
      break;
    case TokenKind::Stddev:
    case TokenKind::Stdvar:
      add_to_variance(group, v);
      break;
    default:  // group: its value is 1 whatever comes
      break;
  }
}

double finish_running(const Running& group, TokenKind op) {
  const auto count = static_cast<double>(group.count);
  switch (op) {
    case TokenKind::Avg:
      return group.mean;
    case TokenKind::Count:
    case TokenKind::CountValues:
      return count;
    case TokenKind::Stdvar:
      return group.value / count;
    case TokenKind::Stddev:
      return std::sqrt(group.value / count);
    default:
      return group.value;
  }
}

void start_group(Group& group, TokenKind op, int64_t k, const VectorSample& sample) {
  start_running(group, op, sample.v);
  switch (op) {
    case TokenKind::Topk:
    case TokenKind::Bottomk:
      group.top.emplace(k, op == TokenKind::Bottomk, sample);
      break;
    case TokenKind::Quantile:
      group.values.push_back(sample.v);
      break;
    default:
      break;
  }
}

void add_to_group(Group& group, TokenKind op, const VectorSample& sample) {
  switch (op) {
    case TokenKind::Topk:
    case TokenKind::Bottomk:
      group.top->offer(sample);
      break;
    case TokenKind::Quantile:
      group.values.push_back(sample.v);
      break;
    default:
      add_running(group, op, sample.v);
  }
}

// The group's result sample(s) appended to out.
void finish_group(Group& group, TokenKind op, double q, Vector& out) {
  double value = 0;
  switch (op) {
    case TokenKind::Topk:
    case TokenKind::Bottomk:
      for (VectorSample& sample : std::move(*group.top).sorted()) out.push_back(std::move(sample));
      return;
    case TokenKind::Quantile:
      value = sample_quantile(q, group.values);
      break;
    default:
      value = finish_running(group, op);
  }
  out.push_back({std::move(group.labels), group.t_ms, value});
}

const double* scalar_param(const Value* param) {
  if (param == nullptr) return nullptr;
  const auto* scalar = std::get_if<ScalarValue>(param);
  return scalar == nullptr ? nullptr : &scalar->v;
}

}  // namespace

Result<Vector> aggregate(const AggregateExpr& expr, const Vector& input, const Value* param) {
  const TokenKind op = expr.op;
  if (!is_aggregator(op)) return Status::error("expected aggregation operator");

  int64_t k = 0;
  double q = 0;
  std::vector<std::string> grouping = expr.grouping;
  std::string value_label;
  if (op == TokenKind::Topk || op == TokenKind::Bottomk || op == TokenKind::Quantile) {
    const double* scalar = scalar_param(param);
    if (scalar == nullptr) return Status::error("expected a scalar parameter for the aggregation");
    if (op == TokenKind::Quantile) {
      q = *scalar;
    } else {
      if (!(*scalar <= kMaxInt64AsDouble && *scalar >= kMinInt64AsDouble)) {
        return Status::error(
            fmt::format("Scalar value {} overflows int64", go_format_float(*scalar)));
      }
      k = static_cast<int64_t>(*scalar);
      if (k < 1) return Vector{};
    }
  } else if (op == TokenKind::CountValues) {
    const auto* label = param == nullptr ? nullptr : std::get_if<StringValue>(param);
    if (label == nullptr) return Status::error("expected a string parameter for count_values");
    value_label = label->v;
    if (!is_valid_label_name(value_label)) {
      return Status::error(fmt::format("invalid label name {}", go_quote(value_label)));
    }
    // by(...) groups on the new label too; without(...) keeps it unless named.
    if (!expr.without) grouping.push_back(value_label);
  }

  const LabelSelection selection(!expr.without, std::move(grouping));
  std::unordered_map<std::string, size_t> group_index;
  std::vector<Group> groups;
  for (const VectorSample& input_sample : input) {
    const VectorSample* sample = &input_sample;
    VectorSample counted;
    if (op == TokenKind::CountValues) {
      counted = {LabelsBuilder(input_sample.labels)
                     .set(value_label, go_format_float_fixed(input_sample.v))
                     .labels(),
                 input_sample.t_ms, input_sample.v};
      sample = &counted;
    }
    auto [at, is_new] = group_index.try_emplace(selection.signature(sample->labels), groups.size());
    if (is_new) {
      Group& group = groups.emplace_back();
      group.labels = selection.select(sample->labels);
      group.t_ms = sample->t_ms;
      start_group(group, op, k, *sample);
      continue;
    }
    add_to_group(groups[at->second], op, *sample);
  }

  Vector out;
  out.reserve(groups.size());
  for (Group& group : groups) finish_group(group, op, q, out);
  return out;
}

bool aggregates_by_series(TokenKind op) {
  switch (op) {
    case TokenKind::Sum:
    case TokenKind::Avg:
    case TokenKind::Min:
    case TokenKind::Max:
    case TokenKind::Count:
    case TokenKind::Group:
    case TokenKind::Stddev:
    case TokenKind::Stdvar:
      return true;
    default:
      return false;
  }
}

std::optional<Matrix> aggregate_steps(const AggregateExpr& expr, const Matrix& input,
                                      const StepGrid& grid, QueryLimits& limits) {
  const TokenKind op = expr.op;
  if (!aggregates_by_series(op) || expr.param) return std::nullopt;
  const LabelSelection selection(!expr.without, expr.grouping);
  // A series' group is its selected labels, the same at every step: found
  // once per series rather than once per sample.
  std::unordered_map<std::string, uint32_t> group_index;
  std::vector<uint32_t> group_of(input.size());
  std::vector<const Labels*> group_member;  // a member's labels, to select the group's from
  for (size_t s = 0; s < input.size(); ++s) {
    auto [at, is_new] = group_index.try_emplace(selection.signature(input[s].labels),
                                                static_cast<uint32_t>(group_member.size()));
    if (is_new) group_member.push_back(&input[s].labels);
    group_of[s] = at->second;
  }
  const size_t groups = group_member.size();
  const size_t steps = grid.size();
  // One running state per group and step; beyond this the per-step path's
  // memory (a few groups at a time) is the better trade.
  constexpr size_t kMaxStates = size_t{1} << 22;
  if (groups != 0 && steps > kMaxStates / groups) return std::nullopt;

  // Series by series, each step's states see their members in series order,
  // as the per-step aggregation adds them, so every sum is the same.
  constexpr int64_t kNotStarted = 0;
  std::vector<Running> states(groups * steps, Running{0, 0, kNotStarted});
  // The step a group first has a value and its first series there: the
  // per-step path lists groups in that order.
  constexpr size_t kNever = static_cast<size_t>(-1);
  std::vector<std::pair<size_t, size_t>> first_seen(groups, {kNever, kNever});
  const int64_t last_ms = steps == 0 ? grid.start_ms - 1 : grid.last_ms();
  for (size_t s = 0; s < input.size(); ++s) {
    limits.check_deadline();
    const size_t group = group_of[s];
    for (const Sample& point : input[s].points) {
      // The per-step path sees only points at its steps' times.
      if (point.t_ms < grid.start_ms || point.t_ms > last_ms ||
          (point.t_ms - grid.start_ms) % grid.interval_ms != 0) {
        continue;
      }
      const size_t step = grid.step_at(point.t_ms);
      Running& state = states[step * groups + group];
      if (state.count == kNotStarted) {
        start_running(state, op, point.v);
        if (step < first_seen[group].first) first_seen[group] = {step, s};
      } else {
        add_running(state, op, point.v);
      }
    }
  }
  std::vector<uint32_t> order;
  order.reserve(groups);
  for (size_t g = 0; g < groups; ++g) {
    if (first_seen[g].first != kNever) order.push_back(static_cast<uint32_t>(g));
  }
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return first_seen[a] < first_seen[b]; });

  Matrix out;
  out.reserve(order.size());
  for (const uint32_t group : order) {
    MatrixSeries series{selection.select(*group_member[group]), {}};
    for (size_t step = first_seen[group].first; step < steps; ++step) {
      const Running& state = states[step * groups + group];
      if (state.count != kNotStarted) {
        series.points.push_back(Sample{grid.time(step), finish_running(state, op)});
      }
    }
    limits.take_samples(series.points.size());
    out.push_back(std::move(series));
  }
  return out;
}

}  // namespace mc::query
