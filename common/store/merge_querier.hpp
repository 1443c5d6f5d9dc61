// merge_queriers: one Querier over several (the head and the blocks of the disk
// store), as if their samples were in one place.
//
// Series with the same labels in several queriers become one series whose
// samples are merged in time order; a timestamp present in more than one keeps
// the sample of the querier listed first (the head, then newer blocks), so the
// overlap between a block just cut and the head not yet truncated is seen once.
// Its metadata is the first source's that has any, so the head's wins.
//
// Thread-safety: as Querier (one thread per querier).
#pragma once

#include <memory>
#include <vector>

#include "common/store/querier.hpp"

namespace mc {

// REQUIRES: at least one querier; each returns its series sorted by labels.
std::unique_ptr<Querier> merge_queriers(std::vector<std::unique_ptr<Querier>> queriers);

}  // namespace mc
