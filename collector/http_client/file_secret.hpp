// FileSecret: a password or token kept in a file (basic_auth.password_file,
// authorization.credentials_file, bearer_token_file), read again whenever the
// file changes, so that a rotated secret is used at the next request without
// a reload, as Prometheus reads it at each request. The file is stat'ed at
// each read() and read only when its FileStamp changed. Surrounding blanks
// and newlines are dropped, as Prometheus's strings.TrimSpace.
//
// Thread-safety: not thread-safe; one reader (one request at a time).
#pragma once

#include <optional>
#include <string>

#include "collector/http_client/file_stamp.hpp"
#include "common/util/status.hpp"

namespace mc {

class FileSecret {
 public:
  explicit FileSecret(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }

  // The file's content, trimmed; an error holds the errno text only (never
  // the content), for the caller to say which file it was.
  Result<std::string> read();

 private:
  std::string path_;
  std::optional<FileStamp> stamp_;  // of the content cached in value_
  std::string value_;
};

}  // namespace mc
