#include "CTributaryShims.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

int ctrib_deflateInit2(z_streamp stream, int level, int method, int windowBits, int memLevel, int strategy) {
    return deflateInit2(stream, level, method, windowBits, memLevel, strategy);
}

int ctrib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

int ctrib_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

int ctrib_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

int ctrib_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *groups) {
    return (int)SSL_CTX_set1_groups_list(ctx, groups);
}

void ctrib_SSL_CTX_set_tributary_defaults(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
}

int ctrib_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

void ctrib_BIO_set_mem_eof_return(BIO *bio, int value) {
    BIO_set_mem_eof_return(bio, value);
}

int ctrib_ERR_GET_REASON(unsigned long code) {
    return ERR_GET_REASON(code);
}

int ctrib_TLS1_2_VERSION(void) { return TLS1_2_VERSION; }
int ctrib_TLS1_3_VERSION(void) { return TLS1_3_VERSION; }

static int name_rfc2253(X509_NAME *name, char *buffer, size_t size) {
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return -1;
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char *data = NULL;
    long length = BIO_get_mem_data(bio, &data);
    if (size > 0) {
        size_t copy = (size_t)length < size - 1 ? (size_t)length : size - 1;
        memcpy(buffer, data, copy);
        buffer[copy] = 0;
    }
    BIO_free(bio);
    return (int)length;
}

int ctrib_X509_subject_rfc2253(X509 *cert, char *buffer, size_t size) {
    return name_rfc2253(X509_get_subject_name(cert), buffer, size);
}

int ctrib_X509_issuer_rfc2253(X509 *cert, char *buffer, size_t size) {
    return name_rfc2253(X509_get_issuer_name(cert), buffer, size);
}

int ctrib_X509_subject_alt_names(X509 *cert, char *buffer, size_t size) {
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    size_t used = 0;
    int total = 0;
    if (size > 0) buffer[0] = 0;
    if (names == NULL) return 0;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *entry = sk_GENERAL_NAME_value(names, i);
        char line[300];
        line[0] = 0;
        if (entry->type == GEN_DNS) {
            const unsigned char *dns = ASN1_STRING_get0_data(entry->d.dNSName);
            int length = ASN1_STRING_length(entry->d.dNSName);
            snprintf(line, sizeof line, "DNS:%.*s\n", length > 255 ? 255 : length, (const char *)dns);
        } else if (entry->type == GEN_IPADD) {
            const unsigned char *ip = ASN1_STRING_get0_data(entry->d.iPAddress);
            int length = ASN1_STRING_length(entry->d.iPAddress);
            char text[INET6_ADDRSTRLEN] = {0};
            if (length == 4) inet_ntop(AF_INET, ip, text, sizeof text);
            else if (length == 16) inet_ntop(AF_INET6, ip, text, sizeof text);
            if (text[0]) snprintf(line, sizeof line, "IP:%s\n", text);
        }
        size_t length = strlen(line);
        total += (int)length;
        if (used + length < size) {
            memcpy(buffer + used, line, length);
            used += length;
            buffer[used] = 0;
        }
    }
    GENERAL_NAMES_free(names);
    return total;
}

int ctrib_X509_spki_sha256(X509 *cert, unsigned char *out) {
    unsigned char *der = NULL;
    int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
    if (length <= 0) return 0;
    unsigned int digestLength = 0;
    int ok = EVP_Digest(der, (size_t)length, out, &digestLength, EVP_sha256(), NULL);
    OPENSSL_free(der);
    return ok && digestLength == 32;
}

static int asn1_time_to_epoch(const ASN1_TIME *time, int64_t *out) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (time == NULL || ASN1_TIME_to_tm(time, &tm) != 1) return 0;
    *out = (int64_t)timegm(&tm);
    return 1;
}

int ctrib_X509_validity(X509 *cert, int64_t *notBefore, int64_t *notAfter) {
    return asn1_time_to_epoch(X509_get0_notBefore(cert), notBefore)
        && asn1_time_to_epoch(X509_get0_notAfter(cert), notAfter);
}
