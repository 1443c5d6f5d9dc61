// Fuzz target: a block's meta.json parser (and the small JSON reader under it)
// on any text. What parses must survive meta_to_json -> parse_meta_json unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/store/block/block_meta.hpp"
#include "common/store/block/meta_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mc::block::parse_json_object(text);
  auto meta = mc::block::parse_meta_json(text, "fuzz/meta.json");
  if (!meta) return 0;
  auto again = mc::block::parse_meta_json(mc::block::meta_to_json(*meta), "fuzz/meta.json");
  if (!again || !(*again == *meta)) std::abort();
  return 0;
}
