// Every PromQL function of Prometheus 2.42 (promql/parser/functions.go) with
// its argument types and return type: what the parser checks a call against.
//
// variadic as Prometheus has it: 0 means exactly the listed arguments; n > 0
// means the last listed argument is optional and may repeat up to n times in
// all; -1 means it may repeat without limit.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "common/query/value_type.hpp"

namespace mc::query {

struct Function {
  std::string_view name;
  std::vector<ValueType> arg_types;
  int variadic = 0;
  ValueType return_type = ValueType::Vector;
};

// nullptr for a name Prometheus 2.42 does not know (names are case-sensitive).
const Function* find_function(std::string_view name);
// The whole table, in name order.
std::span<const Function> all_functions();

}  // namespace mc::query
