#ifndef C_TRIBUTARY_CRC32C_H
#define C_TRIBUTARY_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has a CRC-32C instruction (x86-64 SSE4.2, ARMv8 CRC).
int ctrib_crc32c_hardware_available(void);

/// Continues a CRC-32C over `length` bytes with the CPU's instruction.
/// `crc` is the running value without the final inversion (start with
/// 0xFFFFFFFF, invert at the end). Call only when
/// ctrib_crc32c_hardware_available() returned 1.
uint32_t ctrib_crc32c_hardware(uint32_t crc, const void *bytes, size_t length);

#endif
