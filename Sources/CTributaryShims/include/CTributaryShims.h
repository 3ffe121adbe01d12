#ifndef C_TRIBUTARY_SHIMS_H
#define C_TRIBUTARY_SHIMS_H

// Real (not static inline) functions wrapping the C macros that Swift cannot
// import. Everything is prefixed `ctrib_` so it cannot collide with another
// package's shims. Nothing else belongs here: bindings that Swift can import
// directly are used directly from CTributaryZlib / CTributaryOpenSSL.

#include <zlib.h>

/// `deflateInit2` is a macro that passes ZLIB_VERSION and sizeof(z_stream).
int ctrib_deflateInit2(z_streamp stream, int level, int method, int windowBits, int memLevel, int strategy);

/// `inflateInit2` is a macro for the same reason.
int ctrib_inflateInit2(z_streamp stream, int windowBits);

#endif
