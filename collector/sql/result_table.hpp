// ResultTable: the rows of one query result as QuerySeries reads them, so the
// conversion from rows to samples does not depend on libpqxx (tests build a
// table by hand; SqlConnection adapts a pqxx::result without copying).
//
// Thread-safety: read-only; one reader at a time is all that is needed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mc {

class ResultTable {
 public:
  virtual ~ResultTable() = default;
  virtual size_t row_count() const = 0;
  virtual size_t column_count() const = 0;
  virtual std::string_view column_name(size_t column) const = 0;
  virtual uint32_t column_type(size_t column) const = 0;  // PostgreSQL type OID
  // The value's text form, or nullopt for NULL. Valid while the table lives.
  virtual std::optional<std::string_view> cell(size_t row, size_t column) const = 0;
};

}  // namespace mc
