#include "common/query/go_labels_text.hpp"

#include "common/query/go_text.hpp"

namespace mc::query {

std::string go_labels_text(const Labels& labels) {
  std::string out = "{";
  bool first = true;
  for (const LabelView label : labels) {
    if (!first) out += ", ";
    first = false;
    out += label.name;
    out += '=';
    out += go_quote(label.value);
  }
  out += '}';
  return out;
}

}  // namespace mc::query
