// A directory of the fuzz process's own under $TMPDIR, emptied before each
// input and removed at exit, for the targets that must go through files
// (WAL replay, block reading).
//
// Header-only, used by the targets in tests/fuzz.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace mc::fuzz {

class TempDirectory {
 public:
  TempDirectory() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/mc-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  // Empties the directory and returns it.
  const std::filesystem::path& fresh() {
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      std::filesystem::remove_all(entry.path());
    }
    return path_;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace mc::fuzz
