// The value types of PromQL expressions and the two ways Prometheus names
// them: ValueType's own ("vector", "matrix") and the documented one
// ("instant vector", "range vector") its type-check errors use.
#pragma once

#include <string_view>

namespace mc::query {

enum class ValueType { None, Scalar, Vector, Matrix, String };

// "none", "scalar", "vector", "matrix", "string".
std::string_view value_type_name(ValueType type);
// "scalar", "instant vector", "range vector", "string" (DocumentedType).
std::string_view documented_type_name(ValueType type);

inline std::string_view value_type_name(ValueType type) {
  switch (type) {
    case ValueType::Scalar:
      return "scalar";
    case ValueType::Vector:
      return "vector";
    case ValueType::Matrix:
      return "matrix";
    case ValueType::String:
      return "string";
    case ValueType::None:
      break;
  }
  return "none";
}

inline std::string_view documented_type_name(ValueType type) {
  switch (type) {
    case ValueType::Vector:
      return "instant vector";
    case ValueType::Matrix:
      return "range vector";
    default:
      return value_type_name(type);
  }
}

}  // namespace mc::query
