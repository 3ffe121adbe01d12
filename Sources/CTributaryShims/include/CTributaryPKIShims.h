#ifndef C_TRIBUTARY_PKI_SHIMS_H
#define C_TRIBUTARY_PKI_SHIMS_H

// Real (not static inline) functions wrapping the OpenSSL 3 macros and
// variadic functions that TributaryPKI needs and Swift cannot import.
// Everything is prefixed `ctrib_pki_`. Bindings Swift can import directly are
// used directly from CTributaryOpenSSL.

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// `EVP_EC_gen` is a macro over the variadic `EVP_PKEY_Q_keygen`.
/// Returns NULL (with the error queue set) on failure.
EVP_PKEY *ctrib_pki_generate_ec_key(const char *curve);

/// `EVP_RSA_gen` is a macro over the variadic `EVP_PKEY_Q_keygen`.
/// Returns NULL (with the error queue set) on failure.
EVP_PKEY *ctrib_pki_generate_rsa_key(unsigned int bits);

/// `X509V3_set_ctx_nodb` is a macro: extensions are made without a config
/// database.
void ctrib_pki_x509v3_set_ctx_nodb(X509V3_CTX *ctx);

/// `sk_GENERAL_NAME_push` is a macro. On success (non-zero) the stack owns
/// `name`; on failure (0) the caller still owns it.
int ctrib_pki_general_names_push(GENERAL_NAMES *names, GENERAL_NAME *name);

/// `BIO_get_mem_data` is a macro over `BIO_ctrl`. Points `*data` at the
/// memory BIO's contents (owned by the BIO) and returns their length.
long ctrib_pki_bio_get_mem_data(BIO *bio, char **data);

#endif
