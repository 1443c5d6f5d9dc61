// The commands of the README and of docs/*.md, run as a user would copy them,
// so that a doc that drifts from the code fails here.
//
// A shell block is run when the line before it is `<!-- doc-test -->`
// (`<!-- doc-test: postgres -->` gives it a throwaway PostgreSQL). A plain
// block marked `<!-- doc-test: output -->` is what the last command of the
// block before it prints: each of its lines must be in the real output, a
// sample line by series and value (its timestamp changes every run). Every
// `sh` block of these files must be marked, or marked
// `<!-- doc-test: skip, <why> -->`, so a new block is not forgotten.
//
// How the commands are run: in a fresh directory holding a copy of
// examples/, one `bash -c` each, `set -o pipefail`, with the `export`s of
// the file so far; `build/` is the build directory; a command that starts
// the daemon (build/metrics-collector without a subcommand) runs in the
// background until the end of its block, and the next command waits for
// /-/ready. Two changes, both because tests bind 127.0.0.1 on a free port
// only: `localhost:9993` is 127.0.0.1:<port>, and the daemon gets
// --web.listen-address=127.0.0.1:<port> after its own flags; with postgres,
// `localhost:5432` is the throwaway server, `sudo -u postgres ` is dropped,
// and psql finds it through PGHOST,
// PGPORT, PGUSER and PGPASSWORD (a superuser), as on a machine whose
// PostgreSQL the user administers. A documented output that does not match
// at once is asked for again for up to 20 s: a daemon's first answers may
// still be its initial zeros.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace mc::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = MC_SOURCE_DIR;

struct DocCommand {
  int line = 0;  // in the markdown file, for messages
  std::string text;
  std::vector<std::string> expected_output;  // empty: not documented
};

struct DocBlock {
  int line = 0;
  std::string options;  // what follows `doc-test:` in the marker
  bool marked = false;
  bool shell = false;
  std::vector<DocCommand> commands;
  std::vector<std::string> lines;
};

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fenced blocks of a markdown text, with their markers.
std::vector<DocBlock> fenced_blocks(const std::string& markdown) {
  std::vector<DocBlock> blocks;
  std::istringstream in(markdown);
  std::string line, previous;
  std::optional<DocBlock> open;
  std::string pending;  // a command continued with `\`
  int number = 0;
  const std::regex marker(R"(^<!-- doc-test(?::\s*(.*?))?\s*-->\s*$)");
  size_t indent = 0;  // of the fence, for a block inside a list item
  while (std::getline(in, line)) {
    ++number;
    if (open) {
      line = line.substr(std::min({indent, line.find_first_not_of(' '), line.size()}));
      if (line.starts_with("```")) {
        blocks.push_back(std::move(*open));
        open.reset();
        previous.clear();
      } else {
        open->lines.push_back(line);
        std::string command = pending + line;
        if (!command.empty() && command.back() == '\\') {
          pending = command.substr(0, command.size() - 1);
          continue;
        }
        pending.clear();
        auto first = command.find_first_not_of(" \t");
        if (first != std::string::npos && command[first] != '#') {
          open->commands.push_back({number, command, {}});
        }
      }
      continue;
    }
    indent = std::min(line.size(), line.find_first_not_of(' '));
    line = line.substr(indent);
    if (line.starts_with("```")) {
      open = DocBlock{};
      open->line = number;
      open->shell = line == "```sh" || line == "```bash";
      std::smatch match;
      if (std::regex_match(previous, match, marker)) {
        open->marked = true;
        open->options = match[1];
      }
    }
    previous = line;
  }
  return blocks;
}

bool has_option(const DocBlock& block, std::string_view option) {
  return block.options.starts_with(option);
}

// A sample line's series and value without its timestamp; any other line
// as it is.
std::string without_timestamp(const std::string& line) {
  static const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})? \S+) -?\d+(?:\.\d+)?$)");
  std::smatch match;
  return std::regex_match(line, match, sample) ? match[1].str() : line;
}

