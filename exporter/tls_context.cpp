#include "exporter/tls_context.hpp"

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace mc {

namespace {

// OpenSSL's queued errors, oldest first, joined; the queue is left empty.
std::string openssl_errors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "unknown OpenSSL error" : text;
}

Status failure(const std::string& what) {
  return Status::error("tls_server_config: " + what + ": " + openssl_errors());
}

int protocol_version(TlsVersion version) {
  switch (version) {
    case TlsVersion::tls10:
      return TLS1_VERSION;
    case TlsVersion::tls11:
      return TLS1_1_VERSION;
    case TlsVersion::tls12:
      return TLS1_2_VERSION;
    case TlsVersion::tls13:
      return TLS1_3_VERSION;
  }
  return TLS1_2_VERSION;
}

// For the client_auth_types that ask for a certificate but do not verify it.
int accept_any_certificate(int /*preverified*/, X509_STORE_CTX* /*store*/) { return 1; }

}  // namespace

std::vector<std::filesystem::path> default_openssl_shim_dirs() {
  std::error_code error;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const auto directory = executable.parent_path();
  return {directory, directory / ".." / "lib" / "metrics-collector"};
}

Status civetweb_tls_available(const std::vector<std::filesystem::path>& shim_dirs) {
  for (const auto& directory : shim_dirs) {
    const auto crypto = directory / "libmc-civetweb-crypto.so";
    const auto ssl = directory / "libmc-civetweb-ssl.so";
    if (!std::filesystem::exists(crypto) || !std::filesystem::exists(ssl)) continue;
    // Never closed: civetweb's dlopen by soname must find them loaded.
    if (::dlopen(crypto.c_str(), RTLD_NOW) != nullptr &&
        ::dlopen(ssl.c_str(), RTLD_NOW) != nullptr) {
      break;
    }
  }
  // The names and the lookup civetweb itself uses (dlopen by these names, dlsym on the handle).
  void* ssl = ::dlopen("libssl.so", RTLD_LAZY);
  if (ssl == nullptr) {
    return Status::error(
        "TLS is not available: civetweb loads OpenSSL as \"libssl.so\", which is missing: "
        "install libmc-civetweb-ssl.so and libmc-civetweb-crypto.so beside the binary");
  }
  const bool has_symbol = ::dlsym(ssl, "SSL_get_peer_certificate") != nullptr;
  ::dlclose(ssl);
  if (!has_symbol) {
    return Status::error(
        "TLS is not available: this libcivetweb calls SSL_get_peer_certificate, which the "
        "installed OpenSSL (3.x) no longer exports, and would crash on the first https "
        "request; install libmc-civetweb-ssl.so and libmc-civetweb-crypto.so (built beside "
        "the binary) beside it or in ../lib/metrics-collector");
  }
  return Status::ok();
}

Status configure_tls_context(void* ssl_context, const TlsServerConfig& config) {
  auto* context = static_cast<SSL_CTX*>(ssl_context);
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(context, config.cert_file.c_str()) != 1) {
    return failure("cannot load cert_file \"" + config.cert_file + "\"");
  }
  if (SSL_CTX_use_PrivateKey_file(context, config.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL 3 compares the key with the certificate as it loads it.
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      return failure("key_file \"" + config.key_file + "\" does not match cert_file \"" +
                     config.cert_file + "\"");
    }
    return failure("cannot load key_file \"" + config.key_file + "\"");
  }
  if (SSL_CTX_check_private_key(context) != 1) {
    return failure("key_file \"" + config.key_file + "\" does not match cert_file \"" +
                   config.cert_file + "\"");
  }
  if (SSL_CTX_set_min_proto_version(context, protocol_version(config.min_version)) != 1 ||
      SSL_CTX_set_max_proto_version(context, protocol_version(config.max_version)) != 1) {
    return failure("cannot set the TLS version range");
  }

  if (!config.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(context, config.client_ca_file.c_str(), nullptr) != 1) {
      return failure("cannot load client_ca_file \"" + config.client_ca_file + "\"");
    }
    // Tells clients which CAs we accept, so they pick the right certificate.
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.client_ca_file.c_str());
    if (names == nullptr) {
      return failure("no CA certificate in client_ca_file \"" + config.client_ca_file + "\"");
    }
    SSL_CTX_set_client_CA_list(context, names);
  }
  switch (config.client_auth_type) {
    case ClientAuthType::no_client_cert:
      SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
      break;
    case ClientAuthType::request_client_cert:
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER, &accept_any_certificate);
      break;
    case ClientAuthType::require_any_client_cert:
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                         &accept_any_certificate);
      break;
    case ClientAuthType::verify_client_cert_if_given:
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
      break;
    case ClientAuthType::require_and_verify_client_cert:
      SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      break;
  }
  return Status::ok();
}

}  // namespace mc
