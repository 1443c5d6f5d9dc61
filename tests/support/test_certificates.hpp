// TestCertificates: a throwaway CA, a server certificate for 127.0.0.1 and a
// client certificate, all signed by that CA, made with the openssl CLI in a
// test's directory (P-256 keys: fast to make). Plus a second, unrelated CA
// with its own client certificate, for "signed by someone else", and a server
// certificate of the test CA that expired long ago.
#pragma once

#include <filesystem>

namespace mc::test {

struct TestCertificates {
  std::filesystem::path ca_cert;
  std::filesystem::path server_cert;  // SAN IP:127.0.0.1, DNS:localhost
  std::filesystem::path server_key;
  std::filesystem::path client_cert;  // extendedKeyUsage clientAuth
  std::filesystem::path client_key;
  std::filesystem::path stranger_cert;  // a client certificate from another CA
  std::filesystem::path stranger_key;
  std::filesystem::path stranger_ca_cert;     // the other CA: a wrong ca_file for the server
  std::filesystem::path expired_server_cert;  // like server_cert, valid 2020-01-01 to 01-02 only
  std::filesystem::path expired_server_key;

  // Writes everything into `directory`; throws std::runtime_error with
  // openssl's output when a step fails.
  static TestCertificates generate(const std::filesystem::path& directory);
};

}  // namespace mc::test
