// Real kernel maps for the tests of map reads, perf buffers and stacks
// (root and bpf() needed: CREATE_OR_SKIP skips, with the reason, where the
// kernel refuses).
#pragma once

#include <bpf/bpf.h>
#include <gtest/gtest.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>

#include "bpf/maps.h"

namespace bcc::testing {

// No map at all: for collectors whose tests feed them records, not maps.
class NoMaps : public Maps {
 public:
  int fd(const std::string& name) const override {
    throw std::runtime_error("no map '" + name + "'");
  }
};

// Maps created here, by name, closed at the end of the test.
class TestMaps : public Maps {
 public:
  ~TestMaps() override {
    for (auto& [name, fd] : fds_) close(fd);
  }
  int fd(const std::string& name) const override {
    auto it = fds_.find(name);
    if (it == fds_.end()) throw std::runtime_error("no map '" + name + "'");
    return it->second;
  }
  // The error (errno) when the kernel refuses, else 0.
  int create(const std::string& name, bpf_map_type type, uint32_t key_size, uint32_t value_size,
             uint32_t max_entries, uint32_t flags = 0) {
    LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags);
    int fd = bpf_map_create(type, name.c_str(), key_size, value_size, max_entries, &opts);
    if (fd < 0) return errno;
    fds_[name] = fd;
    return 0;
  }

 private:
  std::map<std::string, int> fds_;
};

// The bytes of a number, as a map key or value.
template <typename T>
std::string bytes(T value) {
  return std::string(reinterpret_cast<const char*>(&value), sizeof value);
}

}  // namespace bcc::testing

// maps.create(...), or the test skipped where the kernel refuses.
#define CREATE_OR_SKIP(maps, ...)                                                        \
  do {                                                                                   \
    int error = (maps).create(__VA_ARGS__);                                              \
    if (error == EPERM || error == EACCES)                                               \
      GTEST_SKIP() << "bpf(BPF_MAP_CREATE) refused: " << std::strerror(error)            \
                   << " (needs root / CAP_BPF)";                                         \
    ASSERT_EQ(error, 0) << std::strerror(error);                                         \
  } while (0)
