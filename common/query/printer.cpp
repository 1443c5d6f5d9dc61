#include "common/query/printer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/query/go_text.hpp"
#include "common/util/duration.hpp"

namespace mc::query {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  return out;
}

// " @ 100.000" / " @ start()" then " offset 5m" / " offset -5m".
std::string modifiers_suffix(const TimeModifiers& modifiers) {
  std::string out;
  if (modifiers.at_ms) {
    out += fmt::format(" @ {:.3f}", static_cast<double>(*modifiers.at_ms) / 1000.0);
  } else if (modifiers.at_preprocessor == AtPreprocessor::Start) {
    out += " @ start()";
  } else if (modifiers.at_preprocessor == AtPreprocessor::End) {
    out += " @ end()";
  }
  if (modifiers.offset.count() > 0) {
    out += " offset " + format_duration(modifiers.offset);
  } else if (modifiers.offset.count() < 0) {
    out += " offset -" + format_duration(-modifiers.offset);
  }
  return out;
}

// The selector without its modifiers: name{sorted matchers}, leaving out the
// metric name's own matcher.
std::string selector_text(const VectorSelector& selector) {
  std::vector<std::string> matchers;
  for (const LabelMatcher& matcher : selector.matchers) {
    if (matcher.name() == "__name__" && matcher.type() == MatchType::Equal &&
        matcher.value() == selector.name) {
      continue;
    }
    matchers.push_back(matcher.to_string());
  }
  if (matchers.empty()) return selector.name;
  std::sort(matchers.begin(), matchers.end());
  std::string out = selector.name + "{";
  for (size_t i = 0; i < matchers.size(); ++i) {
    if (i > 0) out += ",";
    out += matchers[i];
  }
  return out + "}";
}

struct Printer {
  std::string operator()(const NumberLiteral& number) const {
    return go_format_float(number.value);
  }
  std::string operator()(const StringLiteral& string) const { return go_quote(string.value); }
  std::string operator()(const VectorSelector& selector) const {
    return selector_text(selector) + modifiers_suffix(selector.modifiers);
  }
  std::string operator()(const MatrixSelector& matrix) const {
    return selector_text(matrix.selector) + "[" + format_duration(matrix.range) + "]" +
           modifiers_suffix(matrix.selector.modifiers);
  }
  std::string operator()(const SubqueryExpr& subquery) const {
    std::string step;
    if (subquery.step.count() != 0) step = format_duration(subquery.step);
    return to_string(*subquery.expr) + "[" + format_duration(subquery.range) + ":" + step + "]" +
           modifiers_suffix(subquery.modifiers);
  }
  std::string operator()(const ParenExpr& paren) const {
    return "(" + to_string(*paren.expr) + ")";
  }
  std::string operator()(const UnaryExpr& unary) const {
    return std::string(token_kind_text(unary.op)) + to_string(*unary.expr);
  }
  std::string operator()(const BinaryExpr& binary) const {
    std::string modifiers;
    if (binary.return_bool) modifiers += " bool";
    if (binary.matching && (!binary.matching->matching_labels.empty() || binary.matching->on)) {
      const VectorMatching& matching = *binary.matching;
      modifiers +=
          fmt::format(" {} ({})", matching.on ? "on" : "ignoring", join(matching.matching_labels));
      if (matching.cardinality == Cardinality::ManyToOne ||
          matching.cardinality == Cardinality::OneToMany) {
        modifiers += fmt::format(" group_{} ({})",
                                 matching.cardinality == Cardinality::ManyToOne ? "left" : "right",
                                 join(matching.include));
      }
    }
    return to_string(*binary.lhs) + " " + std::string(token_kind_text(binary.op)) + modifiers +
           " " + to_string(*binary.rhs);
  }
  std::string operator()(const AggregateExpr& aggregate) const {
    std::string out(token_kind_text(aggregate.op));
    if (aggregate.without) {
      out += " without (" + join(aggregate.grouping) + ") ";
    } else if (!aggregate.grouping.empty()) {
      out += " by (" + join(aggregate.grouping) + ") ";
    }
    out += "(";
    if (aggregate.param) out += to_string(*aggregate.param) + ", ";
    return out + to_string(*aggregate.expr) + ")";
  }
  std::string operator()(const Call& call) const {
    std::string out = std::string(call.function->name) + "(";
    for (size_t i = 0; i < call.args.size(); ++i) {
      if (i > 0) out += ", ";
      out += to_string(*call.args[i]);
    }
    return out + ")";
  }
};

}  // namespace

std::string to_string(const Expr& expr) { return std::visit(Printer{}, expr.node); }

}  // namespace mc::query
