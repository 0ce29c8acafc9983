// The agent reads the ELF files of the processes it follows (USDT notes,
// symbols): files any user can write. The input is such a file.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "bpf/binaries.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int fd = memfd_create("elf", MFD_CLOEXEC);
  if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))
    return 0;
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  bcc::usdt_probes_in(path);
  bcc::binary_has_symbol(path, "malloc");
  return 0;
}
