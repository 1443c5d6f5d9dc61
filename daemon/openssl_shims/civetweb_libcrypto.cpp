// libmc-civetweb-crypto.so, whose soname is "libcrypto.so": answers
// libcivetweb's dlopen("libcrypto.so") on machines without the unversioned
// development symlink (libssl-dev), such as the slim container image; dlsym
// on it finds every function in its dependency, the real libcrypto.so.3.
// See civetweb_libssl.cpp.
#include <openssl/crypto.h>

extern "C" {

// A reference to libcrypto, so the linker keeps it as a dependency whatever
// its --as-needed default.
__attribute__((visibility("default"))) unsigned long mc_civetweb_crypto_version();
unsigned long mc_civetweb_crypto_version() { return OpenSSL_version_num(); }
}
