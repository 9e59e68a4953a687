/* OpenSSL libcrypto: SHA-256 for the audit chain, AES-256-GCM for the quarantine. */
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
