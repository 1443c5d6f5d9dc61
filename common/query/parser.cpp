#include "common/query/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/model/label_name.hpp"
#include "common/query/go_text.hpp"
#include "common/query/lexer.hpp"
#include "common/util/stack_guard.hpp"
#include "common/util/utf8.hpp"

namespace mc::query {
namespace {

using std::chrono::milliseconds;

// Thrown inside the parser only: the first error ends the parse, since 2.42
// reports only the first one.
struct ParseFailure {
  ParseError error;
};

[[noreturn]] void fail(size_t position, std::string message) {
  throw ParseFailure{ParseError{position, std::move(message)}};
}

// Binding power of the binary operators, loosest first.
int precedence(TokenKind kind) {
  switch (kind) {
    case TokenKind::Lor:
      return 1;
    case TokenKind::Land:
    case TokenKind::Lunless:
      return 2;
    case TokenKind::Eqlc:
    case TokenKind::Neq:
    case TokenKind::Lte:
    case TokenKind::Lss:
    case TokenKind::Gte:
    case TokenKind::Gtr:
      return 3;
    case TokenKind::Add:
    case TokenKind::Sub:
      return 4;
    case TokenKind::Mul:
    case TokenKind::Div:
    case TokenKind::Mod:
    case TokenKind::Atan2:
      return 5;
    case TokenKind::Pow:
      return 6;
    default:
      return 0;
  }
}
constexpr int kMultiplicative = 5;

// metric_identifier of the grammar: words that name a metric where an
// expression starts.
bool is_metric_identifier(TokenKind kind) {
  switch (kind) {
    case TokenKind::Identifier:
    case TokenKind::MetricIdentifier:
    case TokenKind::By:
    case TokenKind::Without:
    case TokenKind::Offset:
    case TokenKind::Land:
    case TokenKind::Lor:
    case TokenKind::Lunless:
    case TokenKind::Start:
    case TokenKind::End:
      return true;
    default:
      return is_aggregator(kind);
  }
}

// maybe_label of the grammar: words accepted as label names in grouping lists.
bool is_maybe_label(TokenKind kind) {
  switch (kind) {
    case TokenKind::Identifier:
    case TokenKind::MetricIdentifier:
    case TokenKind::Bool:
    case TokenKind::By:
    case TokenKind::GroupLeft:
    case TokenKind::GroupRight:
    case TokenKind::Ignoring:
    case TokenKind::Land:
    case TokenKind::Lor:
    case TokenKind::Lunless:
    case TokenKind::Offset:
    case TokenKind::On:
    case TokenKind::Without:
    case TokenKind::Start:
    case TokenKind::End:
    case TokenKind::Atan2:
      return true;
    default:
      return is_aggregator(kind);
  }
}

// strconv.ParseInt(text, 0, 64), then strconv.ParseFloat(text, 64), as
// parser.number does; the message is Go's.
double parse_number(const Token& token) {
  const std::string& text = token.text;
  const auto fail_number = [&](std::string_view why) {
    fail(token.position, fmt::format("error parsing number: strconv.ParseFloat: parsing {}: {}",
                                     go_quote(text), why));
  };
  // Integers first: 0x hex, a leading 0 for octal, else decimal.
  const bool hex = text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  if (hex) {
    const std::string digits = text.substr(2);
    const bool all_hex = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (all_hex) {
      errno = 0;
      const unsigned long long value = std::strtoull(digits.c_str(), nullptr, 16);
      if (errno == 0 &&
          value <= static_cast<unsigned long long>(std::numeric_limits<int64_t>::max())) {
        return static_cast<double>(value);
      }
    }
    // ParseFloat wants a 'p' exponent in a hex float, which the lexer never lets through.
    fail_number("invalid syntax");
  }
  const bool all_digits = !text.empty() && std::all_of(text.begin(), text.end(),
                                                       [](char c) { return c >= '0' && c <= '9'; });
  if (all_digits) {
    const bool octal = text.size() > 1 && text[0] == '0';
    const bool octal_digits =
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '7'; });
    if (!octal || octal_digits) {
      errno = 0;
      const long long value = std::strtoll(text.c_str(), nullptr, octal ? 8 : 10);
      if (errno == 0) return static_cast<double>(value);
    }
  }
  // Inf and NaN in any case; otherwise [digits][.digits][e[+-]digits].
  const TokenKind special = keyword_kind(text);
  if (special == TokenKind::Number) {
    if (text[0] == 'n' || text[0] == 'N') return std::numeric_limits<double>::quiet_NaN();
    return std::numeric_limits<double>::infinity();
  }
  size_t i = 0;
  size_t mantissa_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++mantissa_digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) fail_number("invalid syntax");
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++exponent_digits;
    if (exponent_digits == 0) fail_number("invalid syntax");
  }
  if (i != text.size()) fail_number("invalid syntax");
  errno = 0;
  const double value = std::strtod(text.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(value)) fail_number("value out of range");
  return value;
}

