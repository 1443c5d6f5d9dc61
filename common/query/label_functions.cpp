#include "common/query/label_functions.hpp"

#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "common/model/label_name.hpp"
#include "common/query/function_args.hpp"

namespace mc::query {
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

// Regexp.Expand of Go: the template with each $reference replaced by what
// that group matched.
std::string expand(const RE2& regex, std::string_view replacement,
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

// The compiled regex of label_replace, kept for the thread's next call: the
// engine calls once per step with the same pattern, as Prometheus compiles
// once per query node. One entry, so the cache stays bounded.
const RE2& compiled_label_regex(std::string_view pattern) {
  thread_local std::string cached_pattern;
  thread_local std::unique_ptr<RE2> cached;
  if (cached == nullptr || cached_pattern != pattern) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_dot_nl(false);  // Go's "." does not match a newline either
    cached = std::make_unique<RE2>("^(?:" + std::string(pattern) + ")$", options);
    cached_pattern = pattern;
  }
  return *cached;
}

}  // namespace

Result<Vector> label_replace_function(const FunctionInput& input) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  auto destination = string_arg(input, 1);
  if (!destination) return destination.status();
  auto replacement = string_arg(input, 2);
  if (!replacement) return replacement.status();
  auto source = string_arg(input, 3);
  if (!source) return source.status();
  auto pattern = string_arg(input, 4);
  if (!pattern) return pattern.status();

  const RE2& regex = compiled_label_regex(*pattern);
  if (!regex.ok()) {
    return Status::error("invalid regular expression in label_replace(): " + std::string(*pattern));
  }
  if (!is_valid_label_name(*destination)) {
    return Status::error("invalid destination label name in label_replace(): " +
                         std::string(*destination));
  }

  std::vector<re2::StringPiece> groups(static_cast<size_t>(regex.NumberOfCapturingGroups()) + 1);
  Vector out;
  out.reserve((*vector)->size());
  for (const VectorSample& sample : **vector) {
    // A copy: an absent label is "", and RE2 wants text whose data is not null.
    const std::string value(sample.labels.get(*source));
    if (!regex.Match(value, 0, value.size(), RE2::UNANCHORED, groups.data(),
                     static_cast<int>(groups.size()))) {
      out.push_back(sample);
      continue;
    }
    const std::string result = expand(regex, *replacement, groups);
    LabelsBuilder builder(sample.labels);
    builder.remove(*destination);
    if (!result.empty()) builder.set(*destination, result);
    out.push_back(VectorSample{builder.labels(), sample.t_ms, sample.v});
  }
  return out;
}

Result<Vector> label_join_function(const FunctionInput& input) {
  auto vector = vector_arg(input, 0);
  if (!vector) return vector.status();
  auto destination = string_arg(input, 1);
  if (!destination) return destination.status();
  auto separator = string_arg(input, 2);
  if (!separator) return separator.status();
  std::vector<std::string_view> sources;
  for (size_t i = 3; i < input.args.size(); ++i) {
    auto source = string_arg(input, i);
    if (!source) return source.status();
    if (!is_valid_label_name(*source)) {
      return Status::error("invalid source label name in label_join(): " + std::string(*source));
    }
    sources.push_back(*source);
  }
  if (!is_valid_label_name(*destination)) {
    return Status::error("invalid destination label name in label_join(): " +
                         std::string(*destination));
  }

  Vector out;
  out.reserve((*vector)->size());
  for (const VectorSample& sample : **vector) {
    std::string joined;
    for (size_t i = 0; i < sources.size(); ++i) {
      if (i > 0) joined.append(*separator);
      joined.append(sample.labels.get(sources[i]));
    }
    LabelsBuilder builder(sample.labels);
    if (joined.empty()) {
      builder.remove(*destination);
    } else {
      builder.set(*destination, joined);
    }
    out.push_back(VectorSample{builder.labels(), sample.t_ms, sample.v});
  }
  return out;
}

}  // namespace mc::query
