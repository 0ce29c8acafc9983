#include "bpf/mapped_array.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

namespace bcc {

namespace {

size_t stride_of(const MapInfo& info) { return (info.value_size + 7) / 8 * 8; }

}  // namespace

std::unique_ptr<MappedArray> MappedArray::map(int fd, const MapInfo& info) {
  if (!info.mmapable() || info.max_entries == 0) return nullptr;
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t length = (stride_of(info) * info.max_entries + page - 1) / page * page;
  void* address = mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) return nullptr;
  return std::unique_ptr<MappedArray>(new MappedArray(address, length, info));
}

MappedArray::~MappedArray() { munmap(const_cast<void*>(address_), length_); }

void MappedArray::copy_values(std::vector<char>& values) const {
  const char* from = static_cast<const char*>(address_);
  size_t stride = stride_of(info_);
  values.resize(static_cast<size_t>(info_.value_size) * info_.max_entries);
  if (stride == info_.value_size) {
    std::memcpy(values.data(), from, values.size());
    return;
  }
  for (size_t i = 0; i < info_.max_entries; i++)
    std::memcpy(values.data() + i * info_.value_size, from + i * stride, info_.value_size);
}

}  // namespace bcc
