// One eBPF instruction, for the few programs the agent writes without a
// compiler (the map entry counter) and for tests that need a program.
#pragma once

#include <linux/bpf.h>

#include <cstdint>

namespace bcc {

inline bpf_insn bpf_instruction(uint8_t code, uint8_t dst, uint8_t src, int16_t off,
                                int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst;
  i.src_reg = src;
  i.off = off;
  i.imm = imm;
  return i;
}

}  // namespace bcc
