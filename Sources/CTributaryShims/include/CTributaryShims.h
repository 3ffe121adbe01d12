#ifndef C_TRIBUTARY_SHIMS_H
#define C_TRIBUTARY_SHIMS_H

// Real (not static inline) functions wrapping the C macros that Swift cannot
// import. Everything is prefixed `ctrib_` so it cannot collide with another
// package's shims. Bindings that Swift can import directly are used directly
// from CTributaryZlib / CTributaryOpenSSL.

#include <stddef.h>
#include <stdint.h>
#include <zlib.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

// MARK: zlib

/// `deflateInit2` is a macro that passes ZLIB_VERSION and sizeof(z_stream).
int ctrib_deflateInit2(z_streamp stream, int level, int method, int windowBits, int memLevel, int strategy);

/// `inflateInit2` is a macro for the same reason.
int ctrib_inflateInit2(z_streamp stream, int windowBits);

// MARK: OpenSSL contexts and connections

/// SSL_CTX_set_min_proto_version / max: macros over SSL_CTX_ctrl.
int ctrib_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version);
int ctrib_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version);

/// SSL_CTX_set1_groups_list: a macro over SSL_CTX_ctrl.
int ctrib_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *groups);

/// Options every Tributary context sets: no renegotiation, no TLS
/// compression, no session resumption across contexts with different
/// certificates, and modes that let buffers move and be released.
void ctrib_SSL_CTX_set_tributary_defaults(SSL_CTX *ctx);

/// SSL_set_tlsext_host_name (SNI): a macro over SSL_ctrl.
int ctrib_SSL_set_tlsext_host_name(SSL *ssl, const char *name);

/// BIO_set_mem_eof_return: a macro over BIO_ctrl.
void ctrib_BIO_set_mem_eof_return(BIO *bio, int value);

/// The reason part of an OpenSSL error code (ERR_GET_REASON).
int ctrib_ERR_GET_REASON(unsigned long code);

/// Protocol version constants (macros).
int ctrib_TLS1_2_VERSION(void);
int ctrib_TLS1_3_VERSION(void);

// MARK: Certificates

/// Writes the certificate's subject in RFC 2253 form into `buffer`
/// (NUL-terminated, truncated to `size`); returns the full length.
int ctrib_X509_subject_rfc2253(X509 *cert, char *buffer, size_t size);

/// Writes the issuer likewise.
int ctrib_X509_issuer_rfc2253(X509 *cert, char *buffer, size_t size);

/// Writes the subjectAltName DNS and IP entries as lines `DNS:name` and
/// `IP:address` into `buffer` (NUL-terminated); returns the full length.
int ctrib_X509_subject_alt_names(X509 *cert, char *buffer, size_t size);

/// SHA-256 of the DER SubjectPublicKeyInfo (the "SPKI pin"). `out` holds 32 bytes.
int ctrib_X509_spki_sha256(X509 *cert, unsigned char *out);

/// notBefore / notAfter as seconds since the epoch.
int ctrib_X509_validity(X509 *cert, int64_t *notBefore, int64_t *notAfter);

// The development CA's shims (TributaryPKI).
#include "CTributaryPKIShims.h"

#endif
