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

#include "common/config/web_config.hpp"
#include "common/util/status.hpp"

namespace mc {

// Whether civetweb's TLS can serve here. Debian 12's libcivetweb 1.15 looks
// up SSL_get_peer_certificate in libssl.so and calls it after every
// handshake; OpenSSL 3 renamed it (SSL_get1_peer_certificate), so civetweb
// calls a null pointer and the process dies on the first https request. The
// daemon refuses tls_server_config with this error instead of crashing.
Status civetweb_tls_available();

// `ssl_context` is an SSL_CTX*. Loads the certificate chain and key (and checks
// they match), the client CAs, the verification mode and the version range.
// Errors name the file and carry OpenSSL's reason.
Status configure_tls_context(void* ssl_context, const TlsServerConfig& config);

}  // namespace mc
