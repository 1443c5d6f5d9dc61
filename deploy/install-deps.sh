#!/usr/bin/env bash
# Installs the Debian 12 packages metrics-collector needs to build, test and run.
# Idempotent: installs only what is missing, and runs `apt-get update` at most once.
set -euo pipefail

packages=(
  build-essential cmake make pkg-config git ca-certificates curl zstd
  prometheus-cpp-dev libcivetweb-dev
  libpqxx-dev libpq-dev libyaml-cpp-dev libfmt-dev catch2 libcurl4-openssl-dev libzstd-dev zlib1g-dev
  libbenchmark-dev
  # PromQL selectors' regexes (common/query), RE2 as Go's regexp.
  libre2-dev
  # TLS on the exporter's port: OpenSSL's headers for tls_context and the
  # shims civetweb loads (daemon/openssl_shims), bcrypt comes from libcrypt;
  # the web security tests make their certificates with the openssl CLI.
  libssl-dev libcrypt-dev openssl
  prometheus
  # The PromQL compliance harness (tests/compliance, a ctest) is Python 3,
  # standard library only.
  python3
  # The SQL tests start throwaway clusters with initdb/pg_ctl from
  # /usr/lib/postgresql/15/bin; as root they run them as the package's
  # `postgres` user (runuser, from util-linux).
  postgresql-15 postgresql-client-15 util-linux
  # `make fuzz`: clang 14 and its runtimes (libFuzzer, ASan, UBSan) for the
  # fuzz targets of tests/fuzz.
  clang libclang-rt-14-dev
  # `make tidy`: clang-tidy 14 and run-clang-tidy.
  clang-tidy
  # The /targets and /service-discovery pages are checked in a real browser:
  # tests/integration/targets_page_browser_test.cpp loads them in headless
  # Chromium (--dump-dom), so what a user sees is tested, not only the HTML.
  chromium
  # lld: links the test executables faster than GNU ld (CMakeLists.txt
  # MC_USE_LLD; .ci/README.md has the figures).
  lld
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
# The tests make their own clusters; the package's default cluster (a server
# on :5432 started at install) is not wanted.
if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
  $SUDO mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" |
    $SUDO tee /etc/postgresql-common/createcluster.d/metrics-collector.conf >/dev/null
fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
