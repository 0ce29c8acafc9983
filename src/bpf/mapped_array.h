// A BPF_F_MMAPABLE array mapped into the agent's memory: its values read
// with a copy, without a system call.
//
// A loaded program maps its mmapable arrays once, when it is built, and
// keeps the mappings while it lives (loader/program.h): mapping at every
// read costs two system calls and a page-table setup, a fetch's largest
// cost after the maps it reads.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "bpf/maps.h"

namespace bcc {

class MappedArray {
 public:
  // The array of descriptor `fd` mapped read-only; null when the map is not
  // mmapable or the kernel refuses.
  static std::unique_ptr<MappedArray> map(int fd, const MapInfo& info);
  ~MappedArray();
  MappedArray(const MappedArray&) = delete;
  MappedArray& operator=(const MappedArray&) = delete;

  // Every slot's value, slot after slot, value_size bytes each (the map
  // lays slots out 8-byte aligned).
  void copy_values(std::vector<char>& values) const;

 private:
  MappedArray(const void* address, size_t length, const MapInfo& info)
      : address_(address), length_(length), info_(info) {}
  const void* address_;
  size_t length_;
  MapInfo info_;
};

}  // namespace bcc
