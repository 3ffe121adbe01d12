#ifndef C_TRIBUTARY_SNAPPY_H
#define C_TRIBUTARY_SNAPPY_H
#include <snappy-c.h>
#endif
