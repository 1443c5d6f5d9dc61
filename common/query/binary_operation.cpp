// The binary operators of common/query/operators.hpp, as Prometheus 2.42's
// VectorBinop, VectorAnd/Or/Unless, VectorscalarBinop and scalarBinop.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "common/query/arithmetic.hpp"
#include "common/query/function_args.hpp"
#include "common/query/go_labels_text.hpp"
#include "common/query/label_selection.hpp"
#include "common/query/operators.hpp"

namespace mc::query {
namespace {

// The parser gives every operation between two vectors its matching; this
// default (all labels but __name__, set operators many-to-many) covers a
// caller that built the expression by hand.
VectorMatching default_matching(TokenKind op) {
  VectorMatching matching;
  if (is_set_operator(op)) matching.cardinality = Cardinality::ManyToMany;
  return matching;
}

Vector vector_and(const Vector& lhs, const Vector& rhs, const LabelSelection& selection) {
  if (lhs.empty() || rhs.empty()) return {};
  std::unordered_set<std::string> right_signatures;
  for (const VectorSample& sample : rhs)
    right_signatures.insert(selection.signature(sample.labels));
  Vector out;
  for (const VectorSample& sample : lhs) {
    if (right_signatures.contains(selection.signature(sample.labels))) out.push_back(sample);
  }
  return out;
}

Vector vector_or(const Vector& lhs, const Vector& rhs, const LabelSelection& selection) {
  if (lhs.empty()) return rhs;
  if (rhs.empty()) return lhs;
  std::unordered_set<std::string> left_signatures;
  Vector out = lhs;
  for (const VectorSample& sample : lhs) left_signatures.insert(selection.signature(sample.labels));
  for (const VectorSample& sample : rhs) {
    if (!left_signatures.contains(selection.signature(sample.labels))) out.push_back(sample);
  }
  return out;
}

Vector vector_unless(const Vector& lhs, const Vector& rhs, const LabelSelection& selection) {
  if (lhs.empty() || rhs.empty()) return lhs;
  std::unordered_set<std::string> right_signatures;
  for (const VectorSample& sample : rhs)
    right_signatures.insert(selection.signature(sample.labels));
  Vector out;
  for (const VectorSample& sample : lhs) {
    if (!right_signatures.contains(selection.signature(sample.labels))) out.push_back(sample);
  }
  return out;
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::ranges::find(names, name) != names.end();
}

// The labels of one result element: the "many" side's, one-to-one results
// narrowed to the matching labels, and group_left/group_right's included
// labels copied from the "one" side (absent there: removed).
Labels result_labels(const Labels& many, const Labels& one, TokenKind op,
                     const VectorMatching& matching) {
  LabelsBuilder builder(many);
  if (drops_metric_name(op)) builder.remove(kMetricNameLabel);
  if (matching.cardinality == Cardinality::OneToOne) {
    for (const LabelView label : many) {
      // on() keeps only its labels; ignoring() removes its own (but not __name__).
      if (contains(matching.matching_labels, label.name) != matching.on) builder.remove(label.name);
    }
  }
  for (const std::string& name : matching.include) {
    const std::string_view value = one.get(name);
    if (value.empty()) {
      builder.remove(name);
    } else {
      builder.set(name, value);
    }
  }
  return builder.labels();
}

Result<Vector> arithmetic_or_comparison(const BinaryExpr& expr, const VectorMatching& matching,
                                        const LabelSelection& selection, const Vector& lhs,
                                        const Vector& rhs) {
  if (matching.cardinality == Cardinality::ManyToMany) {
    return Status::error("many-to-many only allowed for set operators");
  }
  if (lhs.empty() || rhs.empty()) return Vector{};

  // group_right: the left side is the "one"; work as for group_left with the
  // sides swapped and swap the operands back for the value.
  const bool swapped = matching.cardinality == Cardinality::OneToMany;
  const Vector& many = swapped ? rhs : lhs;
  const Vector& one = swapped ? lhs : rhs;

  std::unordered_map<std::string, const VectorSample*> one_by_signature;
  for (const VectorSample& sample : one) {
    auto [at, inserted] = one_by_signature.try_emplace(selection.signature(sample.labels), &sample);
    if (!inserted) {
      return Status::error(fmt::format(
          "found duplicate series for the match group {} on the {} hand-side of the operation: "
          "[{}, {}];many-to-many matching not allowed: matching labels must be unique on one side",
          go_labels_text(selection.select(sample.labels)), swapped ? "left" : "right",
          go_labels_text(sample.labels), go_labels_text(at->second->labels)));
    }
  }

  // Per match signature, the result label sets already given (many-to-one),
  // or only that the signature was used (one-to-one).
  std::unordered_map<std::string, std::unordered_set<Labels, LabelsHash>> matched;
  Vector out;
  for (const VectorSample& sample : many) {
    std::string signature = selection.signature(sample.labels);
    const auto partner = one_by_signature.find(signature);
    if (partner == one_by_signature.end()) continue;
    const VectorSample& one_sample = *partner->second;

    const double left = swapped ? one_sample.v : sample.v;
    const double right = swapped ? sample.v : one_sample.v;
    const ElementOutcome outcome = apply_element_operator(expr.op, left, right);
    double value = outcome.value;
    if (expr.return_bool) {
      value = outcome.keep ? 1 : 0;
    } else if (!outcome.keep) {
      continue;
    }
    Labels labels = result_labels(sample.labels, one_sample.labels, expr.op, matching);
    if (expr.return_bool) labels = drop_metric_name(labels);

    auto [group, first_match] = matched.try_emplace(std::move(signature));
    if (matching.cardinality == Cardinality::OneToOne) {
      if (!first_match) {
        return Status::error(
            "multiple matches for labels: many-to-one matching must be explicit "
            "(group_left/group_right)");
      }
    } else if (!group->second.insert(labels).second) {
      return Status::error(
          "multiple matches for labels: grouping labels must ensure unique matches");
    }
    out.push_back({std::move(labels), sample.t_ms, value});
  }
  return out;
}

}  // namespace

Result<Vector> vector_binary_operation(const BinaryExpr& expr, const Vector& lhs,
                                       const Vector& rhs) {
  const VectorMatching matching = expr.matching ? *expr.matching : default_matching(expr.op);
  const LabelSelection selection(matching.on, matching.matching_labels);
  switch (expr.op) {
    case TokenKind::Land:
      return vector_and(lhs, rhs, selection);
    case TokenKind::Lor:
      return vector_or(lhs, rhs, selection);
    case TokenKind::Lunless:
      return vector_unless(lhs, rhs, selection);
    default:
      break;
  }
  if (!is_element_operator(expr.op)) {
    return Status::error("operator not allowed for operations between vectors");
  }
  return arithmetic_or_comparison(expr, matching, selection, lhs, rhs);
}

Vector vector_scalar_operation(const BinaryExpr& expr, const Vector& vector, double scalar,
                               bool scalar_on_left) {
  Vector out;
  if (!is_element_operator(expr.op)) return out;
  const bool drop_name = drops_metric_name(expr.op) || expr.return_bool;
  for (const VectorSample& sample : vector) {
    const double left = scalar_on_left ? scalar : sample.v;
    const double right = scalar_on_left ? sample.v : scalar;
    const ElementOutcome outcome = apply_element_operator(expr.op, left, right);
    // A comparison keeps the vector's value whichever side it is on.
    double value = is_comparison_operator(expr.op) ? sample.v : outcome.value;
    if (expr.return_bool) {
      value = outcome.keep ? 1 : 0;
    } else if (!outcome.keep) {
      continue;
    }
    out.push_back(
        {drop_name ? drop_metric_name(sample.labels) : sample.labels, sample.t_ms, value});
  }
  return out;
}

double scalar_binary_operation(TokenKind op, double lhs, double rhs) {
  return apply_scalar_operator(op, lhs, rhs);
}

}  // namespace mc::query
