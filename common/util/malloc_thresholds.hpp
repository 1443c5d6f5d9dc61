// Fixed glibc malloc thresholds for a long-running process whose memory must
// stay flat (issue 14). glibc raises its mmap threshold to the size of each
// large block freed (up to 32 MiB) and its trim threshold to twice that, so
// after a block cut frees its large buffers, later large buffers come from a
// thread's arena instead of mmap, and the free space at the top of that
// arena is never handed back: malloc_trim(0) returns free pages inside the
// arenas but trims only the main arena's top. Every cut of the 3-hour soak
// (the compactor thread's arena) left RssAnon higher; with both thresholds
// fixed at 1 MiB, head_memory_cuts_bench 200000 14 5 stays within 2 MiB over
// two cuts (bench/head_memory.md, "Arena tops after a cut").
//
// Call once at start, before other threads exist. No-op without glibc.
#pragma once

namespace mc {

inline constexpr int kMallocThresholdBytes = 1 << 20;

// Buffers of at least kMallocThresholdBytes come from mmap and go back to the
// kernel when freed; an arena's top is trimmed once this much is free there.
void fix_malloc_thresholds();

}  // namespace mc
