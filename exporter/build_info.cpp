#include "exporter/build_info.hpp"

#include <exception>

#include <prometheus/gauge.h>

namespace mc {

std::string compiler_description() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return "gcc " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
         std::to_string(__GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

Status register_build_info(prometheus::Registry& registry, const BuildInfo& info) {
  try {
    prometheus::BuildGauge()
        .Name("metrics_collector_build_info")
        .Help(
            "A metric with a constant '1' value labeled by version, revision and compiler "
            "from which metrics-collector was built.")
        .Register(registry)
        .Add({{"version", info.version},
              {"revision", info.revision},
              {"compiler", info.compiler.empty() ? compiler_description() : info.compiler}})
        .Set(1);
  } catch (const std::exception& error) {
    return Status::error(std::string("cannot register metrics_collector_build_info: ") +
                         error.what());
  }
  return Status::ok();
}

}  // namespace mc
