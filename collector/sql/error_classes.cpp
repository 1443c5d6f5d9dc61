#include "collector/sql/error_classes.hpp"

#include <array>

namespace mc {

bool is_permanent_sqlstate(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return false;
  // Whole classes (the first two characters).
  static constexpr std::array<std::string_view, 6> kClasses = {
      "0A",  // feature_not_supported
      "21",  // cardinality_violation
      "22",  // data_exception: invalid_text_representation, division_by_zero, ...
      "3D",  // invalid_catalog_name
      "3F",  // invalid_schema_name
      "42",  // syntax_error_or_access_rule_violation
  };
  for (std::string_view prefix : kClasses) {
    if (sqlstate.starts_with(prefix)) return true;
  }
  return sqlstate == "25006";  // read_only_sql_transaction: the query writes
}

bool is_refused_login(std::string_view connect_message) {
  static constexpr std::array<std::string_view, 5> kRefusals = {
      "authentication failed",           // password, SCRAM, md5, peer, ident, GSSAPI, ...
      "no pg_hba.conf entry",            // the server does not accept this user from here
      "password is required",            // fe_sendauth: no password supplied
      "no password supplied",            //
      "permission denied for database",  // no CONNECT privilege
  };
  for (std::string_view refusal : kRefusals) {
    if (connect_message.find(refusal) != std::string_view::npos) return true;
  }
  // FATAL:  role "x" does not exist / database "x" does not exist
  return (connect_message.find("role \"") != std::string_view::npos ||
          connect_message.find("database \"") != std::string_view::npos) &&
         connect_message.find("does not exist") != std::string_view::npos;
}

}  // namespace mc
