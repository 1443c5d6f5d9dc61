// The number the hashmod action writes: the MD5 of the joined source values,
// its last 8 bytes read big-endian (Go's binary.BigEndian.Uint64(sum[8:])),
// modulo the rule's modulus. Prometheus shards targets over replicas with
// it, so two replicas of ours and Prometheus's must agree on every value.
//
// Pure function; safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

namespace mc {

// REQUIRES: modulus > 0 (make_relabel_config refuses 0).
uint64_t hashmod(std::string_view value, uint64_t modulus);

}  // namespace mc
