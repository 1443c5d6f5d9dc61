#include "common/util/malloc_thresholds.hpp"

#include <cstdlib>  // defines __GLIBC__ where it applies

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace mc {

void fix_malloc_thresholds() {
#if defined(__GLIBC__)
  // Setting either turns glibc's dynamic adjustment of both off.
  ::mallopt(M_MMAP_THRESHOLD, kMallocThresholdBytes);
  ::mallopt(M_TRIM_THRESHOLD, kMallocThresholdBytes);
#endif
}

}  // namespace mc