// Every documented line is in the output (samples without their timestamps).
std::vector<std::string> missing_lines(const std::vector<std::string>& expected,
                                       const std::string& output) {
  std::vector<std::string> actual;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) actual.push_back(without_timestamp(line));
  std::vector<std::string> missing;
  for (const auto& line : expected) {
    if (line.empty()) continue;
    if (std::find(actual.begin(), actual.end(), without_timestamp(line)) == actual.end()) {
      missing.push_back(line);
    }
  }
  return missing;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string single_quoted(const std::string& text) {
  return "'" + replace_all(text, "'", "'\\''") + "'";
}

// Runs the marked blocks of one markdown file.
class DocRunner {
 public:
  explicit DocRunner(std::string doc) : doc_(std::move(doc)) {
    fs::copy(kSourceDir / "examples", dir_.path() / "examples", fs::copy_options::recursive);
    port_ = free_port();
  }

  void run(const std::vector<DocBlock>& blocks) {
    for (const auto& block : blocks) {
      if (!block.marked || has_option(block, "skip") || has_option(block, "output")) continue;
      if (has_option(block, "postgres")) start_postgres();
      for (const auto& command : block.commands) run_command(command);
      stop_daemon();
    }
  }

 private:
  std::string build_dir() const { return fs::path(MC_DAEMON_BINARY).parent_path().string(); }

  // The command with build/ and the ports of this run.
  std::string substituted(const std::string& command) const {
    static const std::regex build(R"((^|[\s=(<>|;&])build/)");
    std::string text = std::regex_replace(command, build, "$1" + build_dir() + "/");
    text = replace_all(text, "localhost:9993", fmt::format("127.0.0.1:{}", port_));
    if (postgres_) {
      text = replace_all(text, "localhost:5432", fmt::format("127.0.0.1:{}", postgres_->port()));
      // "As the database superuser": here PGUSER and PGPASSWORD name one.
      text = replace_all(text, "sudo -u postgres ", "");
    }
    return text;
  }

  std::string prelude() const {
    std::string text = "cd " + single_quoted(dir_.path().string()) + " && set -o pipefail\n";
    if (postgres_) {
      // PGDATABASE: `sudo -u postgres psql` lands in the database named after
      // the superuser, which a cluster has; the test's superuser has none.
      text += fmt::format(
          "export PGHOST=127.0.0.1 PGPORT={} PGUSER={} PGPASSWORD={} PGDATABASE=postgres\n",
          postgres_->port(), PostgresServer::kAdminUser,
          single_quoted(PostgresServer::kAdminPassword));
    }
    for (const auto& line : exports_) text += line + "\n";
    return text;
  }

  void start_postgres() {
    if (postgres_) return;
    if (auto reason = PostgresServer::unavailable_reason()) FAIL(*reason);
    postgres_ = std::make_unique<PostgresServer>();
    postgres_->start();
  }

  void run_command(const DocCommand& command) {
    std::string text = substituted(command.text);
    INFO(fmt::format("{}:{}: {}", doc_, command.line, command.text));
    static const std::regex daemon(
        R"(^\s*((?:\w+=\S*\s+)*)(\S+/metrics-collector)((?:\s+--\S+)*)\s*(#.*)?$)");
    std::smatch match;
    if (std::regex_match(text, match, daemon) && match[2] == MC_DAEMON_BINARY &&
        text.find("--help") == std::string::npos && text.find("--version") == std::string::npos) {
      start_daemon(fmt::format("{} exec {}{} --web.listen-address=127.0.0.1:{}", match[1].str(),
                               match[2].str(), match[3].str(), port_));
      return;
    }
    if (text.starts_with("export ")) exports_.push_back(text);
    auto result = run_program({"bash", "-c", prelude() + text}, {}, std::chrono::seconds(30));
    INFO("its output:\n" << result.output);
    REQUIRE(result.exit_status == 0);
    if (command.expected_output.empty()) return;
    auto missing = missing_lines(command.expected_output, result.output);
    for (int attempt = 0; !missing.empty() && attempt < 40; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      result = run_program({"bash", "-c", prelude() + text}, {}, std::chrono::seconds(30));
      missing = missing_lines(command.expected_output, result.output);
    }
    INFO("the output now:\n" << result.output);
    for (const auto& line : missing) {
      FAIL_CHECK("documented output missing: " << line);
    }
  }

