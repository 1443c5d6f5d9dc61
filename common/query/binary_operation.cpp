// The binary operators of common/query/operators.hpp, as Prometheus 2.42's
// VectorBinop, VectorAnd/Or/Unless, VectorscalarBinop and scalarBinop.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

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

// The "one" side of a vector operation by match signature. Most steps of a
// range query match a handful of samples (a ratio of two sums: one a side),
// where building two hash tables of strings a step was 10% of the query: up
// to kLinearSignatures they are searched in order, beyond that hashed.
class OneSideBySignature {
 public:
  struct Entry {
    std::string signature;
    const VectorSample* sample;
    bool used = false;  // by a one-to-one match
  };

  explicit OneSideBySignature(size_t size) { entries_.reserve(size); }

  // The entry already holding `signature`, else null after adding it.
  const Entry* insert(std::string signature, const VectorSample& sample) {
    if (Entry* existing = find(signature)) return existing;
    entries_.push_back(Entry{std::move(signature), &sample});
    if (entries_.size() > kLinearSignatures) {
      // Views of strings in entries_, which was reserved for all: never moved.
      if (index_.empty()) {
        for (size_t i = 0; i < entries_.size(); ++i) index_.emplace(entries_[i].signature, i);
      } else {
        index_.emplace(entries_.back().signature, entries_.size() - 1);
      }
    }
    return nullptr;
  }

  Entry* find(std::string_view signature) {
    if (entries_.size() <= kLinearSignatures) {
      for (Entry& entry : entries_) {
        if (entry.signature == signature) return &entry;
      }
      return nullptr;
    }
    const auto found = index_.find(signature);
    return found == index_.end() ? nullptr : &entries_[found->second];
  }

 private:
  static constexpr size_t kLinearSignatures = 8;
  std::vector<Entry> entries_;
  std::unordered_map<std::string_view, size_t> index_;
};

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

  OneSideBySignature one_by_signature(one.size());
  for (const VectorSample& sample : one) {
    if (const auto* existing =
            one_by_signature.insert(selection.signature(sample.labels), sample)) {
      return Status::error(fmt::format(
          "found duplicate series for the match group {} on the {} hand-side of the operation: "
          "[{}, {}];many-to-many matching not allowed: matching labels must be unique on one side",
          go_labels_text(selection.select(sample.labels)), swapped ? "left" : "right",
          go_labels_text(sample.labels), go_labels_text(existing->sample->labels)));
    }
  }

  // Per match signature, the result label sets already given (many-to-one;
  // one-to-one marks the "one" side's entry used).
  std::unordered_map<std::string, std::unordered_set<Labels, LabelsHash>> matched;
  Vector out;
  for (const VectorSample& sample : many) {
    std::string signature = selection.signature(sample.labels);
    OneSideBySignature::Entry* partner = one_by_signature.find(signature);
    if (partner == nullptr) continue;
    const VectorSample& one_sample = *partner->sample;

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

    if (matching.cardinality == Cardinality::OneToOne) {
      if (partner->used) {
        return Status::error(
            "multiple matches for labels: many-to-one matching must be explicit "
            "(group_left/group_right)");
      }
      partner->used = true;
    } else if (!matched[std::move(signature)].insert(labels).second) {
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
