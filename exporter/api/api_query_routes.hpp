// /api/v1/query and /api/v1/query_range (GET and form POST): PromQL through
// the QueryEngine, answered as Prometheus 2.42 answers:
//
//   query        query, time (default now), timeout
//   query_range  query, start, end, step, timeout
//
//   {"status":"success","data":{"resultType":"matrix","result":[...]}}
//
// Parameters are checked in Prometheus's order with its words: a bad time
// `invalid parameter "time": Invalid time value for 'time': cannot parse
// "x" to a valid timestamp`; `invalid parameter "end": end timestamp must
// not be before start time`; `invalid parameter "step": zero or negative
// query resolution step widths are not accepted. Try a positive integer`
// (a step under a millisecond too: the engine counts in milliseconds);
// "exceeded maximum resolution of 11,000 points per timeseries. Try
// decreasing the query resolution (?step=XX)". A parse error is 400:
// `invalid parameter "query": 1:5: parse error: ...` for /query, the bare
// "1:5: parse error: ..." for /query_range, as 2.42 words them; evaluation errors
// are 422 execution, 503 timeout or canceled, 500 internal.
//
// `timeout` is checked as Prometheus checks it, but bounds nothing beyond
// --query.timeout: the engine's API takes no per-query deadline yet.
#pragma once

#include <vector>

#include "common/query/engine.hpp"
#include "exporter/route_table.hpp"

namespace mc::api {

// `engine` must outlive the routes.
std::vector<Route> query_routes(query::QueryEngine& engine);

enum class QueryKind { instant, range };

// The answer to a finished query: the data or the error, with its warnings.
HttpResponse query_response(const query::QueryResult& result, QueryKind kind);

}  // namespace mc::api
