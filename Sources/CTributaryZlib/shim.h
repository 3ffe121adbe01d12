#ifndef C_TRIBUTARY_ZLIB_H
#define C_TRIBUTARY_ZLIB_H
#include <zlib.h>
#endif
