#include "tests/support/test_certificates.hpp"

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace mc::test {

namespace {

void openssl(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "openssl");
  std::string command;
  for (const auto& argument : arguments) command += argument + " ";
  RunResult result = run_program(arguments);
  if (result.exit_status != 0) {
    throw std::runtime_error("`" + command + "` failed:\n" + result.output);
  }
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A self-signed CA.
void make_ca(const std::filesystem::path& key, const std::filesystem::path& cert,
             const std::string& name) {
  openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", key.string(), "-out", cert.string(), "-days", "2", "-subj", "/CN=" + name});
}

// A leaf signed by the CA, with the extensions in `extensions` (openssl x509 -extfile syntax).
void make_leaf(const std::filesystem::path& directory, const std::string& name,
               const std::filesystem::path& ca_key, const std::filesystem::path& ca_cert,
               const std::string& extensions, const std::filesystem::path& key,
               const std::filesystem::path& cert) {
  const auto request = directory / (name + ".csr");
  const auto extension_file = directory / (name + ".ext");
  write_text(extension_file, extensions);
  openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           key.string(), "-out", request.string(), "-subj", "/CN=" + name});
  openssl({"x509", "-req", "-in", request.string(), "-CA", ca_cert.string(), "-CAkey",
           ca_key.string(), "-set_serial", "2", "-days", "2", "-out", cert.string(), "-extfile",
           extension_file.string()});
}

}  // namespace

TestCertificates TestCertificates::generate(const std::filesystem::path& directory) {
  TestCertificates files;
  files.ca_cert = directory / "ca.pem";
  files.server_cert = directory / "server.pem";
  files.server_key = directory / "server.key";
  files.client_cert = directory / "client.pem";
  files.client_key = directory / "client.key";
  files.stranger_cert = directory / "stranger.pem";
  files.stranger_key = directory / "stranger.key";
  const auto ca_key = directory / "ca.key";
  const auto stranger_ca_key = directory / "stranger-ca.key";
  const auto stranger_ca_cert = directory / "stranger-ca.pem";

  make_ca(ca_key, files.ca_cert, "metrics-collector test CA");
  make_leaf(directory, "server", ca_key, files.ca_cert,
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
            files.server_key, files.server_cert);
  make_leaf(directory, "client", ca_key, files.ca_cert, "extendedKeyUsage=clientAuth\n",
            files.client_key, files.client_cert);
  make_ca(stranger_ca_key, stranger_ca_cert, "some other CA");
  make_leaf(directory, "stranger", stranger_ca_key, stranger_ca_cert,
            "extendedKeyUsage=clientAuth\n", files.stranger_key, files.stranger_cert);
  return files;
}

}  // namespace mc::test
