// Which database errors a retry can fix, so the SQL collector logs a query
// that will fail on every tick at error level (someone must edit the SQL, the
// schema or a grant) and one that may succeed next time (a timeout, a lost
// connection, a lock) at warn level, as before.
//
// Run errors are classed by SQLSTATE (PostgreSQL's documented codes, stable
// across versions and languages). Login refusals have no SQLSTATE on the
// client side (libpq keeps it to itself), so they are recognised by libpq's
// and the server's message text, which is English unless the server's
// lc_messages says otherwise; a message not recognised stays at warn level.
#pragma once

#include <string_view>

namespace mc {

// True for errors that the same statement on the same schema and grants
// gets again: syntax (42601), undefined table, column or function (42P01,
// 42703, 42883), privileges (42501), data exceptions such as a failed cast
// (class 22), feature not supported (0A), a write in the READ ONLY
// transaction (25006), a missing database or schema (3D, 3F).
bool is_permanent_sqlstate(std::string_view sqlstate);

// True when the server answered a connection attempt with a refusal: a
// failed authentication, no pg_hba.conf entry, an unknown role or database,
// no CONNECT privilege. The collector keeps retrying these (a password may be
// rotated, a database created) but logs them at error level.
bool is_refused_login(std::string_view connect_message);

}  // namespace mc
