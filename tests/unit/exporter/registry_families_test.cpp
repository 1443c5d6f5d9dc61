#include "exporter/registry_families.hpp"

#include <catch2/catch.hpp>

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/summary.h>

#include <string>

namespace mc {
namespace {

std::string render(const prometheus::Registry& registry, ExpositionFormat format) {
  std::string out;
  write_exposition(out, exposed_families_from_registry(registry.Collect(), format), format);
  return out;
}

TEST_CASE("registry families convert to exposition families in both formats", "[registry]") {
  prometheus::Registry registry;
  prometheus::BuildCounter()
      .Name("jobs_done_total")
      .Help("Jobs done.")
      .Register(registry)
      .Add({{"queue", "a"}})
      .Increment(3);
  auto& histogram = prometheus::BuildHistogram()
                        .Name("job_seconds")
                        .Help("Job time.")
                        .Register(registry)
                        .Add({}, prometheus::Histogram::BucketBoundaries{0.5, 2});
  histogram.Observe(0.25);
  histogram.Observe(1);

  CHECK(render(registry, ExpositionFormat::prometheus_text) ==
        "# HELP job_seconds Job time.\n"
        "# TYPE job_seconds histogram\n"
        "job_seconds_bucket{le=\"0.5\"} 1\n"
        "job_seconds_bucket{le=\"2\"} 2\n"
        "job_seconds_bucket{le=\"+Inf\"} 2\n"
        "job_seconds_sum 1.25\n"
        "job_seconds_count 2\n"
        "# HELP jobs_done_total Jobs done.\n"
        "# TYPE jobs_done_total counter\n"
        "jobs_done_total{queue=\"a\"} 3\n");
  CHECK(render(registry, ExpositionFormat::openmetrics) ==
        "# HELP job_seconds Job time.\n"
        "# TYPE job_seconds histogram\n"
        "job_seconds_bucket{le=\"0.5\"} 1.0\n"
        "job_seconds_bucket{le=\"2.0\"} 2.0\n"
        "job_seconds_bucket{le=\"+Inf\"} 2.0\n"
        "job_seconds_sum 1.25\n"
        "job_seconds_count 2.0\n"
        "# HELP jobs_done Jobs done.\n"
        "# TYPE jobs_done counter\n"
        "jobs_done_total{queue=\"a\"} 3.0\n"
        "# EOF\n");
}

TEST_CASE("summaries get quantile, _sum and _count samples", "[registry]") {
  prometheus::Registry registry;
  auto& summary = prometheus::BuildSummary()
                      .Name("payload_bytes")
                      .Help("Payload size.")
                      .Register(registry)
                      .Add({}, prometheus::Summary::Quantiles{{0.5, 0.05}});
  summary.Observe(10);
  CHECK(render(registry, ExpositionFormat::prometheus_text) ==
        "# HELP payload_bytes Payload size.\n"
        "# TYPE payload_bytes summary\n"
        "payload_bytes{quantile=\"0.5\"} 10\n"
        "payload_bytes_sum 10\n"
        "payload_bytes_count 1\n");
}

}  // namespace
}  // namespace mc
