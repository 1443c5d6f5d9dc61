// /api/v1/metadata: the TYPE, HELP and UNIT of each metric family the head
// holds (what the scrapes declared, as the store keeps it with each series),
// as Prometheus 2.42 answers from its targets' metadata:
//
//   {"http_requests_total":[{"type":"counter","help":"...","unit":""}],...}
//
// `metric=<family>` keeps one family; `limit=<n>` keeps the first n families
// (by name; Prometheus's pick is Go's map order), a negative one all;
// "limit must be a number" otherwise. Families come sorted, as Go writes a
// map; a family scraped with two different HELPs lists both. Unlike 2.42,
// the scrape's report series (up, scrape_duration_seconds, ...) are listed
// too: the store keeps the metadata the scrape loop declares for them.
#pragma once

#include "common/store/storage.hpp"
#include "exporter/route_table.hpp"

namespace mc::api {

// `storage` must outlive the route.
Route metadata_route(Storage& storage);

}  // namespace mc::api
