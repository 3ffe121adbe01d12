#include "CTributaryPKIShims.h"

#include <openssl/ec.h>
#include <openssl/rsa.h>

EVP_PKEY *ctrib_pki_generate_ec_key(const char *curve) {
    return EVP_EC_gen(curve);
}

EVP_PKEY *ctrib_pki_generate_rsa_key(unsigned int bits) {
    return EVP_RSA_gen(bits);
}

void ctrib_pki_x509v3_set_ctx_nodb(X509V3_CTX *ctx) {
    X509V3_set_ctx_nodb(ctx);
}

int ctrib_pki_general_names_push(GENERAL_NAMES *names, GENERAL_NAME *name) {
    return sk_GENERAL_NAME_push(names, name);
}

long ctrib_pki_bio_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}
