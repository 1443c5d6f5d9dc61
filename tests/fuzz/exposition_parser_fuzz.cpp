// Fuzz target: parse_exposition on any body, in both formats, and
// check_text_as_promtool (the check command's text 0.0.4 reader). The handler reads
// every byte of every view it is handed, so a view pointing outside the body
// or the parser's scratch buffer is an ASan report, not a silent pass.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/exposition/parser.hpp"
#include "common/exposition/promtool_text_check.hpp"

namespace {

class TouchingHandler final : public mc::ExpositionHandler {
 public:
  void on_family(const mc::FamilyView& family) override {
    touch(family.name);
    if (family.help) touch(*family.help);
    touch(family.unit);
  }
  void on_sample(const mc::SampleView& sample) override {
    touch(sample.name);
    touch(sample.family);
    touch(sample.series_id);
    for (const auto& label : sample.labels) {
      touch(label.name);
      touch(label.value);
    }
    if (sample.exemplar) {
      for (const auto& label : sample.exemplar->labels) {
        touch(label.name);
        touch(label.value);
      }
    }
  }

  size_t checksum = 0;

 private:
  void touch(std::string_view text) {
    for (const char c : text) checksum += static_cast<unsigned char>(c);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  TouchingHandler handler;
  (void)mc::parse_exposition(body, mc::ExpositionFormat::prometheus_text, handler);
  (void)mc::parse_exposition(body, mc::ExpositionFormat::openmetrics, handler,
                             {.parse_exemplars = true});
  (void)mc::parse_exposition(body, mc::ExpositionFormat::openmetrics, handler,
                             {.allow_repeated_families = true});
  (void)mc::check_text_as_promtool(body);
  return 0;
}
