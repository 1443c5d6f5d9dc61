#include "collector/discovery/file_sd_discoverer.hpp"

#include <glob.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "collector/discovery/target_group_parser.hpp"
#include "common/util/errno_text.hpp"
#include "common/util/logger.hpp"
#include "common/util/read_file.hpp"

namespace mc {

namespace {

std::string file_source(const std::string& path, size_t index) {
  return path + ":" + std::to_string(index);
}

TargetGroupFormat format_of(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::ranges::transform(extension, extension.begin(),
                         [](unsigned char c) { return std::tolower(c); });
  return extension == ".json" ? TargetGroupFormat::json : TargetGroupFormat::yaml;
}

constexpr uint32_t kWatchedEvents = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE |
                                    IN_MOVED_TO | IN_MOVED_FROM | IN_ATTRIB | IN_DELETE_SELF |
                                    IN_MOVE_SELF;

}  // namespace

FileSdDiscoverer::FileSdDiscoverer(FileSdConfig config, const std::string& base_directory,
                                   DiscoveryMetrics* metrics)
    : refresh_interval_(config.refresh_interval), metrics_(metrics) {
  for (auto& pattern : config.files) {
    std::filesystem::path path(pattern);
    if (path.is_relative() && !base_directory.empty()) path = base_directory / path;
    patterns_.push_back(path.lexically_normal().string());
  }
}

FileSdDiscoverer::~FileSdDiscoverer() {
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
}

std::vector<std::string> FileSdDiscoverer::list_files() const {
  std::set<std::string> files;
  for (const auto& pattern : patterns_) {
    glob_t matches{};
    if (::glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
      for (size_t i = 0; i < matches.gl_pathc; ++i) files.insert(matches.gl_pathv[i]);
    }
    ::globfree(&matches);
  }
  return {files.begin(), files.end()};
}

bool FileSdDiscoverer::watch_directories() {
  bool added = false;
  if (inotify_fd_ < 0) return added;
  for (const auto& pattern : patterns_) {
    std::string directory = std::filesystem::path(pattern).parent_path().string();
    if (watched_.contains(directory)) continue;
    // The directory, not the files: an atomic rename replaces the file's inode.
    if (int wd = ::inotify_add_watch(inotify_fd_, directory.c_str(), kWatchedEvents); wd >= 0) {
      watched_[directory] = wd;
      added = true;
    } else {
      log::debug("file_sd: cannot watch directory yet; polling it",
                 {{"dir", directory}, {"err", errno_text()}});
      missing_directories_ = true;
    }
  }
  return added;
}

void FileSdDiscoverer::refresh(const Publish& publish, bool all) {
  // Before reading: a change made while the files are read is then not missed.
  missing_directories_ = false;
  watch_directories();
  std::vector<TargetGroup> changed;
  std::map<std::string, size_t> counts;
  for (const auto& path : list_files()) {
    auto text = read_file(path);
    Result<std::vector<TargetGroup>> groups =
        text ? parse_target_groups(*text, path, format_of(path))
             : Result<std::vector<TargetGroup>>(Status::error(path + ": " + text.error()));
    if (!groups) {
      if (metrics_ != nullptr) metrics_->file_read_error();
      log::error("file_sd: error reading file, keeping its last targets",
                 {{"path", path}, {"err", groups.error()}});
      // Keep its groups: the file is neither re-published nor removed.
      if (auto last = group_counts_.find(path); last != group_counts_.end()) {
        counts[path] = last->second;
      }
      continue;
    }
    counts[path] = groups->size();
    auto last_text = contents_.find(path);
    const bool same = last_text != contents_.end() && last_text->second == *text;
    if (same && !all) continue;
    contents_[path] = std::move(*text);
    for (size_t i = 0; i < groups->size(); ++i) {
      TargetGroup& group = (*groups)[i];
      group.source = file_source(path, i);
      group.labels.push_back(Label{"__meta_filepath", path});
      std::ranges::sort(group.labels,
                        [](const Label& a, const Label& b) { return a.name < b.name; });
      changed.push_back(std::move(group));
    }
    // Sources the file no longer has.
    if (auto last = group_counts_.find(path); last != group_counts_.end()) {
      for (size_t i = groups->size(); i < last->second; ++i) {
        changed.push_back(removed_group(file_source(path, i)));
      }
    }
  }
  // Files that are gone.
  for (const auto& [path, count] : group_counts_) {
    if (counts.contains(path)) continue;
    contents_.erase(path);
    for (size_t i = 0; i < count; ++i) changed.push_back(removed_group(file_source(path, i)));
  }
  group_counts_ = std::move(counts);
  if (all || !changed.empty()) publish(std::move(changed));
}

void FileSdDiscoverer::run(std::stop_token stop, const Publish& publish) {
  if (inotify_fd_ < 0) inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) {
    log::warn("file_sd: inotify unavailable, polling every refresh_interval",
              {{"err", errno_text()}});
  }
  group_counts_.clear();
  contents_.clear();
  refresh(publish, /*all=*/true);
  using Clock = std::chrono::steady_clock;
  auto next_refresh = Clock::now() + refresh_interval_;
  auto next_directory_check = Clock::now();
  // Short polls so that a stop request is seen within a tenth of a second.
  constexpr int kPollMs = 100;
  constexpr int kSettleMs = 10;
  constexpr int kMaxSettles = 10;
  while (!stop.stop_requested()) {
    bool changed = false;
    if (inotify_fd_ >= 0) {
      pollfd pfd{.fd = inotify_fd_, .events = POLLIN, .revents = 0};
      // After the first event, wait for the burst a write or rename makes
      // (create, modify, close, move) to end, so that it is one refresh; at
      // most kMaxSettles rounds, for a directory that never goes quiet.
      int rounds = 0;
      for (int timeout = kPollMs; rounds<kMaxSettles&& ::poll(&pfd, 1, timeout)> 0;
           timeout = kSettleMs, ++rounds) {
        alignas(inotify_event) char buffer[16384];
        for (ssize_t size; (size = ::read(inotify_fd_, buffer, sizeof buffer)) > 0;) {
          changed = true;
          for (ssize_t at = 0; at < size;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
            // A directory removed or moved away: watch it again once it is back.
            if ((event->mask & IN_IGNORED) != 0) {
              std::erase_if(watched_, [&](const auto& entry) { return entry.second == event->wd; });
            }
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
          }
        }
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
    }
    if (stop.stop_requested()) break;
    // A directory that did not exist yet: look for it every second rather
    // than every refresh_interval, and read it once it is there.
    if (missing_directories_ && Clock::now() >= next_directory_check) {
      next_directory_check = Clock::now() + std::chrono::seconds(1);
      missing_directories_ = false;
      if (watch_directories()) changed = true;
    }
    if (changed || Clock::now() >= next_refresh) {
      refresh(publish, /*all=*/false);
      next_refresh = Clock::now() + refresh_interval_;
    }
  }
}

}  // namespace mc
