// FileSdDiscoverer: one file_sd_configs entry, as Prometheus's discovery/file.
// Each refresh expands the patterns (a glob in the last path element), reads
// every file (.json as JSON, .yml/.yaml as YAML; see target_group_parser.hpp)
// and publishes the groups of files whose content changed, with sources
// "<path>:<index>" and the group label __meta_filepath="<path>".
//
// A refresh runs at start, when inotify reports a change in a directory of the
// patterns (a file written in place, renamed over, created or deleted: a
// change reaches the manager within milliseconds), and every refresh_interval
// as a fallback (a filesystem without inotify). A directory that does not
// exist yet is looked for every second and read once it appears.
//
// As Prometheus 2.42 (file.go refresh): a file that cannot be read or parsed
// is logged naming the file (line:col for a parse error), counts in
// metrics_collector_sd_file_read_errors_total and keeps its last good groups;
// a file that is gone, or that lost groups, gets empty groups for the sources
// it had, which removes their targets.
//
// Thread-safety: run() on one thread at a time.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "collector/discovery/discoverer.hpp"
#include "collector/discovery/discovery_metrics.hpp"
#include "common/config/service_discovery_config.hpp"

namespace mc {

class FileSdDiscoverer : public Discoverer {
 public:
  // Relative patterns are taken from `base_directory` (the config file's, as
  // Prometheus does). `metrics` may be null (tests).
  FileSdDiscoverer(FileSdConfig config, const std::string& base_directory,
                   DiscoveryMetrics* metrics);
  ~FileSdDiscoverer() override;

  void run(std::stop_token stop, const Publish& publish) override;

 private:
  std::vector<std::string> list_files() const;
  // Reads every file; publishes what changed (everything when `all`).
  void refresh(const Publish& publish, bool all);
  // Watches the directories of the patterns that are not watched yet; true
  // when it added one. Sets missing_directories_ for those it could not.
  bool watch_directories();

  std::vector<std::string> patterns_;  // absolute
  std::chrono::milliseconds refresh_interval_;
  DiscoveryMetrics* metrics_;
  int inotify_fd_ = -1;
  std::map<std::string, int> watched_;           // directory -> watch descriptor
  bool missing_directories_ = false;             // a directory could not be watched yet
  std::map<std::string, size_t> group_counts_;   // by file: groups last published
  std::map<std::string, std::string> contents_;  // by file: the text last published
};

}  // namespace mc
