#include "common/store/store_directory.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace mc {

namespace fs = std::filesystem;

namespace {

// A Prometheus block: a directory with meta.json and chunks/.
bool is_prometheus_block(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path / "meta.json", error) && fs::is_directory(path / "chunks", error);
}

// At most this many names are listed, so a directory of thousands stays one line.
constexpr size_t kNamesShown = 5;

std::string list_names(const std::vector<std::string>& names) {
  std::string listed;
  for (size_t i = 0; i < names.size() && i < kNamesShown; ++i) {
    if (i > 0) listed += ", ";
    listed += names[i];
  }
  if (names.size() > kNamesShown) listed += fmt::format(", ... ({} in all)", names.size());
  return listed;
}

}  // namespace

Status check_store_directory(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return Status::error(fmt::format("{}: not a directory", dir.string()));
  }
  if (fs::is_directory(dir / "blocks", error)) return Status::ok();

  std::vector<std::string> prometheus_blocks;
  std::vector<std::string> others;
  bool has_chunks_head = false;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory(error) && is_prometheus_block(entry.path())) {
      prometheus_blocks.push_back(name);
      continue;
    }
    if (name == "chunks_head") has_chunks_head = true;
    others.push_back(entry.is_directory(error) ? name + "/" : name);
  }
  if (error) return Status::error(fmt::format("{}: {}", dir.string(), error.message()));
  std::sort(prometheus_blocks.begin(), prometheus_blocks.end());
  std::sort(others.begin(), others.end());

  std::vector<std::string> found;
  if (!prometheus_blocks.empty()) {
    found.push_back(fmt::format("{} Prometheus TSDB block(s): {}", prometheus_blocks.size(),
                                list_names(prometheus_blocks)));
  }
  if (!others.empty()) found.push_back(list_names(others));
  const std::string what =
      found.empty() ? "found nothing" : "found " + fmt::format("{}", fmt::join(found, "; "));
  std::string message = fmt::format("{}: not a metrics-collector store (no blocks/ directory; {})",
                                    dir.string(), what);
  if (!prometheus_blocks.empty() || has_chunks_head) {
    message += "; this looks like a Prometheus TSDB: read it with `promtool tsdb`";
  }
  return Status::error(message);
}

std::vector<fs::path> list_block_dirs(const fs::path& dir) {
  std::vector<fs::path> dirs;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir / "blocks", error)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory(error) || name.ends_with(".tmp") || name.ends_with(".deleted")) {
      continue;
    }
    dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

}  // namespace mc
