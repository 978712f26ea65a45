// CRC-32C with the processor's instruction. Written by hand: no package available
// to the project provides CRC-32C (see CRC32C.swift), and Swift cannot emit these
// instructions itself. The functions carry their own target attribute, so the
// package needs no compiler flags; the caller checks availability at run time.
#include "crc32c_hardware.h"
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

int patchlog_crc32c_hardware_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") ? 1 : 0;
}

__attribute__((target("sse4.2")))
uint32_t patchlog_crc32c_hardware(uint32_t crc, const uint8_t *bytes, size_t count) {
    uint64_t c = (uint32_t)~crc;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        c = _mm_crc32_u64(c, word);
        bytes += 8;
        count -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (count > 0) {
        c32 = _mm_crc32_u8(c32, *bytes);
        bytes += 1;
        count -= 1;
    }
    return ~c32;
}

#elif defined(__aarch64__) && defined(__linux__)
#include <arm_acle.h>
#include <sys/auxv.h>
#include <asm/hwcap.h>

int patchlog_crc32c_hardware_available(void) {
    return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? 1 : 0;
}

__attribute__((target("+crc")))
uint32_t patchlog_crc32c_hardware(uint32_t crc, const uint8_t *bytes, size_t count) {
    uint32_t c = ~crc;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        c = __crc32cd(c, word);
        bytes += 8;
        count -= 8;
    }
    while (count > 0) {
        c = __crc32cb(c, *bytes);
        bytes += 1;
        count -= 1;
    }
    return ~c;
}

#else

int patchlog_crc32c_hardware_available(void) { return 0; }

uint32_t patchlog_crc32c_hardware(uint32_t crc, const uint8_t *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return crc;
}

#endif
