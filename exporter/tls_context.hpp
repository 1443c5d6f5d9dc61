// configure_tls_context: applies the web config's tls_server_config to the
// OpenSSL SSL_CTX civetweb creates for its https port (civetweb's init_ssl
// callback), because civetweb's own options cannot express it: they want the
// key and certificate in one file and know only "verify peer or not", where
// exporter-toolkit has separate cert_file/key_file, five client_auth_types and
// min/max versions.
//
// civetweb loads libssl and libcrypto with dlopen("libssl.so"); we link the
// same libraries, so the SSL_CTX it hands us is one our OpenSSL calls
// understand (the dynamic loader maps a library file once).
#pragma once

#include <filesystem>
#include <vector>

#include "common/config/web_config.hpp"
#include "common/util/status.hpp"

namespace mc {

// Where civetweb's OpenSSL shims are looked for: beside the executable (the
// build tree), then ../lib/metrics-collector from it (an installed package).
std::vector<std::filesystem::path> default_openssl_shim_dirs();

// Loads civetweb's OpenSSL shims from the first of `shim_dirs` that has both,
// then tells whether civetweb's TLS can serve. Debian 12's libcivetweb 1.15
// loads "libssl.so" and "libcrypto.so" by dlopen and calls
// SSL_get_peer_certificate after every handshake; OpenSSL 3 exports that only
// as SSL_get1_peer_certificate, so civetweb would call a null pointer and the
// process die on the first https request. The shims
// (daemon/openssl_shims/, built beside the daemon) carry those sonames and
// the missing function. Without them the daemon refuses tls_server_config
// with this error instead of crashing. Loaded shims stay loaded.
Status civetweb_tls_available(
    const std::vector<std::filesystem::path>& shim_dirs = default_openssl_shim_dirs());

// `ssl_context` is an SSL_CTX*. Loads the certificate chain and key (and checks
// they match), the client CAs, the verification mode and the version range.
// Errors name the file and carry OpenSSL's reason.
Status configure_tls_context(void* ssl_context, const TlsServerConfig& config);

}  // namespace mc
