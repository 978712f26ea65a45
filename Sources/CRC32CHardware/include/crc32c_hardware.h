// CRC-32C with the processor's own instruction (SSE 4.2 on x86-64, the CRC
// extension on ARMv8), for Sources/LogStore/Format/CRC32C.swift, the only caller.
#ifndef PATCHLOG_CRC32C_HARDWARE_H
#define PATCHLOG_CRC32C_HARDWARE_H
#include <stddef.h>
#include <stdint.h>

/// 1 when this processor has a CRC-32C instruction, else 0.
int patchlog_crc32c_hardware_available(void);

/// The CRC-32C of `count` bytes at `bytes`, continuing from `crc` (0 to start), as
/// the table-driven code computes it. Call only when available.
uint32_t patchlog_crc32c_hardware(uint32_t crc, const uint8_t *bytes, size_t count);

#endif
