#include "tests/remote/test_certificate.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <unistd.h>

namespace remote_test {
namespace {

template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, decltype([](T* p) { Free(p); })>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("OpenSSL failed to ") + what);
}

template <typename Write>
std::string pem(Write write) {
  Owned<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
  check(bio != nullptr && write(bio.get()) == 1, "write PEM");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

TestCertificate make_self_signed_certificate(const std::vector<std::string>& subject_alt_names) {
  Owned<EVP_PKEY, EVP_PKEY_free> key(EVP_EC_gen("P-256"));
  check(key != nullptr, "generate a key");
  Owned<X509, X509_free> certificate(X509_new());
  check(certificate != nullptr, "allocate a certificate");
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 3600);
  check(X509_set_pubkey(certificate.get(), key.get()) == 1, "set the public key");
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("queue-remote-test"), -1,
                             -1, 0);
  check(X509_set_issuer_name(certificate.get(), name) == 1, "set the issuer");

  std::string names;
  for (const std::string& entry : subject_alt_names) names += (names.empty() ? "" : ",") + entry;
  X509V3_CTX context;
  X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
  Owned<X509_EXTENSION, X509_EXTENSION_free> alt_names(
      X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, names.c_str()));
  check(alt_names != nullptr && X509_add_ext(certificate.get(), alt_names.get(), -1) == 1, "add subjectAltName");
  check(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "sign the certificate");

  TestCertificate result;
  result.certificate_pem = pem([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate.get()); });
  result.private_key_pem = pem([&](BIO* bio) {
    return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  });
  char path[] = "/tmp/queue-remote-test-ca-XXXXXX";
  int fd = ::mkstemp(path);
  check(fd >= 0, "create a temp file");
  ::close(fd);
  std::ofstream(path) << result.certificate_pem;
  result.certificate_file = path;
  return result;
}

}  // namespace remote_test
