// api_config_yaml: the loaded config written back as YAML for
// /api/v1/status/config, as Prometheus shows its config there: the parsed
// values with the defaults filled in (not the file's text), keys a zero value
// leaves out omitted, and every secret as "<secret>". The one secret our
// config holds is an inline SQL `dsn` (a libpq string may carry a password);
// dsn_env and dsn_file name where a DSN is, not the DSN, and are shown.
//
// Pure function; safe from any thread.
#pragma once

#include <string>

#include "common/config/config.hpp"

namespace mc::api {

std::string config_yaml(const Config& config);

}  // namespace mc::api