// strutil.Unquote for a string token the lexer has already validated:
// backquoted text is raw; '...' and "..." take Go's escapes.
std::string unquote(std::string_view quoted) {
  const std::string_view body = quoted.substr(1, quoted.size() - 2);
  if (quoted.front() == '`') return std::string(body);
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out += body[i];
      continue;
    }
    const char c = body[++i];
    const auto hex_value = [&](size_t digits) {
      uint32_t value = 0;
      for (size_t k = 0; k < digits; ++k) {
        const char h = body[++i];
        value = value * 16 + static_cast<uint32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
      }
      return value;
    };
    switch (c) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
        out += static_cast<char>(hex_value(2));
        break;
      case 'u':
        append_utf8(out, hex_value(4));
        break;
      case 'U':
        append_utf8(out, hex_value(8));
        break;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7': {
        uint32_t value = static_cast<uint32_t>(c - '0');
        for (int k = 0; k < 2; ++k) value = value * 8 + static_cast<uint32_t>(body[++i] - '0');
        out += static_cast<char>(value);
        break;
      }
      default:
        out += c;
        break;  // \\, \' and \"
    }
  }
  return out;
}

// model.ParseDuration of prometheus/common v0.39 (what 2.42 links): units y w
// d h m s ms, largest first, each at most once, checked by one regex, hence one
// message for every malformed duration.
Result<milliseconds> parse_model_duration(std::string_view text) {
  static constexpr std::string_view kUnits[] = {"y", "w", "d", "h", "m", "s", "ms"};
  static constexpr int64_t kUnitMilliseconds[] = {365LL * 24 * 3600 * 1000,
                                                  7LL * 24 * 3600 * 1000,
                                                  24LL * 3600 * 1000,
                                                  3600LL * 1000,
                                                  60LL * 1000,
                                                  1000,
                                                  1};
  const auto invalid = [&] {
    return Status::error("not a valid duration string: " + go_quote(text));
  };
  if (text == "0") return milliseconds(0);
  if (text.empty()) return Status::error("empty duration string");
  size_t i = 0;
  size_t next_unit = 0;
  int64_t total = 0;
  bool overflow = false;
  while (i < text.size()) {
    const size_t digits_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == digits_start) return invalid();
    const std::string_view digits = text.substr(digits_start, i - digits_start);
    size_t unit = next_unit;
    while (unit < std::size(kUnits) && !text.substr(i).starts_with(kUnits[unit])) ++unit;
    // "m" must not take the "m" of "ms".
    if (unit < std::size(kUnits) && kUnits[unit] == "m" && text.substr(i).starts_with("ms"))
      unit = 6;
    if (unit >= std::size(kUnits)) return invalid();
    i += kUnits[unit].size();
    next_unit = unit + 1;
    const int64_t limit = std::numeric_limits<int64_t>::max() / 1000000 / kUnitMilliseconds[unit];
    int64_t value = 0;
    for (char c : digits) {
      if (value > limit) break;
      value = value * 10 + (c - '0');
    }
    if (value > limit) {
      overflow = true;
      continue;
    }
    total += value * kUnitMilliseconds[unit];
    if (total > std::numeric_limits<int64_t>::max() / 1000000) overflow = true;
  }
  if (overflow) return Status::error("duration out of range");
  return milliseconds(total);
}

