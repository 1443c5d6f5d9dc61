// FileSecret: a password or token file read again when it changes on disk,
// trimmed as Prometheus's TrimSpace, and an error that names no content.
#include "collector/http_client/file_secret.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace mc {
namespace {

TEST_CASE("file secret: trimmed content, re-read after the file changes", "[http_client]") {
  test::TempDir dir;
  const auto path = dir.write_file("token", "  first-token\n");
  FileSecret secret(path.string());
  auto first = secret.read();
  REQUIRE(first.is_ok());
  CHECK(*first == "first-token");
  CHECK(*secret.read() == "first-token");

  dir.write_file("token", "a-longer-second-token\n");
  auto second = secret.read();
  REQUIRE(second.is_ok());
  CHECK(*second == "a-longer-second-token");

  // Replaced by a rename (a new inode), as a Kubernetes secret mount does.
  const auto next = dir.write_file("token.next", "third\n");
  std::filesystem::rename(next, path);
  CHECK(*secret.read() == "third");
}

TEST_CASE("file secret: a missing file is an error without content, and recovers",
          "[http_client]") {
  test::TempDir dir;
  const auto path = dir.write_file("password", "hunter2\n");
  FileSecret secret(path.string());
  CHECK(*secret.read() == "hunter2");
  std::filesystem::remove(path);
  auto missing = secret.read();
  REQUIRE_FALSE(missing.is_ok());
  CHECK(missing.error() == "No such file or directory");
  dir.write_file("password", "hunter3\n");
  CHECK(*secret.read() == "hunter3");
}

}  // namespace
}  // namespace mc
