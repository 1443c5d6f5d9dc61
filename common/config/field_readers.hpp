// Readers that several config sections share: a label set, a count, and the
// MC_ASSIGN_OR_RETURN shorthand their field lambdas use.
//
// Private to common/config. Stateless; callable from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/config/yaml_reader.hpp"
#include "common/model/labels.hpp"
#include "common/util/status.hpp"

namespace mc {

// Reads a Result into `out`, or returns its error from the enclosing lambda.
#define MC_ASSIGN_OR_RETURN(out, expression) \
  do {                                       \
    auto result_ = (expression);             \
    if (!result_) return result_.status();   \
    (out) = std::move(*result_);             \
  } while (false)

// A label set as a YAML mapping of name to value, returned sorted by name.
// Names must be valid and not reserved ("__"); empty values are dropped.
Result<std::vector<Label>> read_labels(const YamlReader& reader, const YAML::Node& node,
                                       std::string_view where);

// A field holding a count >= 0 (sample_limit, the label limits); `seen`, when
// given, records the node so that inheritance can tell "absent" from "0".
YamlReader::Field count_field(const YamlReader& reader, std::string_view key, std::string where,
                              uint64_t& out, YAML::Node* seen = nullptr);

}  // namespace mc
