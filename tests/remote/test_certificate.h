// A self-signed certificate made at test time with OpenSSL's C API (no `openssl` CLI,
// no key committed to the repository), for the https tests.
#pragma once

#include <string>
#include <vector>

namespace remote_test {

struct TestCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
  std::string certificate_file;  // the certificate written to a temp file, for HttpClientOptions::ca_file
};

// A P-256 key and a certificate valid for an hour naming `subject_alt_names`
// ("IP:127.0.0.1", "DNS:localhost"). Throws std::runtime_error if OpenSSL fails.
TestCertificate make_self_signed_certificate(const std::vector<std::string>& subject_alt_names);

}  // namespace remote_test