// Go's int64(f) on amd64: a value out of int64's range becomes MinInt64
// (Prometheus's bounds check is in seconds, so 1e18 seconds passes it and
// overflows in milliseconds).
int64_t go_float_to_int64(double value) {
  if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0)) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(value);
}

std::string go_float_f(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:f}", value);
}

class Parser {
 public:
  explicit Parser(std::string_view query) : query_(query) {
    for (Token& token : lex(query)) {
      if (token.kind != TokenKind::Comment) tokens_.push_back(std::move(token));
    }
  }

  ExprPtr parse_query() {
    if (peek().kind == TokenKind::Eof) fail(0, "no expression found in input");
    ExprPtr expr = parse_binary(1);
    if (peek().kind != TokenKind::Eof) unexpected_here();
    check(*expr);
    return expr;
  }

 private:
  // The token `ahead` places on; reading a lexer error reports it, as
  // Prometheus's parser does the moment yacc asks for that token.
  const Token& peek(size_t ahead = 0) const {
    const Token& token = tokens_[std::min(index_ + ahead, tokens_.size() - 1)];
    if (token.kind == TokenKind::Error) fail(token.position, token.text);
    return token;
  }
  Token advance() {
    Token token = peek();
    if (index_ + 1 < tokens_.size()) ++index_;
    last_end_ = token.end();
    return token;
  }

  [[noreturn]] void unexpected(std::string_view context, std::string_view expected) const {
    const Token& token = peek();
    std::string message = "unexpected " + describe_token(token);
    if (!context.empty()) message += " in " + std::string(context);
    if (!expected.empty()) message += ", expected " + std::string(expected);
    fail(token.position, std::move(message));
  }
  // Where no rule of its own catches a syntax error, yacc falls back to the
  // innermost aggregation's error rule, or to the top level's.
  [[noreturn]] void unexpected_here() const {
    unexpected(aggregation_depth_ > 0 ? "aggregation" : "", "");
  }

  milliseconds duration_of(const Token& token) const {
    auto parsed = parse_model_duration(token.text);
    if (!parsed) fail(token.position, parsed.error());
    if (parsed->count() == 0) fail(token.position, "duration must be greater than 0");
    return *parsed;
  }

