// TempDir: a fresh directory under $TMPDIR for one test, removed with everything
// in it when the object goes away.
#pragma once

#include <filesystem>
#include <string>

namespace mc::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to `name` inside the directory and returns the full path.
  std::filesystem::path write_file(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace mc::test
