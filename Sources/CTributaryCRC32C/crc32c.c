// CRC-32C with the CPU's instruction: the frame checksum covers every byte
// the node receives, and at ~1 GB/s a table-driven CRC cost as much as
// decoding the records. The instruction runs at several GB/s. Swift cannot
// call these intrinsics, hence this file; the portable table version lives
// in Swift (CRC32C.swift) and is the reference the tests compare with.
#include "CTributaryCRC32C.h"
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

int ctrib_crc32c_hardware_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

__attribute__((target("sse4.2")))
uint32_t ctrib_crc32c_hardware(uint32_t crc, const void *bytes, size_t length) {
    const unsigned char *p = (const unsigned char *)bytes;
    uint64_t state = crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        state = _mm_crc32_u64(state, word);
        p += 8;
        length -= 8;
    }
    uint32_t state32 = (uint32_t)state;
    while (length > 0) {
        state32 = _mm_crc32_u8(state32, *p);
        p++;
        length--;
    }
    return state32;
}

#elif defined(__aarch64__)
#include <sys/auxv.h>
#include <arm_acle.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

int ctrib_crc32c_hardware_available(void) {
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? 1 : 0;
}

__attribute__((target("crc")))
uint32_t ctrib_crc32c_hardware(uint32_t crc, const void *bytes, size_t length) {
    const unsigned char *p = (const unsigned char *)bytes;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        crc = __crc32cd(crc, word);
        p += 8;
        length -= 8;
    }
    while (length > 0) {
        crc = __crc32cb(crc, *p);
        p++;
        length--;
    }
    return crc;
}

#else

int ctrib_crc32c_hardware_available(void) { return 0; }

uint32_t ctrib_crc32c_hardware(uint32_t crc, const void *bytes, size_t length) {
    (void)bytes;
    (void)length;
    return crc;
}

#endif
