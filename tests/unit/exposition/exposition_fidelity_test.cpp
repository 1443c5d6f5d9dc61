// The fidelity cases of tests/data/exposition_fidelity/ (text 0.0.4 pages with
// what the real promtool 2.42 and Prometheus 2.42's scraper did with each):
// check_text_as_promtool must give promtool's verdict, our scrape parser
// Prometheus's scraper's, and promtool, when installed, must still give the
// verdict recorded.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <set>
#include <string>

#include "common/exposition/parser.hpp"
#include "common/exposition/promtool_text_check.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/exposition_fidelity_cases.hpp"
#include "tests/support/sanitizer_build.hpp"

namespace {

using mc::test::FidelityCase;

class DiscardingHandler : public mc::ExpositionHandler {
 public:
  void on_family(const mc::FamilyView&) override {}
  void on_sample(const mc::SampleView&) override {}
};

mc::Status scrape_parse(const std::string& body) {
  DiscardingHandler handler;
  return mc::parse_exposition(body, mc::ExpositionFormat::prometheus_text, handler);
}

}  // namespace

TEST_CASE("fidelity cases: at least 50, every file listed once and every listed file present",
          "[fidelity]") {
  const auto cases = mc::test::load_fidelity_cases();
  CHECK(cases.size() >= 50);
  std::set<std::string> listed;
  for (const FidelityCase& c : cases) {
    CHECK(listed.insert(c.file).second);
    CHECK(std::filesystem::exists(mc::test::fidelity_case_dir() / c.file));
  }
  for (const auto& entry : std::filesystem::directory_iterator(mc::test::fidelity_case_dir())) {
    if (entry.path().extension() == ".prom") CHECK(listed.count(entry.path().filename()) == 1);
  }
  // Both verdicts occur both ways, so neither comparison below can pass by
  // answering the same for everything.
  int promtool_failures = 0;
  int prometheus_down = 0;
  for (const FidelityCase& c : cases) {
    promtool_failures += c.promtool_passes ? 0 : 1;
    prometheus_down += c.prometheus_up ? 0 : 1;
  }
  CHECK(promtool_failures >= 10);
  CHECK(cases.size() - promtool_failures >= 10);
  CHECK(prometheus_down >= 10);
  CHECK(cases.size() - prometheus_down >= 10);
}

TEST_CASE("check_text_as_promtool gives promtool's verdict on every fidelity case", "[fidelity]") {
  int agreed = 0;
  for (const FidelityCase& c : mc::test::load_fidelity_cases()) {
    const mc::Status status = mc::check_text_as_promtool(mc::test::read_fidelity_case(c));
    INFO(c.file << " (" << c.note << "): promtool " << (c.promtool_passes ? "passes" : "fails")
                << " (" << c.promtool_error
                << "); ours: " << (status ? std::string("passes") : status.message()));
    CHECK(status.is_ok() == c.promtool_passes);
    agreed += status.is_ok() == c.promtool_passes ? 1 : 0;
  }
  WARN("check_text_as_promtool agrees with promtool on " << agreed << " cases");
}

TEST_CASE("our scrape parser refuses exactly the fidelity cases Prometheus's scraper refuses",
          "[fidelity]") {
  int agreed = 0;
  for (const FidelityCase& c : mc::test::load_fidelity_cases()) {
    const mc::Status status = scrape_parse(mc::test::read_fidelity_case(c));
    INFO(c.file << " (" << c.note << "): Prometheus up " << c.prometheus_up << " ("
                << c.prometheus_error
                << "); our parser: " << (status ? std::string("accepts") : status.message()));
    CHECK(status.is_ok() == c.prometheus_up);
    agreed += status.is_ok() == c.prometheus_up ? 1 : 0;
  }
  WARN("the scrape parser agrees with Prometheus 2.42's scraper on " << agreed << " cases");
}

TEST_CASE("check_text_as_promtool says where the page is wrong, line and column", "[fidelity]") {
  CHECK(mc::check_text_as_promtool("a 1\nfoo{__name__=\"bar\"} 1\n").message() ==
        "line 2:13: label name \"__name__\" is reserved");
  CHECK(mc::check_text_as_promtool("foo 1").message() ==
        "line 1:6: unexpected end of input stream");
  CHECK(mc::check_text_as_promtool("# TYPE foo gauge\n# TYPE foo gauge\n").message() ==
        "line 2:12: second TYPE line for metric name \"foo\", or TYPE reported after samples");
}

TEST_CASE("promtool, when installed, still gives each fidelity case its recorded verdict",
          "[fidelity][promtool]") {
  // Only promtool and the recorded verdicts are checked here, none of our code
  // that a sanitizer could watch: its 96 promtool starts took 24 s of CI's
  // TSan step and most of this file's 33 s under ASan. `make test` runs it.
  if (mc::test::kSanitizerBuild) {
    WARN("skipped under a sanitizer: the test runs promtool only; make test checks it");
    return;
  }
  if (access("/usr/bin/promtool", X_OK) != 0) {
    WARN(
        "skipped: /usr/bin/promtool not found (Debian package prometheus); the recorded "
        "verdicts were not re-checked");
    return;
  }
  for (const FidelityCase& c : mc::test::load_fidelity_cases()) {
    const auto result = mc::test::run_program({"/usr/bin/promtool", "check", "metrics"},
                                              mc::test::fidelity_case_dir() / c.file);
    INFO(c.file << ": promtool exited " << result.exit_status << ": " << result.output);
    // 0: clean, 3: lint problems only, 1: the page could not be parsed.
    REQUIRE((result.exit_status == 0 || result.exit_status == 1 || result.exit_status == 3));
    CHECK((result.exit_status != 1) == c.promtool_passes);
  }
}
