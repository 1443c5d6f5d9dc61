#include "common/util/regex_expand.hpp"

namespace mc {
namespace {

// A rune Go's unicode.IsLetter or IsDigit accepts, or '_': what a group
// reference's name is made of. Runes beyond ASCII count as letters (RE2
// group names are ASCII, so such a name refers to no group either way).
bool is_name_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}

struct GroupReference {
  std::string_view name;
  size_t length = 0;  // of the reference after the '$'; 0 when malformed
};

// Go's regexp extract(): a name, or a {name}, right after a '$'.
GroupReference read_group_reference(std::string_view text) {
  const bool brace = !text.empty() && text[0] == '{';
  const size_t start = brace ? 1 : 0;
  size_t end = start;
  while (end < text.size() && is_name_byte(static_cast<unsigned char>(text[end]))) ++end;
  if (end == start) return {};
  if (brace) {
    if (end >= text.size() || text[end] != '}') return {};
    return {text.substr(start, end - start), end + 1};
  }
  return {text.substr(start, end - start), end};
}

// The group a reference names: a number (no leading zero, below 1e8, as Go
// reads it), or a named group; -1 for none.
int group_index(const RE2& regex, std::string_view name) {
  int number = 0;
  bool numeric = true;
  for (const char c : name) {
    if (c < '0' || c > '9' || number >= 100000000) {
      numeric = false;
      break;
    }
    number = number * 10 + (c - '0');
  }
  if (name.size() > 1 && name[0] == '0') numeric = false;
  if (numeric) return number;
  const auto& named = regex.NamedCapturingGroups();
  const auto it = named.find(std::string(name));
  return it == named.end() ? -1 : it->second;
}

}  // namespace

std::string expand_regex_template(const RE2& regex, std::string_view replacement,
                                  const std::vector<re2::StringPiece>& groups) {
  std::string out;
  while (true) {
    const size_t dollar = replacement.find('$');
    if (dollar == std::string_view::npos) break;
    out.append(replacement.substr(0, dollar));
    replacement.remove_prefix(dollar + 1);
    if (!replacement.empty() && replacement[0] == '$') {
      out += '$';
      replacement.remove_prefix(1);
      continue;
    }
    const GroupReference reference = read_group_reference(replacement);
    if (reference.length == 0) {
      out += '$';  // malformed: the dollar stays as text
      continue;
    }
    replacement.remove_prefix(reference.length);
    const int index = group_index(regex, reference.name);
    if (index >= 0 && static_cast<size_t>(index) < groups.size() &&
        groups[index].data() != nullptr) {
      out.append(groups[index].data(), groups[index].size());
    }
  }
  out.append(replacement);
  return out;
}

}  // namespace mc
