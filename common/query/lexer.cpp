#include "common/query/lexer.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "common/query/go_text.hpp"

namespace mc::query {
namespace {

constexpr char32_t kEof = static_cast<char32_t>(-1);

bool is_space(char32_t r) { return r == ' ' || r == '\t' || r == '\n' || r == '\r'; }
bool is_digit(char32_t r) { return r >= '0' && r <= '9'; }
bool is_alpha(char32_t r) { return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'); }
bool is_alphanumeric(char32_t r) { return is_alpha(r) || is_digit(r); }

bool contains(std::string_view set, char32_t r) {
  return r < 0x80 && set.find(static_cast<char>(r)) != std::string_view::npos;
}

// One state machine run over the whole query; each lex_* member scans one
// token the way the Go state function of the same name does.
class Lexer {
 public:
  explicit Lexer(std::string_view input) : input_(input) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    while (true) {
      Token token = next_token();
      const bool last = token.kind == TokenKind::Eof || token.kind == TokenKind::Error;
      tokens.push_back(std::move(token));
      if (last) return tokens;
    }
  }

 private:
  char32_t next() {
    if (pos_ >= input_.size()) {
      width_ = 0;
      return kEof;
    }
    const DecodedRune decoded = decode_rune(input_.substr(pos_));
    width_ = decoded.width;
    pos_ += width_;
    return decoded.rune;
  }
  void backup() { pos_ -= width_; }
  char32_t peek() {
    const char32_t r = next();
    backup();
    return r;
  }
  bool accept(std::string_view valid) {
    if (contains(valid, next())) return true;
    backup();
    return false;
  }
  void accept_run(std::string_view valid) {
    while (contains(valid, next())) {
    }
    backup();
  }
  Token emit(TokenKind kind) {
    Token token{kind, start_, std::string(input_.substr(start_, pos_ - start_))};
    start_ = pos_;
    return token;
  }
  Token error(std::string message) { return Token{TokenKind::Error, start_, std::move(message)}; }
  void skip_spaces() {
    while (is_space(peek())) next();
    start_ = pos_;
  }

  Token next_token() {
    if (after_left_bracket_) {
      after_left_bracket_ = false;
      return lex_duration();
    }
    while (true) {
      if (brace_open_) {
        if (auto token = lex_inside_braces()) return *token;
        continue;
      }
      if (input_.substr(pos_).starts_with("#")) return lex_line_comment();
      if (auto token = lex_statement()) return *token;
    }
  }

  Token lex_line_comment() {
    pos_ += 1;
    char32_t r = next();
    while (r != '\r' && r != '\n' && r != kEof) r = next();
    backup();
    return emit(TokenKind::Comment);
  }

  // lexStatements: one token, or nothing after skipping spaces.
  std::optional<Token> lex_statement() {
    const char32_t r = next();
    switch (r) {
      case kEof:
        if (paren_depth_ != 0) return error("unclosed left parenthesis");
        if (bracket_open_) return error("unclosed left bracket");
        return emit(TokenKind::Eof);
      case ',':
        return emit(TokenKind::Comma);
      case '*':
        return emit(TokenKind::Mul);
      case '/':
        return emit(TokenKind::Div);
      case '%':
        return emit(TokenKind::Mod);
      case '+':
        return emit(TokenKind::Add);
      case '-':
        return emit(TokenKind::Sub);
      case '^':
        return emit(TokenKind::Pow);
      case '@':
        return emit(TokenKind::At);
      case '=': {
        const char32_t t = peek();
        if (t == '=') {
          next();
          return emit(TokenKind::Eqlc);
        }
        if (t == '~') return error("unexpected character after '=': " + go_quote_rune(t));
        return emit(TokenKind::Assign);
      }
      case '!': {
        const char32_t t = next();
        if (t != '=') return error("unexpected character after '!': " + go_quote_rune(t));
        return emit(TokenKind::Neq);
      }
      case '<':
        if (peek() == '=') {
          next();
          return emit(TokenKind::Lte);
        }
        return emit(TokenKind::Lss);
      case '>':
        if (peek() == '=') {
          next();
          return emit(TokenKind::Gte);
        }
        return emit(TokenKind::Gtr);
      case '"':
      case '\'':
        string_open_ = r;
        return lex_string();
      case '`':
        return lex_raw_string();
      case '(':
        ++paren_depth_;
        return emit(TokenKind::LeftParen);
      case ')': {
        Token token = emit(TokenKind::RightParen);
        if (--paren_depth_ < 0) return error("unexpected right parenthesis ')'");
        return token;
      }
      case '{':
        brace_open_ = true;
        return emit(TokenKind::LeftBrace);
      case '[': {
        if (bracket_open_) return error("unexpected left bracket '['");
        got_colon_ = false;
        Token token = emit(TokenKind::LeftBracket);
        if (is_space(peek())) skip_spaces();
        bracket_open_ = true;
        after_left_bracket_ = true;
        return token;
      }
      case ']':
        if (!bracket_open_) return error("unexpected right bracket ']'");
        bracket_open_ = false;
        return emit(TokenKind::RightBracket);
      default:
        break;
    }
    if (is_space(r)) {
      while (is_space(peek())) next();
      start_ = pos_;
      return std::nullopt;
    }
    if (is_digit(r) || (r == '.' && is_digit(peek()))) {
      backup();
      return lex_number_or_duration();
    }
    if (is_alpha(r) || r == ':') {
      if (!bracket_open_) {
        backup();
        return lex_keyword_or_identifier();
      }
      if (got_colon_) return error("unexpected colon " + go_quote_rune(r));
      got_colon_ = true;
      return emit(TokenKind::Colon);
    }
    return error("unexpected character: " + go_quote_rune(r));
  }

  std::optional<Token> lex_inside_braces() {
    if (input_.substr(pos_).starts_with("#")) return lex_line_comment();
    const char32_t r = next();
    if (r == kEof) return error("unexpected end of input inside braces");
    if (is_space(r)) {
      while (is_space(peek())) next();
      start_ = pos_;
      return std::nullopt;
    }
    if (is_alpha(r)) {
      while (is_alphanumeric(next())) {
      }
      backup();
      return emit(TokenKind::Identifier);
    }
    switch (r) {
      case ',':
        return emit(TokenKind::Comma);
      case '"':
      case '\'':
        string_open_ = r;
        return lex_string();
      case '`':
        return lex_raw_string();
      case '=':
        if (next() == '~') return emit(TokenKind::EqlRegex);
        backup();
        return emit(TokenKind::Assign);
      case '!': {
        const char32_t nr = next();
        if (nr == '~') return emit(TokenKind::NeqRegex);
        if (nr == '=') return emit(TokenKind::Neq);
        return error("unexpected character after '!' inside braces: " + go_quote_rune(nr));
      }
      case '{':
        return error("unexpected left brace '{'");
      case '}':
        brace_open_ = false;
        return emit(TokenKind::RightBrace);
      default:
        return error("unexpected character inside braces: " + go_quote_rune(r));
    }
  }

  // lexEscape; an empty result means the escape was well formed.
  std::optional<Token> lex_escape() {
    char32_t ch = next();
    int digits = 0;
    uint32_t base = 0;
    uint32_t max_value = 0;
    switch (ch) {
      case 'a':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
      case 'v':
      case '\\':
        return std::nullopt;
      case '0':
      case '1':
      case '2':
      case '3':
      case '4':
      case '5':
      case '6':
      case '7':
        digits = 3, base = 8, max_value = 255;
        break;
      case 'x':
        ch = next();
        digits = 2, base = 16, max_value = 255;
        break;
      case 'u':
        ch = next();
        digits = 4, base = 16, max_value = 0x10FFFF;
        break;
      case 'U':
        ch = next();
        digits = 8, base = 16, max_value = 0x10FFFF;
        break;
      case kEof:
        return error("escape sequence not terminated");
      default:
        if (ch == string_open_) return std::nullopt;
        return error("unknown escape sequence " + go_unicode_name(ch));
    }
    uint32_t value = 0;
    while (digits > 0) {
      uint32_t digit = 16;
      if (ch >= '0' && ch <= '9') digit = ch - '0';
      if (ch >= 'a' && ch <= 'f') digit = ch - 'a' + 10;
      if (ch >= 'A' && ch <= 'F') digit = ch - 'A' + 10;
      if (digit >= base) {
        if (ch == kEof) return error("escape sequence not terminated");
        return error("illegal character " + go_unicode_name(ch) + " in escape sequence");
      }
      value = value * base + digit;
      if (--digits > 0) ch = next();
    }
    if (value > max_value || (value >= 0xD800 && value < 0xE000)) {
      return error("escape sequence is an invalid Unicode code point");
    }
    return std::nullopt;
  }

  Token lex_string() {
    while (true) {
      const char32_t r = next();
      if (r == '\\') {
        if (auto failure = lex_escape()) return *failure;
        continue;
      }
      if (r == kRuneError) return error("invalid UTF-8 rune");
      if (r == kEof || r == '\n') return error("unterminated quoted string");
      if (r == string_open_) return emit(TokenKind::String);
    }
  }

  Token lex_raw_string() {
    while (true) {
      const char32_t r = next();
      if (r == kRuneError) return error("invalid UTF-8 rune");
      if (r == kEof) return error("unterminated raw string");
      if (r == '`') return emit(TokenKind::String);
    }
  }

  // scanNumber of 2.42: digits (hex after 0x), a fraction, an exponent; true
  // when what follows cannot continue a word.
  bool scan_number() {
    std::string_view digits = "0123456789";
    if (accept("0") && accept("xX")) digits = "0123456789abcdefABCDEF";
    accept_run(digits);
    if (accept(".")) accept_run(digits);
    if (accept("eE")) {
      accept("+-");
      accept_run("0123456789");
    }
    return !is_alphanumeric(peek());
  }

  bool accept_remaining_duration() {
    if (!accept("smhdwy")) return false;
    accept("s");  // "ms"; wrong units ("hs") fail later, in the duration parser
    while (accept("0123456789")) {
      while (accept("0123456789")) {
      }
      if (!accept("smhdw")) return false;
      accept("s");
    }
    return !is_alphanumeric(next());
  }

  // lexDuration: right after "[" only a duration may follow.
  Token lex_duration() {
    if (scan_number()) return error("missing unit character in duration");
    if (!accept_remaining_duration()) {
      return error("bad duration syntax: " + go_quote(input_.substr(start_, pos_ - start_)));
    }
    backup();
    return emit(TokenKind::Duration);
  }

  Token lex_number_or_duration() {
    if (scan_number()) return emit(TokenKind::Number);
    if (accept_remaining_duration()) {
      backup();
      return emit(TokenKind::Duration);
    }
    return error("bad number or duration syntax: " +
                 go_quote(input_.substr(start_, pos_ - start_)));
  }

  Token lex_keyword_or_identifier() {
    char32_t r = next();
    while (is_alphanumeric(r) || r == ':') r = next();
    backup();
    const std::string_view word = input_.substr(start_, pos_ - start_);
    const TokenKind keyword = keyword_kind(word);
    if (keyword != TokenKind::Identifier) return emit(keyword);
    if (word.find(':') == std::string_view::npos) return emit(TokenKind::Identifier);
    return emit(TokenKind::MetricIdentifier);
  }

  std::string_view input_;
  size_t pos_ = 0;
  size_t start_ = 0;
  size_t width_ = 0;
  int paren_depth_ = 0;
  bool brace_open_ = false;
  bool bracket_open_ = false;
  bool got_colon_ = false;
  bool after_left_bracket_ = false;  // the next token is lexDuration's
  char32_t string_open_ = 0;
};

}  // namespace

std::vector<Token> lex(std::string_view query) { return Lexer(query).run(); }

}  // namespace mc::query