  static ExprPtr make(auto node, PositionRange position) {
    auto expr = std::make_unique<Expr>();
    expr->node = std::move(node);
    expr->position = position;
    uint32_t children = 0;
    const auto child = [&](const ExprPtr& e) {
      if (e) children = std::max(children, e->height);
    };
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, BinaryExpr>) {
            child(n.lhs);
            child(n.rhs);
          } else if constexpr (std::is_same_v<T, AggregateExpr>) {
            child(n.expr);
            child(n.param);
          } else if constexpr (std::is_same_v<T, Call>) {
            for (const ExprPtr& arg : n.args) child(arg);
          } else if constexpr (std::is_same_v<T, SubqueryExpr> || std::is_same_v<T, ParenExpr> ||
                               std::is_same_v<T, UnaryExpr>) {
            child(n.expr);
          }
        },
        expr->node);
    expr->height = children + 1;
    if (expr->height > kMaxExprHeight) fail_too_deep(position.start);
    // A tall tree comes from loops too (a chain of binary operators), and its
    // walks (the checks below, step invariance, destruction) recurse once a
    // level: the stack they will need must be there now, while the tree is
    // still small enough to unwind.
    require_stack(kQueryStackReserve + size_t{expr->height} * kQueryStackPerTreeLevel);
    return expr;
  }

  [[noreturn]] static void fail_too_deep(size_t position) {
    fail(position, fmt::format("expression nests too deeply: more than {} levels", kMaxExprHeight));
  }

  // Bounds the parser's own recursion, which runs ahead of the tree's height.
  class NestingGuard {
   public:
    NestingGuard(Parser& parser) : parser_(parser) {
      require_stack(kQueryStackReserve);
      if (++parser_.nesting_ > kMaxExprHeight) fail_too_deep(parser_.peek().position);
    }
    ~NestingGuard() { --parser_.nesting_; }
    NestingGuard(const NestingGuard&) = delete;
    NestingGuard& operator=(const NestingGuard&) = delete;

   private:
    Parser& parser_;
  };

  // Precedence climbing over generated_parser.y's %left/%right table.
  ExprPtr parse_binary(int min_precedence) {
    const NestingGuard guard(*this);
    ExprPtr lhs = parse_unary();
    while (true) {
      const TokenKind kind = peek().kind;
      const int op_precedence = precedence(kind);
      if (op_precedence == 0 || op_precedence < min_precedence) return lhs;
      const Token op = advance();
      BinaryExpr binary;
      binary.op = op.kind;
      binary.operator_position = op.position;
      VectorMatching matching;
      if (peek().kind == TokenKind::Bool) {
        advance();
        binary.return_bool = true;
      }
      if (peek().kind == TokenKind::On || peek().kind == TokenKind::Ignoring) {
        matching.on = advance().kind == TokenKind::On;
        matching.matching_labels = parse_grouping_labels();
        if (peek().kind == TokenKind::GroupLeft || peek().kind == TokenKind::GroupRight) {
          matching.cardinality = advance().kind == TokenKind::GroupLeft ? Cardinality::ManyToOne
                                                                        : Cardinality::OneToMany;
          if (peek().kind == TokenKind::LeftParen) matching.include = parse_grouping_labels();
        }
      }
      binary.matching = std::move(matching);
      // ^ is right-associative, every other operator left-associative.
      const int next_min = kind == TokenKind::Pow ? op_precedence : op_precedence + 1;
      ExprPtr rhs = parse_binary(next_min);
      const PositionRange position{lhs->position.start, rhs->position.end};
      binary.lhs = std::move(lhs);
      binary.rhs = std::move(rhs);
      lhs = make(std::move(binary), position);
    }
  }

  // unary_expr has the precedence of *: only ^ and the postfix modifiers bind
  // tighter, so -a^b is -(a^b) and -a*b is (-a)*b.
  ExprPtr parse_unary() {
    const TokenKind kind = peek().kind;
    if (kind != TokenKind::Add && kind != TokenKind::Sub) return parse_postfix(parse_primary());
    const Token op = advance();
    ExprPtr operand = parse_binary(kMultiplicative + 1);
    if (auto* number = operand->as<NumberLiteral>()) {
      if (op.kind == TokenKind::Sub) number->value = -number->value;
      operand->position.start = op.position;
      operand->height = 1;
      return operand;
    }
    const PositionRange position{op.position, operand->position.end};
    return make(UnaryExpr{op.kind, std::move(operand)}, position);
  }

  ExprPtr parse_primary() {
    const Token& token = peek();
    switch (token.kind) {
      case TokenKind::Number: {
        const Token number = advance();
        return make(NumberLiteral{parse_number(number)}, {number.position, number.end()});
      }
      case TokenKind::String: {
        const Token string = advance();
        return make(StringLiteral{unquote(string.text)}, {string.position, string.end()});
      }
      case TokenKind::LeftParen: {
        const Token open = advance();
        ExprPtr inner = parse_binary(1);
        if (peek().kind != TokenKind::RightParen) unexpected_here();
        const Token close = advance();
        return make(ParenExpr{std::move(inner)}, {open.position, close.end()});
      }
      case TokenKind::LeftBrace:
        return parse_vector_selector();
      default:
        break;
    }
    if (token.kind == TokenKind::Identifier && peek(1).kind == TokenKind::LeftParen) {
      return parse_call();
    }
    if (is_aggregator(token.kind)) {
      const TokenKind next = peek(1).kind;
      if (next == TokenKind::LeftParen || next == TokenKind::By || next == TokenKind::Without) {
        return parse_aggregation();
      }
    }
    if (is_metric_identifier(token.kind)) return parse_vector_selector();
    unexpected_here();
  }

  ExprPtr parse_vector_selector() {
    VectorSelector selector;
    const size_t start = peek().position;
    if (peek().kind != TokenKind::LeftBrace) selector.name = advance().text;
    if (peek().kind == TokenKind::LeftBrace) selector.matchers = parse_label_matchers();
    if (!selector.name.empty()) {
      selector.matchers.push_back(
          make_label_matcher(MatchType::Equal, "__name__", selector.name).value());
    }
    return make(std::move(selector), {start, last_end_});
  }

  std::vector<LabelMatcher> parse_label_matchers() {
    advance();  // {
    std::vector<LabelMatcher> matchers;
    while (true) {
      if (peek().kind == TokenKind::RightBrace) break;
      if (peek().kind != TokenKind::Identifier) {
        unexpected("label matching", "identifier or \"}\"");
      }
      const Token label = advance();
      MatchType type = MatchType::Equal;
      switch (peek().kind) {
        case TokenKind::Assign:
          type = MatchType::Equal;
          break;
        case TokenKind::Neq:
          type = MatchType::NotEqual;
          break;
        case TokenKind::EqlRegex:
          type = MatchType::Regex;
          break;
        case TokenKind::NeqRegex:
          type = MatchType::NotRegex;
          break;
        default:
          unexpected("label matching", "label matching operator");
      }
      advance();
      if (peek().kind != TokenKind::String) unexpected("label matching", "string");
      const Token value = advance();
      auto matcher = make_label_matcher(type, label.text, unquote(value.text));
      if (!matcher) fail(label.position, matcher.error());
      matchers.push_back(std::move(*matcher));
      if (peek().kind == TokenKind::Comma) {
        advance();
        continue;
      }
      if (peek().kind != TokenKind::RightBrace) {
        unexpected("label matching", "\",\" or \"}\"");
      }
    }
    advance();  // }
    return matchers;
  }

  std::vector<std::string> parse_grouping_labels() {
    if (peek().kind != TokenKind::LeftParen) unexpected("grouping opts", "\"(\"");
    advance();
    std::vector<std::string> labels;
    if (peek().kind == TokenKind::RightParen) {
      advance();
      return labels;
    }
    while (true) {
      if (!is_maybe_label(peek().kind)) unexpected("grouping opts", "label");
      if (!is_valid_label_name(peek().text)) unexpected("grouping opts", "label");
      labels.push_back(advance().text);
      if (peek().kind == TokenKind::Comma) {
        advance();
        if (peek().kind == TokenKind::RightParen) break;
        continue;
      }
      if (peek().kind != TokenKind::RightParen) unexpected("grouping opts", "\",\" or \")\"");
      break;
    }
    advance();  // )
    return labels;
  }

  // function_call_body: "(" [expr {"," expr}] ")".
  std::vector<ExprPtr> parse_call_arguments() {
    if (peek().kind != TokenKind::LeftParen) unexpected_here();
    advance();
    std::vector<ExprPtr> args;
    if (peek().kind == TokenKind::RightParen) {
      advance();
      return args;
    }
    while (true) {
      args.push_back(parse_binary(1));
      if (peek().kind == TokenKind::Comma) {
        const Token comma = advance();
        if (peek().kind == TokenKind::RightParen) {
          fail(comma.position, "trailing commas not allowed in function call args");
        }
        continue;
      }
      if (peek().kind != TokenKind::RightParen) unexpected_here();
      advance();
      return args;
    }
  }

  ExprPtr parse_call() {
    const Token name = advance();
    Call call;
    call.args = parse_call_arguments();
    call.function = find_function(name.text);
    if (call.function == nullptr) {
      fail(name.position, "unknown function with name " + go_quote(name.text));
    }
    return make(std::move(call), {name.position, last_end_});
  }

  ExprPtr parse_aggregation() {
    const Token op = advance();
    AggregateExpr aggregate;
    aggregate.op = op.kind;
    const auto parse_modifier = [&] {
      aggregate.without = advance().kind == TokenKind::Without;
      aggregate.grouping = parse_grouping_labels();
    };
    ++aggregation_depth_;
    const bool modifier_first = peek().kind == TokenKind::By || peek().kind == TokenKind::Without;
    if (modifier_first) parse_modifier();
    std::vector<ExprPtr> args = parse_call_arguments();
    --aggregation_depth_;
    if (!modifier_first && (peek().kind == TokenKind::By || peek().kind == TokenKind::Without)) {
      parse_modifier();
    }
    if (args.empty()) fail(op.position, "no arguments for aggregate expression provided");
    const size_t wanted = is_aggregator_with_param(op.kind) ? 2 : 1;
    if (args.size() != wanted) {
      fail(op.position,
           fmt::format(
               "wrong number of arguments for aggregate expression provided, expected {}, got {}",
               wanted, args.size()));
    }
    if (wanted == 2) aggregate.param = std::move(args[0]);
    aggregate.expr = std::move(args[wanted - 1]);
    return make(std::move(aggregate), {op.position, last_end_});
  }

  // Ranges, subqueries, offset and @ after an expression.
  ExprPtr parse_postfix(ExprPtr expr) {
    while (true) {
      switch (peek().kind) {
        case TokenKind::LeftBracket:
          expr = parse_range_or_subquery(std::move(expr));
          break;
        case TokenKind::Offset:
          parse_offset(*expr);
          break;
        case TokenKind::At:
          parse_at(*expr);
          break;
        default:
          return expr;
      }
    }
  }

  ExprPtr parse_range_or_subquery(ExprPtr expr) {
    const Token open = advance();
    if (peek().kind != TokenKind::Duration) unexpected("subquery selector", "duration");
    const milliseconds range = duration_of(advance());
    if (peek().kind == TokenKind::RightBracket) {
      advance();
      auto* selector = expr->as<VectorSelector>();
      if (selector == nullptr) fail(open.position, "ranges only allowed for vector selectors");
      if (selector->modifiers.offset.count() != 0) {
        fail(open.position, "no offset modifiers allowed before range");
      }
      if (selector->modifiers.at_ms) fail(open.position, "no @ modifiers allowed before range");
      return make(MatrixSelector{std::move(*selector), range}, {expr->position.start, last_end_});
    }
    if (peek().kind != TokenKind::Colon) unexpected("subquery or range", "\":\" or \"]\"");
    advance();
    milliseconds step{0};
    if (peek().kind == TokenKind::Duration) {
      step = duration_of(advance());
      if (peek().kind != TokenKind::RightBracket) unexpected("subquery selector", "\"]\"");
    } else if (peek().kind != TokenKind::RightBracket) {
      unexpected("subquery selector", "duration or \"]\"");
    }
    advance();
    const size_t start = expr->position.start;
    return make(SubqueryExpr{std::move(expr), range, step, {}}, {start, last_end_});
  }

  // The offset and @ fields of a selector, range or subquery (getAtModifierVars).
  TimeModifiers* modifiers_of(Expr& expr, std::string_view modifier) const {
    if (auto* selector = expr.as<VectorSelector>()) return &selector->modifiers;
    if (auto* matrix = expr.as<MatrixSelector>()) return &matrix->selector.modifiers;
    if (auto* subquery = expr.as<SubqueryExpr>()) return &subquery->modifiers;
    fail(expr.position.start,
         std::string(modifier) +
             " modifier must be preceded by an instant vector selector or range vector selector "
             "or a subquery");
  }

  void parse_offset(Expr& expr) {
    advance();
    bool negative = false;
    if (peek().kind == TokenKind::Sub) {
      advance();
      negative = true;
    }
    if (peek().kind != TokenKind::Duration) unexpected("offset", "duration");
    const milliseconds offset = duration_of(advance());
    TimeModifiers* modifiers = modifiers_of(expr, "offset");
    if (modifiers->offset.count() != 0) {
      fail(expr.position.start, "offset may not be set multiple times");
    }
    modifiers->offset = negative ? -offset : offset;
    expr.position.end = last_end_;
  }

  void parse_at(Expr& expr) {
    advance();
    const TokenKind kind = peek().kind;
    if (kind == TokenKind::Start || kind == TokenKind::End) {
      advance();
      if (peek().kind != TokenKind::LeftParen) unexpected("@", "timestamp");
      advance();
      if (peek().kind != TokenKind::RightParen) unexpected("@", "timestamp");
      advance();
      TimeModifiers* modifiers = modifiers_of(expr, "@");
      if (modifiers->has_at())
        fail(expr.position.start, "@ <timestamp> may not be set multiple times");
      modifiers->at_preprocessor =
          kind == TokenKind::Start ? AtPreprocessor::Start : AtPreprocessor::End;
      expr.position.end = last_end_;
      return;
    }
    double sign = 1;
    if (kind == TokenKind::Add || kind == TokenKind::Sub) {
      sign = advance().kind == TokenKind::Sub ? -1 : 1;
    }
    if (peek().kind != TokenKind::Number) unexpected("@", "timestamp");
    const double seconds = sign * parse_number(advance());
    if (std::isnan(seconds) || std::isinf(seconds) ||
        seconds >= static_cast<double>(std::numeric_limits<int64_t>::max()) ||
        seconds <= static_cast<double>(std::numeric_limits<int64_t>::min())) {
      fail(expr.position.start, "timestamp out of bounds for @ modifier: " + go_float_f(seconds));
    }
    TimeModifiers* modifiers = modifiers_of(expr, "@");
    if (modifiers->has_at())
      fail(expr.position.start, "@ <timestamp> may not be set multiple times");
    modifiers->at_ms = go_float_to_int64(std::round(seconds * 1000));
    expr.position.end = last_end_;
  }

  // checkAST of parse.go: the type checks, children first.
  ValueType check(Expr& expr) {
    require_stack(kQueryStackReserve);
    if (auto* aggregate = expr.as<AggregateExpr>()) {
      expect_type(*aggregate->expr, ValueType::Vector, "aggregation expression");
      if (aggregate->op == TokenKind::Topk || aggregate->op == TokenKind::Bottomk ||
          aggregate->op == TokenKind::Quantile) {
        expect_type(*aggregate->param, ValueType::Scalar, "aggregation parameter");
      }
      if (aggregate->op == TokenKind::CountValues) {
        expect_type(*aggregate->param, ValueType::String, "aggregation parameter");
      }
    } else if (auto* binary = expr.as<BinaryExpr>()) {
      check_binary(expr, *binary);
    } else if (auto* call = expr.as<Call>()) {
      check_call(expr, *call);
    } else if (auto* paren = expr.as<ParenExpr>()) {
      check(*paren->expr);
    } else if (auto* unary = expr.as<UnaryExpr>()) {
      const ValueType type = check(*unary->expr);
      if (type != ValueType::Scalar && type != ValueType::Vector) {
        fail(expr.position.start,
             "unary expression only allowed on expressions of type scalar or instant vector, got " +
                 go_quote(documented_type_name(type)));
      }
    } else if (auto* subquery = expr.as<SubqueryExpr>()) {
      const ValueType type = check(*subquery->expr);
      if (type != ValueType::Vector) {
        fail(expr.position.start,
             fmt::format("subquery is only allowed on instant vector, got {} instead",
                         value_type_name(type)));
      }
    } else if (auto* matrix = expr.as<MatrixSelector>()) {
      check_selector(expr.position.start, matrix->selector);
    } else if (auto* selector = expr.as<VectorSelector>()) {
      check_selector(expr.position.start, *selector);
    }
    return expr_type(expr);
  }

  void expect_type(Expr& expr, ValueType wanted, std::string_view context) {
    const ValueType type = check(expr);
    if (type != wanted) {
      fail(expr.position.start,
           fmt::format("expected type {} in {}, got {}", documented_type_name(wanted), context,
                       documented_type_name(type)));
    }
  }

  void check_selector(size_t position, const VectorSelector& selector) {
    if (!selector.name.empty()) {
      for (size_t i = 0; i + 1 < selector.matchers.size(); ++i) {
        const LabelMatcher& matcher = selector.matchers[i];
        if (matcher.name() == "__name__") {
          fail(position, fmt::format("metric name must not be set twice: {} or {}",
                                     go_quote(selector.name), go_quote(matcher.value())));
        }
      }
      return;  // the name is itself a non-empty matcher
    }
    const bool has_non_empty = std::any_of(selector.matchers.begin(), selector.matchers.end(),
                                           [](const LabelMatcher& m) { return !m.matches(""); });
    if (!has_non_empty)
      fail(position, "vector selector must contain at least one non-empty matcher");
  }

  void check_call(const Expr& expr, Call& call) {
    const Function& function = *call.function;
    const size_t listed = function.arg_types.size();
    const size_t given = call.args.size();
    if (function.variadic == 0) {
      if (listed != given) {
        fail(expr.position.start, fmt::format("expected {} argument(s) in call to {}, got {}",
                                              listed, go_quote(function.name), given));
      }
    } else {
      const size_t required = listed - 1;
      if (required > given) {
        fail(expr.position.start,
             fmt::format("expected at least {} argument(s) in call to {}, got {}", required,
                         go_quote(function.name), given));
      }
      const size_t most = required + static_cast<size_t>(std::max(function.variadic, 0));
      if (function.variadic > 0 && most < given) {
        fail(expr.position.start,
             fmt::format("expected at most {} argument(s) in call to {}, got {}", most,
                         go_quote(function.name), given));
      }
    }
    const std::string context = "call to function " + go_quote(function.name);
    for (size_t i = 0; i < given; ++i) {
      size_t type_index = i;
      if (i >= listed) {
        if (function.variadic == 0) break;
        type_index = listed - 1;
      }
      expect_type(*call.args[i], function.arg_types[type_index], context);
    }
  }

  void check_binary(const Expr& expr, BinaryExpr& binary) {
    const ValueType lhs = check(*binary.lhs);
    const ValueType rhs = check(*binary.rhs);
    const size_t op_position = binary.operator_position;
    if (binary.return_bool && !is_comparison_operator(binary.op)) {
      fail(op_position, "bool modifier can only be used on comparison operators");
    }
    if (is_comparison_operator(binary.op) && !binary.return_bool && lhs == ValueType::Scalar &&
        rhs == ValueType::Scalar) {
      fail(op_position, "comparisons between scalars must use BOOL modifier");
    }
    VectorMatching& matching = *binary.matching;
    if (is_set_operator(binary.op) && matching.cardinality == Cardinality::OneToOne) {
      matching.cardinality = Cardinality::ManyToMany;
    }
    if (matching.on) {
      for (const std::string& label : matching.matching_labels) {
        if (std::find(matching.include.begin(), matching.include.end(), label) !=
            matching.include.end()) {
          fail(op_position, fmt::format("label {} must not occur in ON and GROUP clause at once",
                                        go_quote(label)));
        }
      }
    }
    if (lhs != ValueType::Scalar && lhs != ValueType::Vector) {
      fail(binary.lhs->position.start,
           "binary expression must contain only scalar and instant vector types");
    }
    if (rhs != ValueType::Scalar && rhs != ValueType::Vector) {
      fail(binary.rhs->position.start,
           "binary expression must contain only scalar and instant vector types");
    }
    if (lhs != ValueType::Vector || rhs != ValueType::Vector) {
      if (!matching.matching_labels.empty()) {
        fail(expr.position.start, "vector matching only allowed between instant vectors");
      }
      binary.matching.reset();
    } else if (is_set_operator(binary.op)) {
      if (matching.cardinality == Cardinality::OneToMany ||
          matching.cardinality == Cardinality::ManyToOne) {
        fail(expr.position.start, fmt::format("no grouping allowed for {} operation",
                                              go_quote(token_kind_text(binary.op))));
      }
      if (matching.cardinality != Cardinality::ManyToMany) {
        fail(expr.position.start, "set operations must always be many-to-many");
      }
    }
    if ((lhs == ValueType::Scalar || rhs == ValueType::Scalar) && is_set_operator(binary.op)) {
      fail(expr.position.start,
           fmt::format("set operator {} not allowed in binary scalar expression",
                       go_quote(token_kind_text(binary.op))));
    }
  }

  std::string_view query_;
  std::vector<Token> tokens_;
  size_t index_ = 0;
  size_t last_end_ = 0;
  int aggregation_depth_ = 0;
  uint32_t nesting_ = 0;
};

}  // namespace

ParseResult parse(std::string_view query) {
  ParseResult result;
  try {
    result.expr = Parser(query).parse_query();
  } catch (ParseFailure& failure) {
    result.expr = nullptr;
    result.error = std::move(failure.error);
  }
  return result;
}

Result<ExprPtr> parse_expr(std::string_view query) {
  ParseResult result = parse(query);
  if (!result.ok()) return Status::error(format_parse_error(query, result.error));
  return std::move(result.expr);
}

}  // namespace mc::query
