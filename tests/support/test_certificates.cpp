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

// A leaf valid only in the past (openssl x509 takes no start date; openssl ca does).
void make_expired_leaf(const std::filesystem::path& directory, const std::string& name,
                       const std::filesystem::path& ca_key, const std::filesystem::path& ca_cert,
                       const std::string& extensions, const std::filesystem::path& key,
                       const std::filesystem::path& cert) {
  const auto request = directory / (name + ".csr");
  const auto extension_file = directory / (name + ".ext");
  const auto ca_directory = directory / (name + "-ca");
  std::filesystem::create_directories(ca_directory);
  write_text(extension_file, extensions);
  write_text(ca_directory / "index.txt", "");
  write_text(ca_directory / "serial", "03\n");
  write_text(ca_directory / "ca.cnf", "[ca]\ndefault_ca = test\n[test]\ndatabase = " +
                                          (ca_directory / "index.txt").string() +
                                          "\nnew_certs_dir = " + ca_directory.string() +
                                          "\nserial = " + (ca_directory / "serial").string() +
                                          "\ndefault_md = sha256\npolicy = any\n"
                                          "[any]\ncommonName = supplied\n");
  openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
           key.string(), "-out", request.string(), "-subj", "/CN=" + name});
  openssl({"ca", "-batch", "-notext", "-config", (ca_directory / "ca.cnf").string(), "-keyfile",
           ca_key.string(), "-cert", ca_cert.string(), "-in", request.string(), "-out",
           cert.string(), "-startdate", "20200101000000Z", "-enddate", "20200102000000Z",
           "-extfile", extension_file.string()});
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
  files.stranger_ca_cert = directory / "stranger-ca.pem";
  files.expired_server_cert = directory / "expired-server.pem";
  files.expired_server_key = directory / "expired-server.key";

  make_ca(ca_key, files.ca_cert, "metrics-collector test CA");
  make_leaf(directory, "server", ca_key, files.ca_cert,
            "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
            files.server_key, files.server_cert);
  make_leaf(directory, "client", ca_key, files.ca_cert, "extendedKeyUsage=clientAuth\n",
            files.client_key, files.client_cert);
  make_ca(stranger_ca_key, files.stranger_ca_cert, "some other CA");
  make_leaf(directory, "stranger", stranger_ca_key, files.stranger_ca_cert,
            "extendedKeyUsage=clientAuth\n", files.stranger_key, files.stranger_cert);
  make_expired_leaf(directory, "expired-server", ca_key, files.ca_cert,
                    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
                    files.expired_server_key, files.expired_server_cert);
  return files;
}

}  // namespace mc::test
