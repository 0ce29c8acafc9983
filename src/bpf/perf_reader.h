// Draining a BPF_MAP_TYPE_PERF_EVENT_ARRAY map's per-CPU ring buffers
// (libbpf's perf_buffer), what libbcc's open_perf_buffer did.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>

struct perf_buffer;

namespace bcc {

class PerfReader {
 public:
  // `size` is the raw sample's, padding included: the kernel rounds it up so
  // that size + 4 is a multiple of 8 (8 bytes sent arrive as 12), as libbcc
  // handed them over.
  using OnEvent = std::function<void(const void* data, size_t size)>;
  using OnLost = std::function<void(uint64_t lost)>;
  // Opens per-CPU perf ring buffers of `pages` pages (a power of two) on the
  // BPF_MAP_TYPE_PERF_EVENT_ARRAY map `map_fd`; throws std::runtime_error
  // saying why not. The callbacks run on the thread that calls poll().
  PerfReader(int map_fd, size_t pages, OnEvent on_event, OnLost on_lost);
  ~PerfReader();
  PerfReader(const PerfReader&) = delete;
  PerfReader& operator=(const PerfReader&) = delete;

  // Waits up to timeout_ms for records and hands each to on_event; lost
  // records to on_lost. Returns how many CPUs' buffers had something (0 on
  // timeout or when a signal interrupted the wait), <0 (a negative errno) on
  // error. An exception thrown by a callback comes out of poll(); the records
  // that follow it in the same poll are dropped.
  int poll(int timeout_ms);

 private:
  static void sample(void* self, int cpu, void* data, uint32_t size);
  static void lost(void* self, int cpu, unsigned long long count);

  OnEvent on_event_;
  OnLost on_lost_;
  perf_buffer* buffer_ = nullptr;
  std::exception_ptr failure_;  // thrown by a callback, rethrown by poll()
};

}  // namespace bcc
