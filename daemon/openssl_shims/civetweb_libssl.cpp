// libmc-civetweb-ssl.so, whose soname is "libssl.so": what Debian 12's
// libcivetweb 1.15 gets when it calls dlopen("libssl.so") once the daemon has
// loaded this library (the dynamic loader answers a dlopen by name with an
// already loaded object of that soname). civetweb then looks up its OpenSSL
// functions with dlsym on this handle, which searches this library first and
// then its dependency, the real libssl.so.3.
//
// The one function here is why: civetweb calls SSL_get_peer_certificate after
// every handshake, and OpenSSL 3 exports it only as SSL_get1_peer_certificate
// (a macro keeps source compatibility, not the symbol). Without it civetweb
// calls a null pointer on the first https request. Both return the peer's
// certificate with a reference the caller frees.
//
// Loaded by exporter/tls_context.cpp (civetweb_tls_available).
#include <openssl/ssl.h>
#include <openssl/x509.h>

extern "C" {

// OpenSSL 3 defines the old name as a macro; the symbol is what civetweb needs.
#undef SSL_get_peer_certificate
__attribute__((visibility("default"))) X509* SSL_get_peer_certificate(const SSL* ssl);
X509* SSL_get_peer_certificate(const SSL* ssl) { return SSL_get1_peer_certificate(ssl); }
}