  void start_daemon(const std::string& command) {
    stop_daemon();
    daemon_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"bash", "-c", prelude() + command}, dir_.path() / "daemon.log");
    std::string ready = fmt::format("http://127.0.0.1:{}/-/ready", port_);
    bool up = wait_until([&] { return !daemon_->running() || http_get(ready).status == 200; },
                         std::chrono::seconds(20));
    INFO("the daemon's log:\n" << daemon_->output());
    REQUIRE(up);
    REQUIRE(daemon_->running());
  }

  void stop_daemon() {
    if (!daemon_) return;
    int status = daemon_->stop();
    INFO(doc_ << ": the daemon's log:\n" << daemon_->output());
    CHECK(status == 0);
    daemon_.reset();
  }

  std::string doc_;
  TempDir dir_;
  uint16_t port_ = 0;
  std::vector<std::string> exports_;
  std::unique_ptr<PostgresServer> postgres_;
  std::unique_ptr<ChildProcess> daemon_;
};

// The blocks of a doc, documented outputs attached to the command before.
std::vector<DocBlock> doc_blocks(const std::string& markdown) {
  auto blocks = fenced_blocks(markdown);
  for (size_t i = 1; i < blocks.size(); ++i) {
    if (blocks[i].marked && has_option(blocks[i], "output") && blocks[i - 1].marked &&
        !blocks[i - 1].commands.empty()) {
      blocks[i - 1].commands.back().expected_output = blocks[i].lines;
    }
  }
  return blocks;
}

// Runs the marked blocks of `doc`; returns how many it ran.
size_t run_doc(const std::string& doc) {
  auto blocks = doc_blocks(read_text(kSourceDir / doc));
  DocRunner(doc).run(blocks);
  return std::count_if(blocks.begin(), blocks.end(), [](const DocBlock& block) {
    return block.marked && !has_option(block, "skip") && !has_option(block, "output");
  });
}

// README.md and every docs/*.md.
std::vector<std::string> all_docs() {
  std::vector<std::string> docs = {"README.md"};
  for (const auto& entry : fs::directory_iterator(kSourceDir / "docs")) {
    if (entry.path().extension() == ".md")
      docs.push_back("docs/" + entry.path().filename().string());
  }
  return docs;
}

TEST_CASE("every shell block of the docs is run or says why not", "[docs]") {
  for (const auto& doc : all_docs()) {
    for (const auto& block : doc_blocks(read_text(kSourceDir / doc))) {
      if (!block.shell) continue;
      INFO(doc << ":" << block.line);
      CHECK(block.marked);
    }
  }
}

TEST_CASE("the README's commands run as written", "[docs]") { CHECK(run_doc("README.md") >= 3); }

TEST_CASE("docs/business-metrics.md's commands run as written", "[docs]") {
  // The quick start, one block: the database set up, check sql, the daemon,
  // and its /metrics against the documented output.
  CHECK(run_doc("docs/business-metrics.md") >= 1);
}

// The postgres mechanism on a quick start as docs/business-metrics.md's
// should read (database, role, schema, daemon, page), so that it is known to
// work before the doc is marked.
TEST_CASE("a doc's quick start runs against a throwaway PostgreSQL", "[docs]") {
  if (auto reason = PostgresServer::unavailable_reason()) {
    WARN("skipped: " << *reason);
    return;
  }
  std::string markdown = R"(
<!-- doc-test: postgres -->
```sh
createdb app
psql -d app -c "CREATE ROLE metrics LOGIN PASSWORD 'password'"
psql -d app -f examples/business-metrics.sql
psql -d app -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO metrics"
export DATABASE_URL=postgresql://metrics:password@localhost:5432/app
METRICS_TICK_DURATION=1s build/metrics-collector --config.file=examples/business-metrics.yml
curl -s localhost:9993/metrics | grep business_connections
```

<!-- doc-test: output -->
```
# TYPE business_connections gauge
business_connections{state="active"} 3 1795433387984
```
)";
  auto blocks = doc_blocks(markdown);
  REQUIRE(blocks.size() == 2);
  REQUIRE(blocks[0].commands.back().expected_output.size() == 2);
  DocRunner("quick start").run(blocks);
}

}  // namespace
}  // namespace mc::test
