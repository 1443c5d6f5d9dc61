// The PromQL syntax tree as Prometheus 2.42's parser builds it
// (promql/parser/ast.go), float samples only: what the parser returns, the
// printer writes back and the engine will evaluate.
//
// An Expr owns its children; a tree is immutable once parsed and may be read
// from several threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/query/functions.hpp"
#include "common/query/label_matcher.hpp"
#include "common/query/token.hpp"
#include "common/query/value_type.hpp"

namespace mc::query {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// Byte offsets into the query: [start, end).
struct PositionRange {
  size_t start = 0;
  size_t end = 0;
};

// The @ modifier: a fixed time, or the start or end of the query's range.
enum class AtPreprocessor { None, Start, End };

// offset and @ of a selector or subquery.
struct TimeModifiers {
  std::chrono::milliseconds offset{0};  // as written; negative for "offset -5m"
  std::optional<int64_t> at_ms;         // "@ 1609746000" in milliseconds
  AtPreprocessor at_preprocessor = AtPreprocessor::None;

  bool has_at() const { return at_ms.has_value() || at_preprocessor != AtPreprocessor::None; }
};

struct NumberLiteral {
  double value = 0;
};

struct StringLiteral {
  std::string value;  // unquoted
};

struct VectorSelector {
  std::string name;  // empty for {...} alone
  // Every matcher, the metric name's (__name__="name") last when a name is given.
  std::vector<LabelMatcher> matchers;
  TimeModifiers modifiers;
};

struct MatrixSelector {
  VectorSelector selector;  // its modifiers are the range's
  std::chrono::milliseconds range{0};
};

struct SubqueryExpr {
  ExprPtr expr;
  std::chrono::milliseconds range{0};
  std::chrono::milliseconds step{0};  // 0: the evaluation's default
  TimeModifiers modifiers;
};

struct ParenExpr {
  ExprPtr expr;
};

struct UnaryExpr {
  TokenKind op = TokenKind::Sub;  // Add or Sub
  ExprPtr expr;
};

enum class Cardinality { OneToOne, ManyToOne, OneToMany, ManyToMany };

struct VectorMatching {
  Cardinality cardinality = Cardinality::OneToOne;
  std::vector<std::string> matching_labels;
  bool on = false;                   // on(...) rather than ignoring(...)
  std::vector<std::string> include;  // group_left/group_right's labels
};

struct BinaryExpr {
  TokenKind op = TokenKind::Add;
  ExprPtr lhs;
  ExprPtr rhs;
  bool return_bool = false;
  size_t operator_position = 0;  // where the type errors about the operator point
  // Only between two instant vectors; the parser drops it otherwise.
  std::optional<VectorMatching> matching;
};

struct AggregateExpr {
  TokenKind op = TokenKind::Sum;
  ExprPtr expr;
  ExprPtr param;  // topk, bottomk, quantile, count_values only
  std::vector<std::string> grouping;
  bool without = false;
};

struct Call {
  const Function* function = nullptr;
  std::vector<ExprPtr> args;
};

struct Expr {
  std::variant<NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr,
               ParenExpr, UnaryExpr, BinaryExpr, AggregateExpr, Call>
      node;
  PositionRange position;
  // Nodes on the longest path down from here, this one included. The parser
  // bounds it (kMaxExprHeight) so that walking a tree recursively cannot
  // exhaust a thread's stack.
  uint32_t height = 1;

  template <typename T>
  const T* as() const {
    return std::get_if<T>(&node);
  }
  template <typename T>
  T* as() {
    return std::get_if<T>(&node);
  }
};

// The deepest tree the parser builds. Prometheus has no such bound (Go's
// stacks grow); no real query comes near it.
inline constexpr uint32_t kMaxExprHeight = 1000;

// The stack the parser and the evaluator want left before they go a level
// deeper (common/util/stack_guard.hpp), for one more level and the work below
// the deepest one (selecting, decoding, formatting). A level takes ~2 KiB in
// an optimized build (60 nested parentheses overflowed a 100 KiB HTTP
// worker's stack, of which ~50 KiB is left when a query is parsed); a
// sanitizer's frames are several times larger, and there a query leaves the
// worker's stack at once.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr size_t kQueryStackReserve = size_t{96} << 10;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr size_t kQueryStackReserve = size_t{96} << 10;
#else
inline constexpr size_t kQueryStackReserve = size_t{16} << 10;
#endif
#else
inline constexpr size_t kQueryStackReserve = size_t{16} << 10;
#endif
// What the walks of a tree that do not check the stack themselves (step
// invariance, printing, destruction) may take a level, generously: the
// parser wants reserve + height x this before it builds a taller node.
inline constexpr size_t kQueryStackPerTreeLevel = 512;

// The type Prometheus's Expr.Type() gives the node.
ValueType expr_type(const Expr& expr);

}  // namespace mc::query
