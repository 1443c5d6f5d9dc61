// The series a block cut reads, in label order, a batch at a time.
//
// A cut writes series in label order, and a querier's select() hands back
// every series it matches at once, each with a copy of its chunk references.
// For a whole head that is the cut's largest allocation: at 200,000 series
// and a 1 h block, 30 references of 48 bytes a series, about 290 MB by size,
// held together for the length of the cut. Batches of metric names bound it
// to about `batch_series` series at a time.
//
// Batching by metric name keeps label order only while every series' first
// label is `__name__`, which is true unless some label name sorts before it
// (one starting with an upper-case letter, say); then one select() reads
// everything, as before. A name that appears between the listing of names
// and its batch's select() is not read; the same holds for a series made
// after a single select().
#pragma once

#include <cstddef>
#include <functional>

#include "common/store/querier.hpp"
#include "common/util/status.hpp"

namespace mc {

// Calls `visit` for every series of `querier` with a metric name, in label
// order, selecting about `batch_series` series at a time; stops at, and
// returns, the first error `visit` returns.
Status for_each_named_series_in_order(Querier& querier, size_t batch_series,
                                      const std::function<Status(const Series&)>& visit);

}  // namespace mc
